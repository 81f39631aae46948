// RFC 9260 §3.3.10: ERROR (operation errors that do not end the association).
import { ByteWriter } from "../util/bytes";
import { Chunk, CHUNK_ERROR } from "./chunk";
import { ErrorCause } from "./error_cause";

export class ErrorChunk extends Chunk {
  causes: Array<ErrorCause> = [];
  chunkType(): u8 {
    return CHUNK_ERROR;
  }
  valueLength(): i32 {
    let n = 0;
    for (let i = 0; i < this.causes.length; i++) n += this.causes[i].encodedLength();
    return n;
  }
  writeValue(w: ByteWriter): void {
    for (let i = 0; i < this.causes.length; i++) this.causes[i].encode(w);
  }
  static parse(value: Uint8Array): ErrorChunk {
    const c = new ErrorChunk();
    c.causes = ErrorCause.parseAll(value);
    return c;
  }
}
