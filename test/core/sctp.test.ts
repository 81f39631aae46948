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

// ---- MTUs that are not a multiple of 4 ----
// Chunks are padded to 4 bytes, so a DATA fragment sized to "what is left of the MTU" can pad
// one to three bytes past it. Two of our data-channel endpoints (test/core/entry_sctp_peer.ts)
// run here with such an MTU on a lossless link and a virtual clock; each sends messages of
// several packets to the other on one channel.

const EV_CONNECTED = 1;
const EV_OPEN = 3;
const EV_MESSAGE = 4;

// Bytes that differ per sender and size, so a corrupted or misplaced fragment shows.
function fill(seed: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  let x = (seed * 2654435761 + len) >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

interface MtuRun {
  done: boolean;
  largestPacket: number;
  received: Uint8Array[][]; // by side
  t3Expiries: number;
  state: number[];
}

function runWithMtu(provider: (typeof PROVIDERS)[number], mtu: number, sizes: number[]): MtuRun {
  const e = loadEntry("entry_sctp_peer", provider);
  const x = e.x;
  const h = [x.ep_new(true, mtu, 0) as number, x.ep_new(false, mtu, 0) as number];
  const delayMs = 5;
  let now = 0;
  let inFlight: { at: number; to: number; data: Uint8Array }[] = [];
  const run: MtuRun = { done: false, largestPacket: 0, received: [[], []], t3Expiries: 0, state: [] };
  let channel = -1;
  const sent = [false, false];

  const sendAll = (side: number) => {
    if (sent[side] || channel < 0) return;
    sent[side] = true;
    for (const n of sizes) {
      const data = fill(side + 1, n);
      const ptr = e.put(data);
      assert.equal(x.dc_send(h[side], channel, ptr, n, true, BigInt(now)), 0, `side ${side} send ${n} B`);
      e.free(ptr);
    }
  };
  const events = (side: number) => {
    for (let k = x.ep_event(h[side]); k !== 0; k = x.ep_event(h[side])) {
      if (k === EV_CONNECTED && side === 0 && channel < 0) {
        const label = e.put(new TextEncoder().encode("mtu"));
        channel = x.dc_create(h[0], label, 3, true, -1, -1, -1, BigInt(now));
        e.free(label);
      } else if (k === EV_OPEN) {
        sendAll(side);
      } else if (k === EV_MESSAGE) {
        run.received[side].push(e.get(x.ep_ev_ptr(), x.ep_ev_len()));
      }
    }
  };
  const pump = (side: number) => {
    x.ep_timeout(h[side], BigInt(now));
    events(side);
    for (let n = x.ep_transmit(h[side]); n > 0; n = x.ep_transmit(h[side])) {
      run.largestPacket = Math.max(run.largestPacket, n);
      inFlight.push({ at: now + delayMs, to: 1 - side, data: e.get(x.ep_packet_ptr(), n) });
    }
    events(side);
  };

  x.ep_connect(h[0], 0n);
  const limitMs = 120_000; // virtual: a dying association takes Max.Retrans RTOs, well past this
  while (now <= limitMs) {
    pump(0);
    pump(1);
    const due = inFlight.filter((p) => p.at <= now);
    inFlight = inFlight.filter((p) => p.at > now);
    for (const p of due) {
      const ptr = e.put(p.data);
      x.ep_input(h[p.to], ptr, p.data.length, BigInt(now));
      e.free(ptr);
      pump(p.to);
    }
    if (run.received.every((r) => r.length === sizes.length)) {
      run.done = true;
      break;
    }
    if (due.length > 0) continue;
    const deadlines = h.map((hh) => {
      const d = x.ep_deadline(hh) as bigint;
      return d >= 0x7fffffffffffffffn ? Infinity : Number(d);
    });
    const next = Math.min(...inFlight.map((p) => p.at), ...deadlines);
    if (!Number.isFinite(next)) break;
    now = Math.max(now, next);
  }
  run.t3Expiries = Number(x.ep_stat(h[0], 3)) + Number(x.ep_stat(h[1], 3));
  run.state = h.map((hh) => Number(x.ep_stat(hh, 0)));
  return run;
}

for (const provider of PROVIDERS) {
  test(`sctp ${provider}: MTUs 1199, 1201, 1197 carry multi-packet messages both ways within the MTU`, () => {
    for (const mtu of [1199, 1201, 1197]) {
      // Odd sizes too, so last fragments need padding of their own.
      const sizes = [mtu - 28, mtu * 2 + 1, 3 * mtu + 7, 10_000, 65_537];
      const r = runWithMtu(provider, mtu, sizes);
      assert.ok(r.done, `MTU ${mtu}: received ${r.received.map((m) => m.length)} of ${sizes.length} each way, ` +
        `states ${r.state}, T3 expiries ${r.t3Expiries}`);
      assert.ok(r.largestPacket <= mtu, `MTU ${mtu}: a ${r.largestPacket} B packet`);
      for (const side of [0, 1]) {
        const from = 1 - side;
        assert.deepEqual(r.received[side].map((m) => m.length), sizes, `MTU ${mtu}: sizes at side ${side}`);
        r.received[side].forEach((m, i) =>
          assert.ok(Buffer.from(m).equals(Buffer.from(fill(from + 1, sizes[i]))), `MTU ${mtu}: bytes of ${sizes[i]} B at side ${side}`));
      }
    }
  });
}
