// RFC 3550 §6 / sans-IO output: a bounded FIFO of datagrams the host drains (no RFC wire type).

// Holds at most `capacity` datagrams; a push when full is refused and counted, so a host that
// stops polling costs bounded memory, never a trap.
export class PacketQueue {
  private items: StaticArray<Uint8Array | null>;
  private rtcp: StaticArray<bool>;
  private head: i32 = 0;
  private size: i32 = 0;
  overflow: u32 = 0;
  // Whether the datagram most recently polled is RTCP (so a host can pick the SRTCP transform).
  lastWasRtcp: bool = false;

  constructor(public capacity: i32) {
    if (capacity < 1) this.capacity = capacity = 1;
    this.items = new StaticArray<Uint8Array | null>(capacity);
    this.rtcp = new StaticArray<bool>(capacity);
  }

  get length(): i32 {
    return this.size;
  }

  get room(): i32 {
    return this.capacity - this.size;
  }

  push(p: Uint8Array, isRtcp: bool): bool {
    if (this.size == this.capacity) {
      this.overflow++;
      return false;
    }
    const at = (this.head + this.size) % this.capacity;
    unchecked((this.items[at] = p));
    unchecked((this.rtcp[at] = isRtcp));
    this.size++;
    return true;
  }

  poll(): Uint8Array | null {
    if (this.size == 0) return null;
    const p = unchecked(this.items[this.head]);
    this.lastWasRtcp = unchecked(this.rtcp[this.head]);
    unchecked((this.items[this.head] = null));
    this.head = (this.head + 1) % this.capacity;
    this.size--;
    return p;
  }
}
