// RFC 8489 §5 (message structure), §6.3 (receiving a STUN message), §14 (attribute TLVs and their order).
import { crc32 } from "../crypto/crc32";
import { ctEqual } from "../util/ct";
import {
  ATTR_FINGERPRINT,
  ATTR_MESSAGE_INTEGRITY,
  ATTR_MESSAGE_INTEGRITY_SHA256,
  isComprehensionRequired,
  isKnownRequired,
} from "./attr_types";

export const MAGIC_COOKIE: u32 = 0x2112a442;
export const HEADER_LENGTH: i32 = 20;
export const TID_LENGTH: i32 = 12;
export const FINGERPRINT_XOR: u32 = 0x5354554e;
// A bound on attributes recorded per message; a datagram with more is dropped, not grown into.
export const MAX_ATTRIBUTES: i32 = 32;

export const CLASS_REQUEST: u8 = 0;
export const CLASS_INDICATION: u8 = 1;
export const CLASS_SUCCESS: u8 = 2;
export const CLASS_ERROR: u8 = 3;

export const METHOD_BINDING: u16 = 0x001;
// RFC 8656 §17
export const METHOD_ALLOCATE: u16 = 0x003;
export const METHOD_REFRESH: u16 = 0x004;
export const METHOD_SEND: u16 = 0x006;
export const METHOD_DATA: u16 = 0x007;
export const METHOD_CREATE_PERMISSION: u16 = 0x008;
export const METHOD_CHANNEL_BIND: u16 = 0x009;

// The 14-bit message type interleaves method bits M0-M11 with class bits C0 (bit 4) and C1 (bit 8).
export function messageType(method: u16, cls: u8): u16 {
  const m = <u32>method & 0xfff;
  const c = <u32>cls & 3;
  return <u16>((m & 0x000f) | ((m & 0x0070) << 1) | ((m & 0x0f80) << 2) | ((c & 1) << 4) | ((c & 2) << 7));
}

export function methodOf(type: u16): u16 {
  const t = <u32>type;
  return <u16>((t & 0x000f) | ((t >> 1) & 0x0070) | ((t >> 2) & 0x0f80));
}

export function classOf(type: u16): u8 {
  const t = <u32>type;
  return <u8>(((t >> 4) & 1) | ((t >> 7) & 2));
}

export const enum ParseResult {
  Ok = 0,
  TooShort = 1,
  NotStun = 2, // top bits set or no magic cookie: some other protocol's datagram
  BadLength = 3, // length not a multiple of 4, or not the datagram's size
  BadAttribute = 4, // an attribute runs past the end, or a fixed-size one has the wrong size
  TooManyAttributes = 5,
  AfterFingerprint = 6, // anything after FINGERPRINT
  BadFingerprint = 7,
}

// A cheap test for demultiplexing (RFC 7983: first byte 0-3) before a full parse.
export function looksLikeStun(data: Uint8Array, off: i32 = 0, len: i32 = -1): bool {
  if (off < 0 || off > data.length) return false;
  if (len < 0 || len > data.length - off) len = data.length - off;
  if (len < HEADER_LENGTH) return false;
  const p = data.dataStart + <usize>off;
  if ((load<u8>(p) & 0xc0) != 0) return false;
  const mlen = <i32>bswap<u16>(load<u16>(p + 2));
  return bswap<u32>(load<u32>(p + 4)) == MAGIC_COOKIE && (mlen & 3) == 0 && mlen + HEADER_LENGTH == len;
}

// A parsed view of one STUN message. Reusable: parse() resets it, and it never allocates beyond
// its fixed attribute table and the view of the datagram it was given.
export class StunMessage {
  // Exactly the message's bytes (header and attributes), a view of the caller's datagram.
  buf: Uint8Array = new Uint8Array(0);
  type: u16 = 0;
  method: u16 = 0;
  cls: u8 = 0;
  length: i32 = 0;
  attrCount: i32 = 0;
  // Offsets (into buf) of the attribute headers of the first MESSAGE-INTEGRITY(-SHA256) and
  // FINGERPRINT, -1 when absent.
  integrityAt: i32 = -1;
  integritySha256At: i32 = -1;
  fingerprintAt: i32 = -1;
  private types: StaticArray<u16> = new StaticArray<u16>(MAX_ATTRIBUTES);
  private offsets: StaticArray<i32> = new StaticArray<i32>(MAX_ATTRIBUTES);
  private lengths: StaticArray<i32> = new StaticArray<i32>(MAX_ATTRIBUTES);

  // Checks the header, walks every attribute TLV, and checks FINGERPRINT when present. Attributes
  // after MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are not recorded
  // (RFC 8489 §14.5: they are not covered by the integrity check, so they must be ignored).
  parse(data: Uint8Array, off: i32 = 0, len: i32 = -1): ParseResult {
    this.reset();
    if (off < 0 || off > data.length) return ParseResult.TooShort;
    if (len < 0 || len > data.length - off) len = data.length - off;
    if (len < HEADER_LENGTH) return ParseResult.TooShort;
    const p = data.dataStart + <usize>off;
    if ((load<u8>(p) & 0xc0) != 0 || bswap<u32>(load<u32>(p + 4)) != MAGIC_COOKIE) return ParseResult.NotStun;
    const mlen = <i32>bswap<u16>(load<u16>(p + 2));
    if ((mlen & 3) != 0 || mlen + HEADER_LENGTH != len) return ParseResult.BadLength;
    const buf = data.subarray(off, off + len);
    const base = buf.dataStart;
    let pos = HEADER_LENGTH;
    let count = 0;
    while (pos < len) {
      if (this.fingerprintAt >= 0) return ParseResult.AfterFingerprint;
      if (len - pos < 4) return ParseResult.BadAttribute;
      const at = bswap<u16>(load<u16>(base + <usize>pos));
      const alen = <i32>bswap<u16>(load<u16>(base + <usize>pos + 2));
      const padded = (alen + 3) & ~3;
      if (padded > len - pos - 4) return ParseResult.BadAttribute;
      if (at == ATTR_FINGERPRINT) {
        if (alen != 4) return ParseResult.BadAttribute;
        this.fingerprintAt = pos;
      } else if (this.integritySha256At >= 0) {
        // only FINGERPRINT may follow MESSAGE-INTEGRITY-SHA256
      } else if (at == ATTR_MESSAGE_INTEGRITY_SHA256) {
        if (alen < 16 || alen > 32 || (alen & 3) != 0) return ParseResult.BadAttribute;
        this.integritySha256At = pos;
      } else if (this.integrityAt >= 0) {
        // ignored: after MESSAGE-INTEGRITY
      } else if (at == ATTR_MESSAGE_INTEGRITY) {
        if (alen != 20) return ParseResult.BadAttribute;
        this.integrityAt = pos;
      } else {
        if (count >= MAX_ATTRIBUTES) return ParseResult.TooManyAttributes;
        unchecked((this.types[count] = at));
        unchecked((this.offsets[count] = pos + 4));
        unchecked((this.lengths[count] = alen));
        count++;
      }
      pos += 4 + padded;
    }
    if (this.fingerprintAt >= 0) {
      const want = crc32(buf, 0, this.fingerprintAt) ^ FINGERPRINT_XOR;
      if (bswap<u32>(load<u32>(base + <usize>this.fingerprintAt + 4)) != want) return ParseResult.BadFingerprint;
    }
    const type = bswap<u16>(load<u16>(p));
    this.buf = buf;
    this.type = type;
    this.method = methodOf(type);
    this.cls = classOf(type);
    this.length = mlen;
    this.attrCount = count;
    return ParseResult.Ok;
  }

  private reset(): void {
    this.buf = new Uint8Array(0);
    this.type = 0;
    this.method = 0;
    this.cls = 0;
    this.length = 0;
    this.attrCount = 0;
    this.integrityAt = -1;
    this.integritySha256At = -1;
    this.fingerprintAt = -1;
  }

  get valid(): bool {
    return this.buf.length >= HEADER_LENGTH;
  }

  get hasFingerprint(): bool {
    return this.fingerprintAt >= 0;
  }

  // A copy of the 12-byte transaction id.
  transactionId(): Uint8Array {
    return this.valid ? this.buf.slice(8, 20) : new Uint8Array(TID_LENGTH);
  }

  // Whether the transaction id equals tid[off, off+12) (not secret: a plain compare).
  tidEquals(tid: Uint8Array, off: i32 = 0): bool {
    return this.valid && ctEqual(this.buf, 8, tid, off, TID_LENGTH);
  }

  attrType(i: i32): u16 {
    return i >= 0 && i < this.attrCount ? unchecked(this.types[i]) : 0;
  }

  // Offset in buf of attribute i's value.
  attrOffset(i: i32): i32 {
    return i >= 0 && i < this.attrCount ? unchecked(this.offsets[i]) : 0;
  }

  attrLength(i: i32): i32 {
    return i >= 0 && i < this.attrCount ? unchecked(this.lengths[i]) : 0;
  }

  // Index of the first attribute of this type (duplicates after it are ignored), or -1.
  find(type: u16): i32 {
    for (let i = 0; i < this.attrCount; i++) if (unchecked(this.types[i]) == type) return i;
    return -1;
  }

  has(type: u16): bool {
    return this.find(type) >= 0;
  }

  // A view of the first value of this type, or null.
  value(type: u16): Uint8Array | null {
    const i = this.find(type);
    if (i < 0) return null;
    const o = unchecked(this.offsets[i]);
    return this.buf.subarray(o, o + unchecked(this.lengths[i]));
  }

  // The value as a big-endian u32 when it is exactly 4 bytes; otherwise `dflt`.
  u32Value(type: u16, dflt: u32 = 0): u32 {
    const i = this.find(type);
    if (i < 0 || unchecked(this.lengths[i]) != 4) return dflt;
    return bswap<u32>(load<u32>(this.buf.dataStart + <usize>unchecked(this.offsets[i])));
  }

  // Writes into out the comprehension-required types this core does not understand (RFC 8489
  // §6.3.1: a request with any of them gets a 420 listing them); returns how many (up to out's size).
  unknownRequired(out: StaticArray<u16>): i32 {
    let n = 0;
    for (let i = 0; i < this.attrCount && n < out.length; i++) {
      const t = unchecked(this.types[i]);
      if (isComprehensionRequired(t) && !isKnownRequired(t)) {
        let dup = false;
        for (let k = 0; k < n; k++) if (out[k] == t) dup = true;
        if (!dup) out[n++] = t;
      }
    }
    return n;
  }
}
