// P-256 group law with the complete projective formulas of Renes–Costello–Batina 2016 (a = -3).
// A point is X, Y, Z (96 bytes at a raw address, Montgomery-domain field elements) standing for
// (X/Z, Y/Z); infinity is (0 : 1 : 0). Complete formulas add any two points, equal or not,
// infinity or not, with one fixed sequence of field operations: no exceptional case to branch on.
import { feMul, feSqr, feAdd, feSub, feInv, feToMont, feFromMont, feIsCanonical, FE_ONE, FE_B } from "./p256_field";
import { cmov, eqMask, isZeroMask, limbsFromBE, limbsToBE } from "./p256_mont";
import { ctIsZero32 } from "../util/ct";

export const POINT_SIZE: usize = 96;

// The base point G (FIPS 186-4 D.1.2.3), already in the Montgomery domain: X, Y, Z = 1.
export const BASE: usize = memory.data<u32>([
  0x18a9143c, 0x79e730d4, 0x5fedb601, 0x75ba95fc, 0x77622510, 0x79fb732b, 0xa53755c6, 0x18905f76,
  0xce95560a, 0xddf25357, 0xba19e45c, 0x8b4ab8e4, 0xdd21f325, 0xd2e88688, 0x25885d85, 0x8571ff18,
  0x00000001, 0x00000000, 0x00000000, 0xffffffff, 0xffffffff, 0xffffffff, 0xfffffffe, 0x00000000,
]);

// Scratch for the formulas; the result is assembled here so it may alias an input.
const t0: usize = memory.data(32);
const t1: usize = memory.data(32);
const t2: usize = memory.data(32);
const t3: usize = memory.data(32);
const t4: usize = memory.data(32);
const X3: usize = memory.data(32);
const Y3: usize = memory.data(32);
const Z3: usize = memory.data(32);

function storeResult(r: usize): void {
  memory.copy(r, X3, 32);
  memory.copy(r + 32, Y3, 32);
  memory.copy(r + 64, Z3, 32);
}

export function pointSetInfinity(r: usize): void {
  memory.fill(r, 0, 96);
  memory.copy(r + 32, FE_ONE, 32);
}

// r = p + q: RCB Algorithm 4 (12M + 2 mult-by-b).
export function pointAdd(r: usize, p: usize, q: usize): void {
  const X1 = p, Y1 = p + 32, Z1 = p + 64;
  const X2 = q, Y2 = q + 32, Z2 = q + 64;
  feMul(t0, X1, X2);
  feMul(t1, Y1, Y2);
  feMul(t2, Z1, Z2);
  feAdd(t3, X1, Y1);
  feAdd(t4, X2, Y2);
  feMul(t3, t3, t4);
  feAdd(t4, t0, t1);
  feSub(t3, t3, t4);
  feAdd(t4, Y1, Z1);
  feAdd(X3, Y2, Z2);
  feMul(t4, t4, X3);
  feAdd(X3, t1, t2);
  feSub(t4, t4, X3);
  feAdd(X3, X1, Z1);
  feAdd(Y3, X2, Z2);
  feMul(X3, X3, Y3);
  feAdd(Y3, t0, t2);
  feSub(Y3, X3, Y3);
  feMul(Z3, FE_B, t2);
  feSub(X3, Y3, Z3);
  feAdd(Z3, X3, X3);
  feAdd(X3, X3, Z3);
  feSub(Z3, t1, X3);
  feAdd(X3, t1, X3);
  feMul(Y3, FE_B, Y3);
  feAdd(t1, t2, t2);
  feAdd(t2, t1, t2);
  feSub(Y3, Y3, t2);
  feSub(Y3, Y3, t0);
  feAdd(t1, Y3, Y3);
  feAdd(Y3, t1, Y3);
  feAdd(t1, t0, t0);
  feAdd(t0, t1, t0);
  feSub(t0, t0, t2);
  feMul(t1, t4, Y3);
  feMul(t2, t0, Y3);
  feMul(Y3, X3, Z3);
  feAdd(Y3, Y3, t2);
  feMul(X3, t3, X3);
  feSub(X3, X3, t1);
  feMul(Z3, t4, Z3);
  feMul(t1, t3, t0);
  feAdd(Z3, Z3, t1);
  storeResult(r);
}

// r = 2p: RCB Algorithm 6 (8M + 3S + 2 mult-by-b).
export function pointDouble(r: usize, p: usize): void {
  const X = p, Y = p + 32, Z = p + 64;
  feSqr(t0, X);
  feSqr(t1, Y);
  feSqr(t2, Z);
  feMul(t3, X, Y);
  feAdd(t3, t3, t3);
  feMul(Z3, X, Z);
  feAdd(Z3, Z3, Z3);
  feMul(Y3, FE_B, t2);
  feSub(Y3, Y3, Z3);
  feAdd(X3, Y3, Y3);
  feAdd(Y3, X3, Y3);
  feSub(X3, t1, Y3);
  feAdd(Y3, t1, Y3);
  feMul(Y3, X3, Y3);
  feMul(X3, X3, t3);
  feAdd(t3, t2, t2);
  feAdd(t2, t2, t3);
  feMul(Z3, FE_B, Z3);
  feSub(Z3, Z3, t2);
  feSub(Z3, Z3, t0);
  feAdd(t3, Z3, Z3);
  feAdd(Z3, Z3, t3);
  feAdd(t3, t0, t0);
  feAdd(t0, t3, t0);
  feSub(t0, t0, t2);
  feMul(t0, t0, Z3);
  feAdd(Y3, Y3, t0);
  feMul(t0, Y, Z);
  feAdd(t0, t0, t0);
  feMul(Z3, t0, Z3);
  feSub(X3, X3, Z3);
  feMul(Z3, t0, t1);
  feAdd(Z3, Z3, Z3);
  feAdd(Z3, Z3, Z3);
  storeResult(r);
}

// r = mask ? p : r, for mask all ones or all zeros.
function pointCmov(r: usize, p: usize, mask: u32): void {
  cmov(r, p, mask);
  cmov(r + 32, p + 32, mask);
  cmov(r + 64, p + 64, mask);
}

// table[i] = i*p for i in 0..15.
function fillTable(table: usize, p: usize): void {
  pointSetInfinity(table);
  memory.copy(table + POINT_SIZE, p, POINT_SIZE);
  for (let i: usize = 2; i < 16; i++) {
    const at = table + i * POINT_SIZE;
    if (i & 1) pointAdd(at, at - POINT_SIZE, p);
    else pointDouble(at, table + (i >> 1) * POINT_SIZE);
  }
}

// @ts-ignore: decorator
@inline function nibble(k: usize, i: i32): u32 {
  return (load<u32>(k + (<usize>(i >> 3) << 2)) >> ((<u32>i & 7) << 2)) & 15;
}

const CT_TABLE: usize = memory.data(16 * 96);
const CT_PICK: usize = memory.data(96);
const CT_ACC: usize = memory.data(96);

// r = k*p for a secret k (plain integer limbs): fixed 4-bit windows, 4 doublings and one
// addition per window whatever the digit, and the table entry read by scanning all 16 with
// masks, so neither timing nor memory access pattern depends on k.
export function pointMulSecret(r: usize, p: usize, k: usize): void {
  fillTable(CT_TABLE, p);
  pointSetInfinity(CT_ACC);
  for (let i = 63; i >= 0; i--) {
    pointDouble(CT_ACC, CT_ACC);
    pointDouble(CT_ACC, CT_ACC);
    pointDouble(CT_ACC, CT_ACC);
    pointDouble(CT_ACC, CT_ACC);
    const digit = nibble(k, i);
    for (let j: u32 = 0; j < 16; j++) pointCmov(CT_PICK, CT_TABLE + <usize>j * POINT_SIZE, ctIsZero32(j ^ digit));
    pointAdd(CT_ACC, CT_ACC, CT_PICK);
  }
  memory.copy(r, CT_ACC, POINT_SIZE);
  memory.fill(CT_TABLE, 0, 16 * POINT_SIZE);
  memory.fill(CT_PICK, 0, POINT_SIZE);
  memory.fill(CT_ACC, 0, POINT_SIZE);
}

const VT_TABLE_A: usize = memory.data(16 * 96);
const VT_TABLE_B: usize = memory.data(16 * 96);
const VT_ACC: usize = memory.data(96);

// r = a*p + b*q for public a, b (signature verification): Shamir's trick over 4-bit windows,
// skipping zero digits. Variable time, which is fine as nothing here is secret.
export function pointMulTwoPublic(r: usize, a: usize, p: usize, b: usize, q: usize): void {
  fillTable(VT_TABLE_A, p);
  fillTable(VT_TABLE_B, q);
  pointSetInfinity(VT_ACC);
  for (let i = 63; i >= 0; i--) {
    pointDouble(VT_ACC, VT_ACC);
    pointDouble(VT_ACC, VT_ACC);
    pointDouble(VT_ACC, VT_ACC);
    pointDouble(VT_ACC, VT_ACC);
    const da = nibble(a, i);
    const db = nibble(b, i);
    if (da) pointAdd(VT_ACC, VT_ACC, VT_TABLE_A + <usize>da * POINT_SIZE);
    if (db) pointAdd(VT_ACC, VT_ACC, VT_TABLE_B + <usize>db * POINT_SIZE);
  }
  memory.copy(r, VT_ACC, POINT_SIZE);
}

// Affine x and y of p as plain integers; false (and zeros) for infinity. The inversion is by
// Fermat, so a secret point's Z leaks nothing through timing.
export function pointToAffine(x: usize, y: usize, p: usize): bool {
  const zinv = memory.data(32);
  feInv(zinv, p + 64);
  feMul(x, p, zinv);
  feMul(y, p + 32, zinv);
  feFromMont(x, x);
  feFromMont(y, y);
  return isZeroMask(p + 64) == 0;
}

// Decodes and validates a public key: exactly 65 bytes 0x04 || X || Y with X, Y < p and
// y^2 = x^3 - 3x + b. Infinity has no such encoding, so it is rejected too.
export function pointFromUncompressed(r: usize, bytes: Uint8Array): bool {
  if (bytes.length != 65 || bytes[0] != 0x04) return false;
  const x = memory.data(32);
  const y = memory.data(32);
  limbsFromBE(x, bytes.dataStart + 1);
  limbsFromBE(y, bytes.dataStart + 33);
  if ((feIsCanonical(x) & feIsCanonical(y)) == 0) return false;
  feToMont(r, x);
  feToMont(r + 32, y);
  memory.copy(r + 64, FE_ONE, 32);
  return isOnCurve(r);
}

// For an affine point (Z = 1) in the Montgomery domain.
function isOnCurve(p: usize): bool {
  const lhs = memory.data(32);
  const rhs = memory.data(32);
  const x = p, y = p + 32;
  feSqr(lhs, y);
  feSqr(rhs, x);
  feMul(rhs, rhs, x);
  feSub(rhs, rhs, x);
  feSub(rhs, rhs, x);
  feSub(rhs, rhs, x);
  feAdd(rhs, rhs, FE_B);
  return eqMask(lhs, rhs) != 0;
}

// 0x04 || X || Y; false for infinity (nothing written).
export function pointToUncompressed(out: usize, p: usize): bool {
  const x = memory.data(32);
  const y = memory.data(32);
  if (!pointToAffine(x, y, p)) return false;
  store<u8>(out, 0x04);
  limbsToBE(out + 1, x);
  limbsToBE(out + 33, y);
  return true;
}
