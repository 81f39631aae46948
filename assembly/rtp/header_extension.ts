// RFC 8285 §4.2-§4.3: one-byte and two-byte RTP header extension elements.
import { ByteWriter } from "../util/bytes";

export const EXT_PROFILE_ONE_BYTE: u16 = 0xbede;
// §4.3: 0x100 in the top 12 bits; the low 4 bits are "appbits", free for the application.
export const EXT_PROFILE_TWO_BYTE: u16 = 0x1000;
export const EXT_MAX_ELEMENTS: i32 = 16;

export function isTwoByteProfile(profile: u16): bool {
  return (profile & 0xfff0) == EXT_PROFILE_TWO_BYTE;
}

// The elements of one extension block, as offsets into the packet. A packet with more than
// EXT_MAX_ELEMENTS elements or an element running past the block is rejected as a whole:
// a well-behaved sender never needs more, and a partial view would hide the lie.
export class HeaderExtensions {
  count: i32 = 0;
  ids: StaticArray<u8> = new StaticArray<u8>(EXT_MAX_ELEMENTS);
  offsets: StaticArray<i32> = new StaticArray<i32>(EXT_MAX_ELEMENTS);
  lengths: StaticArray<i32> = new StaticArray<i32>(EXT_MAX_ELEMENTS);
  buf: Uint8Array = new Uint8Array(0);

  // Parses extension data buf[off, off+len) under the given profile. Returns false for a
  // malformed block (and for profiles other than RFC 8285's, which this endpoint never
  // negotiates; count is then 0).
  parse(profile: u16, buf: Uint8Array, off: i32, len: i32): bool {
    this.count = 0;
    this.buf = buf;
    if (off < 0 || len < 0 || off + len > buf.length) return false;
    const two = isTwoByteProfile(profile);
    if (!two && profile != EXT_PROFILE_ONE_BYTE) return false;
    const end = off + len;
    let i = off;
    while (i < end) {
      const b = <i32>buf[i];
      if (b == 0) {
        i++; // padding octet, either form
        continue;
      }
      let id: i32, n: i32;
      if (two) {
        if (i + 2 > end) return false;
        id = b;
        n = <i32>buf[i + 1];
        i += 2;
      } else {
        id = b >> 4;
        // §4.2: ID 15 is reserved; a receiver stops processing the block there.
        if (id == 15) break;
        n = (b & 15) + 1;
        i += 1;
      }
      if (i + n > end) return false;
      if (this.count == EXT_MAX_ELEMENTS) return false;
      unchecked((this.ids[this.count] = <u8>id));
      unchecked((this.offsets[this.count] = i));
      unchecked((this.lengths[this.count] = n));
      this.count++;
      i += n;
    }
    return true;
  }

  // Index of the element with this id, or -1.
  find(id: u8): i32 {
    for (let k = 0; k < this.count; k++) if (unchecked(this.ids[k]) == id) return k;
    return -1;
  }

  value(k: i32): Uint8Array {
    if (k < 0 || k >= this.count) return new Uint8Array(0);
    const o = unchecked(this.offsets[k]);
    return this.buf.subarray(o, o + unchecked(this.lengths[k]));
  }
}

// Builds an extension block. The one-byte form is used while every element fits it (ids 1-14,
// 1-16 bytes); otherwise the two-byte form (§4.3, ids 1-255, 0-255 bytes).
export class HeaderExtensionBuilder {
  ids: u8[] = [];
  values: Uint8Array[] = [];

  add(id: u8, value: Uint8Array): bool {
    if (id == 0 || value.length > 255 || this.ids.length >= EXT_MAX_ELEMENTS) return false;
    this.ids.push(id);
    this.values.push(value);
    return true;
  }

  clear(): void {
    this.ids.length = 0;
    this.values.length = 0;
  }

  twoByte(): bool {
    for (let k = 0; k < this.ids.length; k++) {
      const n = this.values[k].length;
      if (this.ids[k] > 14 || n < 1 || n > 16) return true;
    }
    return false;
  }

  profile(): u16 {
    return this.twoByte() ? EXT_PROFILE_TWO_BYTE : EXT_PROFILE_ONE_BYTE;
  }

  // The block's data, padded to whole words, without the 4-byte profile/length header.
  build(): Uint8Array {
    const two = this.twoByte();
    let n = 0;
    for (let k = 0; k < this.ids.length; k++) n += (two ? 2 : 1) + this.values[k].length;
    const out = new Uint8Array((n + 3) & ~3);
    const w = new ByteWriter(out);
    for (let k = 0; k < this.ids.length; k++) {
      const v = this.values[k];
      if (two) {
        w.u8(this.ids[k]);
        w.u8(v.length);
      } else {
        w.u8((<u32>this.ids[k] << 4) | <u32>(v.length - 1));
      }
      w.bytes(v);
    }
    return out;
  }
}
