// Test entry for SRTP/SRTCP (assembly/srtp): sessions live behind integer handles; packets are
// copied into a buffer of the caller's stated capacity, transformed in place and copied back.
import { SrtpSession, SrtpConfig, SrtpCounters } from "../../assembly/srtp/session";
import { SessionKeys, deriveSessionKey } from "../../assembly/srtp/key_derivation";
import { splitKeyingMaterial } from "../../assembly/srtp/protection_profile";
import { ReplayWindow } from "../../assembly/srtp/replay_window";
import { guessRoc } from "../../assembly/srtp/packet_index";
import { rtpHeaderLength } from "../../assembly/srtp/rtp_header";
import { AesCtr } from "../../assembly/crypto/aes_ctr";
import { bytesAt, writeAt } from "./entry_common";
export { mem_alloc, mem_free } from "./entry_common";

const sessions = new Array<SrtpSession>();
const windows = new Array<ReplayWindow>();

function config(replayWindow: i32, maxStreams: i32, encryptRtcp: i32): SrtpConfig {
  const c = new SrtpConfig();
  if (replayWindow > 0) c.replayWindow = replayWindow;
  if (maxStreams > 0) c.maxStreams = maxStreams;
  c.encryptRtcp = encryptRtcp != 0;
  return c;
}

// A session from a master key and salt; the handle, whether or not it is keyed (see srtp_ok).
export function srtp_new(profile: i32, key: usize, keyLen: i32, salt: usize, saltLen: i32,
  replayWindow: i32, maxStreams: i32, encryptRtcp: i32): i32 {
  sessions.push(new SrtpSession(<u16>profile, bytesAt(key, keyLen), bytesAt(salt, saltLen),
    config(replayWindow, maxStreams, encryptRtcp)));
  return sessions.length - 1;
}

// A session from session keys (the same key and salt for SRTP and SRTCP, no auth key: AEAD only).
export function srtp_new_session_keys(profile: i32, key: usize, keyLen: i32, salt: usize, saltLen: i32,
  encryptRtcp: i32): i32 {
  const k = bytesAt(key, keyLen), s = bytesAt(salt, saltLen), none = new Uint8Array(0);
  const keys = new SessionKeys(k, s, none, k.slice(0), s.slice(0), none);
  sessions.push(SrtpSession.withSessionKeys(<u16>profile, keys, config(0, 0, encryptRtcp)));
  return sessions.length - 1;
}

export function srtp_ok(h: i32): i32 {
  return sessions[h].ok ? 1 : 0;
}

export function srtp_overhead(h: i32, rtcp: i32): i32 {
  return rtcp != 0 ? sessions[h].rtcpOverhead : sessions[h].rtpOverhead;
}

// op: 0 protectRtp, 1 unprotectRtp, 2 protectRtcp, 3 unprotectRtcp. buf holds cap bytes, of
// which the first len are the packet; all cap bytes are copied back.
export function srtp_op(h: i32, op: i32, buf: usize, len: i32, cap: i32): i32 {
  const b = bytesAt(buf, cap);
  const s = sessions[h];
  let r = 0;
  if (op == 0) r = s.protectRtp(b, len);
  else if (op == 1) r = s.unprotectRtp(b, len);
  else if (op == 2) r = s.protectRtcp(b, len);
  else r = s.unprotectRtcp(b, len);
  writeAt(buf, b);
  return r;
}

// The same operation on a buffer of exactly len bytes that the core sees as larger: checks that
// nothing is read or written outside [0, cap) when cap < len (the caller passes a lying len).
export function srtp_op_len(h: i32, op: i32, buf: usize, bufLen: i32, len: i32): i32 {
  const b = bytesAt(buf, bufLen);
  const s = sessions[h];
  if (op == 0) return s.protectRtp(b, len);
  if (op == 1) return s.unprotectRtp(b, len);
  if (op == 2) return s.protectRtcp(b, len);
  return s.unprotectRtcp(b, len);
}

// Counters in declaration order of SrtpCounters.
export function srtp_counter(h: i32, which: i32): u32 {
  const c: SrtpCounters = sessions[h].counters;
  switch (which) {
    case 0: return c.rtpProtected;
    case 1: return c.rtpUnprotected;
    case 2: return c.rtcpProtected;
    case 3: return c.rtcpUnprotected;
    case 4: return c.malformed;
    case 5: return c.noRoom;
    case 6: return c.authFailed;
    case 7: return c.replayed;
    case 8: return c.tooOld;
    case 9: return c.streamLimit;
    case 10: return c.exhausted;
  }
  return 0xFFFFFFFF;
}

export function srtp_streams(h: i32, inbound: i32): i32 {
  return inbound != 0 ? sessions[h].inboundStreams : sessions[h].outboundStreams;
}

export function srtp_set_rtcp_index(h: i32, ssrc: u32, index: u32): i32 {
  return sessions[h].setNextRtcpIndex(ssrc, index) ? 1 : 0;
}

export function srtp_remove_stream(h: i32, ssrc: u32): void {
  sessions[h].removeStream(ssrc);
}

// RFC 3711 §4.3 for one label, into out[0, outLen).
export function srtp_kdf(key: usize, keyLen: i32, salt: usize, saltLen: i32, label: i32, out: usize, outLen: i32): i32 {
  const o = new Uint8Array(outLen);
  const ok = deriveSessionKey(new AesCtr(bytesAt(key, keyLen)), bytesAt(salt, saltLen), <u8>label, o);
  writeAt(out, o);
  return ok ? 1 : 0;
}

// Splits exporter output; out receives localKey|localSalt|remoteKey|remoteSalt. 1 on success.
export function srtp_split(profile: i32, material: usize, len: i32, isClient: i32, out: usize): i32 {
  const k = splitKeyingMaterial(<u16>profile, bytesAt(material, len), isClient != 0);
  if (k == null) return 0;
  let at = out;
  writeAt(at, k.localKey); at += <usize>k.localKey.length;
  writeAt(at, k.localSalt); at += <usize>k.localSalt.length;
  writeAt(at, k.remoteKey); at += <usize>k.remoteKey.length;
  writeAt(at, k.remoteSalt);
  return 1;
}

export function window_new(size: i32): i32 {
  windows.push(new ReplayWindow(size));
  return windows.length - 1;
}

export function window_check(h: i32, index: u64): i32 {
  return windows[h].check(index);
}

export function window_accept(h: i32, index: u64): void {
  windows[h].accept(index);
}

export function guess_roc(roc: u32, sl: u32, seq: u32): i64 {
  return guessRoc(roc, <u16>sl, <u16>seq);
}

export function rtp_header_length(buf: usize, len: i32): i32 {
  return rtpHeaderLength(bytesAt(buf, len), len);
}
