// RFC 3758 §3.2: FORWARD-TSN (new cumulative TSN, and the last skipped SSN per ordered stream).
import { ByteReader, ByteWriter } from "../util/bytes";
import { Chunk, CHUNK_FORWARD_TSN } from "./chunk";

export class ForwardTsnChunk extends Chunk {
  streams: Array<u16> = [];
  ssns: Array<u16> = [];
  constructor(public newCumTsn: u32) {
    super();
  }
  chunkType(): u8 {
    return CHUNK_FORWARD_TSN;
  }
  valueLength(): i32 {
    return 4 + 4 * this.streams.length;
  }
  writeValue(w: ByteWriter): void {
    w.u32(this.newCumTsn);
    for (let i = 0; i < this.streams.length; i++) {
      w.u16(this.streams[i]);
      w.u16(this.ssns[i]);
    }
  }
  // A trailing partial entry makes the chunk malformed (null).
  static parse(value: Uint8Array): ForwardTsnChunk | null {
    if (value.length < 4 || (value.length & 3) != 0) return null;
    const r = new ByteReader(value);
    const c = new ForwardTsnChunk(r.u32());
    while (r.remaining >= 4) {
      c.streams.push(r.u16());
      c.ssns.push(r.u16());
    }
    return c;
  }
}
