// X25519 (RFC 7748) for both crypto providers: RFC vectors, every Wycheproof case, and a
// cross-check of the pure ladder against the host import on random inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { projectRoot } from "../../host/core.js";
import { loadEntry, PROVIDERS, hex, toHex, type Entry } from "../helpers/entry.js";

function x25519(e: Entry, scalar: Uint8Array, u: Uint8Array): string | null {
  const ps = e.put(scalar), pu = e.put(u), po = e.alloc(32);
  try {
    const ok = e.x.x25519_raw(ps, scalar.length, pu, u.length, po);
    return ok ? toHex(e.get(po, 32)) : null;
  } finally {
    e.free(ps, pu, po);
  }
}

function iterate(e: Entry, n: number): string {
  const po = e.alloc(32);
  assert.equal(e.x.x25519_iterate(n, po), 1);
  const r = toHex(e.get(po, 32));
  e.free(po);
  return r;
}

function base(e: Entry, scalar: Uint8Array): string | null {
  const ps = e.put(scalar), po = e.alloc(32);
  const ok = e.x.x25519_base(ps, po);
  const r = ok ? toHex(e.get(po, 32)) : null;
  e.free(ps, po);
  return r;
}

interface WycheproofCase { tcId: number; comment: string; flags: string[]; public: string; private: string; shared: string; result: string }
const wycheproof = JSON.parse(readFileSync(resolve(projectRoot(), "test/vectors/wycheproof/x25519_test.json"), "utf8"));
const cases: WycheproofCase[] = wycheproof.testGroups.flatMap((g: { tests: WycheproofCase[] }) => g.tests);

for (const provider of PROVIDERS) {
  const e = loadEntry("entry_x25519", provider);

  test(`${provider}: RFC 7748 §5.2 test vectors`, () => {
    assert.equal(
      x25519(e, hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
        hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")),
      "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    // This u has its top bit set, which §5 says to ignore.
    assert.equal(
      x25519(e, hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
        hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493")),
      "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
  });

  test(`${provider}: RFC 7748 §5.2 iterated 1 and 1,000 times`, () => {
    assert.equal(iterate(e, 1), "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
    assert.equal(iterate(e, 1000), "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
  });

  test(`${provider}: RFC 7748 §6.1 Diffie-Hellman`, () => {
    const alicePriv = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    const bobPriv = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    const alicePub = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    const bobPub = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    const shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    assert.equal(base(e, alicePriv), alicePub);
    assert.equal(base(e, bobPriv), bobPub);
    assert.equal(x25519(e, alicePriv, hex(bobPub)), shared);
    assert.equal(x25519(e, bobPriv, hex(alicePub)), shared);
  });

  test(`${provider}: Wycheproof x25519_test.json, all ${cases.length} cases`, () => {
    assert.equal(cases.length, wycheproof.numberOfTests);
    let valid = 0, acceptable = 0, zero = 0;
    for (const c of cases) {
      const got = x25519(e, hex(c.private), hex(c.public));
      const label = `tcId ${c.tcId} (${c.comment})`;
      if (c.flags.includes("ZeroSharedSecret")) {
        assert.equal(got, null, label);
        zero++;
      } else if (c.result === "valid") {
        assert.equal(got, c.shared, label);
        valid++;
      } else {
        // Acceptable: a non-canonical or twist point. RFC 7748 defines the answer, so it must match.
        assert.equal(c.result, "acceptable", label);
        assert.equal(got, c.shared, label);
        acceptable++;
      }
    }
    assert.equal(valid + acceptable + zero, 518);
  });

  test(`${provider}: wrong input lengths give null`, () => {
    const k = randomBytes(32), u = randomBytes(32);
    assert.equal(x25519(e, k.subarray(0, 31), u), null);
    assert.equal(x25519(e, k, u.subarray(0, 31)), null);
    assert.equal(x25519(e, Buffer.concat([k, Buffer.alloc(1)]), u), null);
    assert.equal(x25519(e, k, new Uint8Array(0)), null);
  });

  test(`${provider}: generated key pairs agree`, () => {
    const pair = () => {
      const pp = e.alloc(32), pq = e.alloc(32);
      e.x.x25519_generate(pp, pq);
      const r = { priv: e.get(pp, 32), pub: e.get(pq, 32) };
      e.free(pp, pq);
      return r;
    };
    const a = pair(), b = pair();
    assert.notEqual(toHex(a.priv), toHex(b.priv));
    assert.equal(base(e, a.priv), toHex(a.pub));
    const s1 = x25519(e, a.priv, b.pub), s2 = x25519(e, b.priv, a.pub);
    assert.ok(s1);
    assert.equal(s1, s2);
  });
}

test("pure and host agree on random scalars and u-coordinates", () => {
  const pure = loadEntry("entry_x25519", "pure"), host = loadEntry("entry_x25519", "host");
  for (let i = 0; i < 200; i++) {
    const k = randomBytes(32), u = randomBytes(32);
    const a = x25519(pure, k, u), b = x25519(host, k, u);
    assert.ok(a !== null, `case ${i}`);
    assert.equal(a, b, `case ${i}: k=${k.toString("hex")} u=${u.toString("hex")}`);
  }
});
