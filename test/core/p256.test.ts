// P-256 (p256.ts) and ECDSA DER (ecdsa_der.ts) for both crypto providers: RFC 5903 and RFC 6979
// vectors, every Wycheproof case, bad input, and pure against host on random inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { randomBytes, createECDH } from "node:crypto";
import { projectRoot } from "../../host/core.js";
import { loadEntry, PROVIDERS, hex, toHex, type Entry } from "../helpers/entry.js";

class P256 {
  constructor(public e: Entry) {}

  private call(inputs: Uint8Array[], outLen: number, f: (...args: number[]) => number): Uint8Array | null {
    const ptrs = inputs.map((b) => this.e.put(b));
    const out = this.e.alloc(outLen);
    try {
      const args: number[] = [];
      inputs.forEach((b, i) => args.push(ptrs[i], b.length));
      return f(...args, out) ? this.e.get(out, outLen) : null;
    } finally {
      this.e.free(...ptrs, out);
    }
  }

  generate(): { priv: Uint8Array; pub: Uint8Array } {
    const pp = this.e.alloc(32), pq = this.e.alloc(65);
    assert.equal(this.e.x.p256_generate(pp, pq), 1);
    const r = { priv: this.e.get(pp, 32), pub: this.e.get(pq, 65) };
    this.e.free(pp, pq);
    return r;
  }

  pub(priv: Uint8Array): Uint8Array | null {
    return this.call([priv], 65, this.e.x.p256_public);
  }

  ecdh(priv: Uint8Array, pub: Uint8Array): Uint8Array | null {
    return this.call([priv, pub], 32, this.e.x.p256_ecdh);
  }

  sign(priv: Uint8Array, msg: Uint8Array): Uint8Array | null {
    return this.call([priv, msg], 64, this.e.x.ecdsa_sign);
  }

  verify(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
    const ptrs = [pub, msg, sig].map((b) => this.e.put(b));
    try {
      return this.e.x.ecdsa_verify(ptrs[0], pub.length, ptrs[1], msg.length, ptrs[2], sig.length) === 1;
    } finally {
      this.e.free(...ptrs);
    }
  }

  toDer(sig: Uint8Array): Uint8Array {
    const ps = this.e.put(sig), po = this.e.alloc(72);
    const n = this.e.x.ecdsa_sig_to_der(ps, sig.length, po);
    const r = this.e.get(po, n);
    this.e.free(ps, po);
    return r;
  }

  fromDer(der: Uint8Array): Uint8Array | null {
    return this.call([der], 64, this.e.x.ecdsa_sig_from_der);
  }
}

const ascii = (s: string) => new Uint8Array(Buffer.from(s, "ascii"));

// Wycheproof writes private keys as ASN.1 integers: maybe a leading 00, maybe short.
const scalar32 = (h: string) => {
  const b = hex(h);
  const out = new Uint8Array(32);
  const v = b.length > 32 ? b.subarray(b.length - 32) : b;
  out.set(v, 32 - v.length);
  return out;
};

// P-256 constants (FIPS 186-4 D.1.2.3) for the bad-input tests.
const P = hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
const N = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
const G = hex("046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
  + "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");

// RFC 5903 §8.1: the 256-bit random ECP group (P-256) ECDH test vector.
const R5903 = {
  i: hex("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"),
  gi: hex("04DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
    + "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3"),
  r: hex("C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53"),
  gr: hex("04D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
    + "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB"),
  girx: "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de",
};

// RFC 6979 A.2.5: the P-256 key and its SHA-256 signatures of "sample" and "test".
const R6979 = {
  x: hex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721"),
  u: hex("0460FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
    + "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"),
  sigs: [
    ["sample", "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
      + "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"],
    ["test", "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367"
      + "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083"],
  ],
};

interface EcdhCase { tcId: number; public: string; private: string; shared: string; result: string }
interface SigCase { tcId: number; msg: string; sig: string; result: string }
interface SigGroup { publicKey: { uncompressed: string }; tests: SigCase[] }

const vectors = (name: string) =>
  JSON.parse(readFileSync(resolve(projectRoot(), "test/vectors/wycheproof", name), "utf8"));
const ecdhFile = vectors("ecdh_secp256r1_ecpoint_test.json");
const derFile = vectors("ecdsa_secp256r1_sha256_test.json");
const p1363File = vectors("ecdsa_secp256r1_sha256_p1363_test.json");

const loaded = new Map(PROVIDERS.map((p) => [p, new P256(loadEntry("entry_p256", p))]));

for (const provider of PROVIDERS) {
  const c = loaded.get(provider)!;

  test(`${provider}: RFC 5903 §8.1 ECDH`, () => {
    assert.equal(toHex(c.pub(R5903.i)!), toHex(R5903.gi));
    assert.equal(toHex(c.pub(R5903.r)!), toHex(R5903.gr));
    assert.equal(toHex(c.ecdh(R5903.i, R5903.gr)!), R5903.girx);
    assert.equal(toHex(c.ecdh(R5903.r, R5903.gi)!), R5903.girx);
  });

  test(`${provider}: RFC 6979 A.2.5 P-256 key and SHA-256 signatures`, () => {
    assert.equal(toHex(c.pub(R6979.x)!), toHex(R6979.u));
    for (const [msg, expected] of R6979.sigs) {
      assert.ok(c.verify(R6979.u, ascii(msg), hex(expected)), `published signature of "${msg}" verifies`);
      const sig = c.sign(R6979.x, ascii(msg))!;
      if (provider === "pure") assert.equal(toHex(sig), expected, `deterministic k for "${msg}"`);
      assert.ok(c.verify(R6979.u, ascii(msg), sig));
      assert.ok(!c.verify(R6979.u, ascii(msg + "!"), sig));
    }
  });

  test(`${provider}: Wycheproof ecdh_secp256r1_ecpoint_test.json, every case`, () => {
    let ran = 0;
    for (const g of ecdhFile.testGroups) {
      for (const t of g.tests as EcdhCase[]) {
        const got = c.ecdh(scalar32(t.private), hex(t.public));
        if (t.result === "valid") assert.equal(got && toHex(got), t.shared, `tcId ${t.tcId}`);
        else if (t.result === "invalid") assert.equal(got, null, `tcId ${t.tcId} must be rejected`);
        else if (got) assert.equal(toHex(got), t.shared, `tcId ${t.tcId} (acceptable)`);
        ran++;
      }
    }
    assert.equal(ran, ecdhFile.numberOfTests);
  });

  test(`${provider}: Wycheproof ecdsa_secp256r1_sha256_test.json (DER), every case`, () => {
    let ran = 0;
    for (const g of derFile.testGroups as SigGroup[]) {
      const pub = hex(g.publicKey.uncompressed);
      for (const t of g.tests) {
        const der = hex(t.sig);
        const raw = c.fromDer(der);
        const ok = raw !== null && c.verify(pub, hex(t.msg), raw);
        assert.equal(ok, t.result === "valid", `tcId ${t.tcId}`);
        // Strict DER parses only what re-encodes to the same bytes.
        if (raw) assert.equal(toHex(c.toDer(raw)), t.sig, `tcId ${t.tcId} re-encodes`);
        ran++;
      }
    }
    assert.equal(ran, derFile.numberOfTests);
  });

  test(`${provider}: Wycheproof ecdsa_secp256r1_sha256_p1363_test.json, every case`, () => {
    let ran = 0;
    for (const g of p1363File.testGroups as SigGroup[]) {
      const pub = hex(g.publicKey.uncompressed);
      for (const t of g.tests) {
        assert.equal(c.verify(pub, hex(t.msg), hex(t.sig)), t.result === "valid", `tcId ${t.tcId}`);
        ran++;
      }
    }
    assert.equal(ran, p1363File.numberOfTests);
  });

  test(`${provider}: generated keys sign, verify and agree`, () => {
    for (let i = 0; i < 8; i++) {
      const a = c.generate(), b = c.generate();
      assert.equal(toHex(c.pub(a.priv)!), toHex(a.pub));
      const node = createECDH("prime256v1");
      node.setPrivateKey(a.priv);
      assert.equal(toHex(node.getPublicKey()), toHex(a.pub));
      assert.equal(toHex(c.ecdh(a.priv, b.pub)!), toHex(c.ecdh(b.priv, a.pub)!));
      const msg = randomBytes(i * 37);
      const sig = c.sign(a.priv, msg)!;
      assert.ok(c.verify(a.pub, msg, sig));
      assert.ok(!c.verify(b.pub, msg, sig), "another key");
      const bad = Uint8Array.from(sig);
      bad[i * 7] ^= 0x10;
      assert.ok(!c.verify(a.pub, msg, bad), "a flipped bit");
      assert.ok(c.verify(a.pub, msg, c.fromDer(c.toDer(sig))!), "through DER");
    }
  });

  test(`${provider}: invalid private keys are refused`, () => {
    const nMinus1 = Uint8Array.from(N);
    nMinus1[31] -= 1;
    assert.ok(c.pub(nMinus1), "n-1 is the largest key");
    const one = new Uint8Array(32);
    one[31] = 1;
    assert.equal(toHex(c.pub(one)!), toHex(G), "1*G");
    const ff = new Uint8Array(32).fill(0xff);
    for (const bad of [new Uint8Array(32), N, ff, new Uint8Array(31), new Uint8Array(33), new Uint8Array(0)]) {
      assert.equal(c.pub(bad), null, `private ${toHex(bad)}`);
      assert.equal(c.ecdh(bad, R5903.gr), null);
      assert.equal(c.sign(bad, ascii("m")), null);
    }
  });

  test(`${provider}: invalid public points are refused`, () => {
    const offCurve = Uint8Array.from(R5903.gr);
    offCurve[64] ^= 1;
    // x = p and x = 5 + p: the points (0, y) and (5, y) are on the curve, so only the range
    // check can refuse these non-canonical encodings of them.
    const xIsP = hex("04ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"
      + "66485c780e2f83d72433bd5d84a06bb6541c2af31dae871728bf856a174f93f4");
    const xIs5 = hex("040000000000000000000000000000000000000000000000000000000000000005"
      + "459243b9aa581806fe913bce99817ade11ca503c64d9a3c533415c083248fbcc");
    const xIs5PlusP = hex("04ffffffff00000001000000000000000000000001000000000000000000000004"
      + "459243b9aa581806fe913bce99817ade11ca503c64d9a3c533415c083248fbcc");
    assert.ok(c.ecdh(R5903.i, xIs5), "(5, y) itself is a valid point");
    const yIsP = Uint8Array.from(G);
    yIsP.set(P, 33);
    const infinity = new Uint8Array(65);
    infinity[0] = 4;
    const prefix = Uint8Array.from(G);
    prefix[0] = 3;
    const bads = [offCurve, xIsP, xIs5PlusP, yIsP, infinity, prefix, G.subarray(0, 64), new Uint8Array(0),
      Uint8Array.of(0), Uint8Array.from([...G, 0]), Uint8Array.of(2, ...G.subarray(1, 33))];
    for (const bad of bads) {
      assert.equal(c.ecdh(R5903.i, bad), null, `point ${toHex(bad)}`);
      assert.equal(c.verify(bad, ascii("sample"), hex(R6979.sigs[0][1])), false);
    }
  });

  test(`${provider}: out-of-range and malformed signatures are refused`, () => {
    const msg = ascii("sample");
    const good = hex(R6979.sigs[0][1]);
    const zero = new Uint8Array(32);
    const r = good.subarray(0, 32), s = good.subarray(32);
    const cat = (a: Uint8Array, b: Uint8Array) => Uint8Array.from([...a, ...b]);
    for (const bad of [cat(zero, s), cat(r, zero), cat(N, s), cat(r, N), cat(P, s),
      new Uint8Array(64).fill(0xff), good.subarray(0, 63), cat(good, Uint8Array.of(0)), new Uint8Array(0)]) {
      assert.equal(c.verify(R6979.u, msg, bad), false, `sig ${toHex(bad)}`);
    }
    // r and s both have the top bit set, so each INTEGER needs a leading zero.
    const der = c.toDer(good);
    assert.equal(toHex(der), "3046022100" + R6979.sigs[0][1].slice(0, 64) + "022100" + R6979.sigs[0][1].slice(64));
    for (let cut = 0; cut < der.length; cut++) assert.equal(c.fromDer(der.subarray(0, cut)), null, `truncated at ${cut}`);
    assert.equal(c.fromDer(Uint8Array.from([...der, 0])), null, "trailing byte");
    assert.equal(c.toDer(good.subarray(0, 63)).length, 0);
    // Small values: DER keeps one byte for them, and the raw form right-aligns them.
    const small = new Uint8Array(64);
    small[31] = 1;
    small[63] = 0x80;
    assert.equal(toHex(c.toDer(small)), "3007020101020200" + "80");
    assert.equal(toHex(c.fromDer(c.toDer(small))!), toHex(small));
  });
}

test("pure and host agree on random keys and messages", () => {
  const pure = loaded.get("pure")!, host = loaded.get("host")!;
  for (let i = 0; i < 16; i++) {
    const a = i % 2 ? pure.generate() : host.generate();
    const b = i % 2 ? host.generate() : pure.generate();
    assert.equal(toHex(pure.pub(a.priv)!), toHex(host.pub(a.priv)!));
    assert.equal(toHex(pure.ecdh(a.priv, b.pub)!), toHex(host.ecdh(a.priv, b.pub)!));
    const msg = randomBytes(1 + i * 13);
    const sp = pure.sign(a.priv, msg)!, sh = host.sign(a.priv, msg)!;
    assert.ok(host.verify(a.pub, msg, sp), "pure-signed verifies in host");
    assert.ok(pure.verify(a.pub, msg, sh), "host-signed verifies in pure");
    const der = pure.toDer(sh);
    assert.equal(toHex(host.toDer(sh)), toHex(der));
    assert.equal(toHex(host.fromDer(der)!), toHex(pure.fromDer(der)!));
  }
});
