// Montgomery arithmetic mod a 256-bit odd modulus (HAC 14.36, CIOS form), for P-256's p and n.
// A number is 8 little-endian u32 limbs at a raw address (32 bytes). Every function runs in
// time independent of the values (no value-dependent branch or index), so secrets may pass.
// Results may alias inputs: each function reads all of its inputs before it writes.
import { ctIsZero32 } from "../util/ct";
import { loadBE32, storeBE32 } from "../util/endian";

export class Modulus {
  constructor(
    public m: usize, // the modulus
    public n0: u32, // -m^-1 mod 2^32
    public r2: usize, // R^2 mod m, R = 2^256: converts into the Montgomery domain
    public one: usize, // R mod m: 1 in the Montgomery domain
  ) {}
}

const LO: u64 = 0xffffffff;
// A result before its final reduction.
const T: usize = memory.data(32);
const ACC: usize = memory.data(32);
// The plain integer 1: multiplying by it leaves the Montgomery domain.
const PLAIN_ONE: usize = memory.data<u32>([1, 0, 0, 0, 0, 0, 0, 0]);

// @ts-ignore: decorator
@inline function limb(p: usize, i: usize): u64 {
  return <u64>load<u32>(p + (i << 2));
}

// r = a*b/R mod m, for a, b < m (or either < R with the other 1). The accumulator lives in
// locals, one 32-bit limb in each u64, so the hot loop touches no memory but b.
export function montMul(r: usize, a: usize, b: usize, M: Modulus): void {
  const m = M.m;
  const n0 = M.n0;
  const a0 = limb(a, 0), a1 = limb(a, 1), a2 = limb(a, 2), a3 = limb(a, 3);
  const a4 = limb(a, 4), a5 = limb(a, 5), a6 = limb(a, 6), a7 = limb(a, 7);
  const m0 = limb(m, 0), m1 = limb(m, 1), m2 = limb(m, 2), m3 = limb(m, 3);
  const m4 = limb(m, 4), m5 = limb(m, 5), m6 = limb(m, 6), m7 = limb(m, 7);
  let t0: u64 = 0, t1: u64 = 0, t2: u64 = 0, t3: u64 = 0, t4: u64 = 0, t5: u64 = 0, t6: u64 = 0, t7: u64 = 0, t8: u64 = 0;
  for (let i: usize = 0; i < 8; i++) {
    const bi = limb(b, i);
    let s = t0 + a0 * bi;
    t0 = s & LO;
    s = t1 + a1 * bi + (s >> 32);
    t1 = s & LO;
    s = t2 + a2 * bi + (s >> 32);
    t2 = s & LO;
    s = t3 + a3 * bi + (s >> 32);
    t3 = s & LO;
    s = t4 + a4 * bi + (s >> 32);
    t4 = s & LO;
    s = t5 + a5 * bi + (s >> 32);
    t5 = s & LO;
    s = t6 + a6 * bi + (s >> 32);
    t6 = s & LO;
    s = t7 + a7 * bi + (s >> 32);
    t7 = s & LO;
    s = t8 + (s >> 32);
    t8 = s & LO;
    const t9 = s >> 32;
    // q makes the low limb vanish, so the sum shifts down one limb exactly. It is a u32 of
    // its own: inside a u64 expression the product would not wrap.
    const q32: u32 = <u32>t0 * n0;
    const q = <u64>q32;
    s = t0 + q * m0;
    s = t1 + q * m1 + (s >> 32);
    t0 = s & LO;
    s = t2 + q * m2 + (s >> 32);
    t1 = s & LO;
    s = t3 + q * m3 + (s >> 32);
    t2 = s & LO;
    s = t4 + q * m4 + (s >> 32);
    t3 = s & LO;
    s = t5 + q * m5 + (s >> 32);
    t4 = s & LO;
    s = t6 + q * m6 + (s >> 32);
    t5 = s & LO;
    s = t7 + q * m7 + (s >> 32);
    t6 = s & LO;
    s = t8 + (s >> 32);
    t7 = s & LO;
    t8 = t9 + (s >> 32);
  }
  store<u32>(T + 0, <u32>t0);
  store<u32>(T + 4, <u32>t1);
  store<u32>(T + 8, <u32>t2);
  store<u32>(T + 12, <u32>t3);
  store<u32>(T + 16, <u32>t4);
  store<u32>(T + 20, <u32>t5);
  store<u32>(T + 24, <u32>t6);
  store<u32>(T + 28, <u32>t7);
  // The result is below 2m here; one masked subtraction brings it below m.
  subIfAtLeast(r, T, <u32>t8, m);
}

// r = (hi*2^256 + a) - m when that is >= 0, else a; for values below 2m.
function subIfAtLeast(r: usize, a: usize, hi: u32, m: usize): void {
  const d = ACC;
  let borrow: i64 = 0;
  for (let i: usize = 0; i < 8; i++) {
    const v = <i64>limb(a, i) - <i64>limb(m, i) + borrow;
    store<u32>(d + (i << 2), <u32>v);
    borrow = v >> 32;
  }
  // Keep a only when it had no ninth limb and the subtraction borrowed.
  const keepA = ctIsZero32(hi) & <u32>borrow;
  for (let i: usize = 0; i < 8; i++) {
    const x = load<u32>(a + (i << 2));
    const y = load<u32>(d + (i << 2));
    store<u32>(r + (i << 2), y ^ (keepA & (x ^ y)));
  }
}

// r = a + b mod m, for a, b < m.
export function modAdd(r: usize, a: usize, b: usize, M: Modulus): void {
  const s = ACC;
  let c: u64 = 0;
  for (let i: usize = 0; i < 8; i++) {
    const v = limb(a, i) + limb(b, i) + c;
    store<u32>(s + (i << 2), <u32>v);
    c = v >> 32;
  }
  // subIfAtLeast uses ACC as its own scratch, so move the sum out of the way first.
  memory.copy(T, s, 32);
  subIfAtLeast(r, T, <u32>c, M.m);
}

// r = a - b mod m, for a, b < m.
export function modSub(r: usize, a: usize, b: usize, M: Modulus): void {
  const m = M.m;
  const d = ACC;
  let borrow: i64 = 0;
  for (let i: usize = 0; i < 8; i++) {
    const v = <i64>limb(a, i) - <i64>limb(b, i) + borrow;
    store<u32>(d + (i << 2), <u32>v);
    borrow = v >> 32;
  }
  // On a borrow add m back, masked rather than branched.
  const mask = <u64><u32>borrow;
  let c: u64 = 0;
  for (let i: usize = 0; i < 8; i++) {
    const v = limb(d, i) + (limb(m, i) & mask) + c;
    store<u32>(r + (i << 2), <u32>v);
    c = v >> 32;
  }
}

export function toMont(r: usize, a: usize, M: Modulus): void {
  montMul(r, a, M.r2, M);
}

export function fromMont(r: usize, a: usize, M: Modulus): void {
  montMul(r, a, PLAIN_ONE, M);
}

// r = a^e in the Montgomery domain. e is public (p-2 or n-2 for inversion), so its bits may
// steer the loop; a's value never does.
export function montPow(r: usize, a: usize, e: usize, M: Modulus): void {
  const base = memory.data(32);
  const acc = memory.data(32);
  memory.copy(base, a, 32);
  memory.copy(acc, M.one, 32);
  for (let i = 255; i >= 0; i--) {
    montMul(acc, acc, acc, M);
    if ((load<u32>(e + (<usize>(i >> 5) << 2)) >> (<u32>i & 31)) & 1) montMul(acc, acc, base, M);
  }
  memory.copy(r, acc, 32);
}

// All ones when a < b (as plain 256-bit integers), else 0.
export function ltMask(a: usize, b: usize): u32 {
  let borrow: i64 = 0;
  for (let i: usize = 0; i < 8; i++) borrow = (<i64>limb(a, i) - <i64>limb(b, i) + borrow) >> 32;
  return <u32>borrow;
}

// All ones when a == 0, else 0.
export function isZeroMask(a: usize): u32 {
  let acc: u32 = 0;
  for (let i: usize = 0; i < 8; i++) acc |= load<u32>(a + (i << 2));
  return ctIsZero32(acc);
}

// All ones when a == b, else 0.
export function eqMask(a: usize, b: usize): u32 {
  let acc: u32 = 0;
  for (let i: usize = 0; i < 8; i++) acc |= load<u32>(a + (i << 2)) ^ load<u32>(b + (i << 2));
  return ctIsZero32(acc);
}

// r = mask ? a : r, for mask all ones or all zeros.
export function cmov(r: usize, a: usize, mask: u32): void {
  for (let i: usize = 0; i < 8; i++) {
    const x = load<u32>(r + (i << 2));
    store<u32>(r + (i << 2), x ^ (mask & (x ^ load<u32>(a + (i << 2)))));
  }
}

// Limbs from 32 big-endian bytes, and back.
export function limbsFromBE(r: usize, bytes: usize): void {
  for (let i: usize = 0; i < 8; i++) store<u32>(r + (i << 2), loadBE32(bytes + 28 - (i << 2)));
}

export function limbsToBE(bytes: usize, a: usize): void {
  for (let i: usize = 0; i < 8; i++) storeBE32(bytes + 28 - (i << 2), load<u32>(a + (i << 2)));
}
