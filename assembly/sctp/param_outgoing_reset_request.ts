// RFC 6525 §4.1: Outgoing SSN Reset Request parameter.
import { ByteReader, ByteWriter } from "../util/bytes";
import { PARAM_OUTGOING_RESET_REQUEST, paramLength, writeParam } from "./param";

export class OutgoingResetRequest {
  streams: Array<u16> = []; // empty: every stream
  constructor(public requestSeq: u32, public responseSeq: u32, public lastTsn: u32) {}

  encodedLength(): i32 {
    return paramLength(12 + 2 * this.streams.length);
  }

  encode(w: ByteWriter): void {
    const v = new Uint8Array(12 + 2 * this.streams.length);
    const vw = new ByteWriter(v);
    vw.u32(this.requestSeq);
    vw.u32(this.responseSeq);
    vw.u32(this.lastTsn);
    for (let i = 0; i < this.streams.length; i++) vw.u16(this.streams[i]);
    writeParam(w, PARAM_OUTGOING_RESET_REQUEST, v);
  }

  static parse(value: Uint8Array): OutgoingResetRequest | null {
    if (value.length < 12) return null;
    const r = new ByteReader(value);
    const p = new OutgoingResetRequest(r.u32(), r.u32(), r.u32());
    while (r.remaining >= 2) p.streams.push(r.u16());
    return p;
  }
}
