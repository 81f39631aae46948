// Constant-time helpers for code that touches secrets: no secret-dependent branch or index.

// 1 when a[0..len) == b[0..len), else 0, in time that depends on len only.
export function ctEqual(a: Uint8Array, aOff: i32, b: Uint8Array, bOff: i32, len: i32): bool {
  if (len < 0 || aOff < 0 || bOff < 0 || aOff + len > a.length || bOff + len > b.length) return false;
  let diff: u32 = 0;
  const pa = a.dataStart + <usize>aOff;
  const pb = b.dataStart + <usize>bOff;
  for (let i = 0; i < len; i++) diff |= <u32>(load<u8>(pa + i) ^ load<u8>(pb + i));
  return diff == 0;
}

// All ones when v == 0, else 0.
// @ts-ignore: decorator
@inline export function ctIsZero32(v: u32): u32 {
  return <u32>(<i32>(~v & (v - 1)) >> 31);
}

// mask ? a : b, with mask all ones or all zeros.
// @ts-ignore: decorator
@inline export function ctSelect32(mask: u32, a: u32, b: u32): u32 {
  return b ^ (mask & (a ^ b));
}

// Overwrites a secret so it does not linger in linear memory after use.
export function wipe(buf: Uint8Array): void {
  memory.fill(buf.dataStart, 0, <usize>buf.length);
}
