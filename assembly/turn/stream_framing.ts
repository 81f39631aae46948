// RFC 8656 §12.5 and RFC 6062 §4: over TCP/TLS, STUN messages and (padded) ChannelData messages follow each other on one byte stream.
import { HEADER_LENGTH, MAGIC_COOKIE } from "../stun/message";
import { CHANNEL_DATA_HEADER } from "./channel_data";

// Cuts a byte stream into whole messages. Bytes arrive in arbitrary pieces: a message split
// across reads, several in one read. The buffer is fixed at construction (the largest message
// the owner accepts); a message that declares more is skipped over, not grown into. Bytes that
// are neither STUN nor ChannelData leave no way to find the next message boundary: the stream
// is `broken` and the owner should close the connection.
export class StreamFramer {
  private buf: Uint8Array;
  private have: i32 = 0;
  private skipping: i32 = 0;
  broken: bool = false;
  // Messages skipped for being larger than the buffer.
  oversized: u32 = 0;

  constructor(capacity: i32 = 2048) {
    this.buf = new Uint8Array(capacity < 64 ? 64 : capacity);
  }

  get buffered(): i32 {
    return this.have;
  }

  // Takes bytes from data[off, off+len); returns how many it took (fewer than len when the
  // buffer is full: take the messages out with next() and push the rest).
  push(data: Uint8Array, off: i32 = 0, len: i32 = -1): i32 {
    if (off < 0 || off > data.length) return 0;
    if (len < 0 || len > data.length - off) len = data.length - off;
    if (this.broken) return len; // swallowed: nothing more can be framed
    let taken = 0;
    if (this.skipping > 0) {
      taken = min(this.skipping, len);
      this.skipping -= taken;
    }
    const n = min(len - taken, this.buf.length - this.have);
    memory.copy(this.buf.dataStart + <usize>this.have, data.dataStart + <usize>(off + taken), <usize>n);
    this.have += n;
    return taken + n;
  }

  // The next whole message (a copy; a ChannelData message without its padding), or null when
  // more bytes are needed.
  next(): Uint8Array | null {
    for (;;) {
      if (this.broken || this.have < 4) return null;
      const p = this.buf.dataStart;
      const first = load<u8>(p);
      const declared = <i32>bswap<u16>(load<u16>(p + 2));
      let frame: i32, wire: i32;
      if ((first & 0xc0) == 0) {
        // STUN: 20-byte header + length; the cookie confirms it once the header is in.
        if (this.have >= 8 && bswap<u32>(load<u32>(p + 4)) != MAGIC_COOKIE) {
          this.broken = true;
          return null;
        }
        if ((declared & 3) != 0) {
          this.broken = true;
          return null;
        }
        frame = HEADER_LENGTH + declared;
        wire = frame;
      } else if (first >= 0x40 && first <= 0x4f) {
        frame = CHANNEL_DATA_HEADER + declared;
        wire = (frame + 3) & ~3;
      } else {
        this.broken = true;
        return null;
      }
      if (wire > this.buf.length) {
        // Too large for our buffer: drop it, and whatever of it arrives later.
        this.oversized++;
        const drop = min(wire, this.have);
        this.consume(drop);
        this.skipping = wire - drop;
        continue;
      }
      if (this.have < wire) return null;
      const out = this.buf.slice(0, frame);
      this.consume(wire);
      return out;
    }
  }

  private consume(n: i32): void {
    const rest = this.have - n;
    if (rest > 0) memory.copy(this.buf.dataStart, this.buf.dataStart + <usize>n, <usize>rest);
    this.have = rest;
  }

  reset(): void {
    this.have = 0;
    this.skipping = 0;
    this.broken = false;
  }
}
