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

// The CIOS accumulator: 8 limbs plus two carry limbs.
const T: usize = memory.data(40);
const ACC: usize = memory.data(32);
// The plain integer 1: multiplying by it leaves the Montgomery domain.
const PLAIN_ONE: usize = memory.data<u32>([1, 0, 0, 0, 0, 0, 0, 0]);

// @ts-ignore: decorator
@inline function limb(p: usize, i: usize): u64 {
  return <u64>load<u32>(p + (i << 2));
}

// r = a*b/R mod m, for a, b < m (or either < R with the other 1).
export function montMul(r: usize, a: usize, b: usize, M: Modulus): void {
  const m = M.m;
  const n0 = M.n0;
  memory.fill(T, 0, 40);
  for (let i: usize = 0; i < 8; i++) {
    const bi = limb(b, i);
    let c: u64 = 0;
    for (let j: usize = 0; j < 8; j++) {
      const s = limb(T, j) + limb(a, j) * bi + c;
      store<u32>(T + (j << 2), <u32>s);
      c = s >> 32;
    }
    let s = limb(T, 8) + c;
    store<u32>(T + 32, <u32>s);
    store<u32>(T + 36, <u32>(s >> 32));
    // q makes the low limb vanish, so the sum can shift down one limb exactly.
    const q = <u64>(load<u32>(T) * n0);
    c = (limb(T, 0) + q * limb(m, 0)) >> 32;
    for (let j: usize = 1; j < 8; j++) {
      s = limb(T, j) + q * limb(m, j) + c;
      store<u32>(T + ((j - 1) << 2), <u32>s);
      c = s >> 32;
    }
    s = limb(T, 8) + c;
    store<u32>(T + 28, <u32>s);
    store<u32>(T + 32, load<u32>(T + 36) + <u32>(s >> 32));
  }
  // T < 2m here; one masked subtraction brings it below m.
  subIfAtLeast(r, T, load<u32>(T + 32), m);
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
