// RFC 4585 §6.2.1 receive side: which lost packets to NACK and when, with bounded list and retries.

export class NackGenerator {
  private seqs: StaticArray<i64>;
  private dueAt: StaticArray<i64>;
  private retries: StaticArray<i32>;
  private count: i32 = 0;
  private highest: i64 = -1;
  gaveUp: u32 = 0; // packets dropped from the list after maxRetries NACKs
  overflows: u32 = 0; // gaps too large to NACK (the caller asks for a keyframe instead)
  recovered: u32 = 0; // NACKed packets that then arrived
  // Set when packets were abandoned; the receiver turns it into a PLI and clears it.
  keyframeNeeded: bool = false;

  // capacity: the most packets NACKed at once; retryMs: wait between NACKs of one packet (about
  // one RTT); delayMs: wait before the first NACK, to let reordered packets arrive.
  constructor(public capacity: i32 = 256, public maxRetries: i32 = 10, public retryMs: i32 = 100, public delayMs: i32 = 0) {
    if (capacity < 1) this.capacity = capacity = 1;
    this.seqs = new StaticArray<i64>(capacity);
    this.dueAt = new StaticArray<i64>(capacity);
    this.retries = new StaticArray<i32>(capacity);
  }

  get pending(): i32 {
    return this.count;
  }

  private remove(i: i32): void {
    const last = this.count - 1;
    // Order does not matter here; collect() sorts what it emits.
    unchecked((this.seqs[i] = this.seqs[last]));
    unchecked((this.dueAt[i] = this.dueAt[last]));
    unchecked((this.retries[i] = this.retries[last]));
    this.count = last;
  }

  clear(): void {
    this.count = 0;
  }

  // A packet with extended sequence number ext arrived (from the statistics' unwrapping).
  onPacket(ext: i64, now: i64): void {
    if (this.highest < 0) {
      this.highest = ext;
      return;
    }
    if (ext > this.highest) {
      const gap = ext - this.highest - 1;
      if (gap > <i64>this.capacity) {
        // More lost than the list could track: NACKing a prefix would waste the peer's effort;
        // a keyframe recovers sooner.
        this.overflows++;
        this.count = 0;
        this.keyframeNeeded = true;
      } else {
        for (let s = this.highest + 1; s < ext; s++) {
          if (this.count == this.capacity) {
            // Make room by abandoning the oldest entry (the least likely to still be useful).
            let oldest = 0;
            for (let i = 1; i < this.count; i++) if (unchecked(this.seqs[i]) < unchecked(this.seqs[oldest])) oldest = i;
            this.remove(oldest);
            this.gaveUp++;
            this.keyframeNeeded = true;
          }
          unchecked((this.seqs[this.count] = s));
          unchecked((this.dueAt[this.count] = now + <i64>this.delayMs));
          unchecked((this.retries[this.count] = 0));
          this.count++;
        }
      }
      this.highest = ext;
      return;
    }
    for (let i = 0; i < this.count; i++) {
      if (unchecked(this.seqs[i]) == ext) {
        this.remove(i);
        this.recovered++;
        return;
      }
    }
  }

  // Forgets the stream (SSRC change or resync).
  reset(): void {
    this.count = 0;
    this.highest = -1;
  }

  // Sequence numbers (16-bit, ascending) due for a NACK now; each is counted as one retry.
  collect(now: i64, out: u16[]): void {
    out.length = 0;
    let i = 0;
    while (i < this.count) {
      if (unchecked(this.dueAt[i]) <= now) {
        if (unchecked(this.retries[i]) >= this.maxRetries) {
          this.remove(i);
          this.gaveUp++;
          this.keyframeNeeded = true;
          continue;
        }
        unchecked((this.retries[i] += 1));
        unchecked((this.dueAt[i] = now + <i64>this.retryMs));
        out.push(<u16>unchecked(this.seqs[i]));
      }
      i++;
    }
    sortSeq(out, <u16>(this.highest + 1));
  }

  // The earliest time collect() has something to do, or -1.
  nextDue(): i64 {
    let t: i64 = -1;
    for (let i = 0; i < this.count; i++) {
      const d = unchecked(this.dueAt[i]);
      if (t < 0 || d < t) t = d;
    }
    return t;
  }
}

// Insertion sort by distance behind `ref` (all entries lie within capacity of it), so the
// order survives the 16-bit wrap. Lists are short and nearly sorted.
function sortSeq(a: u16[], ref: u16): void {
  for (let i = 1; i < a.length; i++) {
    const v = a[i];
    const kv = <u16>(ref - v);
    let j = i - 1;
    while (j >= 0 && <u16>(ref - a[j]) < kv) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}
