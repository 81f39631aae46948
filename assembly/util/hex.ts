// Hexadecimal text <-> bytes, for known-answer tests, fingerprints and logs.

function nibble(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

// Bytes from hex digits; null for an odd length or a non-hex character.
export function fromHex(s: string): Uint8Array | null {
  const n = s.length;
  if (n & 1) return null;
  const out = new Uint8Array(n >> 1);
  for (let i = 0; i < n; i += 2) {
    const hi = nibble(s.charCodeAt(i));
    const lo = nibble(s.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) return null;
    out[i >> 1] = <u8>((hi << 4) | lo);
  }
  return out;
}

// Lower-case hex; with a separator (":" for SDP fingerprints) and upper case when asked.
export function toHex(b: Uint8Array, separator: string = "", upper: bool = false): string {
  const digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  let s = "";
  for (let i = 0; i < b.length; i++) {
    if (i > 0 && separator.length) s += separator;
    s += digits.charAt(b[i] >> 4) + digits.charAt(b[i] & 15);
  }
  return s;
}
