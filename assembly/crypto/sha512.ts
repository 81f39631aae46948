// FIPS 180-4 §6.4 and §6.5: SHA-512, and SHA-384 as SHA-512 with its own IV, truncated.
import { MdHash } from "./md_hash";
import { loadBE64, storeBE64 } from "../util/endian";

// §4.2.3: the first 64 bits of the fractional parts of the cube roots of the first 80 primes.
const K = memory.data<u64>([
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
  0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
  0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
  0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
  0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
  0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
  0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
  0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
  0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
  0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
  0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
  0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
  0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
]);

// The message schedule of the block being compressed (one module, one thread: shared scratch).
const W = memory.data(80 * 8, 16);

// @ts-ignore: decorator
@inline function bsig0(x: u64): u64 { return rotr(x, 28) ^ rotr(x, 34) ^ rotr(x, 39); }
// @ts-ignore: decorator
@inline function bsig1(x: u64): u64 { return rotr(x, 14) ^ rotr(x, 18) ^ rotr(x, 41); }
// @ts-ignore: decorator
@inline function ssig0(x: u64): u64 { return rotr(x, 1) ^ rotr(x, 8) ^ (x >>> 7); }
// @ts-ignore: decorator
@inline function ssig1(x: u64): u64 { return rotr(x, 19) ^ rotr(x, 61) ^ (x >>> 6); }
// @ts-ignore: decorator
@inline function ch(x: u64, y: u64, z: u64): u64 { return z ^ (x & (y ^ z)); }
// @ts-ignore: decorator
@inline function maj(x: u64, y: u64, z: u64): u64 { return (x & y) | (z & (x | y)); }

export class Sha512 extends MdHash {
  private h0: u64 = 0x6a09e667f3bcc908;
  private h1: u64 = 0xbb67ae8584caa73b;
  private h2: u64 = 0x3c6ef372fe94f82b;
  private h3: u64 = 0xa54ff53a5f1d36f1;
  private h4: u64 = 0x510e527fade682d1;
  private h5: u64 = 0x9b05688c2b3e6c1f;
  private h6: u64 = 0x1f83d9abfb41bd6b;
  private h7: u64 = 0x5be0cd19137e2179;

  constructor(digestLen: i32 = 64) {
    super(128, digestLen);
  }

  // §5.3.4: the SHA-384 IV, from the 9th to 16th primes' square roots.
  static sha384(): Sha512 {
    const s = new Sha512(48);
    s.h0 = 0xcbbb9d5dc1059ed8; s.h1 = 0x629a292a367cd507; s.h2 = 0x9159015a3070dd17; s.h3 = 0x152fecd8f70e5939;
    s.h4 = 0x67332667ffc00b31; s.h5 = 0x8eb44a8768581511; s.h6 = 0xdb0c2e0d64f98fa7; s.h7 = 0x47b5481dbefa4fa4;
    return s;
  }

  blank(): MdHash {
    return new Sha512(this.digestLen);
  }

  protected copyState(o: MdHash): void {
    const s = changetype<Sha512>(o);
    this.h0 = s.h0; this.h1 = s.h1; this.h2 = s.h2; this.h3 = s.h3;
    this.h4 = s.h4; this.h5 = s.h5; this.h6 = s.h6; this.h7 = s.h7;
  }

  // Same renaming scheme as SHA-256: eight rounds per pass, only the new `e` and `a` written.
  compress(p: usize, n: i32): void {
    let h0 = this.h0, h1 = this.h1, h2 = this.h2, h3 = this.h3;
    let h4 = this.h4, h5 = this.h5, h6 = this.h6, h7 = this.h7;
    for (; n > 0; n--, p += 128) {
      for (let i: usize = 0; i < 128; i += 8) store<u64>(W + i, loadBE64(p + i));
      for (let w = W + 128; w < W + 640; w += 8) {
        store<u64>(w, ssig1(load<u64>(w - 16)) + load<u64>(w - 56) + ssig0(load<u64>(w - 120)) + load<u64>(w - 128));
      }
      let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
      let t: u64;
      for (let i: usize = 0; i < 640; i += 64) {
        const k = K + i, w = W + i;
        t = h + bsig1(e) + ch(e, f, g) + load<u64>(k, 0) + load<u64>(w, 0); d += t; h = t + bsig0(a) + maj(a, b, c);
        t = g + bsig1(d) + ch(d, e, f) + load<u64>(k, 8) + load<u64>(w, 8); c += t; g = t + bsig0(h) + maj(h, a, b);
        t = f + bsig1(c) + ch(c, d, e) + load<u64>(k, 16) + load<u64>(w, 16); b += t; f = t + bsig0(g) + maj(g, h, a);
        t = e + bsig1(b) + ch(b, c, d) + load<u64>(k, 24) + load<u64>(w, 24); a += t; e = t + bsig0(f) + maj(f, g, h);
        t = d + bsig1(a) + ch(a, b, c) + load<u64>(k, 32) + load<u64>(w, 32); h += t; d = t + bsig0(e) + maj(e, f, g);
        t = c + bsig1(h) + ch(h, a, b) + load<u64>(k, 40) + load<u64>(w, 40); g += t; c = t + bsig0(d) + maj(d, e, f);
        t = b + bsig1(g) + ch(g, h, a) + load<u64>(k, 48) + load<u64>(w, 48); f += t; b = t + bsig0(c) + maj(c, d, e);
        t = a + bsig1(f) + ch(f, g, h) + load<u64>(k, 56) + load<u64>(w, 56); e += t; a = t + bsig0(b) + maj(b, c, d);
      }
      h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
    }
    this.h0 = h0; this.h1 = h1; this.h2 = h2; this.h3 = h3;
    this.h4 = h4; this.h5 = h5; this.h6 = h6; this.h7 = h7;
  }

  // SHA-384 keeps the first six words.
  output(out: usize): void {
    storeBE64(out, this.h0); storeBE64(out + 8, this.h1); storeBE64(out + 16, this.h2);
    storeBE64(out + 24, this.h3); storeBE64(out + 32, this.h4); storeBE64(out + 40, this.h5);
    if (this.digestLen == 64) {
      storeBE64(out + 48, this.h6); storeBE64(out + 56, this.h7);
    }
  }
}
