// Test entry for the hash family, MACs, KDFs, checksums and randomness (driven by hash.test.ts).
export { mem_alloc, mem_free } from "./entry_common";
import { bytesAt, writeAt } from "./entry_common";
import { Hash, HashAlg, digest, hashLength } from "../../assembly/crypto/hash";
import { Sha512 } from "../../assembly/crypto/sha512";
import { Hmac, hmac } from "../../assembly/crypto/hmac";
import { hkdf, hkdfExpand, hkdfExtract } from "../../assembly/crypto/hkdf";
import { tlsPrf } from "../../assembly/crypto/prf";
import { crc32 } from "../../assembly/crypto/crc32";
import { crc32c } from "../../assembly/crypto/crc32c";
import { randomBytes } from "../../assembly/crypto/random";

export function hash_length(alg: i32): i32 {
  return hashLength(<HashAlg>alg);
}

export function hash_digest(alg: i32, p: usize, len: i32, out: usize): void {
  writeAt(out, digest(<HashAlg>alg, bytesAt(p, len)));
}

// Three updates: [0, cut1), [cut1, cut2), [cut2, len), each as a range of the whole message.
export function hash_split(alg: i32, p: usize, len: i32, cut1: i32, cut2: i32, out: usize): void {
  const m = bytesAt(p, len);
  const h = new Hash(<HashAlg>alg);
  h.update(m, 0, cut1).update(m, cut1, cut2 - cut1).update(m, cut2);
  const d = new Uint8Array(hashLength(<HashAlg>alg));
  h.finish(d);
  writeAt(out, d);
}

export function hash_bytewise(alg: i32, p: usize, len: i32, out: usize): void {
  const m = bytesAt(p, len);
  const h = new Hash(<HashAlg>alg);
  for (let i = 0; i < len; i++) h.update(m, i, 1);
  const d = new Uint8Array(hashLength(<HashAlg>alg));
  h.finish(d);
  writeAt(out, d);
}

// Clones after cut bytes: outs gets digest(prefix) from the first clone, then digest(message)
// from the original and again from a second clone fed the same rest. out has room for three.
export function hash_clone(alg: i32, p: usize, len: i32, cut: i32, out: usize): void {
  const m = bytesAt(p, len);
  const n = hashLength(<HashAlg>alg);
  const d = new Uint8Array(3 * n);
  const h = new Hash(<HashAlg>alg).update(m, 0, cut);
  const prefix = h.clone();
  const twin = h.clone();
  h.update(m, cut);
  prefix.finish(d, 0);
  h.finish(d, n);
  twin.update(m, cut).finish(d, 2 * n);
  writeAt(out, d);
}

// copyFrom resets a used Hash to another's state.
export function hash_copy_from(alg: i32, p: usize, len: i32, cut: i32, out: usize): void {
  const m = bytesAt(p, len);
  const src = new Hash(<HashAlg>alg).update(m, 0, cut);
  const dst = new Hash(<HashAlg>alg).update(m).update(m);
  dst.copyFrom(src);
  const d = new Uint8Array(hashLength(<HashAlg>alg));
  dst.update(m, cut).finish(d);
  src.dispose();
  writeAt(out, d);
}

// FIPS 180-4 example: one million 'a', fed in 1000 updates of 1000 bytes.
export function hash_million_a(alg: i32, out: usize): void {
  const chunk = new Uint8Array(1000);
  chunk.fill(0x61);
  const h = new Hash(<HashAlg>alg);
  for (let i = 0; i < 1000; i++) h.update(chunk);
  const d = new Uint8Array(hashLength(<HashAlg>alg));
  h.finish(d);
  writeAt(out, d);
}

// Bad ranges are ignored and a short output gets nothing: the result is the empty message's
// digest and a second finish leaves out alone. Returns 1 when nothing trapped or misbehaved.
export function hash_bad_ranges(alg: i32, out: usize): i32 {
  const m = new Uint8Array(10);
  const h = new Hash(<HashAlg>alg);
  h.update(m, -1, 2).update(m, 11, 0).update(m, 5, 6).update(m, 0, 11).update(m, 10, 1).update(m, 2147483647, 1);
  h.update(m, 5, 2147483647).update(m, -2147483648, -1).update(m, 0, 0).update(m, 10);
  const d = new Uint8Array(hashLength(<HashAlg>alg));
  const short = new Uint8Array(hashLength(<HashAlg>alg) - 1);
  const c = h.clone();
  c.finish(short);
  c.finish(d);
  if (!c.finished) return 0;
  for (let i = 0; i < d.length; i++) if (d[i] != 0) return 0;
  for (let i = 0; i < short.length; i++) if (short[i] != 0) return 0;
  h.finish(d, -1);
  h.finish(d, 1);
  const h2 = new Hash(<HashAlg>alg);
  h2.finish(d);
  h2.update(m).finish(short);
  writeAt(out, d);
  return 1;
}

export function sha512_digest(p: usize, len: i32, cut: i32, out: usize): void {
  const s = new Sha512();
  s.update(p, cut);
  s.update(p + <usize>cut, len - cut);
  s.finish(out);
}

export function hmac_compute(alg: i32, k: usize, kLen: i32, m: usize, mLen: i32, out: usize): void {
  writeAt(out, hmac(<HashAlg>alg, bytesAt(k, kLen), bytesAt(m, mLen)));
}

// The plain one-message pattern, with no dispose(): must leave no host context behind.
export function hmac_once(alg: i32, k: usize, kLen: i32, m: usize, mLen: i32, out: usize): void {
  const mac = new Uint8Array(hashLength(<HashAlg>alg));
  new Hmac(<HashAlg>alg, bytesAt(k, kLen)).update(bytesAt(m, mLen)).finish(mac);
  writeAt(out, mac);
}

// One keyed Hmac for two messages: the first split at cut, then reset() and the second.
export function hmac_reuse(alg: i32, k: usize, kLen: i32, m1: usize, len1: i32, cut: i32, m2: usize, len2: i32, out: usize): void {
  const a = bytesAt(m1, len1);
  const mac = new Hmac(<HashAlg>alg, bytesAt(k, kLen));
  const n = mac.macLength;
  const d = new Uint8Array(2 * n);
  mac.update(a, 0, cut).update(a, cut).finish(d, 0);
  mac.reset().update(bytesAt(m2, len2)).finish(d, n);
  mac.reset().update(a, 0, cut);
  mac.dispose();
  mac.reset().update(a).finish(d, 0);
  writeAt(out, d);
}

export function hmac_verify(alg: i32, k: usize, kLen: i32, m: usize, mLen: i32, tag: usize, tagLen: i32): i32 {
  const mac = new Hmac(<HashAlg>alg, bytesAt(k, kLen));
  const ok = mac.update(bytesAt(m, mLen)).verify(bytesAt(tag, tagLen), 0, tagLen);
  const again = mac.verify(bytesAt(tag, tagLen), 0, tagLen);
  mac.dispose();
  return (ok ? 1 : 0) | (again ? 2 : 0);
}

export function hkdf_extract(alg: i32, salt: usize, saltLen: i32, ikm: usize, ikmLen: i32, out: usize): void {
  writeAt(out, hkdfExtract(<HashAlg>alg, bytesAt(salt, saltLen), bytesAt(ikm, ikmLen)));
}

// Returns 1 with the OKM at out, or 0 when hkdfExpand gave null.
export function hkdf_expand(alg: i32, prk: usize, prkLen: i32, info: usize, infoLen: i32, len: i32, out: usize): i32 {
  const okm = hkdfExpand(<HashAlg>alg, bytesAt(prk, prkLen), bytesAt(info, infoLen), len);
  if (okm == null) return 0;
  writeAt(out, okm);
  return 1;
}

export function hkdf_full(alg: i32, salt: usize, saltLen: i32, ikm: usize, ikmLen: i32, info: usize, infoLen: i32, len: i32, out: usize): i32 {
  const okm = hkdf(<HashAlg>alg, bytesAt(salt, saltLen), bytesAt(ikm, ikmLen), bytesAt(info, infoLen), len);
  if (okm == null) return 0;
  writeAt(out, okm);
  return 1;
}

// Returns the output length (0 for outLen <= 0).
export function tls_prf(alg: i32, secret: usize, secretLen: i32, label: usize, labelLen: i32, seed: usize, seedLen: i32, outLen: i32, out: usize): i32 {
  const labelStr = String.UTF8.decodeUnsafe(label, <usize>labelLen);
  const r = tlsPrf(<HashAlg>alg, bytesAt(secret, secretLen), labelStr, bytesAt(seed, seedLen), outLen);
  writeAt(out, r);
  return r.length;
}

export function crc32_range(p: usize, len: i32, off: i32, n: i32): u32 {
  return crc32(bytesAt(p, len), off, n);
}

export function crc32c_range(p: usize, len: i32, off: i32, n: i32): u32 {
  return crc32c(bytesAt(p, len), off, n);
}

export function random_bytes(n: i32, out: usize): i32 {
  const r = randomBytes(n);
  writeAt(out, r);
  return r.length;
}
