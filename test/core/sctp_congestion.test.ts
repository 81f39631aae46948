// RFC 9260 §7.2: the sender's congestion window over time — slow start, congestion avoidance,
// fast retransmit, T3-rtx timeout and idle decay — observed between steps of a virtual clock
// (entry_sctp_stress.ts). A saturating sender of 16 KiB messages over a link of 50 ms each way,
// sampled once per round trip. Relations between cwnd, ssthresh and the MTU are asserted, never
// how long anything took.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadEntry, PROVIDERS, type Entry } from "../helpers/entry.js";

const DELAY = 50;
const RTT = 2 * DELAY;

class Sender {
  t: number;
  constructor(public e: Entry) {
    assert.ok(e.x.st_setup(DELAY, true, 0, 0, 0));
    this.t = Number(e.x.st_now());
  }
  get cwnd(): number {
    return Number(this.e.x.st_a(0));
  }
  get ssthresh(): number {
    return Number(this.e.x.st_a(1));
  }
  get mtu(): number {
    return Number(this.e.x.st_a(2));
  }
  get flight(): number {
    return Number(this.e.x.st_a(3));
  }
  event(i: number): number {
    return Number(this.e.x.st_event(i));
  }
  run(ms: number): void {
    this.t += ms;
    this.e.x.st_run_to(BigInt(this.t));
  }
  // cwnd after each of n round trips.
  samples(n: number): number[] {
    const s: number[] = [];
    for (let i = 0; i < n; i++) {
      this.run(RTT);
      s.push(this.cwnd);
    }
    return s;
  }
  // Everything still arrives, in order.
  assertDelivery(): void {
    assert.equal(Number(this.e.x.st_a(10)), 0);
    assert.ok(Number(this.e.x.st_a(8)) > 0);
  }
}

for (const provider of PROVIDERS) {
  test(`sctp congestion ${provider}: slow start grows cwnd by at most double per round trip, up to ssthresh`, () => {
    const s = new Sender(loadEntry("entry_sctp_stress", provider));
    const mtu = s.mtu;
    // §7.2.1: the initial window, and ssthresh from the peer's a_rwnd (320 KiB by default).
    assert.equal(s.cwnd, Math.min(4 * mtu, Math.max(2 * mtu, 4380)));
    const ssthresh = s.ssthresh;
    assert.equal(ssthresh, 320 * 1024);
    s.e.x.st_app(0, 16384);
    let prev = s.cwnd;
    for (const c of s.samples(6)) {
      // At most doubling: one RTT acknowledges at most one window, and each SACK adds at most
      // min(bytes acked, MTU). At least x1.3: the receiver SACKs every second packet, so with
      // L = 1 the window grows by about half a window per round trip — exponential either way.
      assert.ok(c <= 2 * prev, `cwnd ${c} more than doubled from ${prev}`);
      assert.ok(c >= 1.3 * prev, `cwnd ${c} did not grow exponentially from ${prev}`);
      assert.ok(c <= ssthresh);
      assert.equal(s.ssthresh, ssthresh); // no loss, no change
      prev = c;
    }
    s.assertDelivery();
  });

  test(`sctp congestion ${provider}: fast retransmit halves into congestion avoidance, which adds one MTU per round trip`, () => {
    const s = new Sender(loadEntry("entry_sctp_stress", provider));
    const mtu = s.mtu;
    s.e.x.st_app(0, 16384);
    while (s.cwnd < 48 * 1024) s.run(RTT);
    s.e.x.st_drop_data(1); // one packet lost: three SACKs with gaps report it
    for (let i = 0; i < 10 && s.event(0) === 0; i++) s.run(RTT);
    assert.equal(s.event(0), 1);
    const before = s.event(1);
    // §7.2.3: ssthresh = max(cwnd / 2, 4 * MTU), cwnd = ssthresh.
    assert.equal(s.event(3), Math.max(Math.floor(before / 2), 4 * mtu));
    assert.equal(s.event(2), s.event(3));
    assert.equal(Number(s.e.x.st_a(7)), 0); // recovered without a timeout
    // Wait out the recovery, then congestion avoidance (§7.2.2): cwnd > ssthresh grows by one
    // MTU once a whole window has been acknowledged, i.e. about once per round trip.
    for (let i = 0; i < 10 && Number(s.e.x.st_a(5)) === 1; i++) s.run(RTT);
    assert.equal(Number(s.e.x.st_a(5)), 0);
    s.run(RTT);
    const ssthresh = s.ssthresh;
    let prev = s.cwnd;
    assert.ok(prev > ssthresh);
    const start = prev;
    const n = 10;
    for (const c of s.samples(n)) {
      assert.ok(c - prev >= 0 && c - prev <= mtu, `one round trip grew cwnd by ${c - prev}`);
      assert.equal(s.ssthresh, ssthresh);
      prev = c;
    }
    // Linear: about one MTU per round trip, nothing like slow start's doubling.
    assert.ok(prev - start >= (n - 2) * mtu && prev - start <= n * mtu, `grew ${prev - start} in ${n} round trips`);
    s.assertDelivery();
  });

  test(`sctp congestion ${provider}: a T3-rtx timeout collapses cwnd to one MTU; slow start follows`, () => {
    const s = new Sender(loadEntry("entry_sctp_stress", provider));
    const mtu = s.mtu;
    s.e.x.st_app(0, 16384);
    while (s.cwnd < 32 * 1024) s.run(RTT);
    s.e.x.st_blackhole(true); // every packet lost, both ways: only the timer can notice
    for (let i = 0; i < 50 && s.event(4) === 0; i++) s.run(RTT);
    assert.equal(s.event(4), 1);
    // §7.2.3: ssthresh = max(cwnd / 2, 4 * MTU), cwnd = 1 MTU.
    assert.equal(s.event(6), mtu);
    assert.equal(s.event(7), Math.max(Math.floor(s.event(5) / 2), 4 * mtu));
    s.e.x.st_blackhole(false);
    // Data flows again and cwnd climbs back from one MTU (slow start: below ssthresh).
    for (let i = 0; i < 100 && s.cwnd <= mtu; i++) s.run(RTT);
    assert.ok(s.cwnd > mtu);
    s.run(10 * RTT);
    s.assertDelivery();
  });

  test(`sctp congestion ${provider}: an idle period of many RTOs decays cwnd to 4 MTU (§7.2.1)`, () => {
    const s = new Sender(loadEntry("entry_sctp_stress", provider));
    const mtu = s.mtu;
    s.e.x.st_app(0, 16384);
    while (s.cwnd < 32 * 1024) s.run(RTT);
    s.e.x.st_app(0, 0); // the application stops; what it queued drains
    for (let i = 0; i < 200 && s.flight > 0; i++) s.run(RTT);
    assert.equal(s.flight, 0);
    const before = s.cwnd;
    const rto = Number(s.e.x.st_a(4));
    assert.ok(before > 8 * mtu);
    // Idle for far more RTOs than halvings from `before` down to 4 MTU.
    s.run(50 * rto);
    s.e.x.st_app(0, 16384);
    s.run(1); // the first burst leaves (the decay is applied when data starts again)
    assert.equal(s.cwnd, 4 * mtu);
    assert.ok(s.cwnd <= s.ssthresh); // so slow start again
    const restart = s.cwnd;
    s.run(3 * RTT);
    assert.ok(s.cwnd > restart);
    s.assertDelivery();
  });
}
