// RFC 7748 §5 and §6.1: the X25519 function (Montgomery ladder on Curve25519) and key pairs.
import { HOST_CRYPTO } from "./provider";
import { host_x25519 } from "../imports";
import { randomFill } from "./random";
import { Fe, feNew, feOne, feZero, feCopy, feAdd, feSub, feMul, feSq, feMulSmall, feCswap, feInvert, feFromBytes, feToBytes } from "./fe25519";
import { wipe } from "../util/ct";

export class X25519KeyPair {
  constructor(public priv: Uint8Array, public pub: Uint8Array) {}
}

// (A - 2) / 4 for Curve25519's A = 486662.
const A24: i64 = 121665;

// §5 decodeScalar25519: clear the three low bits, clear bit 255, set bit 254.
function clampedScalar(scalar: Uint8Array): Uint8Array {
  const k = scalar.slice(0, 32);
  unchecked((k[0] &= 248));
  unchecked((k[31] = (k[31] & 127) | 64));
  return k;
}

function isAllZero(b: Uint8Array): bool {
  let acc: u32 = 0;
  for (let i = 0; i < b.length; i++) acc |= <u32>unchecked(b[i]);
  return acc == 0;
}

// The ladder of §5, with the conditional swap deferred as the RFC's pseudocode does.
function ladder(k: Uint8Array, u: Uint8Array, out: Uint8Array): void {
  const x1 = feNew(), x2 = feNew(), z2 = feNew(), x3 = feNew(), z3 = feNew();
  const a = feNew(), aa = feNew(), b = feNew(), bb = feNew(), e = feNew();
  const c = feNew(), d = feNew(), da = feNew(), cb = feNew();
  feFromBytes(x1, u.dataStart);
  feOne(x2);
  feZero(z2);
  feCopy(x3, x1);
  feOne(z3);
  let swap: i64 = 0;
  for (let t = 254; t >= 0; t--) {
    const kt = <i64>((unchecked(k[t >> 3]) >> <u8>(t & 7)) & 1);
    swap ^= kt;
    feCswap(x2, x3, swap);
    feCswap(z2, z3, swap);
    swap = kt;
    feAdd(a, x2, z2);
    feSq(aa, a);
    feSub(b, x2, z2);
    feSq(bb, b);
    feSub(e, aa, bb);
    feAdd(c, x3, z3);
    feSub(d, x3, z3);
    feMul(da, d, a);
    feMul(cb, c, b);
    feAdd(x3, da, cb);
    feSq(x3, x3);
    feSub(z3, da, cb);
    feSq(z3, z3);
    feMul(z3, x1, z3);
    feMul(x2, aa, bb);
    feMulSmall(z2, e, A24);
    feAdd(z2, aa, z2);
    feMul(z2, e, z2);
  }
  feCswap(x2, x3, swap);
  feCswap(z2, z3, swap);
  feInvert(z2, z2);
  feMul(x2, x2, z2);
  feToBytes(out.dataStart, x2);
  // The ladder's state reveals the scalar; do not leave it in memory.
  const state: Fe[] = [x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb];
  for (let i = 0; i < state.length; i++) feZero(state[i]);
}

// X25519(scalar, u): the u-coordinate of scalar * u, or null when an input is not 32 bytes or
// the result is all zeros (u of small order: §6.1 says to abort then).
export function x25519(scalar: Uint8Array, u: Uint8Array): Uint8Array | null {
  if (scalar.length != 32 || u.length != 32) return null;
  const out = new Uint8Array(32);
  const k = clampedScalar(scalar);
  if (HOST_CRYPTO) {
    const uMasked = u.slice(0, 32);
    unchecked((uMasked[31] &= 127));
    const ok = host_x25519(k.dataStart, uMasked.dataStart, out.dataStart);
    wipe(k);
    return ok != 0 && !isAllZero(out) ? out : null;
  } else {
    ladder(k, u, out);
    wipe(k);
    return isAllZero(out) ? null : out;
  }
}

// scalar * 9, the public key of a private scalar (§6.1).
export function x25519Base(scalar: Uint8Array): Uint8Array | null {
  const base = new Uint8Array(32);
  unchecked((base[0] = 9));
  return x25519(scalar, base);
}

export function x25519Generate(): X25519KeyPair {
  const priv = new Uint8Array(32);
  randomFill(priv);
  // A clamped scalar is a multiple of 8 in [2^254, 2^255), below 8 times the base point's prime
  // order, so it is never a multiple of that order and the result is never zero.
  return new X25519KeyPair(priv, x25519Base(priv)!);
}
