// Small string helpers shared by the attribute parsers; none of them traps on any input.

// Splits on runs of spaces/tabs, at most max fields (the rest is dropped).
export function splitSpaces(s: string, max: i32 = 64): string[] {
  const out = new Array<string>();
  let start = -1;
  const n = s.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 32;
    const space = c == 32 || c == 9;
    if (space && start >= 0) {
      out.push(s.substring(start, i));
      start = -1;
      if (out.length >= max) break;
    } else if (!space && start < 0) start = i;
  }
  return out;
}

// Position of the first space or tab, or -1.
export function indexOfSpace(s: string, from: i32 = 0): i32 {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 32 || c == 9) return i;
  }
  return -1;
}

// Drops leading and trailing spaces and tabs.
export function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return a == 0 && b == s.length ? s : s.substring(a, b);
}

// @ts-ignore: decorator
@inline function isSpace(c: i32): bool {
  return c == 32 || c == 9;
}

// A non-negative decimal no greater than max, or -1 (empty, a sign, a non-digit, overflow).
export function parseUint(s: string, max: i64 = 0xffffffff): i64 {
  const n = s.length;
  if (n == 0 || n > 19) return -1;
  let v: i64 = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + <i64>(c - 48);
    if (v > max) return -1;
  }
  return v;
}

// True when every character is a visible ASCII character (RFC 5234 VCHAR), length in [min, max].
export function isToken(s: string, min: i32, max: i32): bool {
  const n = s.length;
  if (n < min || n > max) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c >= 127) return false;
  }
  return true;
}

// ASCII lower case; SDP tokens such as hash names and "UDP" compare case-insensitively.
export function lower(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return s.toLowerCase();
  }
  return s;
}
