// SCTP associations end to end over a virtual network (test/core/entry_sctp.ts), both providers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadEntry, PROVIDERS } from "../helpers/entry.js";

function stats(x: Record<string, any>): Record<string, number> {
  const names = ["timeMs", "received", "sent", "dropped", "retransmissions", "fastRetransmissions", "t3Expiries",
    "duplicatesSeen", "connected", "bytesOnWire"];
  const out: Record<string, number> = {};
  names.forEach((n, i) => (out[n] = Number(x.sim_stat(i))));
  return out;
}

for (const provider of PROVIDERS) {
  test(`sctp ${provider}: handshake (simultaneous INIT) and a clean transfer`, () => {
    const e = loadEntry("entry_sctp", provider);
    const r = e.x.sim_transfer(1, 0, 0, 0, 10, 2, 50, 3000, false, 600_000n);
    assert.equal(r, 0, JSON.stringify(stats(e.x)));
  });

  test(`sctp ${provider}: reliable ordered delivery under 10% loss, reordering, duplication, 200 ms delay`, () => {
    const e = loadEntry("entry_sctp", provider);
    for (const seed of [1, 2, 3]) {
      const r = e.x.sim_transfer(seed, 10, 5, 20, 200, 4, 40, 5000, false, 3_600_000n);
      assert.equal(r, 0, `seed ${seed}: ${r} ${JSON.stringify(stats(e.x))}`);
    }
  });

  test(`sctp ${provider}: unordered delivery under impairment`, () => {
    const e = loadEntry("entry_sctp", provider);
    const r = e.x.sim_transfer(4, 10, 5, 20, 100, 3, 30, 4000, true, 3_600_000n);
    assert.equal(r, 0, JSON.stringify(stats(e.x)));
  });

  test(`sctp ${provider}: a stalled receiver stops the sender without unbounded buffering`, () => {
    const e = loadEntry("entry_sctp", provider);
    const r = e.x.sim_stalled_receiver(3, 20_000n);
    const s = [0, 1, 2, 3, 4, 5].map((i) => Number(e.x.sim_stat(i)));
    assert.equal(r, 0, `result ${r}, stats ${s}`);
  });
}

for (const provider of PROVIDERS) {
  test(`datachannel ${provider}: 80 channels, DCEP labels, string/binary/empty, negotiated, close by reset`, () => {
    const e = loadEntry("entry_sctp", provider);
    assert.equal(e.x.dc_basic(1), 0);
  });
}

for (const provider of PROVIDERS) {
  test(`datachannel ${provider}: unreliable channels respect their limits (rexmit 0 / rexmit 2 / lifetime)`, () => {
    const e = loadEntry("entry_sctp", provider);
    for (const mode of [0, 1, 2]) {
      for (const seed of [1, 2]) {
        const r = e.x.dc_unreliable(seed, mode, 15, 100);
        const s = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => Number(e.x.sim_stat(i)));
        assert.equal(r, 0, `mode ${mode} seed ${seed}: stats ${s}`);
        assert.ok(s[3] > 0, `mode ${mode}: loss abandoned some messages (${s})`);
      }
    }
  });

  test(`datachannel ${provider}: bufferedAmount and the low-threshold event`, () => {
    const e = loadEntry("entry_sctp", provider);
    assert.equal(e.x.dc_buffered_low(1), 0);
  });
}

for (const provider of PROVIDERS) {
  test(`sctp ${provider}: peer restart (RFC 9260 §5.2.4 case A) is detected, state reset, data flows again`, () => {
    const e = loadEntry("entry_sctp", provider);
    for (const seed of [1, 2]) {
      assert.equal(e.x.sim_restart(seed), 0, `seed ${seed}`);
      assert.equal(Number(e.x.sim_stat(0)), 1, "one restart");
    }
    assert.equal(e.x.dc_restart(1), 0, "data channels close on a restart and new ones open");
  });

  test(`sctp ${provider}: Incoming SSN Reset Request answered with our Outgoing request; bad ones refused`, () => {
    const e = loadEntry("entry_sctp", provider);
    assert.equal(e.x.sim_incoming_reset(1), 0);
  });

  test(`sctp ${provider}: cwnd and flight count DATA chunk headers (4-byte messages)`, () => {
    const e = loadEntry("entry_sctp", provider);
    const r = e.x.sim_tiny_messages(1);
    const s = [0, 1, 2].map((i) => Number(e.x.sim_stat(i)));
    assert.equal(r, 0, `chunks in flight, cwnd, flight - cwnd: ${s}`);
  });

  test(`sctp ${provider}: RTT sampled once per round trip, never from a retransmitted chunk (Karn)`, () => {
    const e = loadEntry("entry_sctp", provider);
    for (const mode of [0, 1]) {
      const r = e.x.sim_rtt(1, mode);
      const s = [0, 1, 2, 3, 4].map((i) => Number(e.x.sim_stat(i)));
      assert.equal(r, 0, `mode ${mode}: samples, ms, srtt, min srtt, T3: ${s}`);
    }
  });
}
