// The typed side of test/core/entry_srtp.ts for the SRTP suites: sessions by handle, packets in
// and out of the core's memory, counters by name.
import { loadEntry, type Entry } from "../entry.js";
import type { Provider } from "../../../host/core.js";

export const PROFILES = {
  AES128_CM_HMAC_SHA1_80: 0x0001,
  AES128_CM_HMAC_SHA1_32: 0x0002,
  AEAD_AES_128_GCM: 0x0007,
  AEAD_AES_256_GCM: 0x0008,
} as const;

export const PROFILE_LIST = Object.entries(PROFILES).map(([name, id]) => ({ name, id }));

// Master key and salt lengths, RFC 5764 §4.1.2 and RFC 7714 §12.
export function keyLengths(profile: number): { key: number; salt: number } {
  if (profile === 1 || profile === 2) return { key: 16, salt: 14 };
  if (profile === 7) return { key: 16, salt: 12 };
  return { key: 32, salt: 12 };
}

export const ERR = {
  NOT_KEYED: -1, MALFORMED: -2, NO_ROOM: -3, AUTH: -4, REPLAY: -5, TOO_OLD: -6, STREAM_LIMIT: -7, EXHAUSTED: -8,
} as const;

const COUNTERS = ["rtpProtected", "rtpUnprotected", "rtcpProtected", "rtcpUnprotected", "malformed", "noRoom",
  "authFailed", "replayed", "tooOld", "streamLimit", "exhausted"] as const;
export type Counters = Record<(typeof COUNTERS)[number], number>;

export const OP = { PROTECT_RTP: 0, UNPROTECT_RTP: 1, PROTECT_RTCP: 2, UNPROTECT_RTCP: 3 } as const;

export interface SessionOptions { replayWindow?: number; maxStreams?: number; encryptRtcp?: boolean }

export class SrtpEntry {
  e: Entry;
  constructor(public provider: Provider) {
    this.e = loadEntry("entry_srtp", provider);
  }

  session(profile: number, key: Uint8Array, salt: Uint8Array, o: SessionOptions = {}): number {
    const { e } = this;
    const pk = e.put(key), ps = e.put(salt);
    const h = e.x.srtp_new(profile, pk, key.length, ps, salt.length, o.replayWindow ?? 0, o.maxStreams ?? 0,
      o.encryptRtcp === false ? 0 : 1);
    e.free(pk, ps);
    return h;
  }

  // RFC 7714's vectors give session keys; SRTP and SRTCP share them there.
  sessionWithSessionKeys(profile: number, key: Uint8Array, salt: Uint8Array, encryptRtcp = true): number {
    const { e } = this;
    const pk = e.put(key), ps = e.put(salt);
    const h = e.x.srtp_new_session_keys(profile, pk, key.length, ps, salt.length, encryptRtcp ? 1 : 0);
    e.free(pk, ps);
    return h;
  }

  ok(h: number): boolean {
    return this.e.x.srtp_ok(h) === 1;
  }

  // The result code and the packet: the first r bytes when r >= 0, else the whole buffer.
  op(h: number, op: number, packet: Uint8Array, room = 64): { r: number; out: Uint8Array } {
    const { e } = this;
    const cap = packet.length + room;
    const buf = new Uint8Array(cap);
    buf.set(packet);
    const p = e.put(buf);
    const r = e.x.srtp_op(h, op, p, packet.length, cap) as number;
    const all = e.get(p, cap);
    e.free(p);
    return { r, out: r >= 0 ? all.subarray(0, r) : all };
  }

  // Must succeed: the output packet.
  run(h: number, op: number, packet: Uint8Array): Uint8Array {
    const { r, out } = this.op(h, op, packet);
    if (r < 0) throw new Error(`srtp op ${op} failed: ${r}`);
    return out;
  }

  protectRtp(h: number, p: Uint8Array): Uint8Array { return this.run(h, OP.PROTECT_RTP, p); }
  unprotectRtp(h: number, p: Uint8Array): Uint8Array { return this.run(h, OP.UNPROTECT_RTP, p); }
  protectRtcp(h: number, p: Uint8Array): Uint8Array { return this.run(h, OP.PROTECT_RTCP, p); }
  unprotectRtcp(h: number, p: Uint8Array): Uint8Array { return this.run(h, OP.UNPROTECT_RTCP, p); }

  // The operation on a buffer of bufLen bytes with a packet length that may exceed it.
  opLen(h: number, op: number, buf: Uint8Array, len: number): number {
    const p = this.e.put(buf);
    const r = this.e.x.srtp_op_len(h, op, p, buf.length, len) as number;
    this.e.free(p);
    return r;
  }

  counters(h: number): Counters {
    const c = {} as Counters;
    COUNTERS.forEach((name, i) => { c[name] = this.e.x.srtp_counter(h, i) >>> 0; });
    return c;
  }

  streams(h: number, inbound: boolean): number {
    return this.e.x.srtp_streams(h, inbound ? 1 : 0);
  }

  setRtcpIndex(h: number, ssrc: number, index: number): boolean {
    return this.e.x.srtp_set_rtcp_index(h, ssrc, index) === 1;
  }

  kdf(key: Uint8Array, salt: Uint8Array, label: number, n: number): Uint8Array | null {
    const { e } = this;
    const pk = e.put(key), ps = e.put(salt), po = e.alloc(n);
    const ok = e.x.srtp_kdf(pk, key.length, ps, salt.length, label, po, n);
    const out = e.get(po, n);
    e.free(pk, ps, po);
    return ok ? out : null;
  }

  split(profile: number, material: Uint8Array, isClient: boolean):
    { localKey: Uint8Array; localSalt: Uint8Array; remoteKey: Uint8Array; remoteSalt: Uint8Array } | null {
    const { e } = this;
    const { key, salt } = keyLengths(profile);
    const pm = e.put(material), po = e.alloc(material.length);
    const ok = e.x.srtp_split(profile, pm, material.length, isClient ? 1 : 0, po);
    const out = e.get(po, material.length);
    e.free(pm, po);
    if (!ok) return null;
    return {
      localKey: out.slice(0, key), localSalt: out.slice(key, key + salt),
      remoteKey: out.slice(key + salt, 2 * key + salt), remoteSalt: out.slice(2 * key + salt),
    };
  }
}

// An RTP packet (RFC 3550 §5.1) with optional CSRCs, one-byte-header extension words and padding.
export function rtpPacket(seq: number, ssrc: number, payload: Uint8Array,
  o: { csrcs?: number[]; extWords?: number; pt?: number; marker?: boolean; ts?: number } = {}): Uint8Array {
  const csrcs = o.csrcs ?? [];
  const ext = o.extWords ?? -1;
  const hdr = 12 + 4 * csrcs.length + (ext >= 0 ? 4 + 4 * ext : 0);
  const p = new Uint8Array(hdr + payload.length);
  const dv = new DataView(p.buffer);
  p[0] = 0x80 | (ext >= 0 ? 0x10 : 0) | csrcs.length;
  p[1] = (o.marker ? 0x80 : 0) | (o.pt ?? 96);
  dv.setUint16(2, seq & 0xffff);
  dv.setUint32(4, (o.ts ?? seq * 960) >>> 0);
  dv.setUint32(8, ssrc >>> 0);
  csrcs.forEach((c, i) => dv.setUint32(12 + 4 * i, c >>> 0));
  if (ext >= 0) {
    const at = 12 + 4 * csrcs.length;
    dv.setUint16(at, 0xbede);
    dv.setUint16(at + 2, ext);
    for (let i = 0; i < 4 * ext; i++) p[at + 4 + i] = (i * 7 + 1) & 0xff;
  }
  p.set(payload, hdr);
  return p;
}

// A sender report (RFC 3550 §6.4.1) with no report blocks, followed by an SDES-ish filler.
export function rtcpPacket(ssrc: number, extra = 20): Uint8Array {
  const p = new Uint8Array(28 + extra);
  const dv = new DataView(p.buffer);
  p[0] = 0x80;
  p[1] = 200;
  dv.setUint16(2, 6);
  dv.setUint32(4, ssrc >>> 0);
  for (let i = 8; i < 28; i++) p[i] = i;
  if (extra >= 4) {
    p[28] = 0x81;
    p[29] = 202;
    dv.setUint16(30, (extra >> 2) - 1);
    for (let i = 32; i < 28 + extra; i++) p[i] = (i * 13) & 0xff;
  }
  return p;
}
