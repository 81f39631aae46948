// RFC 3711 §3.3.2: the replay list, a sliding bitmap over the last N packet indices.

export const REPLAY_OK: i32 = 0;
export const REPLAY_DUPLICATE: i32 = 1;
export const REPLAY_TOO_OLD: i32 = 2;

export const REPLAY_WINDOW_MIN: i32 = 64;
export const REPLAY_WINDOW_MAX: i32 = 32768;

// Bit (index mod size) of a ring of words records whether that index was seen; only indices in
// (top - size, top] have meaningful bits, so sliding forward clears the bits it uncovers.
export class ReplayWindow {
  readonly size: u64;
  private words: StaticArray<u64>;
  private top: u64 = 0;
  private any: bool = false;

  // size is rounded up to a multiple of 64 and clamped to [64, 32768].
  constructor(size: i32) {
    let n = size < REPLAY_WINDOW_MIN ? REPLAY_WINDOW_MIN : size > REPLAY_WINDOW_MAX ? REPLAY_WINDOW_MAX : size;
    n = (n + 63) & ~63;
    this.size = <u64>n;
    this.words = new StaticArray<u64>(n >> 6);
  }

  // Whether index may still be accepted; does not record it (call accept() after authentication).
  check(index: u64): i32 {
    if (!this.any || index > this.top) return REPLAY_OK;
    if (this.top - index >= this.size) return REPLAY_TOO_OLD;
    return this.bit(index) ? REPLAY_DUPLICATE : REPLAY_OK;
  }

  accept(index: u64): void {
    if (!this.any || index >= this.top + this.size) {
      this.clearAll();
    } else if (index > this.top) {
      for (let i = this.top + 1; i < index; i++) this.clear(i);
    } else if (this.top - index >= this.size) {
      return;
    }
    if (!this.any || index > this.top) this.top = index;
    this.any = true;
    this.set(index);
  }

  // The highest index accepted so far (meaningless before the first accept).
  get highest(): u64 {
    return this.top;
  }

  private bit(i: u64): bool {
    const p = i % this.size;
    return ((unchecked(this.words[<i32>(p >> 6)]) >> (p & 63)) & 1) != 0;
  }

  private set(i: u64): void {
    const p = i % this.size;
    const w = <i32>(p >> 6);
    unchecked(this.words[w] = this.words[w] | (<u64>1 << (p & 63)));
  }

  private clear(i: u64): void {
    const p = i % this.size;
    const w = <i32>(p >> 6);
    unchecked(this.words[w] = this.words[w] & ~(<u64>1 << (p & 63)));
  }

  private clearAll(): void {
    for (let i = 0; i < this.words.length; i++) unchecked(this.words[i] = 0);
  }
}
