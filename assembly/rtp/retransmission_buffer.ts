// RFC 4585 §6.2.1 / RFC 4588 §4 send side: recently sent packets kept for answering NACKs, bounded by configuration.

// A ring of `capacity` slots, each a preallocated buffer of maxPacketSize bytes: memory is
// fixed at creation, and a packet is found by sequence number in O(1).
export class RetransmissionBuffer {
  private data: StaticArray<Uint8Array>;
  private lens: StaticArray<i32>;
  private seqs: StaticArray<i32>; // -1 when empty
  private sentAt: StaticArray<i64>;
  private resentAt: StaticArray<i64>;
  private resends: StaticArray<i32>;

  constructor(public capacity: i32, public maxPacketSize: i32) {
    if (capacity < 1) this.capacity = capacity = 1;
    this.data = new StaticArray<Uint8Array>(capacity);
    this.lens = new StaticArray<i32>(capacity);
    this.seqs = new StaticArray<i32>(capacity);
    this.sentAt = new StaticArray<i64>(capacity);
    this.resentAt = new StaticArray<i64>(capacity);
    this.resends = new StaticArray<i32>(capacity);
    for (let i = 0; i < capacity; i++) {
      unchecked((this.data[i] = new Uint8Array(maxPacketSize)));
      unchecked((this.seqs[i] = -1));
    }
  }

  store(seq: u16, packet: Uint8Array, now: i64): bool {
    if (packet.length > this.maxPacketSize) return false;
    const i = <i32>seq % this.capacity;
    const d = unchecked(this.data[i]);
    memory.copy(d.dataStart, packet.dataStart, <usize>packet.length);
    unchecked((this.lens[i] = packet.length));
    unchecked((this.seqs[i] = <i32>seq));
    unchecked((this.sentAt[i] = now));
    unchecked((this.resentAt[i] = i64.MIN_VALUE));
    unchecked((this.resends[i] = 0));
    return true;
  }

  // Slot of seq, or -1 when it was never stored or has been overwritten.
  find(seq: u16): i32 {
    const i = <i32>seq % this.capacity;
    return unchecked(this.seqs[i]) == <i32>seq ? i : -1;
  }

  packet(slot: i32): Uint8Array {
    return unchecked(this.data[slot]).subarray(0, unchecked(this.lens[slot]));
  }

  sentTime(slot: i32): i64 {
    return unchecked(this.sentAt[slot]);
  }

  lastResent(slot: i32): i64 {
    return unchecked(this.resentAt[slot]);
  }

  resendCount(slot: i32): i32 {
    return unchecked(this.resends[slot]);
  }

  markResent(slot: i32, now: i64): void {
    unchecked((this.resentAt[slot] = now));
    unchecked((this.resends[slot] += 1));
  }
}
