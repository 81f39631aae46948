// RFC 9260 §3.3.7: ABORT (T bit: the tag is the one from the packet it answers).
import { ByteWriter } from "../util/bytes";
import { Chunk, CHUNK_ABORT } from "./chunk";
import { ErrorCause } from "./error_cause";

export const FLAG_T: u8 = 0x01;

export class AbortChunk extends Chunk {
  causes: Array<ErrorCause> = [];
  constructor(public reflected: bool = false) {
    super();
  }
  chunkType(): u8 {
    return CHUNK_ABORT;
  }
  chunkFlags(): u8 {
    return this.reflected ? FLAG_T : 0;
  }
  valueLength(): i32 {
    let n = 0;
    for (let i = 0; i < this.causes.length; i++) n += this.causes[i].encodedLength();
    return n;
  }
  writeValue(w: ByteWriter): void {
    for (let i = 0; i < this.causes.length; i++) this.causes[i].encode(w);
  }
  static parse(flags: u8, value: Uint8Array): AbortChunk {
    const c = new AbortChunk((flags & FLAG_T) != 0);
    c.causes = ErrorCause.parseAll(value);
    return c;
  }
}
