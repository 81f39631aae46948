// RFC 9260 §6.5, §6.6, §6.9 and RFC 3758 §3.6: fragments to messages, per-stream order, skips.
import { DataChunk } from "./chunk_data";
import { insertAt } from "./array_insert";
import { tsnLt, tsnLte, ssnLt } from "./tsn";

class Fragment {
  constructor(
    public tsn: u32,
    public streamId: u16,
    public ssn: u16,
    public ppid: u32,
    public flags: u8,
    public data: Uint8Array,
  ) {}
  get begin(): bool {
    return (this.flags & 2) != 0;
  }
  get end(): bool {
    return (this.flags & 1) != 0;
  }
  get unordered(): bool {
    return (this.flags & 4) != 0;
  }
}

export class InboundMessage {
  constructor(public streamId: u16, public ssn: u16, public ppid: u32, public data: Uint8Array, public unordered: bool) {}
}

class InboundStream {
  expectedSsn: u16 = 0;
  waiting: Array<InboundMessage> = []; // complete ordered messages ahead of expectedSsn, by SSN
}

export class ReassemblyQueue {
  private frags: Array<Fragment> = []; // by TSN
  private streams: Map<u16, InboundStream> = new Map();
  bytes: i32 = 0; // payload held here: fragments and complete messages waiting for their turn
  delivered: Array<InboundMessage> = []; // ready for the user, in delivery order
  oversize: bool = false; // a message grew past maxMessageSize: the association aborts

  constructor(public maxMessageSize: i32) {}

  get fragmentCount(): i32 {
    return this.frags.length;
  }

  private stream(sid: u16): InboundStream {
    if (this.streams.has(sid)) return this.streams.get(sid);
    const s = new InboundStream();
    this.streams.set(sid, s);
    return s;
  }

  // A DATA chunk whose TSN is new. Its payload is copied (the packet buffer is not ours).
  add(c: DataChunk): void {
    const f = new Fragment(c.tsn, c.streamId, c.ssn, c.ppid, c.flags, c.payload.slice());
    if (f.begin && f.end) {
      this.complete(new InboundMessage(f.streamId, f.ssn, f.ppid, f.data, f.unordered));
      return;
    }
    // Binary search for the insertion point.
    let lo = 0;
    let hi = this.frags.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tsnLt(this.frags[mid].tsn, f.tsn)) lo = mid + 1;
      else hi = mid;
    }
    insertAt<Fragment>(this.frags, lo, f);
    this.bytes += f.data.length;
    this.tryAssemble(lo);
  }

  private sameMessage(a: Fragment, b: Fragment): bool {
    return a.tsn + 1 == b.tsn && a.streamId == b.streamId && a.unordered == b.unordered &&
      (a.unordered || a.ssn == b.ssn);
  }

  private tryAssemble(i: i32): void {
    let s = i;
    let size = this.frags[i].data.length;
    while (!this.frags[s].begin) {
      if (s == 0 || !this.sameMessage(this.frags[s - 1], this.frags[s])) return;
      s--;
      size += this.frags[s].data.length;
    }
    let e = i;
    while (!this.frags[e].end) {
      if (e + 1 >= this.frags.length || !this.sameMessage(this.frags[e], this.frags[e + 1])) {
        if (size > this.maxMessageSize) this.oversize = true;
        return;
      }
      e++;
      size += this.frags[e].data.length;
    }
    if (size > this.maxMessageSize) {
      this.oversize = true;
      return;
    }
    const data = new Uint8Array(size);
    let off = 0;
    for (let k = s; k <= e; k++) {
      data.set(this.frags[k].data, off);
      off += this.frags[k].data.length;
    }
    const first = this.frags[s];
    this.frags.splice(s, e - s + 1);
    this.bytes -= size;
    this.complete(new InboundMessage(first.streamId, first.ssn, first.ppid, data, first.unordered));
  }

  private complete(m: InboundMessage): void {
    if (m.unordered) {
      this.delivered.push(m);
      return;
    }
    const st = this.stream(m.streamId);
    if (m.ssn == st.expectedSsn) {
      this.delivered.push(m);
      st.expectedSsn++;
      this.drainWaiting(st);
    } else if (ssnLt(st.expectedSsn, m.ssn)) {
      let i = 0;
      while (i < st.waiting.length && ssnLt(st.waiting[i].ssn, m.ssn)) i++;
      if (i < st.waiting.length && st.waiting[i].ssn == m.ssn) return; // cannot happen with new TSNs
      insertAt<InboundMessage>(st.waiting, i, m);
      this.bytes += m.data.length;
    }
    // An SSN behind the expected one: a message already skipped by FORWARD-TSN; dropped.
  }

  private drainWaiting(st: InboundStream): void {
    while (st.waiting.length > 0 && st.waiting[0].ssn == st.expectedSsn) {
      const m = st.waiting.shift();
      this.bytes -= m.data.length;
      this.delivered.push(m);
      st.expectedSsn++;
    }
  }

  // RFC 3758 §3.6: drop fragments up to newCum; ordered streams skip up to the given SSNs.
  forward(newCum: u32, sids: Array<u16>, ssns: Array<u16>): void {
    let k = 0;
    while (k < this.frags.length && tsnLte(this.frags[k].tsn, newCum)) {
      this.bytes -= this.frags[k].data.length;
      k++;
    }
    if (k > 0) this.frags.splice(0, k);
    for (let i = 0; i < sids.length; i++) {
      const st = this.stream(sids[i]);
      const next = ssns[i] + 1;
      if (ssnLt(st.expectedSsn, <u16>next)) {
        // Complete messages below the new expected SSN are still delivered, in order.
        while (st.waiting.length > 0 && ssnLt(st.waiting[0].ssn, <u16>next)) {
          const m = st.waiting.shift();
          this.bytes -= m.data.length;
          this.delivered.push(m);
        }
        st.expectedSsn = <u16>next;
      }
      this.drainWaiting(st);
    }
  }

  // RFC 6525 §5.2.2: an incoming stream reset; its SSNs start again at 0.
  resetStream(sid: u16): void {
    const st = this.stream(sid);
    for (let i = 0; i < st.waiting.length; i++) this.bytes -= st.waiting[i].data.length;
    st.waiting.length = 0;
    st.expectedSsn = 0;
  }

  // For tests and diagnostics.
  expectedSsn(sid: u16): i32 {
    return this.streams.has(sid) ? <i32>this.streams.get(sid).expectedSsn : -1;
  }

  firstWaitingSsn(sid: u16): i32 {
    if (!this.streams.has(sid)) return -1;
    const w = this.streams.get(sid).waiting;
    return w.length > 0 ? <i32>w[0].ssn : -1;
  }

  // Complete ordered messages waiting for an earlier one, over all streams.
  get waitingMessages(): i32 {
    let n = 0;
    const keys = this.streams.keys();
    for (let i = 0; i < keys.length; i++) n += this.streams.get(keys[i]).waiting.length;
    return n;
  }
}
