// RFC 9260 §6.3.1 (RFC 6298): retransmission timeout from smoothed RTT and its variance.

export class RtoEstimator {
  srtt: f64 = 0;
  rttvar: f64 = 0;
  rto: i32;
  measured: bool = false;

  constructor(public initialMs: i32, public minMs: i32, public maxMs: i32) {
    this.rto = initialMs;
  }

  // One RTT measurement (Karn: never from a retransmitted chunk; the caller ensures that).
  measure(rttMs: i64): void {
    const r = <f64>max<i64>(rttMs, 0);
    if (!this.measured) {
      this.srtt = r;
      this.rttvar = r / 2;
      this.measured = true;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    // G, the clock granularity, is 1 ms here.
    const v = this.srtt + max<f64>(1, 4 * this.rttvar);
    this.rto = this.clamp(<i64>Math.ceil(v));
  }

  // Doubles the RTO after a T3-rtx (or T1/T2) expiry (§6.3.3 E2).
  backoff(): void {
    this.rto = this.clamp(<i64>this.rto * 2);
  }

  private clamp(v: i64): i32 {
    if (v < this.minMs) return this.minMs;
    if (v > this.maxMs) return this.maxMs;
    return <i32>v;
  }
}
