// FIPS 180-4 §5.1 and §5.2: padding and block parsing shared by the SHA-1/SHA-2 cores.
import { storeBE64 } from "../util/endian";

// Buffers at most one partial block; whole blocks go to compress() straight from the input.
export abstract class MdHash {
  protected buf: StaticArray<u8>;
  protected fill: i32 = 0;
  protected total: u64 = 0;

  constructor(readonly blockLen: i32, readonly digestLen: i32) {
    this.buf = new StaticArray<u8>(blockLen);
  }

  // Runs the compression function over n whole blocks at p.
  abstract compress(p: usize, n: i32): void;

  // Writes digestLen bytes of the chaining state, big-endian.
  abstract output(out: usize): void;

  // A fresh core of the same algorithm (state not copied).
  abstract blank(): MdHash;

  // Copies the chaining state of a core of the same class.
  protected abstract copyState(o: MdHash): void;

  copyFrom(o: MdHash): void {
    memory.copy(changetype<usize>(this.buf), changetype<usize>(o.buf), <usize>this.blockLen);
    this.fill = o.fill;
    this.total = o.total;
    this.copyState(o);
  }

  clone(): MdHash {
    const c = this.blank();
    c.copyFrom(this);
    return c;
  }

  update(p: usize, len: i32): void {
    if (len <= 0) return;
    this.total += <u64>len;
    const bl = this.blockLen;
    const buf = changetype<usize>(this.buf);
    let fill = this.fill;
    if (fill > 0) {
      const take = min(bl - fill, len);
      memory.copy(buf + <usize>fill, p, <usize>take);
      fill += take;
      p += <usize>take;
      len -= take;
      if (fill < bl) {
        this.fill = fill;
        return;
      }
      this.compress(buf, 1);
      fill = 0;
    }
    const n = len / bl;
    if (n > 0) {
      this.compress(p, n);
      const used = n * bl;
      p += <usize>used;
      len -= used;
    }
    if (len > 0) memory.copy(buf, p, <usize>len);
    this.fill = len;
  }

  // Pads with 0x80, zeros and the bit length (64-bit field, or 128-bit for 128-byte blocks,
  // whose top half is always zero here), then writes the digest to out.
  finish(out: usize): void {
    const bl = this.blockLen;
    const lenField = bl >> 3;
    const buf = changetype<usize>(this.buf);
    let f = this.fill;
    store<u8>(buf + <usize>f, 0x80);
    f++;
    if (f > bl - lenField) {
      memory.fill(buf + <usize>f, 0, <usize>(bl - f));
      this.compress(buf, 1);
      f = 0;
    }
    memory.fill(buf + <usize>f, 0, <usize>(bl - 8 - f));
    storeBE64(buf + <usize>(bl - 8), this.total << 3);
    this.compress(buf, 1);
    this.output(out);
  }
}
