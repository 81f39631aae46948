// RFC 9260 §3.3.4: SACK (cumulative TSN ack, a_rwnd, gap ack blocks, duplicate TSNs).
import { ByteReader, ByteWriter } from "../util/bytes";
import { Chunk, CHUNK_SACK } from "./chunk";

export class SackChunk extends Chunk {
  cumTsnAck: u32 = 0;
  arwnd: u32 = 0;
  // Gap ack block i covers TSNs cumTsnAck + gapStart[i] .. cumTsnAck + gapEnd[i].
  gapStart: Array<u16> = [];
  gapEnd: Array<u16> = [];
  dups: Array<u32> = [];

  chunkType(): u8 {
    return CHUNK_SACK;
  }
  valueLength(): i32 {
    return 12 + 4 * this.gapStart.length + 4 * this.dups.length;
  }
  writeValue(w: ByteWriter): void {
    w.u32(this.cumTsnAck);
    w.u32(this.arwnd);
    w.u16(this.gapStart.length);
    w.u16(this.dups.length);
    for (let i = 0; i < this.gapStart.length; i++) {
      w.u16(this.gapStart[i]);
      w.u16(this.gapEnd[i]);
    }
    for (let i = 0; i < this.dups.length; i++) w.u32(this.dups[i]);
  }

  // Null when the counts promise more blocks than the chunk holds. Blocks are not judged
  // here (start > end, or beyond what was sent): the sender ignores such blocks.
  static parse(value: Uint8Array): SackChunk | null {
    const r = new ByteReader(value);
    const c = new SackChunk();
    c.cumTsnAck = r.u32();
    c.arwnd = r.u32();
    const nGaps = <i32>r.u16();
    const nDups = <i32>r.u16();
    if (!r.ok || r.remaining < 4 * (nGaps + nDups)) return null;
    for (let i = 0; i < nGaps; i++) {
      c.gapStart.push(r.u16());
      c.gapEnd.push(r.u16());
    }
    for (let i = 0; i < nDups; i++) c.dups.push(r.u32());
    return c;
  }
}
