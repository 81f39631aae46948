// RFC 7748 §5: arithmetic modulo p = 2^255 - 19 for X25519, constant-time.
//
// An element is 10 signed limbs in radix 2^25.5: limb i holds bits from ceil(25.5 i), so even
// limbs are 26 bits wide and odd limbs 25. A product of limbs whose weight passes 2^255 wraps
// round with a factor 19 (2^255 = 19 mod p); two odd limbs carry an extra factor 2 because
// both of their weights were rounded up by half a bit.
//
// Limb bounds, which keep every sum of products inside i64: a carried element has
// |even limb| <= 2^25 and |odd limb| <= 2^24 (plus a little in limbs 0 and 1); add and sub
// of two carried elements at most double that; mul and mulSmall accept such sums and return
// carried elements. The largest product sum is then under 10 * 38 * 2^52 < 2^61.

export type Fe = StaticArray<i64>;

export function feNew(): Fe {
  return new StaticArray<i64>(10);
}

export function feZero(h: Fe): void {
  for (let i = 0; i < 10; i++) unchecked((h[i] = 0));
}

export function feOne(h: Fe): void {
  feZero(h);
  unchecked((h[0] = 1));
}

export function feCopy(h: Fe, f: Fe): void {
  for (let i = 0; i < 10; i++) unchecked((h[i] = f[i]));
}

export function feAdd(h: Fe, f: Fe, g: Fe): void {
  for (let i = 0; i < 10; i++) unchecked((h[i] = f[i] + g[i]));
}

export function feSub(h: Fe, f: Fe, g: Fe): void {
  for (let i = 0; i < 10; i++) unchecked((h[i] = f[i] - g[i]));
}

// Swaps f and g when bit is 1, leaves them when it is 0, with the same memory accesses either way.
export function feCswap(f: Fe, g: Fe, bit: i64): void {
  const mask = -bit;
  for (let i = 0; i < 10; i++) {
    const t = mask & (unchecked(f[i]) ^ unchecked(g[i]));
    unchecked((f[i] ^= t));
    unchecked((g[i] ^= t));
  }
}

// Bit offset and width of each limb.
// @ts-ignore: decorator
@inline function limbShift(i: i32): i32 {
  return (i * 51 + 1) >> 1;
}

// @ts-ignore: decorator
@inline function limbBits(i: i32): i32 {
  return 26 - (i & 1);
}

// Reads 32 little-endian bytes at p, ignoring bit 255 as RFC 7748 §5 asks of u-coordinates.
export function feFromBytes(h: Fe, p: usize): void {
  for (let i = 0; i < 10; i++) {
    const s = limbShift(i);
    // Every limb plus its offset within the first byte fits in one 32-bit window.
    const w = load<u32>(p + <usize>(s >> 3)) >> <u32>(s & 7);
    unchecked((h[i] = <i64>(w & ((1 << limbBits(i)) - 1))));
  }
}

// Rounding carry of limb i into limb i+1, leaving limb i within half its radix either way.
// @ts-ignore: decorator
@inline function carryRound(h: Fe, i: i32): void {
  const b = limbBits(i);
  const v = unchecked(h[i]);
  const c = (v + (<i64>1 << (b - 1))) >> b;
  unchecked((h[i] = v - (c << b)));
  if (i == 9) unchecked((h[0] += c * 19));
  else unchecked((h[i + 1] += c));
}

function carryAll(h: Fe): void {
  for (let i = 0; i < 10; i++) carryRound(h, i);
  carryRound(h, 0);
}

export function feMul(h: Fe, f: Fe, g: Fe): void {
  const f0 = unchecked(f[0]), f1 = unchecked(f[1]), f2 = unchecked(f[2]), f3 = unchecked(f[3]), f4 = unchecked(f[4]);
  const f5 = unchecked(f[5]), f6 = unchecked(f[6]), f7 = unchecked(f[7]), f8 = unchecked(f[8]), f9 = unchecked(f[9]);
  const g0 = unchecked(g[0]), g1 = unchecked(g[1]), g2 = unchecked(g[2]), g3 = unchecked(g[3]), g4 = unchecked(g[4]);
  const g5 = unchecked(g[5]), g6 = unchecked(g[6]), g7 = unchecked(g[7]), g8 = unchecked(g[8]), g9 = unchecked(g[9]);
  const f1x2 = f1 * 2, f3x2 = f3 * 2, f5x2 = f5 * 2, f7x2 = f7 * 2, f9x2 = f9 * 2;
  const g1x19 = g1 * 19, g2x19 = g2 * 19, g3x19 = g3 * 19, g4x19 = g4 * 19, g5x19 = g5 * 19;
  const g6x19 = g6 * 19, g7x19 = g7 * 19, g8x19 = g8 * 19, g9x19 = g9 * 19;
  unchecked((h[0] = f0 * g0 + f1x2 * g9x19 + f2 * g8x19 + f3x2 * g7x19 + f4 * g6x19 + f5x2 * g5x19 + f6 * g4x19 + f7x2 * g3x19 + f8 * g2x19 + f9x2 * g1x19));
  unchecked((h[1] = f0 * g1 + f1 * g0 + f2 * g9x19 + f3 * g8x19 + f4 * g7x19 + f5 * g6x19 + f6 * g5x19 + f7 * g4x19 + f8 * g3x19 + f9 * g2x19));
  unchecked((h[2] = f0 * g2 + f1x2 * g1 + f2 * g0 + f3x2 * g9x19 + f4 * g8x19 + f5x2 * g7x19 + f6 * g6x19 + f7x2 * g5x19 + f8 * g4x19 + f9x2 * g3x19));
  unchecked((h[3] = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9x19 + f5 * g8x19 + f6 * g7x19 + f7 * g6x19 + f8 * g5x19 + f9 * g4x19));
  unchecked((h[4] = f0 * g4 + f1x2 * g3 + f2 * g2 + f3x2 * g1 + f4 * g0 + f5x2 * g9x19 + f6 * g8x19 + f7x2 * g7x19 + f8 * g6x19 + f9x2 * g5x19));
  unchecked((h[5] = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g9x19 + f7 * g8x19 + f8 * g7x19 + f9 * g6x19));
  unchecked((h[6] = f0 * g6 + f1x2 * g5 + f2 * g4 + f3x2 * g3 + f4 * g2 + f5x2 * g1 + f6 * g0 + f7x2 * g9x19 + f8 * g8x19 + f9x2 * g7x19));
  unchecked((h[7] = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9x19 + f9 * g8x19));
  unchecked((h[8] = f0 * g8 + f1x2 * g7 + f2 * g6 + f3x2 * g5 + f4 * g4 + f5x2 * g3 + f6 * g2 + f7x2 * g1 + f8 * g0 + f9x2 * g9x19));
  unchecked((h[9] = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0));
  carryAll(h);
}

export function feSq(h: Fe, f: Fe): void {
  feMul(h, f, f);
}

// h = f * c for a small constant c (under 2^20).
export function feMulSmall(h: Fe, f: Fe, c: i64): void {
  for (let i = 0; i < 10; i++) unchecked((h[i] = f[i] * c));
  carryAll(h);
}

// h = f^(2^n), n >= 1.
function feSqTimes(h: Fe, f: Fe, n: i32): void {
  feSq(h, f);
  for (let i = 1; i < n; i++) feSq(h, h);
}

// h = z^(p-2) = 1/z (0 for z = 0), by an addition chain over the public exponent 2^255 - 21.
export function feInvert(h: Fe, z: Fe): void {
  const t0 = feNew(), t1 = feNew(), t2 = feNew(), t3 = feNew();
  feSq(t0, z); //                 z^2
  feSqTimes(t1, t0, 2); //        z^8
  feMul(t1, z, t1); //            z^9
  feMul(t0, t0, t1); //           z^11
  feSq(t2, t0); //                z^22
  feMul(t1, t1, t2); //           z^(2^5 - 1)
  feSqTimes(t2, t1, 5);
  feMul(t1, t2, t1); //           z^(2^10 - 1)
  feSqTimes(t2, t1, 10);
  feMul(t2, t2, t1); //           z^(2^20 - 1)
  feSqTimes(t3, t2, 20);
  feMul(t2, t3, t2); //           z^(2^40 - 1)
  feSqTimes(t2, t2, 10);
  feMul(t1, t2, t1); //           z^(2^50 - 1)
  feSqTimes(t2, t1, 50);
  feMul(t2, t2, t1); //           z^(2^100 - 1)
  feSqTimes(t3, t2, 100);
  feMul(t2, t3, t2); //           z^(2^200 - 1)
  feSqTimes(t2, t2, 50);
  feMul(t1, t2, t1); //           z^(2^250 - 1)
  feSqTimes(t1, t1, 5); //        z^(2^255 - 2^5)
  feMul(h, t1, t0); //            z^(2^255 - 21)
}

// Floor carry of limb i into the next, leaving limb i in [0, 2^bits).
// @ts-ignore: decorator
@inline function carryFloor(h: Fe, i: i32): void {
  const b = limbBits(i);
  const v = unchecked(h[i]);
  const c = v >> b;
  unchecked((h[i] = v - (c << b)));
  if (i == 9) unchecked((h[0] += c * 19));
  else unchecked((h[i + 1] += c));
}

// Writes the canonical value (in [0, p)) as 32 little-endian bytes at p.
export function feToBytes(p: usize, f: Fe): void {
  const h = feNew();
  feCopy(h, f);
  // Two floor-carry passes leave limbs 1..9 canonical and limb 0 >= -19, and a value v with
  // 0 <= v < 2^255 + 2^27 < 2p.
  for (let i = 0; i < 10; i++) carryFloor(h, i);
  for (let i = 0; i < 10; i++) carryFloor(h, i);
  // q = floor((v + 19) / 2^255) is 1 exactly when v >= p; subtract q*p without a branch.
  let q = (unchecked(h[0]) + 19) >> 26;
  for (let i = 1; i < 10; i++) q = (unchecked(h[i]) + q) >> limbBits(i);
  unchecked((h[0] += 19 * q));
  for (let i = 0; i < 9; i++) {
    const b = limbBits(i);
    const c = unchecked(h[i]) >> b;
    unchecked((h[i] -= c << b));
    unchecked((h[i + 1] += c));
  }
  unchecked((h[9] &= (1 << 25) - 1)); // drops q * 2^255
  let acc: u64 = 0;
  let bits = 0;
  let out = p;
  for (let i = 0; i < 10; i++) {
    acc |= <u64>unchecked(h[i]) << <u64>bits;
    bits += limbBits(i);
    while (bits >= 8) {
      store<u8>(out++, <u8>acc);
      acc >>= 8;
      bits -= 8;
    }
  }
  store<u8>(out, <u8>acc); // the last 7 bits
}
