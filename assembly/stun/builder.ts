// RFC 8489 §5, §14 (attribute encoding and padding), §14.5-14.7 (MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT last).
import { crc32 } from "../crypto/crc32";
import { HashAlg } from "../crypto/hash";
import { Hmac } from "../crypto/hmac";
import { randomFill } from "../crypto/random";
import { FINGERPRINT_XOR, HEADER_LENGTH, MAGIC_COOKIE, TID_LENGTH } from "./message";
import { ATTR_FINGERPRINT, ATTR_MESSAGE_INTEGRITY, ATTR_MESSAGE_INTEGRITY_SHA256 } from "./attr_types";

// A fresh random 96-bit transaction id (RFC 8489 §5: uniformly and randomly chosen).
export function newTransactionId(): Uint8Array {
  const tid = new Uint8Array(TID_LENGTH);
  randomFill(tid);
  return tid;
}

// Writes one message into a fixed buffer. Every attribute updates the header's length field at
// once, so the integrity and fingerprint attributes (which hash the header) see the right value.
// Past the buffer's end `ok` clears and nothing more is written: finish() then returns null.
export class StunBuilder {
  buf: Uint8Array;
  pos: i32 = 0;
  ok: bool = false;
  // What fills the 0-3 padding bytes after a value; any value is legal (RFC 8489 §14), zero is
  // normal, RFC 5769's vectors use 0x20.
  padByte: u8 = 0;
  private sealed: bool = false;

  constructor(capacity: i32 = 1280) {
    this.buf = new Uint8Array(capacity < HEADER_LENGTH ? HEADER_LENGTH : capacity);
  }

  // Starts a message of this type (see messageType) with tid[off, off+12).
  begin(type: u16, tid: Uint8Array, off: i32 = 0): StunBuilder {
    this.pos = 0;
    this.sealed = false;
    this.ok = off >= 0 && off <= tid.length - TID_LENGTH;
    if (!this.ok) return this;
    const p = this.buf.dataStart;
    store<u16>(p, bswap<u16>(type & 0x3fff));
    store<u16>(p + 2, 0);
    store<u32>(p + 4, bswap<u32>(MAGIC_COOKIE));
    memory.copy(p + 8, tid.dataStart + <usize>off, TID_LENGTH);
    this.pos = HEADER_LENGTH;
    return this;
  }

  private setLength(): void {
    store<u16>(this.buf.dataStart + 2, bswap<u16>(<u16>(this.pos - HEADER_LENGTH)));
  }

  // Reserves an attribute with a len-byte value (padding written), returns the value's offset
  // in buf, or -1 when it does not fit or the message is already sealed by FINGERPRINT.
  attr(type: u16, len: i32): i32 {
    if (!this.ok || this.sealed || len < 0 || len > 0xffff) {
      this.ok = false;
      return -1;
    }
    const padded = (len + 3) & ~3;
    if (this.pos + 4 + padded > this.buf.length || this.pos + 4 + padded - HEADER_LENGTH > 0xffff) {
      this.ok = false;
      return -1;
    }
    const p = this.buf.dataStart + <usize>this.pos;
    store<u16>(p, bswap<u16>(type));
    store<u16>(p + 2, bswap<u16>(<u16>len));
    if (padded > len) memory.fill(p + 4 + <usize>len, this.padByte, <usize>(padded - len));
    const at = this.pos + 4;
    this.pos += 4 + padded;
    this.setLength();
    return at;
  }

  addBytes(type: u16, data: Uint8Array, off: i32 = 0, len: i32 = -1): StunBuilder {
    if (len < 0) len = data.length - off;
    if (off < 0 || len < 0 || off > data.length - len) {
      this.ok = false;
      return this;
    }
    const at = this.attr(type, len);
    if (at >= 0) memory.copy(this.buf.dataStart + <usize>at, data.dataStart + <usize>off, <usize>len);
    return this;
  }

  // A UTF-8 text value.
  addString(type: u16, s: string): StunBuilder {
    return this.addBytes(type, Uint8Array.wrap(String.UTF8.encode(s)));
  }

  addEmpty(type: u16): StunBuilder {
    this.attr(type, 0);
    return this;
  }

  addU32(type: u16, v: u32): StunBuilder {
    const at = this.attr(type, 4);
    if (at >= 0) store<u32>(this.buf.dataStart + <usize>at, bswap<u32>(v));
    return this;
  }

  addU64(type: u16, v: u64): StunBuilder {
    const at = this.attr(type, 8);
    if (at >= 0) store<u64>(this.buf.dataStart + <usize>at, bswap<u64>(v));
    return this;
  }

  // MESSAGE-INTEGRITY: HMAC-SHA1 under key over the message so far, with the length field already
  // counting this attribute (RFC 8489 §14.5). Call after every other attribute but FINGERPRINT.
  addMessageIntegrity(key: Uint8Array): StunBuilder {
    this.addHmac(ATTR_MESSAGE_INTEGRITY, HashAlg.SHA1, key, 20);
    return this;
  }

  // MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6), full 32 bytes or truncated to 16..32 (multiple of 4).
  addMessageIntegritySha256(key: Uint8Array, len: i32 = 32): StunBuilder {
    if (len < 16 || len > 32 || (len & 3) != 0) this.ok = false;
    else this.addHmac(ATTR_MESSAGE_INTEGRITY_SHA256, HashAlg.SHA256, key, len);
    return this;
  }

  private addHmac(type: u16, alg: HashAlg, key: Uint8Array, len: i32): void {
    const start = this.pos;
    const at = this.attr(type, len);
    if (at < 0) return;
    const mac = new Uint8Array(32);
    const h = new Hmac(alg, key);
    h.update(this.buf, 0, start).finish(mac, 0);
    h.dispose();
    memory.copy(this.buf.dataStart + <usize>at, mac.dataStart, <usize>len);
  }

  // FINGERPRINT: CRC-32 of everything before it XOR 0x5354554e (RFC 8489 §14.7); seals the message.
  addFingerprint(): StunBuilder {
    const start = this.pos;
    const at = this.attr(ATTR_FINGERPRINT, 4);
    if (at < 0) return this;
    store<u32>(this.buf.dataStart + <usize>at, bswap<u32>(crc32(this.buf, 0, start) ^ FINGERPRINT_XOR));
    this.sealed = true;
    return this;
  }

  // A view of the finished message (valid until the next begin), or null when it overflowed.
  finish(): Uint8Array | null {
    return this.ok ? this.buf.subarray(0, this.pos) : null;
  }

  // A copy of the finished message, or null.
  copy(): Uint8Array | null {
    return this.ok ? this.buf.slice(0, this.pos) : null;
  }
}
