// RFC 8122 §5: a=fingerprint:<hash-func> <2 hex digits>(:<2 hex digits>)* of the DTLS certificate.
import { indexOfSpace, lower, trimSpaces } from "./text";

// The only hash the DTLS layer checks; others are kept (and reported) but never chosen.
export const SHA256 = "sha-256";

// Digest length of a known hash name, or 0 for a name this table does not know.
function digestLength(alg: string): i32 {
  if (alg == "sha-256") return 32;
  if (alg == "sha-1") return 20;
  if (alg == "sha-384") return 48;
  if (alg == "sha-512") return 64;
  if (alg == "sha-224") return 28;
  if (alg == "md5" || alg == "md2") return 16;
  return 0;
}

export class Fingerprint {
  // Lower case (hash names compare case-insensitively).
  algorithm: string = "";
  value: Uint8Array = new Uint8Array(0);

  constructor(algorithm: string = "", value: Uint8Array = new Uint8Array(0)) {
    this.algorithm = algorithm;
    this.value = value;
  }

  get isSha256(): bool {
    return this.algorithm == SHA256 && this.value.length == 32;
  }

  // Null when the value is not colon-separated hex pairs, or its length does not fit a known hash.
  static parse(v: string): Fingerprint | null {
    const s = trimSpaces(v);
    const sp = indexOfSpace(s);
    if (sp <= 0) return null;
    const alg = lower(s.substring(0, sp));
    const hex = trimSpaces(s.substring(sp + 1));
    const n = hex.length;
    if (n < 2 || n > 64 * 3 || (n + 1) % 3 != 0) return null;
    const out = new Uint8Array((n + 1) / 3);
    for (let i = 0, j = 0; i < n; i += 3, j++) {
      const hi = hexDigit(hex.charCodeAt(i));
      const lo = hexDigit(hex.charCodeAt(i + 1));
      if (hi < 0 || lo < 0) return null;
      if (i + 2 < n && hex.charCodeAt(i + 2) != 58) return null;
      out[j] = <u8>((hi << 4) | lo);
    }
    const want = digestLength(alg);
    if (want != 0 && want != out.length) return null;
    return new Fingerprint(alg, out);
  }

  // Upper-case hex pairs, as RFC 8122 writes them.
  valueString(): string {
    const digits = "0123456789ABCDEF";
    let s = "";
    for (let i = 0; i < this.value.length; i++) {
      if (i > 0) s += ":";
      const b = <i32>this.value[i];
      s += digits.charAt(b >> 4) + digits.charAt(b & 15);
    }
    return s;
  }

  toString(): string {
    return this.algorithm + " " + this.valueString();
  }
}

function hexDigit(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}
