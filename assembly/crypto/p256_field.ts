// Arithmetic mod p = 2^256 - 2^224 + 2^192 + 2^96 - 1, the P-256 base field (FIPS 186-4 D.1.2.3).
// Field elements live in the Montgomery domain (x*R mod p) as 8 u32 limbs at raw addresses.
import { Modulus, montMul, modAdd, modSub, montPow, toMont, fromMont, ltMask } from "./p256_mont";

const P: usize = memory.data<u32>([
  0xffffffff, 0xffffffff, 0xffffffff, 0x00000000, 0x00000000, 0x00000000, 0x00000001, 0xffffffff,
]);
const P_MINUS_2: usize = memory.data<u32>([
  0xfffffffd, 0xffffffff, 0xffffffff, 0x00000000, 0x00000000, 0x00000000, 0x00000001, 0xffffffff,
]);
const R2_MOD_P: usize = memory.data<u32>([
  0x00000003, 0x00000000, 0xffffffff, 0xfffffffb, 0xfffffffe, 0xffffffff, 0xfffffffd, 0x00000004,
]);
// R mod p, which is 1 in the Montgomery domain.
export const FE_ONE: usize = memory.data<u32>([
  0x00000001, 0x00000000, 0x00000000, 0xffffffff, 0xffffffff, 0xffffffff, 0xfffffffe, 0x00000000,
]);
// The curve coefficient b, in the Montgomery domain.
export const FE_B: usize = memory.data<u32>([
  0x29c4bddf, 0xd89cdf62, 0x78843090, 0xacf005cd, 0xf7212ed6, 0xe5a220ab, 0x04874834, 0xdc30061d,
]);

// p's low limb is 2^32 - 1, so -p^-1 mod 2^32 is 1.
const FP = new Modulus(P, 1, R2_MOD_P, FE_ONE);

// @ts-ignore: decorator
@inline export function feMul(r: usize, a: usize, b: usize): void {
  montMul(r, a, b, FP);
}

// @ts-ignore: decorator
@inline export function feSqr(r: usize, a: usize): void {
  montMul(r, a, a, FP);
}

// @ts-ignore: decorator
@inline export function feAdd(r: usize, a: usize, b: usize): void {
  modAdd(r, a, b, FP);
}

// @ts-ignore: decorator
@inline export function feSub(r: usize, a: usize, b: usize): void {
  modSub(r, a, b, FP);
}

// r = a^-1 by Fermat (a^(p-2)): a fixed sequence of operations whatever a is; 0 maps to 0.
export function feInv(r: usize, a: usize): void {
  montPow(r, a, P_MINUS_2, FP);
}

// A plain integer below p into the Montgomery domain.
export function feToMont(r: usize, a: usize): void {
  toMont(r, a, FP);
}

// Out of the Montgomery domain, to the canonical integer in [0, p).
export function feFromMont(r: usize, a: usize): void {
  fromMont(r, a, FP);
}

// All ones when the plain integer a is below p.
export function feIsCanonical(a: usize): u32 {
  return ltMask(a, P);
}
