// RFC 8489 §14.3 USERNAME, §14.9 REALM, §14.10 NONCE, §14.14 SOFTWARE: UTF-8 text values with length limits.
import { StunBuilder } from "./builder";
import { StunMessage } from "./message";

// Longest value accepted, in bytes: USERNAME < 513; REALM, NONCE, SOFTWARE < 128 characters,
// which the RFC bounds at 763 bytes.
export const MAX_USERNAME: i32 = 512;
export const MAX_TEXT: i32 = 763;

// A view of the value when present and within `max` bytes; null otherwise.
export function getText(m: StunMessage, type: u16, max: i32 = MAX_TEXT): Uint8Array | null {
  const v = m.value(type);
  if (v == null || v.length > max) return null;
  return v;
}

// The value decoded as UTF-8 (invalid sequences become U+FFFD), or null.
export function getTextString(m: StunMessage, type: u16, max: i32 = MAX_TEXT): string | null {
  const v = getText(m, type, max);
  if (v == null) return null;
  return String.UTF8.decodeUnsafe(v.dataStart, <usize>v.length);
}

export function addText(b: StunBuilder, type: u16, s: string): StunBuilder {
  return b.addString(type, s);
}
