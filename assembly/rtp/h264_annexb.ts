// ITU-T H.264 Annex B (byte stream format): start codes delimit NAL units; RFC 6184 §1.3 NAL header fields.

export const NAL_SLICE: u8 = 1;
export const NAL_IDR: u8 = 5;
export const NAL_SEI: u8 = 6;
export const NAL_SPS: u8 = 7;
export const NAL_PPS: u8 = 8;
export const NAL_AUD: u8 = 9;
export const NAL_STAP_A: u8 = 24;
export const NAL_FU_A: u8 = 28;

// @ts-ignore: decorator
@inline export function nalType(b: u8): u8 {
  return b & 0x1f;
}

// The NAL units of an access unit, as ranges of the input (start codes and trailing zero bytes
// removed). Bounded by maxNals; a longer list is cut and `truncated` set.
export class NalUnits {
  count: i32 = 0;
  truncated: bool = false;
  offsets: StaticArray<i32>;
  lengths: StaticArray<i32>;

  constructor(public maxNals: i32 = 64) {
    this.offsets = new StaticArray<i32>(maxNals);
    this.lengths = new StaticArray<i32>(maxNals);
  }

  private add(off: i32, len: i32): void {
    if (len <= 0) return;
    if (this.count == this.maxNals) {
      this.truncated = true;
      return;
    }
    unchecked((this.offsets[this.count] = off));
    unchecked((this.lengths[this.count] = len));
    this.count++;
  }

  offset(i: i32): i32 {
    return unchecked(this.offsets[i]);
  }

  length(i: i32): i32 {
    return unchecked(this.lengths[i]);
  }

  // Splits an Annex B byte stream. Bytes before the first start code are not a NAL unit and
  // are ignored. Returns the count.
  split(au: Uint8Array): i32 {
    this.count = 0;
    this.truncated = false;
    const n = au.length;
    const p = au.dataStart;
    let nalStart = -1;
    let i = 0;
    while (i + 2 < n) {
      // A start code is 00 00 01 (a 4-byte one is a zero byte followed by it).
      if (load<u8>(p + <usize>(i + 2)) > 1) {
        i += 3; // the third byte cannot be part of any start code that begins at i, i+1 or i+2
        continue;
      }
      if (load<u8>(p + <usize>i) == 0 && load<u8>(p + <usize>(i + 1)) == 0 && load<u8>(p + <usize>(i + 2)) == 1) {
        if (nalStart >= 0) this.add(nalStart, trimZeros(au, nalStart, i) - nalStart);
        i += 3;
        nalStart = i;
        continue;
      }
      i++;
    }
    if (nalStart >= 0) this.add(nalStart, trimZeros(au, nalStart, n) - nalStart);
    return this.count;
  }
}

// End of the NAL unit before `end`: drops the zero bytes that belong to the next start code
// (its leading zero) or are trailing_zero_8bits. A NAL unit never ends in 0x00: the RBSP stop
// bit is the last 1, and cabac_zero_words end in 0x03.
function trimZeros(b: Uint8Array, start: i32, end: i32): i32 {
  while (end > start && b[end - 1] == 0) end--;
  return end;
}
