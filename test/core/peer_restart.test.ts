// ICE restart on negotiated peer connections (RFC 8445 §9, RFC 8839 §4.4.1.1.1, RFC 8829 §5.2.3.1):
// either side re-offers with new credentials, the other answers with new ones too, channel data
// flows before, during and after, and a pair of the new generation ends up selected. Offers that
// change more than ICE are refused and leave the connection as it was.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadEntry, PROVIDERS } from "../helpers/entry.js";

for (const provider of PROVIDERS) {
  const e = loadEntry("entry_peer", provider);
  const stats = (n: number) => Array.from({ length: n }, (_, i) => Number(e.x.stat(i)));

  for (const who of [0, 1]) {
    const side = who === 0 ? "the original offerer" : "the original answerer";
    test(`[${provider}] ICE restart offered by ${side}: both sides get new credentials, data flows throughout`, () => {
      const r = e.x.scenario_restart(11 + who, who, 1);
      const s = stats(12);
      assert.equal(r, 0, `step ${r}, stats ${s}`);
      assert.deepEqual(s.slice(0, 2), [2, 2], "both still connected");
      assert.equal(s[2], 100, "every message arrived");
      assert.deepEqual(s.slice(3, 5), [1, 1], "both ufrags changed");
      assert.deepEqual(s.slice(5, 7), [1, 1], "one restart on each side");
      assert.deepEqual(s.slice(7, 11), [1, 1, 0, 0], "a pair of the new generation is selected on both sides");
      assert.equal(s[11], 1, "the descriptions carry the new ufrags");
    });
  }

  test(`[${provider}] a re-offer with the same credentials is answered without a restart`, () => {
    const r = e.x.scenario_restart(13, 0, 0);
    const s = stats(12);
    assert.equal(r, 0, `step ${r}, stats ${s}`);
    assert.deepEqual(s.slice(0, 3), [2, 2, 100]);
    assert.deepEqual(s.slice(3, 7), [0, 0, 0, 0], "no ufrag changed, no restart");
    assert.equal(s[11], 1);
  });

  for (const [kind, what] of [[0, "another DTLS fingerprint"], [1, "an added m= section"], [2, "a DTLS role change"]] as const) {
    test(`[${provider}] a subsequent offer with ${what} is refused and the connection goes on`, () => {
      const r = e.x.scenario_restart_refused(20 + kind, kind);
      const s = stats(6);
      assert.equal(r, 0, `step ${r}, stats ${s}`);
      assert.equal(s[0], 1, "refused");
      assert.deepEqual(s.slice(1, 3), [2, 2], "both still connected");
      assert.equal(s[3], 30, "messages before and after the refusal arrived");
      assert.deepEqual(s.slice(4, 6), [1, 0], "the answerer's ICE did not restart");
    });
  }
}
