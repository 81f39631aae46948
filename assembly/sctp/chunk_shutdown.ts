// RFC 9260 §3.3.8, §3.3.9, §3.3.13: SHUTDOWN, SHUTDOWN-ACK and SHUTDOWN-COMPLETE.
import { ByteWriter } from "../util/bytes";
import { Chunk, BytesChunk, CHUNK_SHUTDOWN, CHUNK_SHUTDOWN_ACK, CHUNK_SHUTDOWN_COMPLETE } from "./chunk";

export class ShutdownChunk extends Chunk {
  constructor(public cumTsnAck: u32) {
    super();
  }
  chunkType(): u8 {
    return CHUNK_SHUTDOWN;
  }
  valueLength(): i32 {
    return 4;
  }
  writeValue(w: ByteWriter): void {
    w.u32(this.cumTsnAck);
  }
  static parse(value: Uint8Array): ShutdownChunk | null {
    if (value.length < 4) return null;
    return new ShutdownChunk((<u32>value[0] << 24) | (<u32>value[1] << 16) | (<u32>value[2] << 8) | <u32>value[3]);
  }
}

export function shutdownAck(): Chunk {
  return new BytesChunk(CHUNK_SHUTDOWN_ACK, 0, new Uint8Array(0));
}

// reflected: the T bit, set when answering with the tag of the packet received (§8.4).
export function shutdownComplete(reflected: bool): Chunk {
  return new BytesChunk(CHUNK_SHUTDOWN_COMPLETE, reflected ? 1 : 0, new Uint8Array(0));
}
