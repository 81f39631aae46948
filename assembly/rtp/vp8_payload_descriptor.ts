// RFC 7741 §4.2: the VP8 payload descriptor (X, N, S, PID; I/L/T/K extensions; 7- or 15-bit PictureID).

export class Vp8Descriptor {
  nonReference: bool = false;
  start: bool = false; // S: first packet of a partition
  partition: u8 = 0; // PID
  hasPictureId: bool = false;
  pictureId: u16 = 0;
  hasTl0PicIdx: bool = false;
  tl0PicIdx: u8 = 0;
  hasTid: bool = false;
  tid: u8 = 0;
  layerSync: bool = false;
  hasKeyIdx: bool = false;
  keyIdx: u8 = 0;
  length: i32 = 0; // descriptor bytes; the VP8 payload follows

  // Parses the descriptor at the start of p. Returns false when it is truncated or leaves no
  // payload (§4.2 requires at least one payload octet).
  parse(p: Uint8Array): bool {
    const n = p.length;
    if (n < 1) return false;
    const b0 = p[0];
    this.nonReference = (b0 & 0x20) != 0;
    this.start = (b0 & 0x10) != 0;
    this.partition = b0 & 0x07;
    this.hasPictureId = false;
    this.hasTl0PicIdx = false;
    this.hasTid = false;
    this.hasKeyIdx = false;
    let i = 1;
    if ((b0 & 0x80) != 0) {
      if (i >= n) return false;
      const x = p[i++];
      this.hasPictureId = (x & 0x80) != 0;
      this.hasTl0PicIdx = (x & 0x40) != 0;
      this.hasTid = (x & 0x20) != 0;
      this.hasKeyIdx = (x & 0x10) != 0;
      if (this.hasPictureId) {
        if (i >= n) return false;
        const m = p[i++];
        if ((m & 0x80) != 0) {
          if (i >= n) return false;
          this.pictureId = ((<u16>(m & 0x7f)) << 8) | <u16>p[i++];
        } else {
          this.pictureId = m;
        }
      }
      if (this.hasTl0PicIdx) {
        if (i >= n) return false;
        this.tl0PicIdx = p[i++];
      }
      // §4.2: T and K share one octet: TID (2 bits), Y, KEYIDX (5 bits).
      if (this.hasTid || this.hasKeyIdx) {
        if (i >= n) return false;
        const t = p[i++];
        this.tid = t >> 6;
        this.layerSync = (t & 0x20) != 0;
        this.keyIdx = t & 0x1f;
      }
    }
    this.length = i;
    return i < n;
  }
}

// RFC 7741 §4.3 / RFC 6386 §9.1: bit 0 of the first frame-tag octet is 0 for a key frame.
export function vp8IsKeyframe(frame: Uint8Array, off: i32 = 0): bool {
  return off < frame.length && (frame[off] & 1) == 0;
}
