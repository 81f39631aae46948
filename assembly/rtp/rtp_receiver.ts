// RFC 3550 §6.4.2 (RR), §A.1/§A.3/§A.8 (statistics), RFC 4585 §6.2.1/§6.3.1 (NACK, PLI), RFC 4588 §4 (RTX): one incoming stream, sans-IO.
import { RtpPacket, RTP_OK, RTP_ERR_SHORT, RTP_ERR_VERSION, RTP_ERR_CSRC, RTP_ERR_EXTENSION, RTP_ERR_PADDING } from "./rtp_packet";
import { ReceiveStatistics, SEQ_NEW, SEQ_OLD, SEQ_PROBATION, SEQ_RESYNC } from "./receive_statistics";
import { NackGenerator } from "./nack_generator";
import { JitterBuffer } from "./jitter_buffer";
import { Depacketizer, Frame } from "./depacketizer";
import { PacketQueue } from "./packet_queue";
import { RtcpCompound, buildCompound } from "./rtcp_compound";
import { RtcpPacket } from "./rtcp_packet";
import { RTCP_BYE, RTCP_SR } from "./rtcp_header";
import { SenderReport, ntpMiddle } from "./rtcp_sender_report";
import { ReceiverReport } from "./rtcp_receiver_report";
import { Sdes, SdesChunk } from "./rtcp_sdes";
import { Nack } from "./rtcp_nack";
import { Pli } from "./rtcp_pli";
import { Bye } from "./rtcp_bye";

export class RtpReceiverConfig {
  localSsrc: u32 = 1; // the SSRC our RTCP (RR, NACK, PLI) is sent from
  remoteSsrc: u32 = 0; // 0: adopt the first SSRC seen (when SDP did not name one)
  payloadType: i32 = -1; // -1: any
  clockRate: u32 = 90000;
  rtxSsrc: u32 = 0;
  rtxPayloadType: i32 = -1;
  // Memory: jitterSlots x maxPacketSize for the reorder buffer (128 x 1200 = 150 KB), plus the
  // depacketizer's maxFrameSize for reassembly and up to maxFrames completed frames waiting
  // for the host.
  maxPacketSize: i32 = 1200;
  jitterSlots: i32 = 128;
  maxDelayMs: i32 = 500; // wait for a missing packet; above a NACK round trip
  maxFrames: i32 = 4;
  nack: bool = true;
  nackCapacity: i32 = 256;
  nackMaxRetries: i32 = 10;
  nackRetryMs: i32 = 100;
  nackDelayMs: i32 = 0;
  rrIntervalMs: i32 = 1000;
  pliMinIntervalMs: i32 = 500;
  maxQueue: i32 = 64;
  cname: string = "wasmpeer";
}

export class RtpReceiverCounters {
  packets: u32 = 0; // accepted into the statistics
  duplicates: u32 = 0;
  short: u32 = 0;
  badVersion: u32 = 0;
  badExtension: u32 = 0; // CSRC list or extension running past the packet
  badPadding: u32 = 0;
  unknownSsrc: u32 = 0;
  wrongPayloadType: u32 = 0;
  tooLarge: u32 = 0;
  probation: u32 = 0;
  rtxReceived: u32 = 0;
  rtxMalformed: u32 = 0;
  nacksSent: u32 = 0;
  nackSeqsSent: u32 = 0;
  plisSent: u32 = 0;
  rrsSent: u32 = 0;
  srsReceived: u32 = 0;
  byes: u32 = 0;
  rtcpMalformed: u32 = 0;
}

export class RtpReceiver {
  counters: RtpReceiverCounters = new RtpReceiverCounters();
  stats: ReceiveStatistics;
  nacks: NackGenerator;
  jitter: JitterBuffer;
  private pkt: RtpPacket = new RtpPacket();
  private compound: RtcpCompound = new RtcpCompound();
  private out: PacketQueue;
  private ssrc: u32;
  private haveSsrc: bool;
  private lastSr: u32 = 0;
  private lastSrAt: i64 = 0;
  private nextRrAt: i64 = -1;
  private lastPliAt: i64 = i64.MIN_VALUE;
  private pliPending: bool = false;
  private nackList: u16[] = [];
  private framesDroppedSeen: u32 = 0;
  byeReceived: bool = false;
  // Middle NTP bits and RTP time of the last SR, for lip sync by the host.
  lastSrNtp: u64 = 0;
  lastSrRtp: u32 = 0;

  constructor(public config: RtpReceiverConfig, public depacketizer: Depacketizer) {
    this.stats = new ReceiveStatistics(config.clockRate, 0);
    this.nacks = new NackGenerator(config.nackCapacity, config.nackMaxRetries, config.nackRetryMs, config.nackDelayMs);
    this.jitter = new JitterBuffer(config.jitterSlots, config.maxPacketSize, config.maxDelayMs);
    this.out = new PacketQueue(config.maxQueue);
    depacketizer.maxReady = config.maxFrames;
    this.ssrc = config.remoteSsrc;
    this.haveSsrc = config.remoteSsrc != 0;
  }

  get remoteSsrc(): u32 {
    return this.ssrc;
  }

  // Handles one RTP datagram (already SRTP-unprotected). Returns true when it was accepted.
  receiveRtp(buf: Uint8Array, off: i32, len: i32, now: i64): bool {
    const p = this.pkt;
    const c = this.counters;
    const r = p.parse(buf, off, len);
    if (r != RTP_OK) {
      if (r == RTP_ERR_SHORT) c.short++;
      else if (r == RTP_ERR_VERSION) c.badVersion++;
      else if (r == RTP_ERR_CSRC || r == RTP_ERR_EXTENSION) c.badExtension++;
      else if (r == RTP_ERR_PADDING) c.badPadding++;
      return false;
    }
    if (p.payloadLength > this.config.maxPacketSize) {
      c.tooLarge++;
      return false;
    }
    const cfg = this.config;
    let seq = p.sequenceNumber;
    let payOff = p.payloadOffset;
    let payLen = p.payloadLength;
    let retransmit = false;
    if (cfg.rtxSsrc != 0 && p.ssrc == cfg.rtxSsrc && (cfg.rtxPayloadType < 0 || <i32>p.payloadType == cfg.rtxPayloadType)) {
      // RFC 4588 §4: the first two payload octets are the original sequence number. An RTX
      // packet with nothing after them is padding (bandwidth probing), not media.
      if (payLen < 2) {
        c.rtxMalformed++;
        return false;
      }
      seq = (<u16>buf[payOff] << 8) | <u16>buf[payOff + 1];
      payOff += 2;
      payLen -= 2;
      if (payLen == 0) return false;
      retransmit = true;
      c.rtxReceived++;
    } else {
      if (!this.haveSsrc) {
        this.ssrc = p.ssrc;
        this.haveSsrc = true;
      }
      // Packets from any other SSRC cost one comparison: an SSRC flood cannot allocate state.
      if (p.ssrc != this.ssrc) {
        c.unknownSsrc++;
        return false;
      }
      if (cfg.payloadType >= 0 && <i32>p.payloadType != cfg.payloadType) {
        c.wrongPayloadType++;
        return false;
      }
    }
    if (!this.haveSsrc) return false; // RTX before any media: nothing to attach it to
    const status = this.stats.update(seq);
    if (status == SEQ_PROBATION) {
      c.probation++;
      return false;
    }
    if (status == SEQ_RESYNC) {
      // The sender restarted: the old positions mean nothing now.
      this.jitter.reset();
      this.nacks.reset();
      this.depacketizer.reset();
    }
    const ext = this.stats.lastExtended;
    if (status == SEQ_NEW && !retransmit) this.stats.updateJitter(p.timestamp, now);
    if (this.nextRrAt < 0) this.nextRrAt = now + <i64>cfg.rrIntervalMs;
    c.packets++;
    if (cfg.nack) this.nacks.onPacket(ext, now);
    const payload = buf.subarray(payOff, payOff + payLen);
    if (!this.jitter.insert(ext, p.timestamp, p.marker, payload, now, this.depacketizer)) {
      if (status == SEQ_OLD) c.duplicates++;
    }
    this.jitter.drain(now, this.depacketizer);
    this.checkLoss(now);
    return true;
  }

  // Handles one RTCP datagram from the remote sender: SR (for RR's LSR/DLSR), BYE.
  receiveRtcp(buf: Uint8Array, off: i32, len: i32, now: i64): void {
    const c = this.compound;
    if (c.parse(buf, off, len) < 0) {
      this.counters.rtcpMalformed++;
      return;
    }
    for (let i = 0; i < c.count; i++) {
      const t = c.type(i);
      if (t == RTCP_SR) {
        const sr = SenderReport.parse(buf, c.offset(i), c.length(i));
        if (sr == null) {
          this.counters.rtcpMalformed++;
          continue;
        }
        if (this.haveSsrc && sr.ssrc == this.ssrc) {
          this.counters.srsReceived++;
          this.lastSr = ntpMiddle(sr.ntpTime);
          this.lastSrAt = now;
          this.lastSrNtp = sr.ntpTime;
          this.lastSrRtp = sr.rtpTime;
        }
      } else if (t == RTCP_BYE) {
        const bye = Bye.parse(buf, c.offset(i), c.length(i));
        if (bye == null) {
          this.counters.rtcpMalformed++;
          continue;
        }
        for (let k = 0; k < bye.ssrcs.length; k++) {
          if (this.haveSsrc && bye.ssrcs[k] == this.ssrc) {
            this.byeReceived = true;
            this.counters.byes++;
          }
        }
      }
    }
  }

  // Asks the sender for a keyframe (PLI), at most once per pliMinIntervalMs.
  requestKeyframe(now: i64): void {
    this.pliPending = true;
    this.flushPli(now);
  }

  private flushPli(now: i64): void {
    if (!this.pliPending || !this.haveSsrc) return;
    if (this.lastPliAt != i64.MIN_VALUE && now - this.lastPliAt < <i64>this.config.pliMinIntervalMs) return;
    const list = new Array<RtcpPacket>(0);
    list.push(new Pli(this.config.localSsrc, this.ssrc));
    if (this.out.push(buildCompound(list), true)) {
      this.counters.plisSent++;
      this.lastPliAt = now;
      this.pliPending = false;
    }
  }

  // Frames that could not be completed, or NACKs given up on, mean the decoder needs a keyframe.
  private checkLoss(now: i64): void {
    const dropped = this.depacketizer.counters.framesDropped;
    if (dropped != this.framesDroppedSeen || this.nacks.keyframeNeeded) {
      this.framesDroppedSeen = dropped;
      this.nacks.keyframeNeeded = false;
      this.pliPending = true;
    }
    this.flushPli(now);
  }

  handleTimeout(now: i64): void {
    this.jitter.drain(now, this.depacketizer);
    if (this.config.nack && this.haveSsrc) {
      this.nacks.collect(now, this.nackList);
      if (this.nackList.length > 0) {
        // Reduced-size RTCP (RFC 5506): the NACK goes alone, without waiting for an RR.
        const list = new Array<RtcpPacket>(0);
        list.push(Nack.fromSequence(this.config.localSsrc, this.ssrc, this.nackList));
        if (this.out.push(buildCompound(list), true)) {
          this.counters.nacksSent++;
          this.counters.nackSeqsSent += <u32>this.nackList.length;
        }
      }
    }
    this.checkLoss(now);
    if (this.nextRrAt >= 0 && now >= this.nextRrAt) {
      this.sendReceiverReport(now);
      this.nextRrAt = now + <i64>this.config.rrIntervalMs;
    }
  }

  pollTimeout(): i64 {
    let t = this.nextRrAt;
    const j = this.jitter.nextDeadline();
    if (j >= 0 && (t < 0 || j < t)) t = j;
    if (this.config.nack) {
      const n = this.nacks.nextDue();
      if (n >= 0 && (t < 0 || n < t)) t = n;
    }
    if (this.pliPending && this.lastPliAt != i64.MIN_VALUE) {
      const p = this.lastPliAt + <i64>this.config.pliMinIntervalMs;
      if (t < 0 || p < t) t = p;
    }
    return t;
  }

  // RR + SDES CNAME, about the remote stream.
  sendReceiverReport(now: i64): void {
    const rr = new ReceiverReport();
    rr.ssrc = this.config.localSsrc;
    if (this.haveSsrc && this.stats.initialized) rr.reports.push(this.stats.report(this.ssrc, now, this.lastSr, this.lastSrAt));
    const sdes = new Sdes();
    sdes.chunks.push(new SdesChunk(this.config.localSsrc, Uint8Array.wrap(String.UTF8.encode(this.config.cname))));
    const list = new Array<RtcpPacket>(0);
    list.push(rr);
    list.push(sdes);
    if (this.out.push(buildCompound(list), true)) this.counters.rrsSent++;
  }

  // The next complete frame (Annex B for H.264, the VP8 frame, one Opus/G.711 payload), or null.
  pollFrame(): Frame | null {
    return this.depacketizer.poll();
  }

  // An RTCP datagram to send, or null.
  pollOutput(): Uint8Array | null {
    return this.out.poll();
  }
}
