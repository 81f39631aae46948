// RFC 9260 §3.3.5-3.3.6: HEARTBEAT and HEARTBEAT-ACK, each one Heartbeat Info parameter.
import { ByteWriter } from "../util/bytes";
import { Chunk, CHUNK_HEARTBEAT, CHUNK_HEARTBEAT_ACK } from "./chunk";
import { Param, parseParams, paramLength, writeParam, PARAM_HEARTBEAT_INFO } from "./param";

export class HeartbeatChunk extends Chunk {
  constructor(public isAck: bool, public info: Uint8Array) {
    super();
  }
  chunkType(): u8 {
    return this.isAck ? CHUNK_HEARTBEAT_ACK : CHUNK_HEARTBEAT;
  }
  valueLength(): i32 {
    return paramLength(this.info.length);
  }
  writeValue(w: ByteWriter): void {
    writeParam(w, PARAM_HEARTBEAT_INFO, this.info);
  }

  // The info is opaque to the receiver, which echoes it back; null without one.
  static parse(value: Uint8Array, isAck: bool): HeartbeatChunk | null {
    const params = new Array<Param>();
    if (!parseParams(value, 0, value.length, params) || params.length < 1) return null;
    if (params[0].type != PARAM_HEARTBEAT_INFO) return null;
    return new HeartbeatChunk(isAck, params[0].value);
  }
}
