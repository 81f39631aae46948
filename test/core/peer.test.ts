// Two peer connections (assembly/peer/) over a virtual network and clock: ICE, DTLS, SCTP and data
// channels wired together, both DTLS roles, loss, back-pressure, close, garbage (DESIGN.md §4.2).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadEntry, PROVIDERS } from "../helpers/entry.js";

for (const provider of PROVIDERS) {
  const e = loadEntry("entry_peer", provider);
  const stats = (n: number) => Array.from({ length: n }, (_, i) => Number(e.x.stat(i)));

  test(`[${provider}] two peers connect, carry 200 x 10 KiB and close cleanly (answerer active)`, () => {
    const r = e.x.scenario_basic(1, 0, 0, 200, 10240);
    const s = stats(30);
    assert.equal(r, 0, `step ${r}, stats ${s}`);
    assert.deepEqual(s.slice(0, 4), [2, 2, 1, 1], "both connected, one channel open on each side");
    assert.equal(s[5], 200 * 10240);
    assert.deepEqual(s.slice(8, 13), [5, 5, 2, 1, 1], "both closed, channel closed on both sides");
  });

  test(`[${provider}] answerer passive: the offerer is the DTLS client`, () => {
    const r = e.x.scenario_basic(2, 0, 1, 20, 1000);
    assert.equal(r, 0, `step ${r}, stats ${stats(13)}`);
  });

  test(`[${provider}] 5% loss both ways: still connects and delivers everything`, () => {
    const r = e.x.scenario_basic(3, 5, 0, 100, 4000);
    assert.equal(r, 0, `step ${r}, stats ${stats(13)}`);
  });

  test(`[${provider}] garbage of every first byte is dropped, the connection stays up`, () => {
    const r = e.x.scenario_garbage(4);
    assert.equal(r, 0);
    const s = stats(2);
    assert.ok(s[0] > 0 && s[1] > 0, `rtp ${s[0]} unknown ${s[1]}`);
  });
}
