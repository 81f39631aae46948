// Hostile and malformed SCTP input: dropped, answered or aborted, never a trap (entry_sctp.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadEntry, PROVIDERS, type Entry } from "../helpers/entry.js";

const ESTABLISHED = 3;

// A packet from the peer's port to ours with the given tag and chunks; checksum fixed by the core.
function packet(e: Entry, vtag: number, chunks: Uint8Array[]): Uint8Array {
  const len = 12 + chunks.reduce((n, c) => n + ((c.length + 3) & ~3), 0);
  const b = new Uint8Array(len);
  const v = new DataView(b.buffer);
  v.setUint16(0, 5000);
  v.setUint16(2, 5000);
  v.setUint32(4, vtag >>> 0);
  let p = 12;
  for (const c of chunks) {
    b.set(c, p);
    p += (c.length + 3) & ~3;
  }
  const ptr = e.put(b);
  e.x.fix_checksum(ptr, b.length);
  const out = e.get(ptr, b.length);
  e.free(ptr);
  return out;
}

function chunk(type: number, flags: number, value: Uint8Array, lenOverride = -1): Uint8Array {
  const c = new Uint8Array(4 + value.length);
  const v = new DataView(c.buffer);
  c[0] = type;
  c[1] = flags;
  v.setUint16(2, lenOverride >= 0 ? lenOverride : 4 + value.length);
  c.set(value, 4);
  return c;
}

function u32s(...xs: number[]): Uint8Array {
  const b = new Uint8Array(xs.length * 4);
  xs.forEach((x, i) => new DataView(b.buffer).setUint32(4 * i, x >>> 0));
  return b;
}

function feed(e: Entry, pkt: Uint8Array, now = 1000n): number {
  const ptr = e.put(pkt);
  const n = e.x.fuzz_input(ptr, pkt.length, now);
  e.free(ptr);
  return n;
}

function established(provider: "pure" | "host"): Entry {
  const e = loadEntry("entry_sctp", provider);
  e.x.fuzz_setup(1, true);
  assert.equal(e.x.fuzz_state(), ESTABLISHED);
  return e;
}

for (const provider of PROVIDERS) {
  test(`sctp bad input ${provider}: random bytes and bad checksums are dropped`, () => {
    const e = established(provider);
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let i = 0; i < 300; i++) {
      const b = new Uint8Array(rnd() * 2);
      for (let k = 0; k < b.length; k++) b[k] = rnd();
      assert.equal(feed(e, b), 0);
    }
    assert.equal(e.x.fuzz_state(), ESTABLISHED);
  });

  test(`sctp bad input ${provider}: mutated well-checksummed packets never trap`, () => {
    const e = established(provider);
    const vtag = e.x.fuzz_vtag_b() >>> 0;
    let seed = 999;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xffff;
    const types = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 130, 192, 0x40, 0x80, 0xc1];
    for (let i = 0; i < 2000; i++) {
      if (e.x.fuzz_state() !== ESTABLISHED) e.x.fuzz_setup(i, true);
      const t = types[rnd() % types.length];
      const value = new Uint8Array(rnd() % 64);
      for (let k = 0; k < value.length; k++) value[k] = rnd() & 0xff;
      const lie = rnd() % 4 === 0 ? rnd() % 80 : -1;
      const tag = t === 1 ? 0 : rnd() % 8 === 0 ? rnd() : (e.x.fuzz_vtag_b() >>> 0);
      feed(e, packet(e, tag, [chunk(t, rnd() & 0xff, value, lie)]));
    }
    void vtag;
  });

  test(`sctp bad input ${provider}: DATA far outside the window, lying lengths, empty DATA`, () => {
    const e = established(provider);
    const vtag = e.x.fuzz_vtag_b() >>> 0;
    // A TSN 2^31 away: dropped (answered with a SACK at most), association stays.
    const far = chunk(0, 3, new Uint8Array([...u32s(0x80000000), 0, 0, 0, 0, 0, 0, 0, 51, 1, 2, 3]));
    feed(e, packet(e, vtag, [far]));
    assert.equal(e.x.fuzz_state(), ESTABLISHED);
    // A DATA chunk whose length claims more than the packet: the packet is dropped.
    const lying = chunk(0, 3, new Uint8Array(20), 400);
    assert.equal(feed(e, packet(e, vtag, [lying])), 0);
    // Wrong tag: dropped.
    assert.equal(feed(e, packet(e, vtag ^ 1, [chunk(4, 0, new Uint8Array([0, 1, 0, 8, 1, 2, 3, 4]))])), 0);
    // A HEARTBEAT is answered.
    assert.equal(feed(e, packet(e, vtag, [chunk(4, 0, new Uint8Array([0, 1, 0, 8, 1, 2, 3, 4]))])), 1);
    // DATA without user data: ABORT (No User Data) and the association ends.
    const empty = chunk(0, 3, new Uint8Array([...u32s(1), 0, 0, 0, 0, 0, 0, 0, 51]));
    assert.equal(feed(e, packet(e, vtag, [empty])), 1);
    assert.notEqual(e.x.fuzz_state(), ESTABLISHED);
  });

  test(`sctp bad input ${provider}: SACKs with gap blocks out of range or cum TSN far ahead`, () => {
    const e = established(provider);
    const vtag = e.x.fuzz_vtag_b() >>> 0;
    const sack = (cum: number, gaps: [number, number][], nGapsClaim = gaps.length) => {
      const v = new Uint8Array(12 + 4 * gaps.length);
      const d = new DataView(v.buffer);
      d.setUint32(0, cum >>> 0);
      d.setUint32(4, 100000);
      d.setUint16(8, nGapsClaim);
      gaps.forEach(([s, t], i) => {
        d.setUint16(12 + 4 * i, s);
        d.setUint16(14 + 4 * i, t);
      });
      return chunk(3, 0, v);
    };
    for (const cum of [0, 1, 0x7fffffff, 0xffffffff, 12345678]) {
      feed(e, packet(e, vtag, [sack(cum, [[5, 2], [0, 0], [1, 65535], [65535, 65535]])]));
      feed(e, packet(e, vtag, [sack(cum, [[1, 2]], 5000)]));
    }
    assert.equal(e.x.fuzz_state(), ESTABLISHED);
  });

  test(`sctp bad input ${provider}: forged and stale cookies`, () => {
    const e = loadEntry("entry_sctp", provider);
    e.x.fuzz_setup(2, false); // b listens (CLOSED)
    // A forged COOKIE-ECHO: dropped silently.
    const forged = new Uint8Array(88).fill(7);
    assert.equal(feed(e, packet(e, 0x01020304, [chunk(10, 0, forged)])), 0);
    assert.equal(e.x.fuzz_state(), 0);
    // A genuine cookie, from an INIT-ACK.
    const init = chunk(1, 0, new Uint8Array([...u32s(0xabcdef01, 100000), 0, 16, 0, 16, ...u32s(1000)]));
    const ptr = e.put(packet(e, 0, [init]));
    assert.equal(e.x.fuzz_input_keep(ptr, 12 + init.length, 1000n), 1);
    e.free(ptr);
    const out = e.alloc(1500);
    const n = e.x.fuzz_take(out, 1500);
    const initAck = e.get(out, n);
    e.free(out);
    assert.equal(initAck[12], 2); // INIT-ACK
    assert.equal(new DataView(initAck.buffer).getUint32(4), 0xabcdef01); // on the INIT's tag
    const myTag = new DataView(initAck.buffer).getUint32(16);
    // Find the State Cookie parameter (type 7).
    let p = 12 + 4 + 16;
    let cookie: Uint8Array | null = null;
    while (p + 4 <= n) {
      const t = new DataView(initAck.buffer).getUint16(p);
      const l = new DataView(initAck.buffer).getUint16(p + 2);
      if (t === 7) cookie = initAck.slice(p + 4, p + l);
      p += (l + 3) & ~3;
    }
    assert.ok(cookie);
    // Tampered: dropped.
    const bad = cookie!.slice();
    bad[20] ^= 1;
    assert.equal(feed(e, packet(e, myTag, [chunk(10, 0, bad)]), 1500n), 0);
    // Wrong tag on a genuine cookie: dropped.
    assert.equal(feed(e, packet(e, myTag ^ 1, [chunk(10, 0, cookie!)]), 1500n), 0);
    // Stale: answered with an ERROR (Stale Cookie), no association.
    assert.equal(feed(e, packet(e, myTag, [chunk(10, 0, cookie!)]), 1000n + 61_000n), 1);
    assert.equal(e.x.fuzz_state(), 0);
    // Fresh: the association comes up and answers COOKIE-ACK.
    assert.equal(feed(e, packet(e, myTag, [chunk(10, 0, cookie!)]), 2000n), 1);
    assert.equal(e.x.fuzz_state(), ESTABLISHED);
  });

  test(`sctp bad input ${provider}: INIT with zero streams is aborted; unknown chunks follow their bits`, () => {
    const e = loadEntry("entry_sctp", provider);
    e.x.fuzz_setup(3, false);
    const init = chunk(1, 0, new Uint8Array([...u32s(0x11111111, 100000), 0, 0, 0, 16, ...u32s(1000)]));
    assert.equal(feed(e, packet(e, 0, [init])), 1); // ABORT
    // INIT with a nonzero tag in the header: dropped.
    const ok = chunk(1, 0, new Uint8Array([...u32s(0x11111111, 100000), 0, 16, 0, 16, ...u32s(1000)]));
    assert.equal(feed(e, packet(e, 5, [ok])), 0);
    const est = established(provider);
    const vtag = est.x.fuzz_vtag_b() >>> 0;
    // 0x40: stop and report -> ERROR; 0x80: skip silently; 0x00-range unknown (0x3f): stop silently.
    assert.equal(feed(est, packet(est, vtag, [chunk(0x40, 0, new Uint8Array(4))])), 1);
    assert.equal(feed(est, packet(est, vtag, [chunk(0x80, 0, new Uint8Array(4))])), 0);
    assert.equal(feed(est, packet(est, vtag, [chunk(0x3f, 0, new Uint8Array(4))])), 0);
    assert.equal(est.x.fuzz_state(), ESTABLISHED);
  });
}
