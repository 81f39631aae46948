// RFC 8489 §6.3.1 (processing a request: 400, 420 with UNKNOWN-ATTRIBUTES) and §6.3.1.1 (forming responses).
import { StunBuilder } from "./builder";
import { StunMessage, messageType, CLASS_ERROR, CLASS_SUCCESS } from "./message";
import { addErrorCode, defaultReason, ERR_UNKNOWN_ATTRIBUTE } from "./attr_error_code";
import { addUnknownAttributes } from "./attr_unknown_attributes";

// Starts a success response to request m (same method and transaction id).
export function beginSuccess(b: StunBuilder, m: StunMessage): StunBuilder {
  return b.begin(messageType(m.method, CLASS_SUCCESS), m.buf, 8);
}

// Starts an error response to request m with ERROR-CODE; the caller adds anything else, then
// integrity (when the request was authenticated) and FINGERPRINT.
export function beginError(b: StunBuilder, m: StunMessage, code: i32, reason: string = ""): StunBuilder {
  b.begin(messageType(m.method, CLASS_ERROR), m.buf, 8);
  return addErrorCode(b, code, reason.length > 0 ? reason : defaultReason(code));
}

// A 420 naming the comprehension-required attributes of m this core does not understand, or
// nothing (returns false) when there are none.
export function beginUnknownAttributes(b: StunBuilder, m: StunMessage): bool {
  const unknown = new StaticArray<u16>(16);
  const n = m.unknownRequired(unknown);
  if (n == 0) return false;
  beginError(b, m, ERR_UNKNOWN_ATTRIBUTE);
  addUnknownAttributes(b, unknown, n);
  return true;
}
