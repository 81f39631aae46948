// RFC 9260 §6.2.1, §6.3, §7.2 and RFC 3758 §3.5: chunks in flight, SACK processing, T3-rtx,
// fast retransmit and congestion control (slow start, congestion avoidance, fast recovery).
import { DataChunk, DATA_FLAG_BEGIN, DATA_FLAG_END, DATA_FLAG_UNORDERED, DATA_HEADER_LEN } from "./chunk_data";
import { pad4 } from "./chunk";
import { SackChunk } from "./chunk_sack";
import { ForwardTsnChunk } from "./chunk_forward_tsn";
import { OutgoingMessage } from "./send_queue";
import { RtoEstimator } from "./rto";
import { tsnLt, tsnLte, tsnGt, tsnGte, ssnLt } from "./tsn";

export class OutstandingChunk {
  sentAt: i64 = 0;
  txCount: i32 = 0; // transmissions so far
  acked: bool = false; // by a gap block (cumulative acks remove the chunk)
  nacks: i32 = 0; // miss indications
  needsRetransmit: bool = false;
  fastRetransmitted: bool = false;
  abandoned: bool = false;
  inFlight: bool = false; // counted in flight
  constructor(public chunk: DataChunk, public msg: OutgoingMessage) {}

  // User data bytes: what the send buffer holds.
  get size(): i32 {
    return this.chunk.payload.length;
  }

  // Bytes on the wire (DATA header and padding included): what flight and cwnd count, so a
  // stream of tiny messages cannot put thousands of chunks into one congestion window.
  get wireSize(): i32 {
    return pad4(DATA_HEADER_LEN + this.chunk.payload.length);
  }
}

export class RetransmissionQueue {
  chunks: Array<OutstandingChunk> = []; // TSN order, all above cumAck
  nextTsn: u32;
  cumAck: u32; // highest TSN the peer acknowledged cumulatively
  advancedPeerAckPoint: u32; // RFC 3758
  cwnd: i32;
  ssthresh: i32;
  partialBytesAcked: i32 = 0;
  flight: i32 = 0; // wire bytes of DATA sent and neither acked nor marked lost nor abandoned
  heldBytes: i32 = 0; // payload bytes of every chunk still here (the send buffer's share)
  peerRwnd: i32;
  inFastRecovery: bool = false;
  fastRecoveryExit: u32 = 0;
  fastRtxPending: bool = false; // one packet may go regardless of cwnd (§7.2.4 step 3)
  needForwardTsn: bool = false;
  t3Deadline: i64 = i64.MAX_VALUE;
  errorCount: i32 = 0;
  private lastDataAt: i64 = 0; // when DATA last left (new or retransmitted), for the idle rule
  // Counters, for tests and diagnostics.
  retransmissions: i32 = 0;
  fastRetransmissions: i32 = 0;
  t3Expiries: i32 = 0;
  badSacks: i32 = 0;
  abandonedMessages: i32 = 0;
  maxTxCount: i32 = 0; // most transmissions of any one chunk
  lateRetransmits: i32 = 0; // retransmissions after the message's lifetime (must stay 0)
  limitViolations: i32 = 0; // retransmissions beyond a message's maxRetransmits (must stay 0)
  rttSamples: i32 = 0;
  // RTT measurement (§6.3.1 C4, C5): one chunk at a time is timed, so there is at most one
  // sample per round trip, and timing stops if that chunk is retransmitted (Karn's rule).
  private rttTiming: bool = false;
  private rttTsn: u32 = 0;
  private rttSentAt: i64 = 0;

  constructor(initialTsn: u32, peerArwnd: u32, public mtu: i32, public rto: RtoEstimator) {
    this.nextTsn = initialTsn;
    this.cumAck = initialTsn - 1;
    this.advancedPeerAckPoint = initialTsn - 1;
    // §7.2.1: initial cwnd = min(4 * MTU, max(2 * MTU, 4380)); ssthresh = a_rwnd.
    this.cwnd = min(4 * mtu, max(2 * mtu, 4380));
    this.ssthresh = <i32>min<u32>(peerArwnd, 0x7fffffff);
    this.peerRwnd = this.ssthresh;
  }

  get empty(): bool {
    return this.chunks.length == 0;
  }

  get hasUnacked(): bool {
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (!c.acked && !c.abandoned) return true;
    }
    return false;
  }

  // A fresh DATA chunk leaves now.
  add(chunk: DataChunk, msg: OutgoingMessage, now: i64): void {
    if (this.flight == 0) this.decayIfIdle(now);
    this.lastDataAt = now;
    const oc = new OutstandingChunk(chunk, msg);
    oc.sentAt = now;
    oc.txCount = 1;
    oc.inFlight = true;
    this.chunks.push(oc);
    this.nextTsn = chunk.tsn + 1;
    this.flight += oc.wireSize;
    this.heldBytes += oc.size;
    this.peerRwnd = max(0, this.peerRwnd - oc.wireSize);
    if (this.t3Deadline == i64.MAX_VALUE) this.t3Deadline = now + this.rto.rto;
    if (!this.rttTiming) {
      this.rttTiming = true;
      this.rttTsn = chunk.tsn;
      this.rttSentAt = now;
    }
  }

  // §7.2.1: a cwnd learnt before an idle period no longer describes the path, so each RTO
  // without DATA halves it, down to 4 * MTU (never below: the initial window may be that large).
  // Applied lazily, when data starts again: the first chunk leaves under the old window, the
  // rest of the burst under the decayed one.
  private decayIfIdle(now: i64): void {
    // The initial window is at most 4 * MTU, so the first send ever changes nothing.
    const rto = max<i64>(1, <i64>this.rto.rto);
    let periods = (now - this.lastDataAt) / rto;
    const floor = 4 * this.mtu;
    while (periods > 0 && this.cwnd > floor) {
      this.cwnd = max(this.cwnd / 2, floor);
      periods--;
    }
  }

  // The timed chunk was acknowledged (first time): a sample, unless it was ever resent.
  private rttAcked(c: OutstandingChunk, now: i64): void {
    if (!this.rttTiming || c.chunk.tsn != this.rttTsn) return;
    this.rttTiming = false;
    if (c.txCount != 1) return;
    this.rto.measure(now - this.rttSentAt);
    this.rttSamples++;
  }

  // The first chunk waiting for retransmission, or null.
  peekRetransmit(): OutstandingChunk | null {
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (c.needsRetransmit && !c.abandoned && !c.acked) return c;
    }
    return null;
  }

  onRetransmitted(c: OutstandingChunk, now: i64): void {
    c.needsRetransmit = false;
    c.txCount++;
    if (this.rttTiming && c.chunk.tsn == this.rttTsn) this.rttTiming = false; // Karn
    if (c.txCount > this.maxTxCount) this.maxTxCount = c.txCount;
    if (c.msg.expiresAt <= now) this.lateRetransmits++;
    if (c.msg.maxRetransmits >= 0 && c.txCount - 1 > c.msg.maxRetransmits) this.limitViolations++;
    c.sentAt = now;
    this.lastDataAt = now;
    c.nacks = 0;
    if (!c.inFlight) {
      c.inFlight = true;
      this.flight += c.wireSize;
    }
    this.retransmissions++;
    this.fastRtxPending = false;
    if (this.t3Deadline == i64.MAX_VALUE) this.t3Deadline = now + this.rto.rto;
  }

  private leaveFlight(c: OutstandingChunk): void {
    if (c.inFlight) {
      c.inFlight = false;
      this.flight -= c.wireSize;
    }
  }

  // Gives up on a whole message (RFC 3758 §3.5 A3: all its fragments).
  abandonMessage(msg: OutgoingMessage): void {
    if (!msg.abandoned) this.abandonedMessages++;
    msg.abandoned = true;
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (c.msg === msg && !c.abandoned) {
        c.abandoned = true;
        c.needsRetransmit = false;
        this.leaveFlight(c);
        // Its ack (through FORWARD-TSN, if ever) would time the wait, not the path.
        if (this.rttTiming && c.chunk.tsn == this.rttTsn) this.rttTiming = false;
      }
    }
  }

  // True when the chunk was abandoned instead of being marked for retransmission.
  private markLost(c: OutstandingChunk, now: i64): bool {
    const m = c.msg;
    if (m.abandoned || (m.maxRetransmits >= 0 && c.txCount > m.maxRetransmits) || m.expiresAt <= now) {
      this.abandonMessage(m);
      return true;
    }
    c.needsRetransmit = true;
    this.leaveFlight(c);
    return false;
  }

  // Processes a SACK (§6.2.1). False for a stale or impossible one, which changes nothing.
  handleSack(s: SackChunk, now: i64): bool {
    const cum = s.cumTsnAck;
    if (tsnLt(cum, this.cumAck)) return false; // older than one we already have: reordered
    if (tsnGte(cum, this.nextTsn)) {
      this.badSacks++; // acknowledges data never sent
      return false;
    }
    const flightBefore = this.flight;
    const cumAdvanced = tsnGt(cum, this.cumAck);
    let bytesAcked = 0;
    let htna: u32 = cum; // highest TSN newly acknowledged

    // Cumulative part: those chunks leave for good.
    let drop = 0;
    while (drop < this.chunks.length && tsnLte(this.chunks[drop].chunk.tsn, cum)) {
      const c = this.chunks[drop];
      if (!c.acked) {
        if (!c.abandoned) bytesAcked += c.wireSize;
        this.rttAcked(c, now);
      }
      this.leaveFlight(c);
      this.heldBytes -= c.size;
      drop++;
    }
    if (drop > 0) this.chunks = this.chunks.slice(drop);
    if (cumAdvanced) this.cumAck = cum;
    if (tsnLt(this.advancedPeerAckPoint, this.cumAck)) this.advancedPeerAckPoint = this.cumAck;

    // Gap blocks: acked, but may still be reneged in theory, so they stay here.
    const n = s.gapStart.length;
    const limit = this.nextTsn - 1;
    for (let g = 0; g < n; g++) {
      const gs = <u32>s.gapStart[g];
      const ge = <u32>s.gapEnd[g];
      if (gs == 0 || gs > ge) continue; // malformed block: ignore it
      const from = cum + gs;
      const to = cum + ge;
      if (tsnGt(to, limit)) continue; // beyond what was sent: ignore it
      for (let i = 0; i < this.chunks.length; i++) {
        const c = this.chunks[i];
        const t = c.chunk.tsn;
        if (tsnLt(t, from)) continue;
        if (tsnGt(t, to)) break;
        if (!c.acked) {
          c.acked = true;
          c.needsRetransmit = false;
          if (!c.abandoned) bytesAcked += c.wireSize;
          this.rttAcked(c, now);
          this.leaveFlight(c);
          if (tsnGt(t, htna)) htna = t;
        }
      }
    }

    // Miss indications for what is still missing below the highest newly acked TSN (§7.2.4).
    let enterFastRecovery = false;
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (tsnGte(c.chunk.tsn, htna)) break;
      if (c.acked || c.abandoned || c.needsRetransmit || !c.inFlight) continue;
      if (this.inFastRecovery && !cumAdvanced && c.fastRetransmitted) continue;
      c.nacks++;
      if (c.nacks >= 3 && !c.fastRetransmitted) {
        c.fastRetransmitted = true;
        if (!this.markLost(c, now)) {
          this.fastRetransmissions++;
          enterFastRecovery = true;
        }
      }
    }
    if (enterFastRecovery) {
      if (!this.inFastRecovery) {
        this.ssthresh = max(this.cwnd / 2, 4 * this.mtu);
        this.cwnd = this.ssthresh;
        this.partialBytesAcked = 0;
        this.inFastRecovery = true;
        this.fastRecoveryExit = this.nextTsn - 1;
      }
      this.fastRtxPending = true;
    }

    // Congestion window (§7.2.1, §7.2.2): grows only on cumulative progress outside recovery.
    if (this.inFastRecovery && tsnGte(this.cumAck, this.fastRecoveryExit)) this.inFastRecovery = false;
    if (cumAdvanced && !this.inFastRecovery) {
      const utilized = flightBefore + this.mtu > this.cwnd;
      if (this.cwnd <= this.ssthresh) {
        if (utilized) this.cwnd += min(bytesAcked, this.mtu);
      } else {
        this.partialBytesAcked += bytesAcked;
        if (this.partialBytesAcked >= this.cwnd && utilized) {
          this.partialBytesAcked -= this.cwnd;
          this.cwnd += this.mtu;
        }
      }
    }

    // §6.2.1: the peer's window less what is still in flight.
    this.peerRwnd = max(0, <i32>min<u32>(s.arwnd, 0x7fffffff) - this.flight);

    if (cumAdvanced || bytesAcked > 0) this.errorCount = 0;
    // T3-rtx (§6.3.2 R2, R3).
    if (this.flight == 0 && this.peekRetransmit() == null) this.t3Deadline = i64.MAX_VALUE;
    else if (cumAdvanced) this.t3Deadline = now + this.rto.rto;

    this.advanceAckPoint();
    return true;
  }

  // RFC 3758 §3.5 C1-C3: move the advanced peer ack point over abandoned chunks.
  advanceAckPoint(): void {
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (c.chunk.tsn != this.advancedPeerAckPoint + 1) break;
      if (!c.abandoned) break;
      this.advancedPeerAckPoint = c.chunk.tsn;
    }
    if (tsnGt(this.advancedPeerAckPoint, this.cumAck)) this.needForwardTsn = true;
  }

  // RFC 3758 §3.5 C4: the FORWARD-TSN to send, with the last skipped SSN of each ordered stream.
  makeForwardTsn(): ForwardTsnChunk {
    const f = new ForwardTsnChunk(this.advancedPeerAckPoint);
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (tsnGt(c.chunk.tsn, this.advancedPeerAckPoint)) break;
      if (c.chunk.unordered) continue;
      const sid = c.chunk.streamId;
      const ssn = c.chunk.ssn;
      let found = false;
      for (let j = 0; j < f.streams.length; j++) {
        if (f.streams[j] == sid) {
          if (ssnLt(f.ssns[j], ssn)) f.ssns[j] = ssn;
          found = true;
          break;
        }
      }
      if (!found) {
        f.streams.push(sid);
        f.ssns.push(ssn);
      }
    }
    return f;
  }

  // A cumulative ack without a SACK (from SHUTDOWN, §9.2).
  handleCumAck(cum: u32, now: i64): void {
    const s = new SackChunk();
    s.cumTsnAck = cum;
    s.arwnd = <u32>(this.peerRwnd + this.flight);
    if (tsnGte(cum, this.cumAck) && tsnLt(cum, this.nextTsn)) this.handleSack(s, now);
  }

  // T3-rtx expiry (§6.3.3). Returns the consecutive error count.
  onT3Expired(now: i64): i32 {
    this.t3Expiries++;
    this.errorCount++;
    this.ssthresh = max(this.cwnd / 2, 4 * this.mtu);
    this.cwnd = this.mtu;
    this.partialBytesAcked = 0;
    this.inFastRecovery = false;
    this.rto.backoff();
    this.rttTiming = false; // whatever was timed is about to be resent
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (c.acked || c.abandoned) continue;
      this.markLost(c, now);
      c.fastRetransmitted = false;
    }
    this.advanceAckPoint();
    this.t3Deadline = this.peekRetransmit() != null || this.needForwardTsn ? now + this.rto.rto : i64.MAX_VALUE;
    return this.errorCount;
  }

  // Lifetimes of chunks in flight run out even without a loss (RFC 3758 §3.5 A2 applies at
  // retransmission time; doing it on every timeout keeps FORWARD-TSN prompt).
  expireLifetimes(now: i64): void {
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (!c.acked && !c.abandoned && c.needsRetransmit && c.msg.expiresAt <= now) this.abandonMessage(c.msg);
    }
    this.advanceAckPoint();
  }

  static flagsFor(msg: OutgoingMessage, begin: bool, end: bool): u8 {
    let f: u8 = 0;
    if (begin) f |= DATA_FLAG_BEGIN;
    if (end) f |= DATA_FLAG_END;
    if (msg.unordered) f |= DATA_FLAG_UNORDERED;
    return f;
  }
}
