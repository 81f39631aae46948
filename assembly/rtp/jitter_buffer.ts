// RFC 3550 §A.1 extended sequence numbers put to use: a bounded reorder buffer in front of the depacketizers.
import { Depacketizer } from "./depacketizer";

export class JitterBufferCounters {
  duplicates: u32 = 0;
  late: u32 = 0; // arrived after their slot was given up on or released
  skipped: u32 = 0; // sequence numbers given up on (never arrived in time)
  tooLarge: u32 = 0;
}

// Holds up to `capacity` packets by extended sequence number and releases them in order. A
// missing packet is waited for at most maxDelayMs (long enough for a NACK round trip) after
// the first packet behind it arrived, or until the buffer fills; then it is skipped and the
// depacketizer sees the gap and drops that frame.
export class JitterBuffer {
  counters: JitterBufferCounters = new JitterBufferCounters();
  private payloads: StaticArray<Uint8Array>;
  private lens: StaticArray<i32>;
  private seqs: StaticArray<i64>; // -1 for an empty slot
  private stamps: StaticArray<u32>;
  private markers: StaticArray<bool>;
  private arrivals: StaticArray<i64>;
  private next: i64 = -1; // next extended sequence number to release
  private held: i32 = 0;

  constructor(public capacity: i32, public maxPayload: i32, public maxDelayMs: i32) {
    if (capacity < 2) this.capacity = capacity = 2;
    this.payloads = new StaticArray<Uint8Array>(capacity);
    this.lens = new StaticArray<i32>(capacity);
    this.seqs = new StaticArray<i64>(capacity);
    this.stamps = new StaticArray<u32>(capacity);
    this.markers = new StaticArray<bool>(capacity);
    this.arrivals = new StaticArray<i64>(capacity);
    for (let i = 0; i < capacity; i++) {
      unchecked((this.payloads[i] = new Uint8Array(maxPayload)));
      unchecked((this.seqs[i] = -1));
    }
  }

  get length(): i32 {
    return this.held;
  }

  private slot(ext: i64): i32 {
    return <i32>(ext % <i64>this.capacity);
  }

  // Buffers one packet's payload (copied). Returns false when it is dropped.
  insert(ext: i64, ts: u32, marker: bool, payload: Uint8Array, now: i64, dep: Depacketizer): bool {
    if (payload.length > this.maxPayload) {
      this.counters.tooLarge++;
      return false;
    }
    if (this.next < 0) this.next = ext;
    if (ext < this.next) {
      this.counters.late++;
      return false;
    }
    // Too far ahead: release or give up on the oldest positions until it fits.
    while (ext >= this.next + <i64>this.capacity) {
      if (this.held == 0) {
        // Nothing left to release: jump instead of stepping through the empty positions.
        const to = ext - <i64>this.capacity + 1;
        this.counters.skipped += <u32>(to - this.next);
        this.next = to;
        break;
      }
      this.advance(dep);
    }
    const i = this.slot(ext);
    if (unchecked(this.seqs[i]) == ext) {
      this.counters.duplicates++;
      return false;
    }
    memory.copy(unchecked(this.payloads[i]).dataStart, payload.dataStart, <usize>payload.length);
    unchecked((this.lens[i] = payload.length));
    unchecked((this.seqs[i] = ext));
    unchecked((this.stamps[i] = ts));
    unchecked((this.markers[i] = marker));
    unchecked((this.arrivals[i] = now));
    this.held++;
    return true;
  }

  // Releases the head position: hands its packet over, or skips it when missing.
  private advance(dep: Depacketizer): void {
    const i = this.slot(this.next);
    if (unchecked(this.seqs[i]) == this.next) {
      dep.push(unchecked(this.payloads[i]).subarray(0, unchecked(this.lens[i])), <u16>this.next,
        unchecked(this.stamps[i]), unchecked(this.markers[i]));
      unchecked((this.seqs[i] = -1));
      this.held--;
    } else {
      this.counters.skipped++;
    }
    this.next++;
  }

  // The first held packet after a missing head, or -1.
  private firstHeld(): i32 {
    if (this.held == 0) return -1;
    for (let k: i64 = 0; k < <i64>this.capacity; k++) {
      const i = this.slot(this.next + k);
      if (unchecked(this.seqs[i]) == this.next + k) return i;
    }
    return -1;
  }

  // Hands every packet that is next in order to dep, skipping missing ones whose wait is over.
  drain(now: i64, dep: Depacketizer): void {
    while (this.held > 0) {
      const i = this.slot(this.next);
      if (unchecked(this.seqs[i]) == this.next) {
        this.advance(dep);
        continue;
      }
      const f = this.firstHeld();
      if (f < 0 || unchecked(this.arrivals[f]) + <i64>this.maxDelayMs > now) break;
      while (unchecked(this.seqs[this.slot(this.next)]) != this.next) {
        this.counters.skipped++;
        this.next++;
      }
    }
  }

  // When drain() next has work (a missing packet's wait ends), or -1.
  nextDeadline(): i64 {
    const f = this.firstHeld();
    if (f < 0) return -1;
    return unchecked(this.arrivals[f]) + <i64>this.maxDelayMs;
  }

  // Starts over (SSRC change, or the sender restarted its sequence numbers).
  reset(): void {
    for (let i = 0; i < this.capacity; i++) unchecked((this.seqs[i] = -1));
    this.held = 0;
    this.next = -1;
  }
}
