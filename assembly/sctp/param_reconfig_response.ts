// RFC 6525 §4.4: Re-configuration Response parameter.
import { ByteReader, ByteWriter } from "../util/bytes";
import { PARAM_RECONFIG_RESPONSE, paramLength, writeParam } from "./param";

export const RESULT_SUCCESS_NOP: u32 = 0;
export const RESULT_SUCCESS_PERFORMED: u32 = 1;
export const RESULT_DENIED: u32 = 2;
export const RESULT_ERROR_WRONG_SSN: u32 = 3;
export const RESULT_ERROR_REQUEST_IN_PROGRESS: u32 = 4;
export const RESULT_ERROR_BAD_SEQ: u32 = 5;
export const RESULT_IN_PROGRESS: u32 = 6;

export class ReconfigResponse {
  constructor(public responseSeq: u32, public result: u32) {}

  encodedLength(): i32 {
    return paramLength(8);
  }

  encode(w: ByteWriter): void {
    const v = new Uint8Array(8);
    const vw = new ByteWriter(v);
    vw.u32(this.responseSeq);
    vw.u32(this.result);
    writeParam(w, PARAM_RECONFIG_RESPONSE, v);
  }

  // The optional sender's/receiver's next TSN fields (SSN/TSN reset only) are ignored.
  static parse(value: Uint8Array): ReconfigResponse | null {
    if (value.length < 8) return null;
    const r = new ByteReader(value);
    return new ReconfigResponse(r.u32(), r.u32());
  }
}
