// Interop with werift's SCTP and DCEP (npm werift 0.25.2) over an in-memory link on a virtual
// clock (test/helpers/sctp_link.ts): association setup either way, channels opened by each side,
// messages of 0 B to 256 KiB ordered and unordered both ways, close by stream reset both ways,
// and reliable delivery under 5% loss.
//
// werift cannot send an empty message: its SCTP send() cuts 0 bytes into 0 chunks yet still
// spends an SSN, so the receiver's ordered stream waits forever. Its 0 B messages here go the
// RFC 8831 §6.6 way instead (one byte with the "empty" PPID), straight onto its SCTP.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  VirtualClock, Link, CoreEndpoint, WeriftEndpoint, loadPeerEntry, runUntil, errors, type Message,
} from "../helpers/sctp_link.js";

const SIZES = [0, 1, 1200, 64 * 1024, 256 * 1024];
const PPID_BINARY_EMPTY = 57;
const SEND_OK = 0;
const SEND_ERR_BUFFER_FULL = 3;

// Distinct bytes per channel and size, so a message is recognised by its length and checked whole.
function pattern(id: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  let x = (id * 7919 + len * 104729 + 1) >>> 0;
  for (let i = 0; i < len; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 16;
  }
  return b;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

// Checks what one side received on one channel: every size once, intact; in order when ordered.
function checkChannel(got: Message[], id: number, ordered: boolean, sizes: number[], who: string): void {
  const on = got.filter((m) => m.id === id && m.binary);
  assert.deepEqual(on.map((m) => m.data.length).sort((a, b) => a - b), [...sizes].sort((a, b) => a - b),
    `${who}: sizes received on channel ${id}`);
  if (ordered) assert.deepEqual(on.map((m) => m.data.length), sizes, `${who}: order on channel ${id}`);
  for (const m of on) assert.ok(same(m.data, pattern(id, m.data.length)), `${who}: bytes of ${m.data.length} B on ${id}`);
}

interface Options {
  weInitiate: boolean;
  lossPct: number;
  seed: number;
}

async function exchange(o: Options): Promise<void> {
  const clock = new VirtualClock();
  clock.install();
  errors.length = 0;
  try {
    const link = new Link(clock, o.seed);
    link.lossPct = o.lossPct;
    const entry = loadPeerEntry("pure");
    // werift takes even ids as the SCTP server and odd ones as the client: we take the others.
    const core = new CoreEndpoint(entry, link, 0, !o.weInitiate);
    const wer = new WeriftEndpoint(link, 1, !o.weInitiate);
    const eps = [core, wer];
    await wer.start();
    if (o.weInitiate) core.connect();
    assert.ok(await runUntil(clock, link, eps, () => core.connected === 1 && wer.connected, 120_000), "association up");

    // Channels opened by each side with DCEP, one ordered and one unordered each.
    const cOrd = core.create("core-ordered", true);
    const cUnord = core.create("core-unordered", false);
    const wOrd = wer.create("werift-ordered", true);
    const wUnord = wer.create("werift-unordered", false);
    assert.ok(cOrd >= 0 && cUnord >= 0);
    const allOpen = () => core.remoteOpened.length === 2 && wer.opened.length === 4;
    assert.ok(await runUntil(clock, link, eps, allOpen, 120_000), `channels open: ${core.remoteOpened} / ${wer.opened}`);
    assert.equal(wOrd.id % 2, o.weInitiate ? 0 : 1);
    assert.equal(core.label(wOrd.id), "werift-ordered");
    assert.equal(core.label(wUnord.id), "werift-unordered");
    assert.equal(wer.channels.get(cOrd)!.label, "core-ordered");
    assert.equal(wer.channels.get(cUnord)!.ordered, false);
    assert.equal(wer.channels.get(cOrd)!.ordered, true);

    // Every size both ways on all four channels, plus a string each way. Our send buffer
    // (320 KiB) pushes back: what does not fit is offered again as acknowledgements free it.
    const pending: [number, Uint8Array | string][] = [];
    for (const id of [cOrd, cUnord, wOrd.id, wUnord.id]) for (const n of SIZES) pending.push([id, pattern(id, n)]);
    pending.push([cOrd, "héllo from the core"]);
    const feed = () => {
      while (pending.length > 0) {
        const [id, data] = pending[0];
        const r = core.send(id, data);
        if (r === SEND_ERR_BUFFER_FULL) return;
        assert.equal(r, SEND_OK, `core send ${typeof data === "string" ? data : data.length} on ${id}`);
        pending.shift();
      }
    };
    for (const ch of [wOrd, wUnord, wer.channels.get(cOrd)!, wer.channels.get(cUnord)!]) {
      for (const n of SIZES) {
        if (n === 0) wer.sctp.send(ch.id, PPID_BINARY_EMPTY, Buffer.alloc(1), { ordered: ch.ordered });
        else ch.send(Buffer.from(pattern(ch.id, n)));
      }
    }
    wer.channels.get(wOrd.id)!.send("héllo from werift");
    const total = 4 * SIZES.length + 1;
    const delivered = () => {
      feed();
      return core.messages.length === total && wer.messages.length === total;
    };
    const ok = await runUntil(clock, link, eps, delivered, 600_000);
    assert.ok(ok, `delivered: core got ${core.messages.length}, werift got ${wer.messages.length} of ${total}; ` +
      `pending ${pending.length}; errors ${errors.map(String)}`);
    for (const [id, ordered] of [[cOrd, true], [cUnord, false], [wOrd.id, true], [wUnord.id, false]] as const) {
      checkChannel(core.messages, id, ordered, SIZES, "core");
      checkChannel(wer.messages, id, ordered, SIZES, "werift");
    }
    const strC = core.messages.find((m) => !m.binary)!;
    assert.equal(new TextDecoder().decode(strC.data), "héllo from werift");
    const strW = wer.messages.find((m) => !m.binary)!;
    assert.equal(new TextDecoder().decode(strW.data), "héllo from the core");

    // Close by stream reset: one channel each side closes; the other resets its half too.
    core.close(cOrd);
    wOrd.close();
    const closed = () => [cOrd, wOrd.id].every((id) => core.closed.includes(id) && wer.closed.includes(id));
    assert.ok(await runUntil(clock, link, eps, closed, 120_000), `closed: core ${core.closed}, werift ${wer.closed}`);
    assert.equal(entry.x.dc_channel_count(core.h), 2);
    assert.deepEqual(Object.keys(wer.transport.dataChannels).map(Number).sort(), [cUnord, wUnord.id].sort());
    // The channels left still carry data after the resets.
    assert.equal(core.send(cUnord, pattern(cUnord, 3)), SEND_OK);
    wUnord.send(Buffer.from(pattern(wUnord.id, 5)));
    const after = () => core.messages.length === total + 1 && wer.messages.length === total + 1;
    assert.ok(await runUntil(clock, link, eps, after, 120_000), "data after the resets");

    assert.deepEqual(errors.map(String), [], "werift threw");
    assert.equal(core.stat(4), 0, "our malformed count");
    assert.equal(core.stat(8), 0, "our DCEP errors");
    if (o.lossPct > 0) assert.ok(link.dropped[0] + link.dropped[1] > 0, "the link dropped packets");
    if (process.env.SCTP_DEBUG) console.log(JSON.stringify({ ms: clock.elapsed, sent: link.sent, dropped: link.dropped, rtx: core.stat(1), t3: core.stat(3), fast: core.stat(2), dups: core.stat(7), unexpected: core.stat(6), badTag: core.stat(5) }));
    await wer.transport.stop();
  } finally {
    clock.restore();
  }
}

test("werift interop: we initiate, channels both ways, 0 B..256 KiB ordered and unordered, close both ways", async () => {
  await exchange({ weInitiate: true, lossPct: 0, seed: 1 });
});

test("werift interop: werift initiates, channels both ways, 0 B..256 KiB ordered and unordered, close both ways", async () => {
  await exchange({ weInitiate: false, lossPct: 0, seed: 2 });
});

test("werift interop: 5% loss both ways, reliable delivery, we initiate", async () => {
  await exchange({ weInitiate: true, lossPct: 5, seed: 3 });
});

test("werift interop: 5% loss both ways, reliable delivery, werift initiates", async () => {
  await exchange({ weInitiate: false, lossPct: 5, seed: 4 });
});
