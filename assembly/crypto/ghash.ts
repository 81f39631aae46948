// SP 800-38D §6.3–6.4 — multiplication in GF(2^128) and GHASH.
import { loadBE64, storeBE64 } from "../util/endian";

// Carry-less 32x32 -> 64 product without tables or branches: each operand is cut into four
// parts holding every fourth bit, so an integer product of two parts counts at most 8 terms
// per bit position and never carries into the next position that belongs to the same part.
// @ts-ignore: decorator
@inline function clmul32(x: u32, y: u32): u64 {
  const x0 = <u64>(x & 0x11111111), x1 = <u64>(x & 0x22222222);
  const x2 = <u64>(x & 0x44444444), x3 = <u64>(x & 0x88888888);
  const y0 = <u64>(y & 0x11111111), y1 = <u64>(y & 0x22222222);
  const y2 = <u64>(y & 0x44444444), y3 = <u64>(y & 0x88888888);
  const z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
  const z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
  const z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
  const z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
  return (z0 & 0x1111111111111111) | (z1 & 0x2222222222222222)
    | (z2 & 0x4444444444444444) | (z3 & 0x8888888888888888);
}

// GHASH_H over a sequence of zero-padded segments, then the lengths block. Blocks are read
// big-endian, so bit 127 of the integer is the coefficient of x^0 (the spec's bit order) and
// a product of two such integers is the reflected field product shifted right by one.
export class Ghash {
  // H as 32-bit limbs (h0 least significant) and the sums the Karatsuba steps need.
  private h0: u32 = 0;
  private h1: u32 = 0;
  private h2: u32 = 0;
  private h3: u32 = 0;
  private h01: u32 = 0;
  private h23: u32 = 0;
  private g0: u32 = 0;
  private g1: u32 = 0;
  private g01: u32 = 0;
  private yHi: u64 = 0;
  private yLo: u64 = 0;
  private pad: Uint8Array = new Uint8Array(16);

  // H: the 16 bytes at p.
  setKey(p: usize): void {
    const hi = loadBE64(p);
    const lo = loadBE64(p + 8);
    this.h0 = <u32>lo;
    this.h1 = <u32>(lo >> 32);
    this.h2 = <u32>hi;
    this.h3 = <u32>(hi >> 32);
    this.h01 = this.h0 ^ this.h1;
    this.h23 = this.h2 ^ this.h3;
    this.g0 = this.h0 ^ this.h2;
    this.g1 = this.h1 ^ this.h3;
    this.g01 = this.g0 ^ this.g1;
    this.reset();
  }

  reset(): void {
    this.yHi = 0;
    this.yLo = 0;
  }

  // Hashes len bytes at p, zero-padding the last partial block (one segment: A, C or IV).
  absorb(p: usize, len: i32): void {
    let n = len;
    while (n >= 16) {
      this.block(loadBE64(p), loadBE64(p + 8));
      p += 16;
      n -= 16;
    }
    if (n > 0) {
      const b = this.pad.dataStart;
      memory.fill(b, 0, 16);
      memory.copy(b, p, <usize>n);
      this.block(loadBE64(b), loadBE64(b + 8));
      memory.fill(b, 0, 16);
    }
  }

  // The final block: bit lengths of the two segments, 64 bits each.
  absorbLengths(aBytes: i32, cBytes: i32): void {
    this.block(<u64>aBytes << 3, <u64>cBytes << 3);
  }

  finish(dst: usize): void {
    storeBE64(dst, this.yHi);
    storeBE64(dst + 8, this.yLo);
  }

  // Y = (Y ^ X) * H: a 256-bit carry-less product by two levels of Karatsuba over 32-bit
  // limbs, a shift by one to undo the reflection, then reduction modulo x^128+x^7+x^2+x+1,
  // which in reflected order folds each word of the low half in with shifts by 0, 1, 2, 7.
  private block(xHi: u64, xLo: u64): void {
    const aHi = this.yHi ^ xHi;
    const aLo = this.yLo ^ xLo;
    const a0 = <u32>aLo, a1 = <u32>(aLo >> 32), a2 = <u32>aHi, a3 = <u32>(aHi >> 32);
    const s0 = a0 ^ a2, s1 = a1 ^ a3;

    const ll = clmul32(a0, this.h0), lh = clmul32(a1, this.h1);
    const lm = clmul32(a0 ^ a1, this.h01) ^ ll ^ lh;
    const hl = clmul32(a2, this.h2), hh = clmul32(a3, this.h3);
    const hm = clmul32(a2 ^ a3, this.h23) ^ hl ^ hh;
    const ml = clmul32(s0, this.g0), mh = clmul32(s1, this.g1);
    const mm = clmul32(s0 ^ s1, this.g01) ^ ml ^ mh;

    const L0 = ll ^ (lm << 32), L1 = lh ^ (lm >> 32);
    const H0 = hl ^ (hm << 32), H1 = hh ^ (hm >> 32);
    const M0 = ml ^ (mm << 32) ^ L0 ^ H0, M1 = mh ^ (mm >> 32) ^ L1 ^ H1;

    let w0 = L0, w1 = L1 ^ M0, w2 = H0 ^ M1, w3 = H1;
    w3 = (w3 << 1) | (w2 >> 63);
    w2 = (w2 << 1) | (w1 >> 63);
    w1 = (w1 << 1) | (w0 >> 63);
    w0 <<= 1;

    w1 ^= (w0 << 63) ^ (w0 << 62) ^ (w0 << 57);
    w2 ^= w0 ^ (w0 >> 1) ^ (w0 >> 2) ^ (w0 >> 7);
    w2 ^= (w1 << 63) ^ (w1 << 62) ^ (w1 << 57);
    w3 ^= w1 ^ (w1 >> 1) ^ (w1 >> 2) ^ (w1 >> 7);
    this.yHi = w3;
    this.yLo = w2;
  }
}
