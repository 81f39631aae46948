// RFC 3711 §3.3 and §3.4: protecting and unprotecting SRTP and SRTCP packets of one master key.
import { loadBE16, loadBE32 } from "../util/endian";
import {
  isProfileSupported, isAeadProfile, rtpTagLength, rtcpTagLength,
} from "./protection_profile";
import { SessionKeys } from "./key_derivation";
import { SrtpCipher, SRTCP_E_FLAG, SRTCP_INDEX_MASK } from "./cipher";
import { AesCmHmacCipher } from "./aes_cm_hmac";
import { AeadGcmCipher } from "./aead_aes_gcm";
import { SrtpStream } from "./context";
import { REPLAY_OK, REPLAY_DUPLICATE } from "./replay_window";
import { guessRoc, packetIndex, ROC_MAX } from "./packet_index";
import { rtpHeaderLength, looksLikeRtcp, RTP_FIXED_HEADER } from "./rtp_header";

// What the protect/unprotect calls return instead of a length.
export const SRTP_ERR_NOT_KEYED: i32 = -1;   // bad profile or key: the session cannot work
export const SRTP_ERR_MALFORMED: i32 = -2;   // not an RTP/RTCP packet, or too short
export const SRTP_ERR_NO_ROOM: i32 = -3;     // the buffer has no room for the tag and trailer
export const SRTP_ERR_AUTH: i32 = -4;        // the tag did not verify
export const SRTP_ERR_REPLAY: i32 = -5;      // an index already received
export const SRTP_ERR_TOO_OLD: i32 = -6;     // an index behind the replay window
export const SRTP_ERR_STREAM_LIMIT: i32 = -7; // a new SSRC past config.maxStreams
export const SRTP_ERR_EXHAUSTED: i32 = -8;   // ROC or SRTCP index would wrap: rekey

export class SrtpConfig {
  // Replay window in packets (RFC 3711 §3.3.2 asks for at least 64), per SSRC and direction.
  replayWindow: i32 = 64;
  // Per-SSRC contexts created on demand, per direction; past this, packets of new SSRCs are dropped.
  maxStreams: i32 = 16;
  // Encrypt SRTCP (E-flag set). Received SRTCP is accepted either way, as its E-flag says.
  encryptRtcp: bool = true;
}

export class SrtpCounters {
  rtpProtected: u32 = 0;
  rtpUnprotected: u32 = 0;
  rtcpProtected: u32 = 0;
  rtcpUnprotected: u32 = 0;
  malformed: u32 = 0;
  noRoom: u32 = 0;
  authFailed: u32 = 0;
  replayed: u32 = 0;
  tooOld: u32 = 0;
  streamLimit: u32 = 0;
  exhausted: u32 = 0;
}

function makeCipher(profile: u16, keys: SessionKeys): SrtpCipher | null {
  if (isAeadProfile(profile)) {
    const c = new AeadGcmCipher(keys);
    return c.ok ? c : null;
  }
  const c = new AesCmHmacCipher(keys, rtpTagLength(profile));
  return c.ok ? c : null;
}

// One direction's worth of SRTP under one master key and salt: with DTLS-SRTP, one session with
// the local keys protects and another with the remote keys unprotects. Packets are transformed
// in place in the caller's buffer; protect needs room after len for what it appends (rtpOverhead,
// rtcpOverhead). Bad packets never trap: they are counted and an SRTP_ERR_* comes back.
export class SrtpSession {
  readonly counters: SrtpCounters = new SrtpCounters();
  private config: SrtpConfig;
  private cipher: SrtpCipher | null = null;
  private profileId: u16 = 0;
  private outbound: Map<u32, SrtpStream> = new Map();
  private inbound: Map<u32, SrtpStream> = new Map();

  constructor(profile: u16, masterKey: Uint8Array, masterSalt: Uint8Array, config: SrtpConfig = new SrtpConfig()) {
    this.config = config;
    if (isProfileSupported(profile)) {
      this.profileId = profile;
      const keys = SessionKeys.derive(profile, masterKey, masterSalt);
      if (keys != null) {
        this.cipher = makeCipher(profile, keys);
        keys.wipe();
      }
    }
  }

  // A session keyed with session keys directly, skipping §4.3 (RFC 7714's vectors give no master key).
  static withSessionKeys(profile: u16, keys: SessionKeys, config: SrtpConfig = new SrtpConfig()): SrtpSession {
    const s = new SrtpSession(0, new Uint8Array(0), new Uint8Array(0), config);
    if (isProfileSupported(profile)) {
      s.profileId = profile;
      s.cipher = makeCipher(profile, keys);
    }
    return s;
  }

  // The RFC 5764 profile id given, 0 if it is not one this module supports.
  get profile(): u16 {
    return this.profileId;
  }

  get ok(): bool {
    return this.cipher != null;
  }

  // Bytes protectRtp / protectRtcp append.
  get rtpOverhead(): i32 {
    return rtpTagLength(this.profile);
  }

  get rtcpOverhead(): i32 {
    return 4 + rtcpTagLength(this.profile);
  }

  get outboundStreams(): i32 {
    return this.outbound.size;
  }

  get inboundStreams(): i32 {
    return this.inbound.size;
  }

  // Forgets an SSRC's contexts (a BYE, or a stream the application dropped).
  removeStream(ssrc: u32): void {
    if (this.outbound.has(ssrc)) this.outbound.delete(ssrc);
    if (this.inbound.has(ssrc)) this.inbound.delete(ssrc);
  }

  // Sets the next SRTCP index an SSRC sends (tests reproduce published vectors with it).
  setNextRtcpIndex(ssrc: u32, index: u32): bool {
    const s = this.stream(this.outbound, ssrc);
    if (s == null || index > SRTCP_INDEX_MASK) return false;
    s.rtcpIndex = index;
    return true;
  }

  // §3.3: protects the RTP packet buf[0, len) in place; the new length, or an SRTP_ERR_*.
  protectRtp(buf: Uint8Array, len: i32): i32 {
    const cipher = this.cipher;
    if (cipher == null) return SRTP_ERR_NOT_KEYED;
    const hdr = rtpHeaderLength(buf, len);
    if (hdr < 0) return this.fail(SRTP_ERR_MALFORMED);
    const tagLen = cipher.rtpTagLength;
    if (buf.length - len < tagLen) return this.fail(SRTP_ERR_NO_ROOM);
    const p = buf.dataStart;
    const seq = loadBE16(p + 2);
    const ssrc = loadBE32(p + 8);
    const s = this.stream(this.outbound, ssrc);
    if (s == null) return this.fail(SRTP_ERR_STREAM_LIMIT);
    // The sender estimates the index like a receiver would, so resending an older SEQ keeps its ROC.
    let v: i64 = 0;
    if (s.rtpStarted) {
      v = guessRoc(s.roc, s.highestSeq, seq);
      // Before the stream's first packet (a SEQ far behind at ROC 0), or past the last ROC.
      if (v < 0) return this.fail(SRTP_ERR_TOO_OLD);
      if (v > ROC_MAX) return this.fail(SRTP_ERR_EXHAUSTED);
    }
    const roc = <u32>v;
    if (!s.rtpStarted || packetIndex(roc, seq) > packetIndex(s.roc, s.highestSeq)) {
      s.rtpStarted = true;
      s.roc = roc;
      s.highestSeq = seq;
    }
    cipher.protectRtp(buf, hdr, len, ssrc, roc, seq);
    this.counters.rtpProtected++;
    return len + tagLen;
  }

  // §3.3.1-§3.3.2: verifies and decrypts the SRTP packet buf[0, len) in place; the RTP packet's
  // length, or an SRTP_ERR_*. A failed packet changes no state but its counter.
  unprotectRtp(buf: Uint8Array, len: i32): i32 {
    const cipher = this.cipher;
    if (cipher == null) return SRTP_ERR_NOT_KEYED;
    const tagLen = cipher.rtpTagLength;
    if (len < RTP_FIXED_HEADER + tagLen || len > buf.length) return this.fail(SRTP_ERR_MALFORMED);
    const body = len - tagLen;
    const hdr = rtpHeaderLength(buf, body);
    if (hdr < 0) return this.fail(SRTP_ERR_MALFORMED);
    const p = buf.dataStart;
    const seq = loadBE16(p + 2);
    const ssrc = loadBE32(p + 8);
    const known = this.inbound.has(ssrc);
    // A new SSRC's context is made only once a packet authenticates: forged SSRCs cost nothing.
    if (!known && this.inbound.size >= this.config.maxStreams) return this.fail(SRTP_ERR_STREAM_LIMIT);
    let v: i64 = 0;
    let s: SrtpStream | null = null;
    if (known) {
      s = this.inbound.get(ssrc);
      if (s.rtpStarted) v = guessRoc(s.roc, s.highestSeq, seq);
      if (v < 0) return this.fail(SRTP_ERR_TOO_OLD);
      if (v > ROC_MAX) return this.fail(SRTP_ERR_EXHAUSTED);
      const r = s.rtpReplay.check(packetIndex(<u32>v, seq));
      if (r != REPLAY_OK) return this.fail(r == REPLAY_DUPLICATE ? SRTP_ERR_REPLAY : SRTP_ERR_TOO_OLD);
    }
    const roc = <u32>v;
    if (!cipher.unprotectRtp(buf, hdr, body, ssrc, roc, seq)) return this.fail(SRTP_ERR_AUTH);
    if (s == null) {
      s = new SrtpStream(ssrc, this.config.replayWindow);
      this.inbound.set(ssrc, s);
    }
    const index = packetIndex(roc, seq);
    if (!s.rtpStarted || index > packetIndex(s.roc, s.highestSeq)) {
      s.rtpStarted = true;
      s.roc = roc;
      s.highestSeq = seq;
    }
    s.rtpReplay.accept(index);
    this.counters.rtpUnprotected++;
    return body;
  }

  // §3.4: protects the RTCP compound packet buf[0, len) in place; the new length, or an SRTP_ERR_*.
  protectRtcp(buf: Uint8Array, len: i32): i32 {
    const cipher = this.cipher;
    if (cipher == null) return SRTP_ERR_NOT_KEYED;
    if (!looksLikeRtcp(buf, len)) return this.fail(SRTP_ERR_MALFORMED);
    const extra = 4 + cipher.rtcpTagLength;
    if (buf.length - len < extra) return this.fail(SRTP_ERR_NO_ROOM);
    const ssrc = loadBE32(buf.dataStart + 4);
    const s = this.stream(this.outbound, ssrc);
    if (s == null) return this.fail(SRTP_ERR_STREAM_LIMIT);
    const index = s.rtcpIndex;
    // §3.4: a 31-bit index that would wrap means the key must be replaced first.
    if (index > SRTCP_INDEX_MASK) return this.fail(SRTP_ERR_EXHAUSTED);
    s.rtcpIndex = index + 1;
    cipher.protectRtcp(buf, len, ssrc, index, this.config.encryptRtcp);
    this.counters.rtcpProtected++;
    return len + extra;
  }

  // §3.4: verifies and (if its E-flag says so) decrypts the SRTCP packet buf[0, len) in place;
  // the RTCP packet's length, or an SRTP_ERR_*.
  unprotectRtcp(buf: Uint8Array, len: i32): i32 {
    const cipher = this.cipher;
    if (cipher == null) return SRTP_ERR_NOT_KEYED;
    const extra = 4 + cipher.rtcpTagLength;
    if (len < 8 + extra || !looksLikeRtcp(buf, len)) return this.fail(SRTP_ERR_MALFORMED);
    const p = buf.dataStart;
    const word = loadBE32(p + <usize>cipher.rtcpIndexOffset(len));
    const encrypted = (word & SRTCP_E_FLAG) != 0;
    const index = word & SRTCP_INDEX_MASK;
    const ssrc = loadBE32(p + 4);
    const known = this.inbound.has(ssrc);
    if (!known && this.inbound.size >= this.config.maxStreams) return this.fail(SRTP_ERR_STREAM_LIMIT);
    let s: SrtpStream | null = null;
    if (known) {
      s = this.inbound.get(ssrc);
      const r = s.rtcpReplay.check(<u64>index);
      if (r != REPLAY_OK) return this.fail(r == REPLAY_DUPLICATE ? SRTP_ERR_REPLAY : SRTP_ERR_TOO_OLD);
    }
    const body = len - extra;
    if (!cipher.unprotectRtcp(buf, body, ssrc, index, encrypted)) return this.fail(SRTP_ERR_AUTH);
    if (s == null) {
      s = new SrtpStream(ssrc, this.config.replayWindow);
      this.inbound.set(ssrc, s);
    }
    s.rtcpReplay.accept(<u64>index);
    this.counters.rtcpUnprotected++;
    return body;
  }

  // The outbound context of ssrc, made on first use; null past maxStreams.
  private stream(map: Map<u32, SrtpStream>, ssrc: u32): SrtpStream | null {
    if (map.has(ssrc)) return map.get(ssrc);
    if (map.size >= this.config.maxStreams) return null;
    const s = new SrtpStream(ssrc, this.config.replayWindow);
    map.set(ssrc, s);
    return s;
  }

  private fail(code: i32): i32 {
    const c = this.counters;
    switch (code) {
      case SRTP_ERR_MALFORMED: c.malformed++; break;
      case SRTP_ERR_NO_ROOM: c.noRoom++; break;
      case SRTP_ERR_AUTH: c.authFailed++; break;
      case SRTP_ERR_REPLAY: c.replayed++; break;
      case SRTP_ERR_TOO_OLD: c.tooOld++; break;
      case SRTP_ERR_STREAM_LIMIT: c.streamLimit++; break;
      case SRTP_ERR_EXHAUSTED: c.exhausted++; break;
    }
    return code;
  }
}
