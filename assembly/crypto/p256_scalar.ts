// Arithmetic mod n, the order of the P-256 base point (FIPS 186-4 D.1.2.3), for ECDSA.
// Scalars are 8 u32 limbs at raw addresses: plain integers unless a name says "mont".
import { Modulus, montMul, modAdd, montPow, toMont, ltMask, isZeroMask, cmov, limbsFromBE } from "./p256_mont";
import { ctIsZero32 } from "../util/ct";

export const N: usize = memory.data<u32>([
  0xfc632551, 0xf3b9cac2, 0xa7179e84, 0xbce6faad, 0xffffffff, 0xffffffff, 0x00000000, 0xffffffff,
]);
const N_MINUS_2: usize = memory.data<u32>([
  0xfc63254f, 0xf3b9cac2, 0xa7179e84, 0xbce6faad, 0xffffffff, 0xffffffff, 0x00000000, 0xffffffff,
]);
const R2_MOD_N: usize = memory.data<u32>([
  0xbe79eea2, 0x83244c95, 0x49bd6fa6, 0x4699799c, 0x2b6bec59, 0x2845b239, 0xf3d95620, 0x66e12d94,
]);
const R_MOD_N: usize = memory.data<u32>([
  0x039cdaaf, 0x0c46353d, 0x58e8617b, 0x43190552, 0x00000000, 0x00000000, 0xffffffff, 0x00000000,
]);

const FN = new Modulus(N, 0xee00bc4f, R2_MOD_N, R_MOD_N);

// All ones when the plain integer a is in [1, n-1]: a valid private key, k, r or s.
export function scIsValid(a: usize): u32 {
  return ltMask(a, N) & ~isZeroMask(a);
}

// Validity of a 32-byte big-endian scalar, checked in constant time; other lengths are invalid.
export function scBytesValid(bytes: Uint8Array): bool {
  if (bytes.length != 32) return false;
  const a = memory.data(32);
  limbsFromBE(a, bytes.dataStart);
  const ok = scIsValid(a);
  memory.fill(a, 0, 32);
  return ok != 0;
}

// r = a mod n for any 256-bit a: 2^256 < 2n, so at most one subtraction, masked.
export function scReduce(r: usize, a: usize): void {
  const d = memory.data(32);
  let borrow: i64 = 0;
  for (let i: usize = 0; i < 8; i++) {
    const v = <i64>load<u32>(a + (i << 2)) - <i64>load<u32>(N + (i << 2)) + borrow;
    store<u32>(d + (i << 2), <u32>v);
    borrow = v >> 32;
  }
  memory.copy(r, a, 32);
  cmov(r, d, ctIsZero32(<u32>(borrow & 1)));
}

// @ts-ignore: decorator
@inline export function scToMont(r: usize, a: usize): void {
  toMont(r, a, FN);
}

// @ts-ignore: decorator
@inline export function scMulMont(r: usize, a: usize, b: usize): void {
  montMul(r, a, b, FN);
}

// @ts-ignore: decorator
@inline export function scAdd(r: usize, a: usize, b: usize): void {
  modAdd(r, a, b, FN);
}

// Inverse in the Montgomery domain by Fermat (a^(n-2)): constant time, as k^-1 is secret.
export function scInvMont(r: usize, a: usize): void {
  montPow(r, a, N_MINUS_2, FN);
}
