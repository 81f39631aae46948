// Hostile SCTP load at association b while a and b keep talking (entry_sctp_stress.ts): INIT
// floods from a third party, and a peer whose messages never finish reassembling. Memory is read
// after a full collection; "bounded" means it does not grow with the size of the attack.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadEntry, PROVIDERS, type Entry } from "../helpers/entry.js";

const CLOSED = 0;
const ESTABLISHED = 3;
const INIT_ACK = 2;
const ABORT = 6;
const OUT_OF_RESOURCE = 4;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
}

// An INIT from port 5000 to 5000 on tag 0 with random fields and optional parameters, some of
// them of unknown types with each combination of the two high bits (§3.2.1).
function randomInit(e: Entry, r: () => number): Uint8Array {
  const params: number[] = [];
  const n = r() % 4;
  for (let i = 0; i < n; i++) {
    const kind = r() % 5;
    const type = kind === 0 ? 0xc000 : kind === 1 ? 0x8008 : (r() & 0xc000) | 0x3f00 | (r() & 0xff);
    const len = 4 + (r() % 24);
    params.push(type >> 8, type & 0xff, len >> 8, len & 0xff);
    for (let k = 4; k < len; k++) params.push(r() & 0xff);
    while (params.length % 4) params.push(0);
  }
  const tag = r() % 50 === 0 ? 0 : r() || 1; // a zero Initiate Tag now and then: invalid
  const streams = () => (r() % 50 === 0 ? 0 : 1 + (r() % 2048)); // zero streams now and then
  const b = new Uint8Array(12 + 20 + params.length);
  const v = new DataView(b.buffer);
  v.setUint16(0, 5000);
  v.setUint16(2, 5000);
  v.setUint32(4, 0);
  b[12] = 1;
  v.setUint16(14, 20 + params.length);
  v.setUint32(16, tag >>> 0);
  v.setUint32(20, r());
  v.setUint16(24, streams());
  v.setUint16(26, streams());
  v.setUint32(28, r());
  b.set(params, 32);
  return b;
}

// Injects n random INITs into b; returns how many answers went to the flooder.
function flood(e: Entry, r: () => number, n: number, stepEvery = 50): number {
  let answers = 0;
  for (let i = 0; i < n; i++) {
    const pkt = randomInit(e, r);
    const ptr = e.put(pkt);
    e.x.st_checksum(ptr, pkt.length);
    const got = e.x.st_inject(ptr, pkt.length);
    e.free(ptr);
    assert.ok(got <= 1, "one INIT, at most one answer");
    if (got === 1) assert.ok([INIT_ACK, ABORT].includes(Number(e.x.st_b(9))));
    answers += got;
    // The clock moves on now and then, so the legitimate association keeps working meanwhile.
    if (stepEvery > 0 && i % stepEvery === 0) e.x.st_run_to(e.x.st_now() + 5n);
  }
  return answers;
}

const mem = (e: Entry) => Number(e.x.st_memory());
const bState = (e: Entry) => Number(e.x.st_b(0));

for (const provider of PROVIDERS) {
  test(`sctp bad input ${provider}: an INIT flood at an established association is answered statelessly`, () => {
    const e = loadEntry("entry_sctp_stress", provider);
    assert.ok(e.x.st_setup(5, true, 0, 0, 0));
    const tag = e.x.st_b(6);
    e.x.st_app(0, 16384);
    e.x.st_run_to(e.x.st_now() + 500n);
    const r = rng(0x1234);
    const first = flood(e, r, 500);
    const m1 = mem(e);
    const received1 = Number(e.x.st_a(8));
    const answers = flood(e, r, 5000);
    const m2 = mem(e);
    // Answered (INIT-ACK with a cookie, or ABORT for zero streams); a zero tag is dropped.
    assert.ok(first > 400 && answers > 4500, `answers ${first}, ${answers}`);
    // §5.2.2: an INIT on an established association changes nothing there.
    assert.equal(bState(e), ESTABLISHED);
    assert.equal(e.x.st_b(6), tag);
    // No state per INIT: 5000 more leave memory where 500 had it (two pages of slack for the
    // transfer's own buffers).
    assert.ok(m2 - m1 <= 128 * 1024, `memory grew by ${m2 - m1} bytes over 5000 INITs`);
    // The legitimate transfer went on throughout, intact and in order.
    e.x.st_run_to(e.x.st_now() + 2000n);
    assert.ok(Number(e.x.st_a(8)) > received1);
    assert.equal(Number(e.x.st_a(10)), 0);
    assert.equal(Number(e.x.st_a(7)), 0); // not even a timeout on the real path
  });

  test(`sctp bad input ${provider}: an INIT flood at a listening association keeps no state; a real peer then connects`, () => {
    const e = loadEntry("entry_sctp_stress", provider);
    assert.ok(e.x.st_setup(5, false, 0, 0, 0));
    const r = rng(0x9876);
    flood(e, r, 500, 0);
    const m1 = mem(e);
    const answers = flood(e, r, 5000, 0);
    const m2 = mem(e);
    assert.ok(answers > 4500);
    // §5.1.3: everything lives in the cookies; the listener is still listening.
    assert.equal(bState(e), CLOSED);
    assert.ok(m2 - m1 <= 64 * 1024, `memory grew by ${m2 - m1} bytes over 5000 INITs`);
    e.x.st_connect();
    e.x.st_run_to(e.x.st_now() + 1000n);
    assert.equal(bState(e), ESTABLISHED);
    assert.equal(Number(e.x.st_a(11)), ESTABLISHED);
    e.x.st_app(0, 16384);
    e.x.st_run_to(e.x.st_now() + 1000n);
    assert.ok(Number(e.x.st_a(8)) > 0);
    assert.equal(Number(e.x.st_a(10)), 0);
  });

  // By design (assembly/sctp/README.md, memory bounds): fragments that would exceed the receive
  // buffer or maxReassemblyChunks are dropped, and the window advertised shrinks to nothing; the
  // association is not aborted for that, since a slow reader looks the same. Only a single
  // message growing past maxMessageSize ends it (ABORT, Out of Resource).
  test(`sctp bad input ${provider}: first fragments that never complete fill the receive buffer, then are dropped`, () => {
    const e = loadEntry("entry_sctp_stress", provider);
    const rbuf = 64 * 1024;
    assert.ok(e.x.st_setup(5, true, rbuf, 0, 0));
    const accepted = e.x.st_forge_fragments(1000, 1000, 0);
    assert.equal(accepted, Math.floor(rbuf / 1000));
    assert.ok(Number(e.x.st_b(1)) <= rbuf);
    assert.ok(Number(e.x.st_b(3)) >= 1000 - accepted); // the rest: no room
    assert.ok(Number(e.x.st_b(7)) < 1000); // the window says so
    assert.equal(bState(e), ESTABLISHED);
    const m1 = mem(e);
    assert.equal(e.x.st_forge_fragments(5000, 1000, 0), 0);
    const m2 = mem(e);
    assert.ok(m2 - m1 <= 64 * 1024, `memory grew by ${m2 - m1} bytes`);
    // The other direction is untouched: b still sends to a.
    e.x.st_app(1, 16384);
    e.x.st_run_to(e.x.st_now() + 2000n);
    assert.ok(Number(e.x.st_a(9)) > 10);
    assert.equal(Number(e.x.st_a(10)), 0);
    assert.equal(bState(e), ESTABLISHED);
  });

  // RFC 9260 §6.2: a full buffer must still take the chunk that fills its gap, or the messages
  // held behind it never complete and the peer resends that chunk forever (seen with Chromium
  // pushing 16 MiB through the device's echo channel under load).
  test(`sctp ${provider}: a full buffer still takes the retransmission that fills its gap`, () => {
    const e = loadEntry("entry_sctp_stress", provider);
    assert.ok(e.x.st_setup(5, true, 16 * 1024, 0, 0));
    assert.equal(e.x.st_gap_fill(1000), 1);
    assert.equal(bState(e), ESTABLISHED);
  });

  test(`sctp bad input ${provider}: tiny first fragments stop at maxReassemblyChunks`, () => {
    const e = loadEntry("entry_sctp_stress", provider);
    assert.ok(e.x.st_setup(5, true, 0, 256, 0));
    assert.equal(e.x.st_forge_fragments(1000, 4, 0), 256);
    assert.equal(Number(e.x.st_b(2)), 256);
    const m1 = mem(e);
    assert.equal(e.x.st_forge_fragments(5000, 4, 0), 0);
    assert.ok(mem(e) - m1 <= 64 * 1024);
    assert.equal(bState(e), ESTABLISHED);
  });

  test(`sctp bad input ${provider}: one message that never ends is aborted past maxMessageSize`, () => {
    const e = loadEntry("entry_sctp_stress", provider);
    const maxMsg = 32 * 1024;
    assert.ok(e.x.st_setup(5, true, 0, 0, maxMsg));
    const accepted = e.x.st_forge_fragments(1000, 1000, 1);
    // The fragment that takes the message past the limit is the last one read.
    assert.equal(accepted, Math.floor(maxMsg / 1000) + 1);
    assert.equal(bState(e), CLOSED);
    assert.equal(Number(e.x.st_b(10)), OUT_OF_RESOURCE);
    e.x.st_run_to(e.x.st_now() + 100n);
    assert.equal(Number(e.x.st_a(11)), CLOSED); // a got the ABORT
  });
}
