// RFC 8839 §5.3-5.6: ice-ufrag, ice-pwd, ice-options, ice-lite and end-of-candidates.
import { splitSpaces } from "./text";

// §5.4: ufrag 4-256 and pwd 22-256 ice-chars (ALPHA / DIGIT / "+" / "/").
export const UFRAG_MIN: i32 = 4;
export const PWD_MIN: i32 = 22;
export const ICE_CHARS_MAX: i32 = 256;

export function isIceChars(s: string, min: i32, max: i32): bool {
  const n = s.length;
  if (n < min || n > max) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 43 || c == 47;
    if (!ok) return false;
  }
  return true;
}

export function isUfrag(s: string): bool {
  return isIceChars(s, UFRAG_MIN, ICE_CHARS_MAX);
}

export function isPwd(s: string): bool {
  return isIceChars(s, PWD_MIN, ICE_CHARS_MAX);
}

// The ice-options tokens ("trickle", "ice2", "renomination"...), at most 16.
export function parseIceOptions(v: string): string[] {
  return splitSpaces(v, 16);
}

export function hasOption(options: string[], name: string): bool {
  for (let i = 0; i < options.length; i++) if (options[i] == name) return true;
  return false;
}

// A candidate as the host hands it in: "candidate:..." or "a=candidate:..."; the "candidate:..."
// form, or null when it is not one line.
export function candidateAttributeValue(raw: string): string | null {
  let s = raw;
  if (s.startsWith("a=")) s = s.substring(2);
  if (!s.startsWith("candidate:") || s.length <= 10 || s.length > 1024) return null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c == 127) return null;
  }
  return s.substring(10);
}
