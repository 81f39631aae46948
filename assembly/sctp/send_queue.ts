// RFC 9260 §6.1, §6.6, §6.9: outgoing user messages per stream, fragmented to the MTU as they are sent.

export class OutgoingMessage {
  offset: i32 = 0; // bytes already cut into DATA chunks
  ssn: u16 = 0;
  abandoned: bool = false; // PR-SCTP (RFC 3758): given up on; its other fragments go too
  constructor(
    public streamId: u16,
    public ppid: u32,
    public data: Uint8Array,
    public unordered: bool,
    public maxRetransmits: i32, // < 0: unlimited
    public expiresAt: i64, // i64.MAX_VALUE: never
  ) {}
}

// A piece of a message, ready to become a DATA chunk once it has a TSN.
export class Fragment {
  constructor(
    public msg: OutgoingMessage,
    public payload: Uint8Array,
    public begin: bool,
    public end: bool,
  ) {}
}

class OutgoingStream {
  queue: Array<OutgoingMessage> = [];
  head: i32 = 0;
  nextSsn: u16 = 0;
  buffered: i32 = 0; // bytes not yet cut into chunks: the stream's bufferedAmount
  lowThreshold: i32 = 0;
  paused: bool = false; // a stream reset is pending: no message may start
  constructor(public id: u16) {}

  get empty(): bool {
    return this.head >= this.queue.length;
  }

  peek(): OutgoingMessage {
    return this.queue[this.head];
  }

  pop(): void {
    this.head++;
    // Compact now and then so a long-lived stream's array does not keep dead entries.
    if (this.head >= 32 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

export class SendQueue {
  private streams: Map<u16, OutgoingStream> = new Map();
  private order: Array<u16> = []; // round-robin order of streams that ever had data
  private rr: i32 = 0;
  private current: OutgoingMessage | null = null; // fragments of one message take consecutive TSNs
  queuedBytes: i32 = 0;
  expiredMessages: i32 = 0; // dropped unsent when their lifetime ran out (PR-SCTP)
  // Streams whose bufferedAmount fell to their low threshold since the last drain.
  lowEvents: Array<u16> = [];

  private stream(sid: u16): OutgoingStream {
    if (this.streams.has(sid)) return this.streams.get(sid);
    const s = new OutgoingStream(sid);
    this.streams.set(sid, s);
    this.order.push(sid);
    return s;
  }

  enqueue(msg: OutgoingMessage): void {
    const s = this.stream(msg.streamId);
    s.queue.push(msg);
    s.buffered += msg.data.length;
    this.queuedBytes += msg.data.length;
  }

  bufferedAmount(sid: u16): i32 {
    return this.streams.has(sid) ? this.streams.get(sid).buffered : 0;
  }

  setLowThreshold(sid: u16, n: i32): void {
    this.stream(sid).lowThreshold = n;
  }

  lowThreshold(sid: u16): i32 {
    return this.streams.has(sid) ? this.streams.get(sid).lowThreshold : 0;
  }

  hasStreamData(sid: u16): bool {
    if (!this.streams.has(sid)) return false;
    const s = this.streams.get(sid);
    return !s.empty;
  }

  // True while a message of this stream is half cut into chunks.
  isCurrent(sid: u16): bool {
    const c = this.current;
    return c != null && c.streamId == sid;
  }

  setPaused(sid: u16, paused: bool): void {
    this.stream(sid).paused = paused;
  }

  // After a completed outgoing stream reset (RFC 6525 §5.1.4), SSNs start again at 0.
  resetSsn(sid: u16): void {
    if (this.streams.has(sid)) this.streams.get(sid).nextSsn = 0;
  }

  get empty(): bool {
    return this.queuedBytes == 0 && this.current == null && !this.anyQueued();
  }

  private anyQueued(): bool {
    for (let i = 0; i < this.order.length; i++) {
      if (!this.stream(this.order[i]).empty) return true;
    }
    return false;
  }

  private drain(s: OutgoingStream, n: i32): void {
    const before = s.buffered;
    s.buffered -= n;
    this.queuedBytes -= n;
    if (before > s.lowThreshold && s.buffered <= s.lowThreshold) this.lowEvents.push(s.id);
  }

  // The next fragment of at most maxPayload bytes, or null. Messages whose lifetime ran out
  // before their first byte left are dropped here (RFC 3758 §3.5 A1). A new message is not
  // started in fewer than minStart bytes unless it fits whole.
  next(now: i64, maxPayload: i32, minStart: i32): Fragment | null {
    if (maxPayload <= 0) return null;
    let msg = this.current;
    if (msg && msg.abandoned) {
      this.drain(this.stream(msg.streamId), msg.data.length - msg.offset);
      msg.offset = msg.data.length;
      this.current = msg = null;
    }
    if (!msg) {
      msg = this.pickNext(now);
      if (!msg) return null;
      const remaining = msg.data.length;
      if (remaining > maxPayload && maxPayload < minStart) return null;
      const s = this.stream(msg.streamId);
      s.pop();
      if (!msg.unordered) msg.ssn = s.nextSsn++;
      this.current = msg;
    }
    const m = msg;
    const begin = m.offset == 0;
    const n = min(maxPayload, m.data.length - m.offset);
    const payload = m.data.subarray(m.offset, m.offset + n);
    m.offset += n;
    const end = m.offset >= m.data.length;
    if (end) this.current = null;
    this.drain(this.stream(m.streamId), n);
    return new Fragment(m, payload, begin, end);
  }

  private pickNext(now: i64): OutgoingMessage | null {
    const n = this.order.length;
    for (let k = 0; k < n; k++) {
      const idx = (this.rr + k) % n;
      const s = this.stream(this.order[idx]);
      if (s.paused) continue;
      while (!s.empty) {
        const m = s.peek();
        if (m.expiresAt > now && !m.abandoned) {
          this.rr = (idx + 1) % n;
          return m;
        }
        s.pop();
        if (!m.abandoned) this.expiredMessages++;
        m.abandoned = true;
        this.drain(s, m.data.length);
      }
    }
    return null;
  }
}
