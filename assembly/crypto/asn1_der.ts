// X.690 §8.1 and §10 (DER): a strict reader of tag-length-value elements and a small writer.
// Only what certificates need: one-byte tags, definite minimal lengths of up to four bytes.

export const TAG_INTEGER: i32 = 0x02;
export const TAG_BIT_STRING: i32 = 0x03;
export const TAG_OID: i32 = 0x06;
export const TAG_UTF8_STRING: i32 = 0x0c;
export const TAG_UTC_TIME: i32 = 0x17;
export const TAG_GENERALIZED_TIME: i32 = 0x18;
export const TAG_SEQUENCE: i32 = 0x30;
export const TAG_SET: i32 = 0x31;

// Nesting deeper than this is refused, so a hostile input cannot exhaust the stack.
const MAX_DEPTH = 24;

// Reads the elements inside [start, end) of buf one at a time. A malformed element clears `ok`
// for good, and every later read fails, so a parser can check once at the end.
export class DerReader {
  pos: i32;
  end: i32;
  ok: bool = true;
  // The element last read: its tag, where it starts, and where its value starts and ends.
  tag: i32 = -1;
  start: i32 = 0;
  valueStart: i32 = 0;
  valueEnd: i32 = 0;

  constructor(public buf: Uint8Array, start: i32 = 0, end: i32 = -1) {
    const len = buf.length;
    this.end = end < 0 || end > len ? len : end;
    this.pos = start < 0 ? 0 : start > this.end ? this.end : start;
  }

  // True when every element was read and well-formed.
  atEnd(): bool {
    return this.ok && this.pos == this.end;
  }

  // The next element's tag without reading it; -1 at the end or after an error.
  peekTag(): i32 {
    return this.ok && this.pos < this.end ? <i32>unchecked(this.buf[this.pos]) : -1;
  }

  private fail(): bool {
    this.ok = false;
    this.tag = -1;
    this.pos = this.end;
    return false;
  }

  // Reads the next element's header and moves past its value.
  next(): bool {
    if (!this.ok || this.end - this.pos < 2) return this.fail();
    const buf = this.buf;
    let p = this.pos;
    const tag = <i32>unchecked(buf[p++]);
    // Tag 0 is end-of-contents, which DER never has; 0x1f starts a multi-byte tag we never need.
    if (tag == 0 || (tag & 0x1f) == 0x1f) return this.fail();
    const first = <i32>unchecked(buf[p++]);
    let len: i64 = first;
    if (first >= 0x80) {
      const n = first & 0x7f;
      // 0x80 is the indefinite form; more than four length bytes cannot fit any buffer here.
      if (n == 0 || n > 4 || this.end - p < n) return this.fail();
      len = 0;
      for (let i = 0; i < n; i++) len = (len << 8) | <i64>unchecked(buf[p++]);
      // DER lengths are minimal: no leading zero byte, and the long form only from 128 up.
      if (unchecked(buf[p - n]) == 0 || len < 0x80) return this.fail();
    }
    if (len > <i64>(this.end - p)) return this.fail();
    this.tag = tag;
    this.start = this.pos;
    this.valueStart = p;
    this.valueEnd = p + <i32>len;
    this.pos = this.valueEnd;
    return true;
  }

  // Reads the next element, which must carry the given tag.
  expect(tag: i32): bool {
    if (this.peekTag() != tag) return this.fail();
    return this.next();
  }

  // A reader over the value of the next element, which must carry the given tag.
  enter(tag: i32): DerReader | null {
    if (!this.expect(tag)) return null;
    return new DerReader(this.buf, this.valueStart, this.valueEnd);
  }

  // The value of the element last read, as a view.
  value(): Uint8Array {
    return this.buf.subarray(this.valueStart, this.valueEnd);
  }

  // The whole element last read (header and value), as a view.
  element(): Uint8Array {
    return this.buf.subarray(this.start, this.valueEnd);
  }

  // True when the value of the element last read equals the given bytes.
  valueEquals(expected: Uint8Array): bool {
    const n = this.valueEnd - this.valueStart;
    if (n != expected.length) return false;
    for (let i = 0; i < n; i++) if (unchecked(this.buf[this.valueStart + i]) != unchecked(expected[i])) return false;
    return true;
  }
}

// True when buf[start, end) is a series of well-formed DER elements, nested ones included.
// In DER the only constructed universal types a certificate has are SEQUENCE and SET; a
// constructed string (allowed in BER) is refused.
export function derWellFormed(buf: Uint8Array, start: i32, end: i32, depth: i32 = 0): bool {
  if (depth > MAX_DEPTH) return false;
  const r = new DerReader(buf, start, end);
  while (r.ok && r.pos < r.end) {
    if (!r.next()) return false;
    const tag = r.tag;
    if ((tag & 0x20) == 0) continue;
    if ((tag & 0xc0) == 0 && tag != TAG_SEQUENCE && tag != TAG_SET) return false;
    if (!derWellFormed(buf, r.valueStart, r.valueEnd, depth + 1)) return false;
  }
  return r.atEnd();
}

// ---- writing ----

function lengthSize(len: i32): i32 {
  return len < 0x80 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : len < 0x1000000 ? 4 : 5;
}

// tag || length || the parts one after another.
export function derElement(tag: i32, parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (let i = 0; i < parts.length; i++) len += parts[i].length;
  const hl = 1 + lengthSize(len);
  const out = new Uint8Array(hl + len);
  out[0] = <u8>tag;
  if (len < 0x80) {
    out[1] = <u8>len;
  } else {
    const n = hl - 2;
    out[1] = <u8>(0x80 | n);
    for (let i = 0; i < n; i++) out[2 + i] = <u8>(len >>> (8 * (n - 1 - i)));
  }
  let at = hl;
  for (let i = 0; i < parts.length; i++) {
    out.set(parts[i], at);
    at += parts[i].length;
  }
  return out;
}

export function derOne(tag: i32, value: Uint8Array): Uint8Array {
  return derElement(tag, [value]);
}

export function derSequence(parts: Uint8Array[]): Uint8Array {
  return derElement(TAG_SEQUENCE, parts);
}

// An INTEGER holding the unsigned big-endian magnitude: minimal, with a 0x00 when the top bit
// is set so the value stays positive.
export function derUnsigned(magnitude: Uint8Array): Uint8Array {
  let skip = 0;
  while (skip < magnitude.length - 1 && magnitude[skip] == 0) skip++;
  const v = magnitude.subarray(skip);
  if (v.length == 0 || v[0] >= 0x80) {
    const padded = new Uint8Array(v.length + 1);
    padded.set(v, 1);
    return derOne(TAG_INTEGER, padded);
  }
  return derOne(TAG_INTEGER, v);
}

// A BIT STRING of whole bytes (no unused bits).
export function derBitString(bytes: Uint8Array): Uint8Array {
  const lead = new Uint8Array(1);
  return derElement(TAG_BIT_STRING, [lead, bytes]);
}

// Bytes from a list of small values, for constants such as encoded OIDs.
export function bytesOf(values: u8[]): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}
