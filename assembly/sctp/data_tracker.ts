// RFC 9260 §6.2, §6.7: which TSNs arrived, what the next SACK says, and when it must leave.
import { SackChunk } from "./chunk_sack";
import { insertAt } from "./array_insert";
import { tsnLt, tsnLte, tsnGt } from "./tsn";

// Gap ack block offsets are 16 bits, so nothing further than this above the cumulative TSN
// can be acknowledged; such a TSN is dropped instead.
export const MAX_TSN_SPAN: u32 = 65000;

export class DataTracker {
  cumTsn: u32; // every TSN up to this one arrived
  // TSNs above cumTsn that arrived, as sorted disjoint ranges [start, end].
  private starts: Array<u32> = [];
  private ends: Array<u32> = [];
  private dups: Array<u32> = [];
  private packetsUnacked: i32 = 0;
  ackDeadline: i64 = i64.MAX_VALUE;
  ackNow: bool = false;
  duplicates: i32 = 0;

  constructor(peerInitialTsn: u32, public maxDups: i32, public delayMs: i32) {
    this.cumTsn = peerInitialTsn - 1;
  }

  get hasGaps(): bool {
    return this.starts.length > 0;
  }

  isDuplicate(tsn: u32): bool {
    if (tsnLte(tsn, this.cumTsn)) return true;
    for (let i = 0; i < this.starts.length; i++) {
      if (tsnLt(tsn, this.starts[i])) return false;
      if (tsnLte(tsn, this.ends[i])) return true;
    }
    return false;
  }

  // True when tsn lies below the highest TSN received: it fills a hole that holds back data
  // already buffered above it.
  fillsGap(tsn: u32): bool {
    const n = this.ends.length;
    return n > 0 && tsnLt(tsn, this.ends[n - 1]);
  }

  inWindow(tsn: u32): bool {
    return tsnGt(tsn, this.cumTsn) && tsn - this.cumTsn <= MAX_TSN_SPAN;
  }

  recordDuplicate(tsn: u32): void {
    this.duplicates++;
    if (this.dups.length < this.maxDups) this.dups.push(tsn);
    this.ackNow = true;
  }

  // A new TSN (not a duplicate, in the window).
  record(tsn: u32): void {
    let i = 0;
    const n = this.starts.length;
    while (i < n && tsnLt(this.ends[i] + 1, tsn)) i++;
    if (i < n && tsnLte(this.starts[i], tsn + 1) && tsnLte(tsn, this.ends[i] + 1)) {
      // Touches range i: extend it, then merge with the next one if they meet.
      if (tsnLt(tsn, this.starts[i])) this.starts[i] = tsn;
      if (tsnGt(tsn, this.ends[i])) this.ends[i] = tsn;
      if (i + 1 < this.starts.length && this.ends[i] + 1 == this.starts[i + 1]) {
        this.ends[i] = this.ends[i + 1];
        this.starts.splice(i + 1, 1);
        this.ends.splice(i + 1, 1);
      }
    } else {
      insertAt<u32>(this.starts, i, tsn);
      insertAt<u32>(this.ends, i, tsn);
    }
    this.absorb();
  }

  // The peer abandoned everything up to newCum (FORWARD-TSN).
  forwardTo(newCum: u32): void {
    if (!tsnGt(newCum, this.cumTsn)) return;
    this.cumTsn = newCum;
    while (this.starts.length > 0 && tsnLte(this.starts[0], newCum + 1)) {
      if (tsnGt(this.ends[0], this.cumTsn)) this.cumTsn = this.ends[0];
      this.starts.shift();
      this.ends.shift();
    }
  }

  private absorb(): void {
    while (this.starts.length > 0 && this.starts[0] == this.cumTsn + 1) {
      this.cumTsn = this.ends[0];
      this.starts.shift();
      this.ends.shift();
    }
  }

  // A packet with DATA arrived (§6.2: SACK at least every second packet, or after the delay).
  onDataPacket(now: i64, immediate: bool): void {
    this.packetsUnacked++;
    if (immediate || this.hasGaps || this.packetsUnacked >= 2) this.ackNow = true;
    else if (this.ackDeadline == i64.MAX_VALUE) this.ackDeadline = now + this.delayMs;
  }

  onTimeout(now: i64): void {
    if (now >= this.ackDeadline) this.ackNow = true;
  }

  get ackPending(): bool {
    return this.packetsUnacked > 0 || this.ackNow;
  }

  makeSack(arwnd: i32): SackChunk {
    const s = new SackChunk();
    s.cumTsnAck = this.cumTsn;
    s.arwnd = <u32>max(arwnd, 0);
    const n = this.starts.length;
    // Blocks that do not fit the 16-bit offset, or beyond what a packet carries, are left out.
    for (let i = 0; i < n && i < 128; i++) {
      const a = this.starts[i] - this.cumTsn;
      const b = this.ends[i] - this.cumTsn;
      if (b > 0xffff) break;
      s.gapStart.push(<u16>a);
      s.gapEnd.push(<u16>b);
    }
    for (let i = 0; i < this.dups.length; i++) s.dups.push(this.dups[i]);
    this.dups.length = 0;
    this.packetsUnacked = 0;
    this.ackNow = false;
    this.ackDeadline = i64.MAX_VALUE;
    return s;
  }
}
