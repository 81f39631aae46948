// Byte readers and writers over Uint8Array, big-endian as network protocols are.
// Reading never traps: a read past the end returns 0 and clears `ok`, so parsers check once.

export class ByteReader {
  pos: i32;
  end: i32;
  ok: bool = true;

  constructor(public buf: Uint8Array, start: i32 = 0, end: i32 = -1) {
    const len = buf.length;
    this.end = end < 0 || end > len ? len : end;
    this.pos = start < 0 ? 0 : start > this.end ? this.end : start;
  }

  get remaining(): i32 {
    return this.end - this.pos;
  }

  has(n: i32): bool {
    return n >= 0 && this.end - this.pos >= n;
  }

  private take(n: i32): i32 {
    if (!this.ok || !this.has(n)) {
      this.ok = false;
      this.pos = this.end;
      return -1;
    }
    const at = this.pos;
    this.pos = at + n;
    return at;
  }

  u8(): u8 {
    const at = this.take(1);
    return at < 0 ? 0 : load<u8>(this.buf.dataStart + <usize>at);
  }

  u16(): u16 {
    const at = this.take(2);
    return at < 0 ? 0 : bswap<u16>(load<u16>(this.buf.dataStart + <usize>at));
  }

  u24(): u32 {
    const at = this.take(3);
    if (at < 0) return 0;
    const p = this.buf.dataStart + <usize>at;
    return (<u32>load<u8>(p) << 16) | (<u32>load<u8>(p + 1) << 8) | <u32>load<u8>(p + 2);
  }

  u32(): u32 {
    const at = this.take(4);
    return at < 0 ? 0 : bswap<u32>(load<u32>(this.buf.dataStart + <usize>at));
  }

  u48(): u64 {
    const hi = <u64>this.u16();
    return (hi << 32) | <u64>this.u32();
  }

  u64(): u64 {
    const at = this.take(8);
    return at < 0 ? 0 : bswap<u64>(load<u64>(this.buf.dataStart + <usize>at));
  }

  skip(n: i32): void {
    this.take(n);
  }

  // A view (no copy) of the next n bytes; empty when short.
  view(n: i32): Uint8Array {
    const at = this.take(n);
    return at < 0 ? new Uint8Array(0) : this.buf.subarray(at, at + n);
  }

  // A copy of the next n bytes; empty when short.
  bytes(n: i32): Uint8Array {
    const at = this.take(n);
    return at < 0 ? new Uint8Array(0) : this.buf.slice(at, at + n);
  }
}

// Writes into a fixed buffer. Writing past the end clears `ok` and writes nothing more,
// so a writer never grows memory behind the caller's back.
export class ByteWriter {
  pos: i32;
  ok: bool = true;

  constructor(public buf: Uint8Array, start: i32 = 0) {
    this.pos = start;
  }

  get remaining(): i32 {
    return this.buf.length - this.pos;
  }

  private room(n: i32): usize {
    if (!this.ok || n < 0 || this.buf.length - this.pos < n) {
      this.ok = false;
      return 0;
    }
    const p = this.buf.dataStart + <usize>this.pos;
    this.pos += n;
    return p;
  }

  u8(v: u32): void {
    const p = this.room(1);
    if (p) store<u8>(p, <u8>v);
  }

  u16(v: u32): void {
    const p = this.room(2);
    if (p) store<u16>(p, bswap<u16>(<u16>v));
  }

  u24(v: u32): void {
    const p = this.room(3);
    if (p) {
      store<u8>(p, <u8>(v >> 16));
      store<u8>(p + 1, <u8>(v >> 8));
      store<u8>(p + 2, <u8>v);
    }
  }

  u32(v: u32): void {
    const p = this.room(4);
    if (p) store<u32>(p, bswap<u32>(v));
  }

  u48(v: u64): void {
    this.u16(<u32>(v >> 32));
    this.u32(<u32>v);
  }

  u64(v: u64): void {
    const p = this.room(8);
    if (p) store<u64>(p, bswap<u64>(v));
  }

  bytes(src: Uint8Array, off: i32 = 0, len: i32 = -1): void {
    const n = len < 0 ? src.length - off : len;
    if (off < 0 || n < 0 || off + n > src.length) {
      this.ok = false;
      return;
    }
    const p = this.room(n);
    if (p) memory.copy(p, src.dataStart + <usize>off, <usize>n);
  }

  zeros(n: i32): void {
    const p = this.room(n);
    if (p) memory.fill(p, 0, <usize>n);
  }

  // Writes a big-endian length into an earlier placeholder (for TLV encodings).
  patchU16(at: i32, v: u32): void {
    if (at >= 0 && at + 2 <= this.buf.length) store<u16>(this.buf.dataStart + <usize>at, bswap<u16>(<u16>v));
  }

  patchU24(at: i32, v: u32): void {
    if (at >= 0 && at + 3 <= this.buf.length) {
      const p = this.buf.dataStart + <usize>at;
      store<u8>(p, <u8>(v >> 16));
      store<u8>(p + 1, <u8>(v >> 8));
      store<u8>(p + 2, <u8>v);
    }
  }

  // The bytes written so far, as a view.
  written(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}
