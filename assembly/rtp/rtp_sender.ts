// RFC 3550 §6.4.1 (SR), RFC 4585 §6.2.1/§6.3.1 (NACK, PLI), RFC 5104 §4.3.1 (FIR), RFC 4588 §4 (RTX): one outgoing stream, sans-IO.
import { ByteWriter } from "../util/bytes";
import { RtpHeaderFields, RtpPacket, writeRtp, rtpHeaderSize, RTP_OK } from "./rtp_packet";
import { Packetizer, PacketizerOutput } from "./packetizer";
import { RetransmissionBuffer } from "./retransmission_buffer";
import { PacketQueue } from "./packet_queue";
import { RtcpCompound, buildCompound } from "./rtcp_compound";
import { RtcpPacket } from "./rtcp_packet";
import { PSFB_AFB, PSFB_FIR, PSFB_PLI, RTCP_BYE, RTCP_PSFB, RTCP_RR, RTCP_RTPFB, RTCP_SR, RTPFB_NACK } from "./rtcp_header";
import { SenderReport, ntpFromUnixMs, ntpMiddle } from "./rtcp_sender_report";
import { ReceiverReport, ReportBlock } from "./rtcp_receiver_report";
import { Sdes, SdesChunk } from "./rtcp_sdes";
import { Nack } from "./rtcp_nack";
import { Fir } from "./rtcp_fir";
import { Remb } from "./rtcp_remb";
import { Bye } from "./rtcp_bye";

export const SENDER_EVENT_NONE: i32 = 0;
export const SENDER_EVENT_KEYFRAME_PLI: i32 = 1; // the peer lost a picture: send a keyframe
export const SENDER_EVENT_KEYFRAME_FIR: i32 = 2; // the peer asks for a full intra refresh
export const SENDER_EVENT_REMB: i32 = 3; // a new bandwidth estimate (rembBitrate)
export const SENDER_EVENT_RR: i32 = 4; // a report block about this stream (rtt, loss)
export const SENDER_EVENT_BYE: i32 = 5;

export class RtpSenderConfig {
  ssrc: u32 = 0;
  payloadType: u8 = 96;
  clockRate: u32 = 90000;
  // The whole RTP packet, header included (the host subtracts IP/UDP/SRTP overheads from the
  // path MTU before choosing it).
  maxPacketSize: i32 = 1200;
  // Packets kept for NACKs, each slot maxPacketSize bytes preallocated: 128 x 1200 = 150 KB,
  // about a second of 1 Mbit/s video, more than a NACK round trip needs.
  historySize: i32 = 128;
  rtxSsrc: u32 = 0; // RFC 4588 retransmission stream; 0 = retransmit in the original stream
  rtxPayloadType: u8 = 0;
  srIntervalMs: i32 = 1000;
  cname: string = "wasmpeer";
  initialSequence: u16 = 0;
  maxPacketsPerFrame: i32 = 512;
  maxQueue: i32 = 1024;
  // NACK storm bounds: packets answered per NACK packet, minimum gap between two resends of one
  // packet, resends per packet, and how old a packet may be and still be resent.
  maxResendsPerNack: i32 = 64;
  minResendIntervalMs: i32 = 10;
  maxResendsPerPacket: i32 = 10;
  maxResendAgeMs: i32 = 1000;
  // Audio: the first packet of a talkspurt carries the marker (RFC 3551 §4.1), not the last of a frame.
  audio: bool = false;
}

export class RtpSenderCounters {
  packetsSent: u32 = 0;
  octetsSent: u32 = 0; // payload octets, as SR counts them (§6.4.1)
  framesSent: u32 = 0;
  framesDropped: u32 = 0;
  retransmitted: u32 = 0;
  nacksReceived: u32 = 0;
  nackSeqsRequested: u32 = 0;
  nackSeqsIgnored: u32 = 0; // unknown, too old, too recent a resend, or over the per-NACK budget
  plisReceived: u32 = 0;
  firsReceived: u32 = 0;
  srsSent: u32 = 0;
  rtcpMalformed: u32 = 0;
}

export class RtpSender {
  counters: RtpSenderCounters = new RtpSenderCounters();
  private history: RetransmissionBuffer;
  private out: PacketQueue;
  private frame: PacketizerOutput;
  private fields: RtpHeaderFields = new RtpHeaderFields();
  private parsed: RtpPacket = new RtpPacket();
  private compound: RtcpCompound = new RtcpCompound();
  private seq: u16;
  private rtxSeq: u16;
  private lastRtpTs: u32 = 0;
  private lastFrameAt: i64 = 0;
  private sentAny: bool = false;
  private nextSrAt: i64 = -1;
  private talkspurt: bool = true;
  private events: i32[] = [];
  private lastFirSeq: i32 = -1;
  // Unix time = now + wallClockOffsetMs; the host sets it from its real-time clock so SRs carry
  // wall-clock NTP time (lip sync and RTT need it), while the core keeps only monotonic `now`.
  wallClockOffsetMs: i64 = 0;
  rttMs: i32 = -1;
  rembBitrate: u64 = 0;
  lastReport: ReportBlock | null = null;

  constructor(public config: RtpSenderConfig, public packetizer: Packetizer) {
    this.history = new RetransmissionBuffer(config.historySize, config.maxPacketSize);
    this.out = new PacketQueue(config.maxQueue);
    this.frame = new PacketizerOutput(config.maxPacketsPerFrame);
    this.seq = config.initialSequence;
    this.rtxSeq = config.initialSequence ^ 0x5a5a;
    // The packetizer's payload budget is what is left after the fixed header.
    packetizer.maxPayload = config.maxPacketSize - 12 - (config.rtxSsrc != 0 ? 2 : 0);
  }

  get sequence(): u16 {
    return this.seq;
  }

  // Packetizes one frame captured at rtpTimestamp and queues its packets. Returns the number of
  // packets, or -1 when the frame was dropped (malformed, too many packets, no queue room).
  sendFrame(frame: Uint8Array, rtpTimestamp: u32, now: i64): i32 {
    const o = this.frame;
    if (!this.packetizer.packetize(frame, o) || o.count > this.out.room) {
      this.counters.framesDropped++;
      return -1;
    }
    const f = this.fields;
    f.payloadType = this.config.payloadType;
    f.ssrc = this.config.ssrc;
    for (let i = 0; i < o.count; i++) {
      f.sequenceNumber = this.seq;
      f.timestamp = rtpTimestamp + o.tsOffsets[i];
      if (this.config.audio) {
        f.marker = this.talkspurt;
        this.talkspurt = false;
      } else {
        f.marker = o.markers[i];
      }
      const payload = o.payloads[i];
      const pkt = new Uint8Array(rtpHeaderSize(f) + payload.length);
      writeRtp(new ByteWriter(pkt), f, payload);
      this.history.store(this.seq, pkt, now);
      this.out.push(pkt, false);
      this.seq++;
      this.counters.packetsSent++;
      this.counters.octetsSent += <u32>payload.length;
    }
    this.counters.framesSent++;
    this.lastRtpTs = rtpTimestamp + (o.count > 0 ? o.tsOffsets[o.count - 1] : 0);
    this.lastFrameAt = now;
    if (!this.sentAny) {
      this.sentAny = true;
      // The first SR goes out soon after media starts, so the receiver can sync early.
      this.nextSrAt = now;
    }
    return o.count;
  }

  // Marks the next audio packet as the start of a talkspurt (after DTX or silence).
  startTalkspurt(): void {
    this.talkspurt = true;
  }

  // A datagram to send, or null. `lastWasRtcp` tells RTP from RTCP.
  pollOutput(): Uint8Array | null {
    return this.out.poll();
  }

  get lastWasRtcp(): bool {
    return this.out.lastWasRtcp;
  }

  pollEvent(): i32 {
    if (this.events.length == 0) return SENDER_EVENT_NONE;
    return this.events.shift();
  }

  private event(e: i32): void {
    // A handful of pending events is plenty; a flood of PLIs collapses into the ones queued.
    if (this.events.length < 16 && (this.events.length == 0 || this.events[this.events.length - 1] != e)) this.events.push(e);
  }

  pollTimeout(): i64 {
    return this.nextSrAt;
  }

  handleTimeout(now: i64): void {
    if (this.nextSrAt >= 0 && now >= this.nextSrAt) {
      this.sendSenderReport(now);
      this.nextSrAt = now + <i64>this.config.srIntervalMs;
    }
  }

  private ntpNow(now: i64): u64 {
    return ntpFromUnixMs(now + this.wallClockOffsetMs);
  }

  // SR + SDES CNAME (§6.1: a compound starts with a report and carries the CNAME).
  sendSenderReport(now: i64): void {
    const sr = new SenderReport();
    sr.ssrc = this.config.ssrc;
    sr.ntpTime = this.ntpNow(now);
    // The RTP time that corresponds to this NTP time, extrapolated from the last frame.
    sr.rtpTime = this.lastRtpTs + <u32>(((now - this.lastFrameAt) * <i64>this.config.clockRate) / 1000);
    sr.packetCount = this.counters.packetsSent;
    sr.octetCount = this.counters.octetsSent;
    const sdes = new Sdes();
    sdes.chunks.push(new SdesChunk(this.config.ssrc, Uint8Array.wrap(String.UTF8.encode(this.config.cname))));
    const list = new Array<RtcpPacket>(0);
    list.push(sr);
    list.push(sdes);
    if (this.out.push(buildCompound(list), true)) this.counters.srsSent++;
  }

  // A BYE for this stream (§6.6), queued for sending.
  sendBye(): void {
    const bye = new Bye();
    bye.ssrcs.push(this.config.ssrc);
    if (this.config.rtxSsrc != 0) bye.ssrcs.push(this.config.rtxSsrc);
    const sr = new SenderReport();
    sr.ssrc = this.config.ssrc;
    const list = new Array<RtcpPacket>(0);
    list.push(sr);
    list.push(bye);
    this.out.push(buildCompound(list), true);
  }

  // Handles one RTCP datagram (already SRTCP-unprotected). Malformed ones are counted and dropped.
  receiveRtcp(buf: Uint8Array, off: i32, len: i32, now: i64): void {
    const c = this.compound;
    if (c.parse(buf, off, len) < 0) {
      this.counters.rtcpMalformed++;
      return;
    }
    const ssrc = this.config.ssrc;
    for (let i = 0; i < c.count; i++) {
      const t = c.type(i), fmt = c.format(i), o = c.offset(i), n = c.length(i);
      if (t == RTCP_RR || t == RTCP_SR) {
        let blocks: ReportBlock[] | null = null;
        if (t == RTCP_RR) {
          const rr = ReceiverReport.parse(buf, o, n);
          if (rr != null) blocks = rr.reports;
        } else {
          const sr = SenderReport.parse(buf, o, n);
          if (sr != null) blocks = sr.reports;
        }
        if (blocks == null) {
          this.counters.rtcpMalformed++;
          continue;
        }
        for (let k = 0; k < blocks.length; k++) if (blocks[k].ssrc == ssrc) this.onReport(blocks[k], now);
      } else if (t == RTCP_RTPFB && fmt == RTPFB_NACK) {
        const nack = Nack.parse(buf, o, n);
        if (nack == null) this.counters.rtcpMalformed++;
        else if (nack.mediaSsrc == ssrc) this.onNack(nack, now);
      } else if (t == RTCP_PSFB && fmt == PSFB_PLI) {
        if (n < 12) this.counters.rtcpMalformed++;
        else if (load<u32>(buf.dataStart + <usize>(o + 8)) == bswap<u32>(ssrc)) {
          this.counters.plisReceived++;
          this.event(SENDER_EVENT_KEYFRAME_PLI);
        }
      } else if (t == RTCP_PSFB && fmt == PSFB_FIR) {
        const fir = Fir.parse(buf, o, n);
        if (fir == null) {
          this.counters.rtcpMalformed++;
          continue;
        }
        for (let k = 0; k < fir.ssrcs.length; k++) {
          // RFC 5104 §4.3.1.2: a repeated command sequence number is a retransmitted request.
          if (fir.ssrcs[k] == ssrc && <i32>fir.seqNrs[k] != this.lastFirSeq) {
            this.lastFirSeq = fir.seqNrs[k];
            this.counters.firsReceived++;
            this.event(SENDER_EVENT_KEYFRAME_FIR);
          }
        }
      } else if (t == RTCP_PSFB && fmt == PSFB_AFB) {
        const remb = Remb.parse(buf, o, n);
        if (remb != null) {
          this.rembBitrate = remb.bitrate;
          this.event(SENDER_EVENT_REMB);
        }
      } else if (t == RTCP_BYE) {
        this.event(SENDER_EVENT_BYE);
      }
    }
  }

  private onReport(b: ReportBlock, now: i64): void {
    this.lastReport = b;
    if (b.lastSr != 0) {
      // §6.4.1: RTT = A - LSR - DLSR, all in 1/65536 s.
      const a = ntpMiddle(this.ntpNow(now));
      const rtt = <i32>(a - b.lastSr - b.delaySinceLastSr);
      if (rtt >= 0) this.rttMs = <i32>((<i64>rtt * 1000) >> 16);
    }
    this.event(SENDER_EVENT_RR);
  }

  private onNack(nack: Nack, now: i64): void {
    this.counters.nacksReceived++;
    // The work per NACK is bounded by maxResendsPerNack lookups that resend, plus the FCI walk,
    // which the datagram size bounds.
    let budget = this.config.maxResendsPerNack;
    for (let i = 0; i < nack.pids.length; i++) {
      const pid = nack.pids[i];
      const blp = <u32>nack.blps[i];
      for (let bit = -1; bit < 16; bit++) {
        if (bit >= 0 && (blp & (1 << bit)) == 0) continue;
        const seq = <u16>(pid + <u16>(bit + 1));
        this.counters.nackSeqsRequested++;
        if (budget <= 0 || !this.resend(seq, now)) this.counters.nackSeqsIgnored++;
        else budget--;
      }
    }
  }

  private resend(seq: u16, now: i64): bool {
    const h = this.history;
    const slot = h.find(seq);
    if (slot < 0) return false;
    const cfg = this.config;
    if (now - h.sentTime(slot) > <i64>cfg.maxResendAgeMs) return false;
    if (h.resendCount(slot) >= cfg.maxResendsPerPacket) return false;
    if (h.lastResent(slot) != i64.MIN_VALUE && now - h.lastResent(slot) < <i64>cfg.minResendIntervalMs) return false;
    if (this.out.room == 0) return false;
    const orig = h.packet(slot);
    let pkt: Uint8Array;
    if (cfg.rtxSsrc == 0) {
      pkt = orig.slice(0);
    } else {
      pkt = this.rtxPacket(orig);
      if (pkt.length == 0) return false;
    }
    h.markResent(slot, now);
    this.out.push(pkt, false);
    this.counters.retransmitted++;
    return true;
  }

  // RFC 4588 §4: same header (CSRCs, extensions, timestamp, marker) with the RTX SSRC, payload
  // type and sequence number; the payload is the original sequence number then the original
  // payload. Padding is not carried over.
  private rtxPacket(orig: Uint8Array): Uint8Array {
    const p = this.parsed;
    if (p.parse(orig) != RTP_OK) return new Uint8Array(0);
    const hl = p.headerLength;
    const out = new Uint8Array(hl + 2 + p.payloadLength);
    memory.copy(out.dataStart, orig.dataStart, <usize>hl);
    out[0] &= ~0x20;
    out[1] = (out[1] & 0x80) | (this.config.rtxPayloadType & 0x7f);
    const w = new ByteWriter(out, 2);
    w.u16(this.rtxSeq);
    w.pos = 8;
    w.u32(this.config.rtxSsrc);
    w.pos = hl;
    w.u16(p.sequenceNumber);
    w.bytes(orig, p.payloadOffset, p.payloadLength);
    this.rtxSeq++;
    return out;
  }
}
