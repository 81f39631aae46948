// RFC 6525 §3.1: RE-CONFIG chunk, one or two re-configuration parameters.
import { ByteWriter } from "../util/bytes";
import { Chunk, CHUNK_RECONFIG } from "./chunk";
import { Param, parseParams } from "./param";
import { OutgoingResetRequest } from "./param_outgoing_reset_request";
import { ReconfigResponse } from "./param_reconfig_response";

export class ReconfigChunk extends Chunk {
  request: OutgoingResetRequest | null = null;
  response: ReconfigResponse | null = null;
  // Parsed only: every parameter, for requests this implementation does not perform.
  params: Array<Param> = [];

  chunkType(): u8 {
    return CHUNK_RECONFIG;
  }
  valueLength(): i32 {
    let n = 0;
    const req = this.request;
    if (req) n += req.encodedLength();
    const resp = this.response;
    if (resp) n += resp.encodedLength();
    return n;
  }
  writeValue(w: ByteWriter): void {
    const req = this.request;
    if (req) req.encode(w);
    const resp = this.response;
    if (resp) resp.encode(w);
  }
  // Null when a length lies or there is no parameter, or more than two (§3.1).
  static parse(value: Uint8Array): ReconfigChunk | null {
    const c = new ReconfigChunk();
    if (!parseParams(value, 0, value.length, c.params)) return null;
    if (c.params.length < 1 || c.params.length > 2) return null;
    return c;
  }
}
