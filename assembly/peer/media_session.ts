// The media half of one peer connection (RFC 8834 §4, RFC 8829 §5.10): one track per accepted audio
// or video m= section, each with an RtpSender and/or an RtpReceiver; SRTP keyed from DTLS-SRTP
// (RFC 5764 §4.2); incoming RTP demultiplexed by SSRC, then by payload type (RFC 8843 §9.2).
import { randomBytes } from "../crypto/random";
import { SrtpSession } from "../srtp/session";
import { splitKeyingMaterial } from "../srtp/protection_profile";
import { RtpSender, RtpSenderConfig, SENDER_EVENT_KEYFRAME_PLI, SENDER_EVENT_KEYFRAME_FIR, SENDER_EVENT_NONE } from "../rtp/rtp_sender";
import { RtpReceiver, RtpReceiverConfig } from "../rtp/rtp_receiver";
import { Packetizer } from "../rtp/packetizer";
import { Depacketizer } from "../rtp/depacketizer";
import { H264Packetizer } from "../rtp/packetizer_h264";
import { H264Depacketizer } from "../rtp/depacketizer_h264";
import { Vp8Packetizer } from "../rtp/packetizer_vp8";
import { Vp8Depacketizer } from "../rtp/depacketizer_vp8";
import { OpusPacketizer, OpusDepacketizer } from "../rtp/packetizer_opus";
import { G711Packetizer, G711Depacketizer } from "../rtp/packetizer_g711";
import { g711Level } from "../rtp/g711";
import { looksLikeRtcp } from "../rtp/rtcp_header";
import { FB_NACK, MediaKind } from "../sdp/codec";
import { NegotiatedCodec, NegotiatedMedia } from "../sdp/negotiated_media";
import { SessionDescription } from "../sdp/session_description";
import { negotiateOffered } from "../sdp/media_answer";
import { PeerEvent, PeerEventKind, MediaFrameInfo } from "./event";
import { PeerConfig } from "./config";

// Codecs as the ABI numbers them.
export const CODEC_NONE: i32 = 0;
export const CODEC_H264: i32 = 1;
export const CODEC_VP8: i32 = 2;
export const CODEC_OPUS: i32 = 3;
export const CODEC_PCMU: i32 = 4;
export const CODEC_PCMA: i32 = 5;

// media_send_frame's refusals (a packet count >= 0 otherwise).
export const MEDIA_ERR_TRACK: i32 = -1; // no such track, or it does not send
export const MEDIA_ERR_NOT_KEYED: i32 = -2; // SRTP is not up yet (DTLS still handshaking)
export const MEDIA_ERR_DROPPED: i32 = -3; // malformed frame, too many packets, or the send queue is full

// The largest SRTP tag any supported profile appends (AEAD-GCM): RTP packets are sized so the
// protected datagram still fits the MTU.
const SRTP_MAX_TAG: i32 = 16;

export function codecId(c: NegotiatedCodec | null): i32 {
  if (c == null) return CODEC_NONE;
  const n = c.name;
  if (n == "h264") return CODEC_H264;
  if (n == "vp8") return CODEC_VP8;
  if (n == "opus") return CODEC_OPUS;
  if (n == "pcmu") return CODEC_PCMU;
  if (n == "pcma") return CODEC_PCMA;
  return CODEC_NONE;
}

// Bounds of the media half, from PeerConfig.
export class MediaLimits {
  mtu: i32 = 1200;
  // Largest video frame reassembled (preallocated per receiving video track).
  maxVideoFrameSize: i32 = 262144;
  // Sent packets kept for NACKs per sending track.
  historySize: i32 = 128;
}

export class MediaTrackStats {
  framesReceived: u32 = 0;
  bytesReceived: u64 = 0; // RTP payload bytes after SRTP (headers included), as received
  keyframesSent: u32 = 0;
  keyframeRequests: u32 = 0;
  level: i32 = 127; // the last G.711 frame's RMS level in -dBov (127: silence or not measured)
}

export class MediaTrack {
  sender: RtpSender | null = null;
  receiver: RtpReceiver | null = null;
  // The codec the receiver was made for (the peer may switch among the negotiated ones).
  receiveCodec: NegotiatedCodec | null = null;
  localSsrc: u32 = 0;
  stats: MediaTrackStats = new MediaTrackStats();

  constructor(public index: i32, public media: NegotiatedMedia) {}

  get codec(): i32 {
    const s = this.media.send;
    if (s != null) return codecId(s);
    return this.media.receive.length > 0 ? codecId(this.media.receive[0]) : CODEC_NONE;
  }
}

// Session-wide counters: what could not be attributed to a track.
export class MediaCounters {
  notKeyed: u32 = 0; // RTP/RTCP before DTLS-SRTP keys
  srtpFailed: u32 = 0; // failed SRTP unprotect (auth, replay, malformed)
  srtcpFailed: u32 = 0;
  unknownStream: u32 = 0; // no receiving track for its SSRC or payload type
  protectFailed: u32 = 0;
}

export class MediaSession {
  tracks: MediaTrack[] = [];
  counters: MediaCounters = new MediaCounters();
  private local: SrtpSession | null = null;
  private remote: SrtpSession | null = null;
  private events: PeerEvent[] = [];
  private cursor: i32 = 0;

  constructor(media: NegotiatedMedia[], fallbackSsrcs: u32[], public limits: MediaLimits) {
    for (let i = 0; i < media.length; i++) {
      const m = media[i];
      if (!m.accepted) continue;
      const t = new MediaTrack(this.tracks.length, m);
      // A receive-only section has no SSRC of ours in the SDP, but its RTCP (RR, NACK, PLI) needs one.
      t.localSsrc = m.localSsrc != 0 ? m.localSsrc : fallbackSsrcs[m.kind == MediaKind.Audio ? 0 : 1];
      if (m.sending) t.sender = makeSender(m, t.localSsrc, limits);
      this.tracks.push(t);
    }
  }

  get keyed(): bool {
    return this.local != null && this.remote != null;
  }

  // DTLS-SRTP: the exporter output and the negotiated profile (RFC 5764 §4.2). False when unusable.
  setKeys(profile: u16, material: Uint8Array, isClient: bool): bool {
    const k = splitKeyingMaterial(profile, material, isClient);
    if (k == null) return false;
    const l = new SrtpSession(profile, k.localKey, k.localSalt);
    const r = new SrtpSession(profile, k.remoteKey, k.remoteSalt);
    if (!l.ok || !r.ok) return false;
    this.local = l;
    this.remote = r;
    return true;
  }

  track(i: i32): MediaTrack | null {
    return i >= 0 && i < this.tracks.length ? this.tracks[i] : null;
  }

  // One encoded frame (H.264 Annex B access unit, VP8 frame, Opus or G.711 frame) at rtpTimestamp.
  sendFrame(i: i32, frame: Uint8Array, rtpTimestamp: u32, keyframe: bool, now: i64): i32 {
    const t = this.track(i);
    if (t == null || t.sender == null) return MEDIA_ERR_TRACK;
    if (!this.keyed) return MEDIA_ERR_NOT_KEYED;
    const n = t.sender!.sendFrame(frame, rtpTimestamp, now);
    if (n < 0) return MEDIA_ERR_DROPPED;
    if (keyframe) t.stats.keyframesSent++;
    return n;
  }

  // Asks the peer for a keyframe on a receiving track (PLI, rate-limited by the receiver).
  requestKeyframe(i: i32, now: i64): bool {
    const t = this.track(i);
    if (t == null || t.receiver == null) return false;
    t.receiver!.requestKeyframe(now);
    return true;
  }

  // An RTP or RTCP datagram (first byte 128-191); false when dropped. Unprotected in place.
  input(data: Uint8Array, now: i64): bool {
    const local = this.local, remote = this.remote;
    if (local == null || remote == null) {
      this.counters.notKeyed++;
      return false;
    }
    if (looksLikeRtcp(data, 0, data.length)) {
      const n = remote.unprotectRtcp(data, data.length);
      if (n < 0) {
        this.counters.srtcpFailed++;
        return false;
      }
      this.inputRtcp(data, n, now);
      return true;
    }
    const n = remote.unprotectRtp(data, data.length);
    if (n < 12) {
      this.counters.srtpFailed++;
      return false;
    }
    const pt = <i32>(data[1] & 0x7f);
    const ssrc = (<u32>data[8] << 24) | (<u32>data[9] << 16) | (<u32>data[10] << 8) | <u32>data[11];
    const t = this.trackFor(ssrc, pt);
    if (t == null) {
      this.counters.unknownStream++;
      return false;
    }
    const r = this.receiverFor(t, pt, ssrc);
    if (r == null) {
      this.counters.unknownStream++;
      return false;
    }
    const ok = r.receiveRtp(data, 0, n, now);
    if (ok) t.stats.bytesReceived += <u64>n;
    this.drainFrames(t);
    return ok;
  }

  // SSRCs the peer signaled (or the receiver locked on) first; otherwise the payload type names
  // the section, which BUNDLE keeps unique across sections (RFC 8843 §9.2).
  private trackFor(ssrc: u32, pt: i32): MediaTrack | null {
    const ts = this.tracks;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      if (!t.media.receiving) continue;
      const r = t.receiver;
      if (r != null && (r.remoteSsrc == ssrc || r.config.rtxSsrc == ssrc)) return t;
      if (t.media.remoteSsrcs.includes(ssrc) || t.media.remoteRtxSsrcs.includes(ssrc)) return t;
    }
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      if (t.media.receiving && t.media.receiveCodec(pt) != null) return t;
    }
    return null;
  }

  // The track's receiver for this payload type: made on the first packet, remade when the peer
  // switches codec (each codec has its own depacketizer). RTX alone never makes one.
  private receiverFor(t: MediaTrack, pt: i32, ssrc: u32): RtpReceiver | null {
    const codec = t.media.receiveCodec(pt);
    if (codec == null) return null;
    const isRtx = codec.rtxPayloadType == pt && codec.payloadType != pt;
    let r = t.receiver;
    if (isRtx) {
      if (r == null || t.receiveCodec != codec) return null;
      // The peer did not signal its rtx SSRC (no ssrc-group:FID): learn it from the first one.
      if (r.config.rtxSsrc == 0 && ssrc != r.remoteSsrc) r.config.rtxSsrc = ssrc;
      return r;
    }
    if (r == null || t.receiveCodec != codec) {
      r = makeReceiver(t, codec, this.limits);
      t.receiver = r;
      t.receiveCodec = codec;
    }
    return r;
  }

  private inputRtcp(data: Uint8Array, n: i32, now: i64): void {
    const ts = this.tracks;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      const s = t.sender;
      if (s != null) {
        s.receiveRtcp(data, 0, n, now);
        this.drainSenderEvents(t);
      }
      const r = t.receiver;
      if (r != null) r.receiveRtcp(data, 0, n, now);
    }
  }

  private drainSenderEvents(t: MediaTrack): void {
    const s = t.sender!;
    for (let e = s.pollEvent(); e != SENDER_EVENT_NONE; e = s.pollEvent()) {
      // RR and REMB only update the sender's rttMs / lastReport / rembBitrate, read as stats.
      if (e == SENDER_EVENT_KEYFRAME_PLI || e == SENDER_EVENT_KEYFRAME_FIR) {
        t.stats.keyframeRequests++;
        const ev = new PeerEvent(PeerEventKind.KeyframeRequest);
        ev.channel = t.index;
        ev.value = e == SENDER_EVENT_KEYFRAME_PLI ? 1 : 2;
        this.events.push(ev);
      }
    }
  }

  private drainFrames(t: MediaTrack): void {
    const r = t.receiver;
    if (r == null) return;
    const codec = codecId(t.receiveCodec);
    for (let f = r.pollFrame(); f != null; f = r.pollFrame()) {
      t.stats.framesReceived++;
      const info = new MediaFrameInfo();
      info.timestamp = f.timestamp;
      info.keyframe = f.keyframe;
      info.payloadType = t.receiveCodec!.payloadType;
      info.codec = codec;
      // G.711 is cheap to measure here (a table lookup per sample); the device reports it.
      if (codec == CODEC_PCMU || codec == CODEC_PCMA) {
        info.level = g711Level(f.data, codec == CODEC_PCMA);
        t.stats.level = info.level;
      }
      const ev = new PeerEvent(PeerEventKind.MediaFrame);
      ev.channel = t.index;
      ev.value = codec;
      ev.data = f.data;
      ev.media = info;
      this.events.push(ev);
    }
  }

  pollEvent(): PeerEvent | null {
    if (this.events.length == 0) return null;
    return this.events.shift();
  }

  handleTimeout(now: i64): void {
    const ts = this.tracks;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      const s = t.sender;
      if (s != null) {
        const d = s.pollTimeout();
        if (d >= 0 && now >= d) s.handleTimeout(now);
      }
      const r = t.receiver;
      if (r != null) {
        r.handleTimeout(now);
        this.drainFrames(t);
      }
    }
  }

  // The earliest timer of any sender or receiver; i64.MAX_VALUE when none runs.
  nextDeadline(): i64 {
    let d = i64.MAX_VALUE;
    const ts = this.tracks;
    for (let i = 0; i < ts.length; i++) {
      const s = ts[i].sender;
      if (s != null) {
        const x = s.pollTimeout();
        if (x >= 0) d = min(d, x);
      }
      const r = ts[i].receiver;
      if (r != null) {
        const x = r.pollTimeout();
        if (x >= 0) d = min(d, x);
      }
    }
    return d;
  }

  // The next SRTP/SRTCP datagram to send, or null. Tracks take turns so one busy video sender
  // cannot starve the others' RTCP.
  pollTransmit(): Uint8Array | null {
    const local = this.local;
    if (local == null) return null;
    const n = this.tracks.length;
    for (let k = 0; k < 2 * n; k++) {
      const t = this.tracks[this.cursor % n];
      const fromSender = (k & 1) == 0;
      if (!fromSender) this.cursor = (this.cursor + 1) % n;
      let p: Uint8Array | null = null;
      let rtcp = true;
      if (fromSender) {
        const s = t.sender;
        if (s != null) {
          p = s.pollOutput();
          rtcp = s.lastWasRtcp;
        }
      } else {
        const r = t.receiver;
        if (r != null) p = r.pollOutput();
      }
      if (p == null) continue;
      const out = this.protect(local, p, rtcp);
      if (out != null) return out;
      k--; // this queue may hold more: look at it again
    }
    return null;
  }

  private protect(local: SrtpSession, p: Uint8Array, rtcp: bool): Uint8Array | null {
    const buf = new Uint8Array(p.length + (rtcp ? local.rtcpOverhead : local.rtpOverhead));
    buf.set(p);
    const n = rtcp ? local.protectRtcp(buf, p.length) : local.protectRtp(buf, p.length);
    if (n < 0) {
      this.counters.protectFailed++;
      return null;
    }
    return n == buf.length ? buf : buf.subarray(0, n);
  }
}

function randomU16(): u16 {
  const b = randomBytes(2);
  return (<u16>b[0] << 8) | <u16>b[1];
}

function makePacketizer(codec: i32, maxPayload: i32): Packetizer | null {
  if (codec == CODEC_H264) return new H264Packetizer(maxPayload);
  if (codec == CODEC_VP8) return new Vp8Packetizer(maxPayload, randomU16() & 0x7fff);
  if (codec == CODEC_OPUS) return new OpusPacketizer(maxPayload);
  if (codec == CODEC_PCMU || codec == CODEC_PCMA) return new G711Packetizer(maxPayload);
  return null;
}

function makeSender(m: NegotiatedMedia, ssrc: u32, limits: MediaLimits): RtpSender | null {
  const c = m.send!;
  const p = makePacketizer(codecId(c), limits.mtu);
  if (p == null) return null;
  const cfg = new RtpSenderConfig();
  cfg.ssrc = ssrc;
  cfg.payloadType = <u8>c.payloadType;
  cfg.clockRate = c.clockRate;
  cfg.maxPacketSize = limits.mtu - SRTP_MAX_TAG;
  cfg.historySize = m.kind == MediaKind.Audio ? 32 : limits.historySize;
  if (c.rtxPayloadType >= 0 && m.localRtxSsrc != 0) {
    cfg.rtxSsrc = m.localRtxSsrc;
    cfg.rtxPayloadType = <u8>c.rtxPayloadType;
  }
  if (m.cname.length > 0) cfg.cname = m.cname;
  // RFC 3550 §5.1: the initial sequence number is random.
  cfg.initialSequence = randomU16();
  cfg.audio = m.kind == MediaKind.Audio;
  return new RtpSender(cfg, p);
}

function makeDepacketizer(codec: i32, limits: MediaLimits): Depacketizer | null {
  if (codec == CODEC_H264) return new H264Depacketizer(limits.maxVideoFrameSize);
  if (codec == CODEC_VP8) return new Vp8Depacketizer(limits.maxVideoFrameSize);
  if (codec == CODEC_OPUS) return new OpusDepacketizer();
  if (codec == CODEC_PCMU || codec == CODEC_PCMA) return new G711Depacketizer(max(1200, limits.mtu));
  return null;
}

function makeReceiver(t: MediaTrack, c: NegotiatedCodec, limits: MediaLimits): RtpReceiver | null {
  const d = makeDepacketizer(codecId(c), limits);
  if (d == null) return null;
  const m = t.media;
  const cfg = new RtpReceiverConfig();
  cfg.localSsrc = t.localSsrc;
  cfg.remoteSsrc = m.remoteSsrcs.length > 0 ? m.remoteSsrcs[0] : 0;
  cfg.payloadType = c.payloadType;
  cfg.clockRate = c.clockRate;
  if (c.rtxPayloadType >= 0) {
    cfg.rtxPayloadType = c.rtxPayloadType;
    cfg.rtxSsrc = m.remoteRtxSsrcs.length > 0 ? m.remoteRtxSsrcs[0] : 0;
  }
  // Browsers send up to ~1200-byte packets whatever our MTU; a little slack for extensions.
  cfg.maxPacketSize = max(1300, limits.mtu);
  // Audio needs far fewer reorder slots than video (one packet per frame).
  cfg.jitterSlots = m.kind == MediaKind.Audio ? 32 : 128;
  cfg.maxDelayMs = m.kind == MediaKind.Audio ? 200 : 500;
  cfg.nack = (c.feedback & FB_NACK) != 0;
  if (m.cname.length > 0) cfg.cname = m.cname;
  return new RtpReceiver(cfg, d);
}

// Whether a description has an audio or video section (media negotiation applies).
export function hasMediaSection(d: SessionDescription): bool {
  for (let i = 0; i < d.media.length; i++) {
    const k = d.media[i].media;
    if (k == "audio" || k == "video") return true;
  }
  return false;
}

// The section an offer's transport is checked on: its data channel section, else (when we
// answer media) its first audio/video section we can accept; -1 when there is neither, so an
// offer we could only reject entirely is refused at once, with its reason.
export function transportSection(d: SessionDescription, cfg: PeerConfig): i32 {
  const data = d.firstDataChannel();
  if (data >= 0 || !cfg.mediaEnabled) return data;
  for (let i = 0; i < d.media.length; i++) {
    const k = d.media[i].media;
    if ((k == "audio" || k == "video") && negotiateOffered(d, i, cfg.media).accepted) return i;
  }
  return -1;
}

// The media half for what an offer/answer settled, bounded by the peer's configuration.
export function newMediaSession(media: NegotiatedMedia[], cfg: PeerConfig): MediaSession {
  const l = new MediaLimits();
  l.mtu = cfg.mtu;
  l.maxVideoFrameSize = cfg.maxVideoFrameSize;
  l.historySize = cfg.videoHistoryPackets;
  const mc = cfg.media;
  mc.resolve();
  return new MediaSession(media, [mc.audio.ssrc, mc.video.ssrc], l);
}
