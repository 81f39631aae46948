// X.690 §8.3, §10 (DER) for ECDSA-Sig-Value (RFC 3279 §2.2.3): SEQUENCE { r INTEGER, s INTEGER }.
// The raw form is P-256's r || s, 32 big-endian bytes each. DER here is short-form lengths only:
// the largest signature is 72 bytes, so any long-form length would be non-minimal.

// DER of a 64-byte r || s; empty for any other length.
export function ecdsaSigToDer(sig: Uint8Array): Uint8Array {
  if (sig.length != 64) return new Uint8Array(0);
  const rLen = intLength(sig, 0);
  const sLen = intLength(sig, 32);
  const body = 2 + rLen + 2 + sLen;
  const out = new Uint8Array(2 + body);
  out[0] = 0x30;
  out[1] = <u8>body;
  writeInt(out, 2, sig, 0, rLen);
  writeInt(out, 4 + rLen, sig, 32, sLen);
  return out;
}

// Minimal two's-complement length of the unsigned 32-byte integer at src[off].
function intLength(src: Uint8Array, off: i32): i32 {
  let skip = 0;
  while (skip < 31 && src[off + skip] == 0) skip++;
  return 32 - skip + (src[off + skip] >= 0x80 ? 1 : 0);
}

function writeInt(out: Uint8Array, at: i32, src: Uint8Array, off: i32, len: i32): void {
  out[at] = 0x02;
  out[at + 1] = <u8>len;
  // The value's last len bytes, or all 32 after a 0x00 that keeps the sign positive.
  const n = len > 32 ? 32 : len;
  for (let i = 0; i < n; i++) out[at + 2 + len - n + i] = src[off + 32 - n + i];
}

// r || s from a strict DER signature: exactly one SEQUENCE of two INTEGERs, minimal lengths
// and minimal positive integers of at most 256 bits, nothing after. Anything else is null.
// Zero and values >= n are returned as they are; ecdsaVerify rejects them.
export function ecdsaSigFromDer(der: Uint8Array): Uint8Array | null {
  const total = der.length;
  if (total < 8 || der[0] != 0x30 || der[1] >= 0x80 || <i32>der[1] != total - 2) return null;
  const out = new Uint8Array(64);
  const afterR = readInt(der, 2, out, 0);
  if (afterR < 0) return null;
  return readInt(der, afterR, out, 32) == total ? out : null;
}

// Reads the INTEGER at der[pos] into out[at..at+32), right-aligned; the position after it, or -1.
function readInt(der: Uint8Array, pos: i32, out: Uint8Array, at: i32): i32 {
  if (der.length - pos < 3 || der[pos] != 0x02) return -1;
  const len = <i32>der[pos + 1];
  const start = pos + 2;
  // len > 33 also rejects every long-form length byte (0x80 and up).
  if (len == 0 || len > 33 || der.length - start < len) return -1;
  const first = der[start];
  if (first >= 0x80) return -1;
  let skip = 0;
  if (first == 0 && len > 1) {
    if (der[start + 1] < 0x80) return -1;
    skip = 1;
  }
  const n = len - skip;
  if (n > 32) return -1;
  for (let i = 0; i < n; i++) out[at + 32 - n + i] = der[start + skip + i];
  return start + len;
}
