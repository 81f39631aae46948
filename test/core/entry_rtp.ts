// Test entry for RTP/RTCP (assembly/rtp): codecs, packetizers, depacketizers, sender and receiver
// behind integer handles. Results go to one output buffer (out_ptr); structured results are JSON.
import { RtpPacket, RtpHeaderFields, buildRtp, RTP_OK } from "../../assembly/rtp/rtp_packet";
import { HeaderExtensions, HeaderExtensionBuilder } from "../../assembly/rtp/header_extension";
import { RtcpCompound, buildCompound } from "../../assembly/rtp/rtcp_compound";
import { RtcpPacket } from "../../assembly/rtp/rtcp_packet";
import { RTCP_SR, RTCP_RR, RTCP_SDES, RTCP_BYE, RTCP_RTPFB, RTCP_PSFB, RTPFB_NACK, PSFB_PLI, PSFB_FIR, PSFB_AFB } from "../../assembly/rtp/rtcp_header";
import { SenderReport } from "../../assembly/rtp/rtcp_sender_report";
import { ReceiverReport, ReportBlock } from "../../assembly/rtp/rtcp_receiver_report";
import { Sdes, SdesChunk } from "../../assembly/rtp/rtcp_sdes";
import { Bye } from "../../assembly/rtp/rtcp_bye";
import { Nack } from "../../assembly/rtp/rtcp_nack";
import { Pli } from "../../assembly/rtp/rtcp_pli";
import { Fir } from "../../assembly/rtp/rtcp_fir";
import { Remb } from "../../assembly/rtp/rtcp_remb";
import { Packetizer, PacketizerOutput } from "../../assembly/rtp/packetizer";
import { Depacketizer, Frame } from "../../assembly/rtp/depacketizer";
import { H264Packetizer } from "../../assembly/rtp/packetizer_h264";
import { H264Depacketizer } from "../../assembly/rtp/depacketizer_h264";
import { NalUnits } from "../../assembly/rtp/h264_annexb";
import { Vp8Packetizer } from "../../assembly/rtp/packetizer_vp8";
import { Vp8Depacketizer } from "../../assembly/rtp/depacketizer_vp8";
import { OpusPacketizer, OpusDepacketizer } from "../../assembly/rtp/packetizer_opus";
import { G711Packetizer, G711Depacketizer } from "../../assembly/rtp/packetizer_g711";
import { ulawEncode, ulawDecode, alawEncode, alawDecode, g711Level } from "../../assembly/rtp/g711";
import { RtpSender, RtpSenderConfig } from "../../assembly/rtp/rtp_sender";
import { RtpReceiver, RtpReceiverConfig } from "../../assembly/rtp/rtp_receiver";
import { bytesAt } from "./entry_common";
// Links coreAbort (the abort handler the build names) into this entry.
import "../../assembly/imports";
export { mem_alloc, mem_free } from "./entry_common";

let out: Uint8Array = new Uint8Array(0);

export function out_ptr(): usize {
  return out.dataStart;
}

function emit(b: Uint8Array): i32 {
  out = b;
  return b.length;
}

function emitStr(s: string): i32 {
  return emit(Uint8Array.wrap(String.UTF8.encode(s)));
}

function hex(b: Uint8Array): string {
  const d = "0123456789abcdef";
  let s = "";
  for (let i = 0; i < b.length; i++) s += d.charAt(b[i] >> 4) + d.charAt(b[i] & 15);
  return '"' + s + '"';
}

function u(v: u64): string {
  return v.toString();
}

function b(v: bool): string {
  return v ? "true" : "false";
}

// ---- RTP packet ----

const pkt = new RtpPacket();
const exts = new HeaderExtensions();
const extBuilder = new HeaderExtensionBuilder();

export function rtp_parse(ptr: usize, len: i32): i32 {
  const buf = bytesAt(ptr, len);
  const r = pkt.parse(buf);
  if (r != RTP_OK) return emitStr('{"err":' + r.toString() + "}");
  let csrcs = "[";
  for (let i = 0; i < pkt.csrcCount; i++) csrcs += (i ? "," : "") + u(pkt.csrcs[i]);
  csrcs += "]";
  let e = "[";
  let extOk = true;
  if (pkt.extension) {
    extOk = exts.parse(pkt.extProfile, buf, pkt.extOffset, pkt.extLength);
    for (let k = 0; extOk && k < exts.count; k++) e += (k ? "," : "") + "[" + exts.ids[k].toString() + "," + hex(exts.value(k)) + "]";
  }
  e += "]";
  return emitStr('{"err":0,"marker":' + b(pkt.marker) + ',"pt":' + pkt.payloadType.toString() + ',"seq":' + pkt.sequenceNumber.toString() +
    ',"ts":' + u(pkt.timestamp) + ',"ssrc":' + u(pkt.ssrc) + ',"csrcs":' + csrcs + ',"extension":' + b(pkt.extension) +
    ',"extProfile":' + pkt.extProfile.toString() + ',"extOk":' + b(extOk) + ',"ext":' + e + ',"padding":' + pkt.paddingLength.toString() +
    ',"payload":' + hex(pkt.payload()) + "}");
}

export function ext_clear(): void {
  extBuilder.clear();
}

export function ext_add(id: i32, ptr: usize, len: i32): i32 {
  return extBuilder.add(<u8>id, bytesAt(ptr, len)) ? 1 : 0;
}

// csrcs: count u32 little-endian values at csrcPtr. The extension block is the builder's when
// it has elements; rawExtProfile != 0 instead uses raw bytes at rawExtPtr.
export function rtp_build(pt: i32, marker: i32, seq: i32, ts: u32, ssrc: u32, csrcPtr: usize, csrcCount: i32,
  payPtr: usize, payLen: i32, padding: i32): i32 {
  const f = new RtpHeaderFields();
  f.payloadType = <u8>pt;
  f.marker = marker != 0;
  f.sequenceNumber = <u16>seq;
  f.timestamp = ts;
  f.ssrc = ssrc;
  for (let i = 0; i < csrcCount; i++) f.csrcs.push(load<u32>(csrcPtr + <usize>(i * 4)));
  if (extBuilder.ids.length > 0) {
    f.extProfile = extBuilder.profile();
    f.extData = extBuilder.build();
  }
  f.padding = padding;
  return emit(buildRtp(f, bytesAt(payPtr, payLen)));
}

// ---- RTCP ----

const rtcpList = new Array<RtcpPacket>(0);

export function rtcp_begin(): void {
  rtcpList.length = 0;
}

export function rtcp_add_sr(ssrc: u32, ntpHi: u32, ntpLo: u32, rtpTs: u32, pc: u32, oc: u32): void {
  const sr = new SenderReport();
  sr.ssrc = ssrc;
  sr.ntpTime = ((<u64>ntpHi) << 32) | <u64>ntpLo;
  sr.rtpTime = rtpTs;
  sr.packetCount = pc;
  sr.octetCount = oc;
  rtcpList.push(sr);
}

export function rtcp_add_rr(ssrc: u32): void {
  const rr = new ReceiverReport();
  rr.ssrc = ssrc;
  rtcpList.push(rr);
}

// Appends a report block to the last SR or RR.
export function rtcp_add_report(ssrc: u32, fraction: i32, cumLost: i32, ehs: u32, jitter: u32, lsr: u32, dlsr: u32): void {
  const rb = new ReportBlock();
  rb.ssrc = ssrc;
  rb.fractionLost = <u8>fraction;
  rb.cumulativeLost = cumLost;
  rb.extendedHighestSeq = ehs;
  rb.jitter = jitter;
  rb.lastSr = lsr;
  rb.delaySinceLastSr = dlsr;
  const last = rtcpList[rtcpList.length - 1];
  if (last instanceof SenderReport) (<SenderReport>last).reports.push(rb);
  else if (last instanceof ReceiverReport) (<ReceiverReport>last).reports.push(rb);
}

export function rtcp_add_sdes(ssrc: u32, ptr: usize, len: i32): void {
  const s = new Sdes();
  s.chunks.push(new SdesChunk(ssrc, bytesAt(ptr, len)));
  rtcpList.push(s);
}

export function rtcp_add_bye(ssrc: u32, ptr: usize, len: i32): void {
  const y = new Bye();
  y.ssrcs.push(ssrc);
  y.reason = bytesAt(ptr, len);
  rtcpList.push(y);
}

// seqs: count u16 little-endian values.
export function rtcp_add_nack(sender: u32, media: u32, ptr: usize, count: i32): void {
  const seqs = new Array<u16>(0);
  for (let i = 0; i < count; i++) seqs.push(load<u16>(ptr + <usize>(i * 2)));
  rtcpList.push(Nack.fromSequence(sender, media, seqs));
}

export function rtcp_add_pli(sender: u32, media: u32): void {
  rtcpList.push(new Pli(sender, media));
}

export function rtcp_add_fir(sender: u32, target: u32, seqNr: i32): void {
  const f = new Fir();
  f.senderSsrc = sender;
  f.add(target, <u8>seqNr);
  rtcpList.push(f);
}

export function rtcp_add_remb(sender: u32, bitrate: f64, ptr: usize, count: i32): void {
  const r = new Remb();
  r.senderSsrc = sender;
  r.bitrate = <u64>bitrate;
  for (let i = 0; i < count; i++) r.ssrcs.push(load<u32>(ptr + <usize>(i * 4)));
  rtcpList.push(r);
}

export function rtcp_finish(): i32 {
  return emit(buildCompound(rtcpList));
}

function blocksJson(rs: ReportBlock[]): string {
  let s = "[";
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i];
    s += (i ? "," : "") + '{"ssrc":' + u(r.ssrc) + ',"fractionLost":' + r.fractionLost.toString() + ',"cumulativeLost":' +
      r.cumulativeLost.toString() + ',"extendedHighestSeq":' + u(r.extendedHighestSeq) + ',"jitter":' + u(r.jitter) +
      ',"lastSr":' + u(r.lastSr) + ',"delaySinceLastSr":' + u(r.delaySinceLastSr) + "}";
  }
  return s + "]";
}

const compound = new RtcpCompound();

export function rtcp_parse(ptr: usize, len: i32): i32 {
  const buf = bytesAt(ptr, len);
  const n = compound.parse(buf);
  if (n < 0) return emitStr('{"err":' + n.toString() + "}");
  let s = '{"err":0,"reducedSize":' + b(compound.reducedSize) + ',"packets":[';
  for (let i = 0; i < n; i++) {
    const t = compound.type(i), fmt = compound.format(i), o = compound.offset(i), l = compound.length(i);
    s += (i ? "," : "") + '{"type":' + t.toString() + ',"fmt":' + fmt.toString();
    if (t == RTCP_SR) {
      const sr = SenderReport.parse(buf, o, l);
      if (sr == null) s += ',"bad":true';
      else s += ',"ssrc":' + u(sr.ssrc) + ',"ntp":"' + u(sr.ntpTime) + '","rtpTime":' + u(sr.rtpTime) + ',"packetCount":' +
        u(sr.packetCount) + ',"octetCount":' + u(sr.octetCount) + ',"reports":' + blocksJson(sr.reports);
    } else if (t == RTCP_RR) {
      const rr = ReceiverReport.parse(buf, o, l);
      if (rr == null) s += ',"bad":true';
      else s += ',"ssrc":' + u(rr.ssrc) + ',"reports":' + blocksJson(rr.reports);
    } else if (t == RTCP_SDES) {
      const sd = Sdes.parse(buf, o, l);
      if (sd == null) s += ',"bad":true';
      else {
        s += ',"chunks":[';
        for (let k = 0; k < sd.chunks.length; k++) s += (k ? "," : "") + '{"ssrc":' + u(sd.chunks[k].ssrc) + ',"cname":' + hex(sd.chunks[k].cname) + "}";
        s += "]";
      }
    } else if (t == RTCP_BYE) {
      const y = Bye.parse(buf, o, l);
      if (y == null) s += ',"bad":true';
      else {
        s += ',"ssrcs":[';
        for (let k = 0; k < y.ssrcs.length; k++) s += (k ? "," : "") + u(y.ssrcs[k]);
        s += '],"reason":' + hex(y.reason);
      }
    } else if (t == RTCP_RTPFB && fmt == RTPFB_NACK) {
      const nk = Nack.parse(buf, o, l);
      if (nk == null) s += ',"bad":true';
      else {
        s += ',"sender":' + u(nk.senderSsrc) + ',"media":' + u(nk.mediaSsrc) + ',"fci":[';
        for (let k = 0; k < nk.pids.length; k++) s += (k ? "," : "") + "[" + nk.pids[k].toString() + "," + nk.blps[k].toString() + "]";
        s += "]";
      }
    } else if (t == RTCP_PSFB && fmt == PSFB_PLI) {
      const p = Pli.parse(buf, o, l);
      if (p == null) s += ',"bad":true';
      else s += ',"sender":' + u(p.senderSsrc) + ',"media":' + u(p.mediaSsrc);
    } else if (t == RTCP_PSFB && fmt == PSFB_FIR) {
      const f = Fir.parse(buf, o, l);
      if (f == null) s += ',"bad":true';
      else {
        s += ',"sender":' + u(f.senderSsrc) + ',"entries":[';
        for (let k = 0; k < f.ssrcs.length; k++) s += (k ? "," : "") + "[" + u(f.ssrcs[k]) + "," + f.seqNrs[k].toString() + "]";
        s += "]";
      }
    } else if (t == RTCP_PSFB && fmt == PSFB_AFB) {
      const r = Remb.parse(buf, o, l);
      if (r == null) s += ',"remb":false';
      else {
        s += ',"remb":true,"sender":' + u(r.senderSsrc) + ',"bitrate":' + u(r.bitrate) + ',"ssrcs":[';
        for (let k = 0; k < r.ssrcs.length; k++) s += (k ? "," : "") + u(r.ssrcs[k]);
        s += "]";
      }
    }
    s += "}";
  }
  return emitStr(s + "]}");
}

// ---- Annex B ----

const nals = new NalUnits(256);

// JSON [[offset, length], ...] of the NAL units.
export function annexb_split(ptr: usize, len: i32): i32 {
  const n = nals.split(bytesAt(ptr, len));
  let s = "[";
  for (let i = 0; i < n; i++) s += (i ? "," : "") + "[" + nals.offset(i).toString() + "," + nals.length(i).toString() + "]";
  return emitStr(s + "]");
}

// ---- Packetizers and depacketizers: kind 0 H.264, 1 VP8, 2 Opus, 3 G.711 ----

const packetizers = new Array<Packetizer>(0);
const pkOut = new Array<PacketizerOutput>(0);
const depacketizers = new Array<Depacketizer>(0);
let lastFrame: Frame | null = null;

function newPacketizer(kind: i32, maxPayload: i32, param: i32): Packetizer {
  if (kind == 0) return new H264Packetizer(maxPayload);
  if (kind == 1) return new Vp8Packetizer(maxPayload, <u16>param);
  if (kind == 2) return new OpusPacketizer(maxPayload);
  return new G711Packetizer(maxPayload, param > 0 ? param : 160);
}

function newDepacketizer(kind: i32, maxFrame: i32): Depacketizer {
  if (kind == 0) return new H264Depacketizer(maxFrame, 8);
  if (kind == 1) return new Vp8Depacketizer(maxFrame, 8);
  if (kind == 2) return new OpusDepacketizer(maxFrame, 8);
  return new G711Depacketizer(maxFrame, 8);
}

export function pk_new(kind: i32, maxPayload: i32, param: i32, maxPackets: i32): i32 {
  packetizers.push(newPacketizer(kind, maxPayload, param));
  pkOut.push(new PacketizerOutput(maxPackets));
  return packetizers.length - 1;
}

// Packet count, or -1 when the frame was refused.
export function pk_packetize(h: i32, ptr: usize, len: i32): i32 {
  return packetizers[h].packetize(bytesAt(ptr, len), pkOut[h]) ? pkOut[h].count : -1;
}

export function pk_get(h: i32, i: i32): i32 {
  return emit(pkOut[h].payloads[i]);
}

export function pk_marker(h: i32, i: i32): i32 {
  return pkOut[h].markers[i] ? 1 : 0;
}

export function pk_tsoff(h: i32, i: i32): u32 {
  return pkOut[h].tsOffsets[i];
}

export function pk_keyframe(h: i32): i32 {
  return packetizers[h].lastWasKeyframe ? 1 : 0;
}

export function dp_new(kind: i32, maxFrame: i32): i32 {
  depacketizers.push(newDepacketizer(kind, maxFrame));
  return depacketizers.length - 1;
}

export function dp_push(h: i32, ptr: usize, len: i32, seq: i32, ts: u32, marker: i32): i32 {
  return depacketizers[h].push(bytesAt(ptr, len), <u16>seq, ts, marker != 0) ? 1 : 0;
}

// Frame length (frame in out), or -1; then frame_ts / frame_key.
export function dp_poll(h: i32): i32 {
  const f = depacketizers[h].poll();
  lastFrame = f;
  return f == null ? -1 : emit(f.data);
}

export function frame_ts(): u32 {
  return lastFrame == null ? 0 : lastFrame!.timestamp;
}

export function frame_key(): i32 {
  return lastFrame != null && lastFrame!.keyframe ? 1 : 0;
}

export function dp_counters(h: i32): i32 {
  const c = depacketizers[h].counters;
  return emitStr('{"frames":' + u(c.frames) + ',"framesDropped":' + u(c.framesDropped) + ',"malformed":' + u(c.malformed) +
    ',"oversize":' + u(c.oversize) + ',"late":' + u(c.late) + ',"queueFull":' + u(c.queueFull) + "}");
}

// ---- G.711: samples are i16 little-endian ----

export function g711_encode(alaw: i32, ptr: usize, n: i32): i32 {
  const o = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = load<i16>(ptr + <usize>(i * 2));
    o[i] = alaw ? alawEncode(s) : ulawEncode(s);
  }
  return emit(o);
}

export function g711_decode(alaw: i32, ptr: usize, n: i32): i32 {
  const o = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) {
    const c = load<u8>(ptr + <usize>i);
    store<i16>(o.dataStart + <usize>(i * 2), alaw ? alawDecode(c) : ulawDecode(c));
  }
  return emit(o);
}

export function g711_level(alaw: i32, ptr: usize, n: i32): i32 {
  return g711Level(bytesAt(ptr, n), alaw != 0);
}

// ---- Sender ----

const senders = new Array<RtpSender>(0);

export function tx_new(kind: i32, ssrc: u32, pt: i32, clockRate: u32, maxPacket: i32, history: i32, rtxSsrc: u32, rtxPt: i32,
  srIntervalMs: i32, maxResendsPerNack: i32, maxQueue: i32): i32 {
  const c = new RtpSenderConfig();
  c.ssrc = ssrc;
  c.payloadType = <u8>pt;
  c.clockRate = clockRate;
  c.maxPacketSize = maxPacket;
  c.historySize = history;
  c.rtxSsrc = rtxSsrc;
  c.rtxPayloadType = <u8>rtxPt;
  c.srIntervalMs = srIntervalMs;
  c.maxResendsPerNack = maxResendsPerNack;
  c.maxQueue = maxQueue;
  c.audio = kind >= 2;
  c.cname = "sender-cname";
  senders.push(new RtpSender(c, newPacketizer(kind, maxPacket, 0)));
  return senders.length - 1;
}

export function tx_set_wallclock(h: i32, offsetMs: f64): void {
  senders[h].wallClockOffsetMs = <i64>offsetMs;
}

export function tx_send(h: i32, ptr: usize, len: i32, ts: u32, now: f64): i32 {
  return senders[h].sendFrame(bytesAt(ptr, len), ts, <i64>now);
}

// Datagram length (in out) or -1; tx_last_rtcp says whether it was RTCP.
export function tx_poll(h: i32): i32 {
  const p = senders[h].pollOutput();
  return p == null ? -1 : emit(p);
}

export function tx_last_rtcp(h: i32): i32 {
  return senders[h].lastWasRtcp ? 1 : 0;
}

export function tx_rtcp(h: i32, ptr: usize, len: i32, now: f64): void {
  senders[h].receiveRtcp(bytesAt(ptr, len), 0, len, <i64>now);
}

export function tx_timeout(h: i32, now: f64): void {
  senders[h].handleTimeout(<i64>now);
}

export function tx_next(h: i32): f64 {
  return <f64>senders[h].pollTimeout();
}

export function tx_event(h: i32): i32 {
  return senders[h].pollEvent();
}

export function tx_counters(h: i32): i32 {
  const s = senders[h];
  const c = s.counters;
  return emitStr('{"packetsSent":' + u(c.packetsSent) + ',"octetsSent":' + u(c.octetsSent) + ',"framesSent":' + u(c.framesSent) +
    ',"framesDropped":' + u(c.framesDropped) + ',"retransmitted":' + u(c.retransmitted) + ',"nacksReceived":' + u(c.nacksReceived) +
    ',"nackSeqsRequested":' + u(c.nackSeqsRequested) + ',"nackSeqsIgnored":' + u(c.nackSeqsIgnored) + ',"plisReceived":' +
    u(c.plisReceived) + ',"firsReceived":' + u(c.firsReceived) + ',"srsSent":' + u(c.srsSent) + ',"rtcpMalformed":' +
    u(c.rtcpMalformed) + ',"rttMs":' + s.rttMs.toString() + ',"rembBitrate":' + u(s.rembBitrate) + ',"sequence":' + s.sequence.toString() + "}");
}

// ---- Receiver ----

const receivers = new Array<RtpReceiver>(0);

export function rx_new(kind: i32, localSsrc: u32, remoteSsrc: u32, pt: i32, clockRate: u32, rtxSsrc: u32, rtxPt: i32,
  jitterSlots: i32, maxDelayMs: i32, nack: i32, nackRetryMs: i32, nackMaxRetries: i32, nackCapacity: i32, maxFrame: i32): i32 {
  const c = new RtpReceiverConfig();
  c.localSsrc = localSsrc;
  c.remoteSsrc = remoteSsrc;
  c.payloadType = pt;
  c.clockRate = clockRate;
  c.rtxSsrc = rtxSsrc;
  c.rtxPayloadType = rtxPt;
  c.jitterSlots = jitterSlots;
  c.maxDelayMs = maxDelayMs;
  c.nack = nack != 0;
  c.nackRetryMs = nackRetryMs;
  c.nackMaxRetries = nackMaxRetries;
  c.nackCapacity = nackCapacity;
  c.maxFrames = 8;
  c.cname = "receiver-cname";
  receivers.push(new RtpReceiver(c, newDepacketizer(kind, maxFrame)));
  return receivers.length - 1;
}

export function rx_rtp(h: i32, ptr: usize, len: i32, now: f64): i32 {
  return receivers[h].receiveRtp(bytesAt(ptr, len), 0, len, <i64>now) ? 1 : 0;
}

export function rx_rtcp(h: i32, ptr: usize, len: i32, now: f64): void {
  receivers[h].receiveRtcp(bytesAt(ptr, len), 0, len, <i64>now);
}

export function rx_timeout(h: i32, now: f64): void {
  receivers[h].handleTimeout(<i64>now);
}

export function rx_next(h: i32): f64 {
  return <f64>receivers[h].pollTimeout();
}

export function rx_request_keyframe(h: i32, now: f64): void {
  receivers[h].requestKeyframe(<i64>now);
}

export function rx_poll_frame(h: i32): i32 {
  const f = receivers[h].pollFrame();
  lastFrame = f;
  return f == null ? -1 : emit(f.data);
}

export function rx_poll(h: i32): i32 {
  const p = receivers[h].pollOutput();
  return p == null ? -1 : emit(p);
}

export function rx_counters(h: i32): i32 {
  const r = receivers[h];
  const c = r.counters;
  const s = r.stats;
  const j = r.jitter.counters;
  const d = r.depacketizer.counters;
  return emitStr('{"packets":' + u(c.packets) + ',"duplicates":' + u(c.duplicates) + ',"short":' + u(c.short) + ',"badVersion":' +
    u(c.badVersion) + ',"badExtension":' + u(c.badExtension) + ',"badPadding":' + u(c.badPadding) + ',"unknownSsrc":' +
    u(c.unknownSsrc) + ',"wrongPayloadType":' + u(c.wrongPayloadType) + ',"tooLarge":' + u(c.tooLarge) + ',"probation":' +
    u(c.probation) + ',"rtxReceived":' + u(c.rtxReceived) + ',"nacksSent":' + u(c.nacksSent) + ',"nackSeqsSent":' +
    u(c.nackSeqsSent) + ',"plisSent":' + u(c.plisSent) + ',"rrsSent":' + u(c.rrsSent) + ',"srsReceived":' + u(c.srsReceived) +
    ',"byes":' + u(c.byes) + ',"rtcpMalformed":' + u(c.rtcpMalformed) + ',"received":' + u(s.received) + ',"expected":' +
    s.expected.toString() + ',"cumulativeLost":' + s.cumulativeLost.toString() + ',"jitter":' + u(s.jitter) +
    ',"extendedMax":' + u(s.extendedMax) + ',"nackPending":' + r.nacks.pending.toString() + ',"nackGaveUp":' + u(r.nacks.gaveUp) +
    ',"nackOverflows":' + u(r.nacks.overflows) + ',"nackRecovered":' + u(r.nacks.recovered) + ',"jbSkipped":' + u(j.skipped) +
    ',"jbLate":' + u(j.late) + ',"jbDuplicates":' + u(j.duplicates) + ',"jbHeld":' + r.jitter.length.toString() +
    ',"frames":' + u(d.frames) + ',"framesDropped":' + u(d.framesDropped) + ',"malformed":' + u(d.malformed) +
    ',"remoteSsrc":' + u(r.remoteSsrc) + ',"bye":' + b(r.byeReceived) + "}");
}
