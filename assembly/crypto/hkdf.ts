// RFC 5869 §2: HKDF extract and expand over HMAC.
import { HashAlg, hashLength } from "./hash";
import { Hmac, hmac } from "./hmac";
import { wipe } from "../util/ct";

// PRK = HMAC(salt, IKM). An empty salt is the RFC's "HashLen zeros": HMAC pads both the same way.
export function hkdfExtract(alg: HashAlg, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return hmac(alg, salt, ikm);
}

// len bytes of T(1) || T(2) || ..., T(i) = HMAC(PRK, T(i-1) || info || i); null when len is
// negative or more than 255 * HashLen.
export function hkdfExpand(alg: HashAlg, prk: Uint8Array, info: Uint8Array, len: i32): Uint8Array | null {
  const n = hashLength(alg);
  if (len < 0 || len > 255 * n) return null;
  const out = new Uint8Array(len);
  if (len == 0) return out;
  const mac = new Hmac(alg, prk);
  const t = new Uint8Array(n);
  const counter = new Uint8Array(1);
  for (let i = 1, pos = 0; pos < len; i++, pos += n) {
    if (i > 1) mac.reset().update(t);
    counter[0] = <u8>i;
    mac.update(info).update(counter).finish(t);
    memory.copy(out.dataStart + <usize>pos, t.dataStart, <usize>min(n, len - pos));
  }
  wipe(t);
  mac.dispose();
  return out;
}

export function hkdf(alg: HashAlg, salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, len: i32): Uint8Array | null {
  const prk = hkdfExtract(alg, salt, ikm);
  const okm = hkdfExpand(alg, prk, info, len);
  wipe(prk);
  return okm;
}
