// A seeded xorshift64 for the AssemblyScript test entries: loss, duplication and reordering that
// replay exactly from a seed. (Test-only; the core draws its randomness from crypto/random.)
export class Prng {
  constructor(public s: u64) {
    if (this.s == 0) this.s = 0x9e3779b97f4a7c15;
  }
  next(): u32 {
    let x = this.s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    this.s = x;
    return <u32>(x >> 32);
  }
  // True with probability pct/100.
  chance(pct: f64): bool {
    return <f64>(this.next() % 1000000) < pct * 10000;
  }
  below(n: i32): i32 {
    return n <= 0 ? 0 : <i32>(this.next() % <u32>n);
  }
}
