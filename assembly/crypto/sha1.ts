// FIPS 180-4 §6.1: SHA-1 (still needed for STUN MESSAGE-INTEGRITY, RFC 8489, and SRTP HMAC-SHA1, RFC 3711).
import { MdHash } from "./md_hash";
import { loadBE32, storeBE32 } from "../util/endian";

// The message schedule of the block being compressed (one module, one thread: shared scratch).
const W = memory.data(80 * 4, 16);

// @ts-ignore: decorator
@inline function ch(x: u32, y: u32, z: u32): u32 { return z ^ (x & (y ^ z)); }
// @ts-ignore: decorator
@inline function parity(x: u32, y: u32, z: u32): u32 { return x ^ y ^ z; }
// @ts-ignore: decorator
@inline function maj(x: u32, y: u32, z: u32): u32 { return (x & y) | (z & (x | y)); }

export class Sha1 extends MdHash {
  private h0: u32 = 0x67452301;
  private h1: u32 = 0xefcdab89;
  private h2: u32 = 0x98badcfe;
  private h3: u32 = 0x10325476;
  private h4: u32 = 0xc3d2e1f0;

  constructor() {
    super(64, 20);
  }

  blank(): MdHash {
    return new Sha1();
  }

  protected copyState(o: MdHash): void {
    const s = changetype<Sha1>(o);
    this.h0 = s.h0; this.h1 = s.h1; this.h2 = s.h2; this.h3 = s.h3; this.h4 = s.h4;
  }

  // Five rounds per loop pass with the working variables renamed instead of shifted: each round
  // adds into the slot that becomes the new `a` and rotates the old `b` in place.
  compress(p: usize, n: i32): void {
    let h0 = this.h0, h1 = this.h1, h2 = this.h2, h3 = this.h3, h4 = this.h4;
    for (; n > 0; n--, p += 64) {
      for (let i: usize = 0; i < 64; i += 4) store<u32>(W + i, loadBE32(p + i));
      for (let w = W + 64; w < W + 320; w += 4) {
        store<u32>(w, rotl(load<u32>(w - 12) ^ load<u32>(w - 32) ^ load<u32>(w - 56) ^ load<u32>(w - 64), 1));
      }
      let a = h0, b = h1, c = h2, d = h3, e = h4;
      let w = W;
      for (; w < W + 80; w += 20) {
        e += rotl(a, 5) + ch(b, c, d) + 0x5a827999 + load<u32>(w, 0); b = rotl(b, 30);
        d += rotl(e, 5) + ch(a, b, c) + 0x5a827999 + load<u32>(w, 4); a = rotl(a, 30);
        c += rotl(d, 5) + ch(e, a, b) + 0x5a827999 + load<u32>(w, 8); e = rotl(e, 30);
        b += rotl(c, 5) + ch(d, e, a) + 0x5a827999 + load<u32>(w, 12); d = rotl(d, 30);
        a += rotl(b, 5) + ch(c, d, e) + 0x5a827999 + load<u32>(w, 16); c = rotl(c, 30);
      }
      for (; w < W + 160; w += 20) {
        e += rotl(a, 5) + parity(b, c, d) + 0x6ed9eba1 + load<u32>(w, 0); b = rotl(b, 30);
        d += rotl(e, 5) + parity(a, b, c) + 0x6ed9eba1 + load<u32>(w, 4); a = rotl(a, 30);
        c += rotl(d, 5) + parity(e, a, b) + 0x6ed9eba1 + load<u32>(w, 8); e = rotl(e, 30);
        b += rotl(c, 5) + parity(d, e, a) + 0x6ed9eba1 + load<u32>(w, 12); d = rotl(d, 30);
        a += rotl(b, 5) + parity(c, d, e) + 0x6ed9eba1 + load<u32>(w, 16); c = rotl(c, 30);
      }
      for (; w < W + 240; w += 20) {
        e += rotl(a, 5) + maj(b, c, d) + 0x8f1bbcdc + load<u32>(w, 0); b = rotl(b, 30);
        d += rotl(e, 5) + maj(a, b, c) + 0x8f1bbcdc + load<u32>(w, 4); a = rotl(a, 30);
        c += rotl(d, 5) + maj(e, a, b) + 0x8f1bbcdc + load<u32>(w, 8); e = rotl(e, 30);
        b += rotl(c, 5) + maj(d, e, a) + 0x8f1bbcdc + load<u32>(w, 12); d = rotl(d, 30);
        a += rotl(b, 5) + maj(c, d, e) + 0x8f1bbcdc + load<u32>(w, 16); c = rotl(c, 30);
      }
      for (; w < W + 320; w += 20) {
        e += rotl(a, 5) + parity(b, c, d) + 0xca62c1d6 + load<u32>(w, 0); b = rotl(b, 30);
        d += rotl(e, 5) + parity(a, b, c) + 0xca62c1d6 + load<u32>(w, 4); a = rotl(a, 30);
        c += rotl(d, 5) + parity(e, a, b) + 0xca62c1d6 + load<u32>(w, 8); e = rotl(e, 30);
        b += rotl(c, 5) + parity(d, e, a) + 0xca62c1d6 + load<u32>(w, 12); d = rotl(d, 30);
        a += rotl(b, 5) + parity(c, d, e) + 0xca62c1d6 + load<u32>(w, 16); c = rotl(c, 30);
      }
      h0 += a; h1 += b; h2 += c; h3 += d; h4 += e;
    }
    this.h0 = h0; this.h1 = h1; this.h2 = h2; this.h3 = h3; this.h4 = h4;
  }

  output(out: usize): void {
    storeBE32(out, this.h0); storeBE32(out + 4, this.h1); storeBE32(out + 8, this.h2);
    storeBE32(out + 12, this.h3); storeBE32(out + 16, this.h4);
  }
}
