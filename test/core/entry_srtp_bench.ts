// SRTP benchmark kernels (RFC 3711 §3.3, RFC 7714 §8), timed from outside: V8 by bench/srtp.ts,
// wasm3 by `wasmpeer-linux call`. Sender and receiver sessions per profile, kept across
// calls so the sequence number keeps climbing: the receiver's replay window (RFC 3711 §3.3.2)
// must see every packet as new, or unprotect would be measuring the cheap rejection path.
export { mem_alloc, mem_free } from "./entry_common";
import { SrtpSession } from "../../assembly/srtp/session";
import { masterKeyLength, masterSaltLength } from "../../assembly/srtp/protection_profile";

// Room for a 1200-byte packet or larger plus the longest tag (16 bytes, GCM).
const MAX_PACKET: i32 = 2048;
const buf = new Uint8Array(MAX_PACKET + 16);

// One RTP stream: its sending session, and for the roundtrip a receiving one. A receiver that
// joins late must assume ROC 0 (RFC 3711 §3.3.1), so protect-only and roundtrip keep separate
// senders: a roundtrip's receiver sees that stream's SEQs from the first one on.
class Stream {
  tx: SrtpSession;
  rx: SrtpSession;
  seq: u32 = 0;
  timestamp: u32 = 0;

  constructor(public profile: i32, key: Uint8Array, salt: Uint8Array) {
    this.tx = new SrtpSession(<u16>profile, key, salt);
    this.rx = new SrtpSession(<u16>profile, key, salt);
  }

  get ok(): bool {
    return this.tx.ok && this.rx.ok;
  }

  // An RTP packet of len bytes: a 12-byte header (V=2, PT 96, the next SEQ) and a payload.
  // Only the header is rewritten each time: the payload's bytes do not change the work.
  nextPacket(): void {
    const p = buf.dataStart;
    store<u8>(p, 0x80);
    store<u8>(p + 1, 96);
    store<u8>(p + 2, <u8>(this.seq >> 8));
    store<u8>(p + 3, <u8>this.seq);
    store<u32>(p + 4, bswap<u32>(this.timestamp));
    store<u32>(p + 8, bswap<u32>(0x1234abcd));
    this.seq = (this.seq + 1) & 0xffff;
    this.timestamp += 3000;
  }
}

let protectOnly: Stream | null = null;
let roundtrip: Stream | null = null;

// The stream kept for this profile (made again when the profile changes), or null when unusable.
function stream(kept: Stream | null, profile: i32): Stream | null {
  if (kept != null && kept.profile == profile) return kept.ok ? kept : null;
  const k = masterKeyLength(<u16>profile);
  const s = masterSaltLength(<u16>profile);
  if (k == 0) return null;
  const key = new Uint8Array(k);
  const salt = new Uint8Array(s);
  for (let i = 0; i < k; i++) key[i] = <u8>(i * 13 + 1);
  for (let i = 0; i < s; i++) salt[i] = <u8>(i * 29 + 7);
  const st = new Stream(profile, key, salt);
  return st.ok ? st : null;
}

function fill(len: i32): void {
  for (let i = 12; i < len; i++) buf[i] = <u8>(i * 7);
}

// iters packets of len bytes protected; how many succeeded (iters when all did), -1 for a bad profile.
export function bench_srtp_protect(profile: i32, len: i32, iters: i32): i32 {
  const st = stream(protectOnly, profile);
  protectOnly = st;
  if (st == null || len < 12 || len > MAX_PACKET) return -1;
  fill(len);
  const tx = st.tx;
  let ok = 0;
  for (let i = 0; i < iters; i++) {
    st.nextPacket();
    if (tx.protectRtp(buf, len) > len) ok++;
  }
  return ok;
}

// iters packets protected and then unprotected by the receiver; how many came back intact in
// length. Unprotect's cost is this call's minus bench_srtp_protect's for the same iters.
export function bench_srtp_roundtrip(profile: i32, len: i32, iters: i32): i32 {
  const st = stream(roundtrip, profile);
  roundtrip = st;
  if (st == null || len < 12 || len > MAX_PACKET) return -1;
  fill(len);
  const tx = st.tx;
  const rx = st.rx;
  let ok = 0;
  for (let i = 0; i < iters; i++) {
    st.nextPacket();
    const n = tx.protectRtp(buf, len);
    if (n > len && rx.unprotectRtp(buf, n) == len) ok++;
  }
  return ok;
}
