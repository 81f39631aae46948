// RFC 3550 §A.1 (sequence validity), §A.3 (expected and lost packets) and §A.8 (interarrival jitter).
import { ReportBlock } from "./rtcp_receiver_report";

const MAX_DROPOUT: u32 = 3000;
const MAX_MISORDER: u32 = 100;
const SEQ_MOD: u32 = 1 << 16;

export const SEQ_NEW: i32 = 1; // in order (possibly after a gap)
export const SEQ_OLD: i32 = 2; // reordered, retransmitted or duplicate
export const SEQ_PROBATION: i32 = 0; // not counted yet: source on probation or a jump pending confirmation
export const SEQ_RESYNC: i32 = 3; // the sender restarted its sequence (§A.1 resync)

export class ReceiveStatistics {
  private maxSeq: u16 = 0;
  private cycles: u32 = 0;
  private baseSeq: u32 = 0;
  private badSeq: u32 = SEQ_MOD + 1;
  private probation: i32 = 0;
  received: u32 = 0;
  private expectedPrior: u32 = 0;
  private receivedPrior: u32 = 0;
  private transit: i32 = 0;
  private haveTransit: bool = false;
  private jitterQ4: u32 = 0; // jitter in timestamp units, times 16 (§A.8's integer form)
  initialized: bool = false;
  // Extended sequence number of the packet last passed to update (valid when it returned non-zero).
  lastExtended: i64 = 0;

  // minSequential: packets in sequence before a new source counts (§A.1 uses 2; 0 when the
  // SSRC was signalled, so the first packet already counts).
  constructor(public clockRate: u32, public minSequential: i32 = 0) {}

  private initSeq(seq: u16): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
  }

  // Accounts one packet; returns SEQ_*. Extended sequence of the packet in lastExtended.
  update(seq: u16): i32 {
    if (!this.initialized) {
      this.initialized = true;
      this.initSeq(seq);
      if (this.minSequential > 0) {
        this.maxSeq = seq - 1;
        this.probation = this.minSequential;
      } else {
        this.received = 1;
        this.lastExtended = <i64>seq;
        return SEQ_NEW;
      }
    }
    const udelta = <u32><u16>(seq - this.maxSeq);
    if (this.probation > 0) {
      if (seq == <u16>(this.maxSeq + 1)) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation == 0) {
          this.initSeq(seq);
          this.received++;
          this.lastExtended = <i64>seq;
          return SEQ_NEW;
        }
      } else {
        this.probation = this.minSequential - 1;
        this.maxSeq = seq;
      }
      return SEQ_PROBATION;
    }
    let result = SEQ_NEW;
    if (udelta == 0) {
      result = SEQ_OLD; // duplicate of the highest
    } else if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += SEQ_MOD;
      this.maxSeq = seq;
    } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
      // A very large jump: believe it only when the next packet confirms it.
      if (<u32>seq == this.badSeq) {
        this.initSeq(seq);
        this.haveTransit = false;
        result = SEQ_RESYNC;
      } else {
        this.badSeq = (<u32>seq + 1) & (SEQ_MOD - 1);
        return SEQ_PROBATION;
      }
    } else {
      result = SEQ_OLD;
    }
    this.received++;
    // Extended number: for an old packet, the cycle is the one that puts it just behind max.
    const ext = <i64>this.cycles + <i64>this.maxSeq;
    this.lastExtended = ext + <i64>(<i16>(seq - this.maxSeq));
    return result;
  }

  // §A.8: call for packets received in order, with the arrival time in ms.
  updateJitter(rtpTimestamp: u32, nowMs: i64): void {
    const arrival = <u32>((nowMs * <i64>this.clockRate) / 1000);
    const transit = <i32>(arrival - rtpTimestamp);
    if (this.haveTransit) {
      let d = transit - this.transit;
      if (d < 0) d = -d;
      this.jitterQ4 += <u32>d - ((this.jitterQ4 + 8) >> 4);
    }
    this.transit = transit;
    this.haveTransit = true;
  }

  get jitter(): u32 {
    return this.jitterQ4 >> 4;
  }

  get extendedMax(): u32 {
    return this.cycles + <u32>this.maxSeq;
  }

  get expected(): i64 {
    return <i64>this.extendedMax - <i64>this.baseSeq + 1;
  }

  // Cumulative lost (§A.3), negative when duplicates outnumber losses.
  get cumulativeLost(): i64 {
    return this.expected - <i64>this.received;
  }

  // Fills a report block for this source and starts the next reporting interval (§A.3).
  // lastSr / lastSrAt: middle NTP bits of the last SR from this source and when it arrived (ms).
  report(ssrc: u32, nowMs: i64, lastSr: u32, lastSrAt: i64): ReportBlock {
    const b = new ReportBlock();
    b.ssrc = ssrc;
    const expected = this.expected;
    const expectedInterval = <i64>(<u32>expected - this.expectedPrior);
    this.expectedPrior = <u32>expected;
    const receivedInterval = <i64>(this.received - this.receivedPrior);
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    b.fractionLost = expectedInterval == 0 || lostInterval <= 0 ? 0 : <u8>((lostInterval << 8) / expectedInterval);
    let lost = this.cumulativeLost;
    if (lost > 0x7fffff) lost = 0x7fffff;
    if (lost < -0x800000) lost = -0x800000;
    b.cumulativeLost = <i32>lost;
    b.extendedHighestSeq = this.extendedMax;
    b.jitter = this.jitter;
    b.lastSr = lastSr;
    // DLSR in 1/65536 s; 0 when no SR has been received (§6.4.1).
    b.delaySinceLastSr = lastSr == 0 ? 0 : <u32>(((nowMs - lastSrAt) * 65536) / 1000);
    return b;
  }
}
