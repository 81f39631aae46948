// RFC 9260 §3.3.10: error causes carried by ABORT and ERROR chunks.
import { ByteWriter } from "../util/bytes";
import { pad4 } from "./chunk";

export const CAUSE_INVALID_STREAM: u16 = 1;
export const CAUSE_MISSING_PARAM: u16 = 2;
export const CAUSE_STALE_COOKIE: u16 = 3;
export const CAUSE_OUT_OF_RESOURCE: u16 = 4;
export const CAUSE_UNRESOLVABLE_ADDRESS: u16 = 5;
export const CAUSE_UNRECOGNIZED_CHUNK: u16 = 6;
export const CAUSE_INVALID_MANDATORY_PARAM: u16 = 7;
export const CAUSE_UNRECOGNIZED_PARAMS: u16 = 8;
export const CAUSE_NO_USER_DATA: u16 = 9;
export const CAUSE_COOKIE_WHILE_SHUTTING_DOWN: u16 = 10;
export const CAUSE_RESTART_NEW_ADDRESSES: u16 = 11;
export const CAUSE_USER_INITIATED_ABORT: u16 = 12;
export const CAUSE_PROTOCOL_VIOLATION: u16 = 13;

export class ErrorCause {
  constructor(public code: u16, public info: Uint8Array) {}

  encodedLength(): i32 {
    return pad4(4 + this.info.length);
  }

  encode(w: ByteWriter): void {
    w.u16(this.code);
    w.u16(4 + this.info.length);
    w.bytes(this.info);
    w.zeros(pad4(4 + this.info.length) - 4 - this.info.length);
  }

  // Causes in value; the well-formed ones before any that lies about its length.
  static parseAll(value: Uint8Array): Array<ErrorCause> {
    const out = new Array<ErrorCause>();
    let p = 0;
    while (p + 4 <= value.length) {
      const code = (<u16>value[p] << 8) | <u16>value[p + 1];
      const len = (<i32>value[p + 2] << 8) | <i32>value[p + 3];
      if (len < 4 || p + len > value.length) break;
      out.push(new ErrorCause(code, value.subarray(p + 4, p + len)));
      p += pad4(len);
    }
    return out;
  }
}

// Stale cookie: the staleness in microseconds (§3.3.10.3).
export function staleCookieCause(staleMs: i64): ErrorCause {
  const info = new Uint8Array(4);
  const us = <u64>staleMs * 1000;
  const v = us > 0xffffffff ? <u32>0xffffffff : <u32>us;
  info[0] = <u8>(v >> 24);
  info[1] = <u8>(v >> 16);
  info[2] = <u8>(v >> 8);
  info[3] = <u8>v;
  return new ErrorCause(CAUSE_STALE_COOKIE, info);
}

export function causeWithText(code: u16, text: string): ErrorCause {
  return new ErrorCause(code, Uint8Array.wrap(String.UTF8.encode(text)));
}
