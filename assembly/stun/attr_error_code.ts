// RFC 8489 §14.8: ERROR-CODE (class * 100 + number, and a UTF-8 reason phrase).
import { StunBuilder } from "./builder";
import { StunMessage } from "./message";
import { ATTR_ERROR_CODE } from "./attr_types";

export const ERR_TRY_ALTERNATE: i32 = 300;
export const ERR_BAD_REQUEST: i32 = 400;
export const ERR_UNAUTHENTICATED: i32 = 401;
export const ERR_FORBIDDEN: i32 = 403;
export const ERR_UNKNOWN_ATTRIBUTE: i32 = 420;
export const ERR_ALLOCATION_MISMATCH: i32 = 437;
export const ERR_STALE_NONCE: i32 = 438;
export const ERR_ADDRESS_FAMILY_NOT_SUPPORTED: i32 = 440;
export const ERR_WRONG_CREDENTIALS: i32 = 441;
export const ERR_UNSUPPORTED_TRANSPORT: i32 = 442;
export const ERR_PEER_ADDRESS_FAMILY_MISMATCH: i32 = 443;
export const ERR_ALLOCATION_QUOTA: i32 = 486;
export const ERR_ROLE_CONFLICT: i32 = 487;
export const ERR_SERVER_ERROR: i32 = 500;
export const ERR_INSUFFICIENT_CAPACITY: i32 = 508;

// The code (300..699), or -1 when absent or malformed.
export function getErrorCode(m: StunMessage): i32 {
  const i = m.find(ATTR_ERROR_CODE);
  if (i < 0 || m.attrLength(i) < 4) return -1;
  const off = m.attrOffset(i);
  const cls = <i32>(m.buf[off + 2] & 7);
  const num = <i32>m.buf[off + 3];
  if (cls < 3 || cls > 6 || num > 99) return -1;
  return cls * 100 + num;
}

// A view of the reason phrase (may be empty), or null when there is no valid ERROR-CODE.
export function getErrorReason(m: StunMessage): Uint8Array | null {
  if (getErrorCode(m) < 0) return null;
  const i = m.find(ATTR_ERROR_CODE);
  const off = m.attrOffset(i);
  return m.buf.subarray(off + 4, off + m.attrLength(i));
}

export function addErrorCode(b: StunBuilder, code: i32, reason: string = ""): StunBuilder {
  if (code < 300 || code > 699) {
    b.ok = false;
    return b;
  }
  const text = Uint8Array.wrap(String.UTF8.encode(reason));
  const at = b.attr(ATTR_ERROR_CODE, 4 + text.length);
  if (at < 0) return b;
  b.buf[at] = 0;
  b.buf[at + 1] = 0;
  b.buf[at + 2] = <u8>(code / 100);
  b.buf[at + 3] = <u8>(code % 100);
  memory.copy(b.buf.dataStart + <usize>(at + 4), text.dataStart, <usize>text.length);
  return b;
}

// The RFC's suggested reason phrase for the codes this core sends.
export function defaultReason(code: i32): string {
  switch (code) {
    case 400: return "Bad Request";
    case 401: return "Unauthenticated";
    case 420: return "Unknown Attribute";
    case 438: return "Stale Nonce";
    case 487: return "Role Conflict";
    case 500: return "Server Error";
  }
  return "";
}
