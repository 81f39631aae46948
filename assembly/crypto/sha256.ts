// FIPS 180-4 §6.2: SHA-256.
import { MdHash } from "./md_hash";
import { loadBE32, storeBE32 } from "../util/endian";

// §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

// The message schedule of the block being compressed (one module, one thread: shared scratch).
const W = memory.data(64 * 4, 16);

// @ts-ignore: decorator
@inline function bsig0(x: u32): u32 { return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22); }
// @ts-ignore: decorator
@inline function bsig1(x: u32): u32 { return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25); }
// @ts-ignore: decorator
@inline function ssig0(x: u32): u32 { return rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3); }
// @ts-ignore: decorator
@inline function ssig1(x: u32): u32 { return rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10); }
// @ts-ignore: decorator
@inline function ch(x: u32, y: u32, z: u32): u32 { return z ^ (x & (y ^ z)); }
// @ts-ignore: decorator
@inline function maj(x: u32, y: u32, z: u32): u32 { return (x & y) | (z & (x | y)); }

export class Sha256 extends MdHash {
  private h0: u32 = 0x6a09e667;
  private h1: u32 = 0xbb67ae85;
  private h2: u32 = 0x3c6ef372;
  private h3: u32 = 0xa54ff53a;
  private h4: u32 = 0x510e527f;
  private h5: u32 = 0x9b05688c;
  private h6: u32 = 0x1f83d9ab;
  private h7: u32 = 0x5be0cd19;

  constructor() {
    super(64, 32);
  }

  blank(): MdHash {
    return new Sha256();
  }

  protected copyState(o: MdHash): void {
    const s = changetype<Sha256>(o);
    this.h0 = s.h0; this.h1 = s.h1; this.h2 = s.h2; this.h3 = s.h3;
    this.h4 = s.h4; this.h5 = s.h5; this.h6 = s.h6; this.h7 = s.h7;
  }

  // Eight rounds per loop pass with the working variables renamed instead of shifted:
  // each round only writes the new `e` (into d's slot) and the new `a` (into h's slot).
  compress(p: usize, n: i32): void {
    let h0 = this.h0, h1 = this.h1, h2 = this.h2, h3 = this.h3;
    let h4 = this.h4, h5 = this.h5, h6 = this.h6, h7 = this.h7;
    for (; n > 0; n--, p += 64) {
      for (let i: usize = 0; i < 64; i += 4) store<u32>(W + i, loadBE32(p + i));
      for (let w = W + 64; w < W + 256; w += 4) {
        store<u32>(w, ssig1(load<u32>(w - 8)) + load<u32>(w - 28) + ssig0(load<u32>(w - 60)) + load<u32>(w - 64));
      }
      let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
      let t: u32;
      for (let i: usize = 0; i < 256; i += 32) {
        const k = K + i, w = W + i;
        t = h + bsig1(e) + ch(e, f, g) + load<u32>(k, 0) + load<u32>(w, 0); d += t; h = t + bsig0(a) + maj(a, b, c);
        t = g + bsig1(d) + ch(d, e, f) + load<u32>(k, 4) + load<u32>(w, 4); c += t; g = t + bsig0(h) + maj(h, a, b);
        t = f + bsig1(c) + ch(c, d, e) + load<u32>(k, 8) + load<u32>(w, 8); b += t; f = t + bsig0(g) + maj(g, h, a);
        t = e + bsig1(b) + ch(b, c, d) + load<u32>(k, 12) + load<u32>(w, 12); a += t; e = t + bsig0(f) + maj(f, g, h);
        t = d + bsig1(a) + ch(a, b, c) + load<u32>(k, 16) + load<u32>(w, 16); h += t; d = t + bsig0(e) + maj(e, f, g);
        t = c + bsig1(h) + ch(h, a, b) + load<u32>(k, 20) + load<u32>(w, 20); g += t; c = t + bsig0(d) + maj(d, e, f);
        t = b + bsig1(g) + ch(g, h, a) + load<u32>(k, 24) + load<u32>(w, 24); f += t; b = t + bsig0(c) + maj(c, d, e);
        t = a + bsig1(f) + ch(f, g, h) + load<u32>(k, 28) + load<u32>(w, 28); e += t; a = t + bsig0(b) + maj(b, c, d);
      }
      h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
    }
    this.h0 = h0; this.h1 = h1; this.h2 = h2; this.h3 = h3;
    this.h4 = h4; this.h5 = h5; this.h6 = h6; this.h7 = h7;
  }

  output(out: usize): void {
    storeBE32(out, this.h0); storeBE32(out + 4, this.h1); storeBE32(out + 8, this.h2); storeBE32(out + 12, this.h3);
    storeBE32(out + 16, this.h4); storeBE32(out + 20, this.h5); storeBE32(out + 24, this.h6); storeBE32(out + 28, this.h7);
  }
}
