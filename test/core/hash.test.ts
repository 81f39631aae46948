// The hash family, HMAC, HKDF, the TLS 1.2 PRF, CRC32/CRC32c and randomness, for both providers.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { CoreMemory, coreImports, projectRoot } from "../../host/core.js";
import { Entry, loadEntry, PROVIDERS, hex, toHex } from "../helpers/entry.js";

const SHA1 = 1, SHA256 = 2, SHA384 = 3;
const ALGS = [
  { alg: SHA1, name: "sha1", len: 20, block: 64 },
  { alg: SHA256, name: "sha256", len: 32, block: 64 },
  { alg: SHA384, name: "sha384", len: 48, block: 128 },
];
const ascii = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));
const fill = (b: number, n: number) => new Uint8Array(n).fill(b);
const range = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

function wycheproof(name: string): any {
  return JSON.parse(readFileSync(resolve(projectRoot(), "test/vectors/wycheproof", name), "utf8"));
}

// Runs f with each input copied into core memory; frees them afterwards.
function withInputs<T>(e: Entry, inputs: Uint8Array[], f: (...ptrs: number[]) => T): T {
  const ptrs = inputs.map((b) => e.put(b));
  try {
    return f(...ptrs);
  } finally {
    e.free(...ptrs);
  }
}

function digest(e: Entry, alg: number, m: Uint8Array): string {
  const n = e.x.hash_length(alg);
  const out = e.alloc(n);
  withInputs(e, [m], (p) => e.x.hash_digest(alg, p, m.length, out));
  const r = toHex(e.get(out, n));
  e.free(out);
  return r;
}

function hmacOf(e: Entry, alg: number, key: Uint8Array, m: Uint8Array): string {
  const n = e.x.hash_length(alg);
  const out = e.alloc(n);
  withInputs(e, [key, m], (k, p) => e.x.hmac_compute(alg, k, key.length, p, m.length, out));
  const r = toHex(e.get(out, n));
  e.free(out);
  return r;
}

// 0 when hkdf gave null, else the OKM.
function hkdfOf(e: Entry, alg: number, salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, len: number): string | null {
  const out = e.alloc(len);
  const ok = withInputs(e, [salt, ikm, info], (s, k, i) =>
    e.x.hkdf_full(alg, s, salt.length, k, ikm.length, i, info.length, len, out));
  const r = ok ? toHex(e.get(out, len)) : null;
  e.free(out);
  return r;
}

function prfOf(e: Entry, alg: number, secret: Uint8Array, label: string, seed: Uint8Array, len: number): string {
  const out = e.alloc(len);
  const l = ascii(label);
  const n = withInputs(e, [secret, l, seed], (s, lp, sd) =>
    e.x.tls_prf(alg, s, secret.length, lp, l.length, sd, seed.length, len, out));
  const r = toHex(e.get(out, n));
  e.free(out);
  return r;
}

const crc = (e: Entry, fn: string, m: Uint8Array, off = 0, len = -1) =>
  withInputs(e, [m], (p) => e.x[fn](p, m.length, off, len) >>> 0);

// RFC 5246 §5 P_hash written here on node:crypto, as an independent reference.
function nodePrf(name: string, secret: Uint8Array, label: string, seed: Uint8Array, len: number): string {
  const ls = Buffer.concat([ascii(label), seed]);
  let a: Buffer = Buffer.from(ls);
  const parts: Buffer[] = [];
  let have = 0;
  while (have < len) {
    a = createHmac(name, secret).update(a).digest();
    const p = createHmac(name, secret).update(a).update(ls).digest();
    parts.push(p);
    have += p.length;
  }
  return toHex(Buffer.concat(parts).subarray(0, len));
}

// Bitwise reflected CRC-32 reference.
function crcBitwise(poly: number, m: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of m) {
    c ^= b;
    for (let i = 0; i < 8; i++) c = (c >>> 1) ^ (c & 1 ? poly : 0);
  }
  return (c ^ 0xffffffff) >>> 0;
}

// FIPS 180-4 examples (NIST CSRC "Examples with Intermediate Values"): "abc", the 448-bit and
// 896-bit messages, and one million 'a'.
const MSG448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const MSG896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
const FIPS: Record<number, { abc: string; m448: string; m896: string; million: string }> = {
  [SHA1]: {
    abc: "a9993e364706816aba3e25717850c26c9cd0d89d",
    m448: "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
    m896: "a49b2446a02c645bf419f995b67091253a04a259",
    million: "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
  },
  [SHA256]: {
    abc: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    m448: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    m896: "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
    million: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  },
  [SHA384]: {
    abc: "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
    m448: "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b",
    m896: "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039",
    million: "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985",
  },
};

// RFC 2202 §3: HMAC-SHA-1 test cases 1-7 (case 5's 96-bit truncation is checked on its prefix).
const RFC2202 = [
  { key: fill(0x0b, 20), data: ascii("Hi There"), mac: "b617318655057264e28bc0b6fb378c8ef146be00" },
  { key: ascii("Jefe"), data: ascii("what do ya want for nothing?"), mac: "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
  { key: fill(0xaa, 20), data: fill(0xdd, 50), mac: "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
  { key: range(1, 25), data: fill(0xcd, 50), mac: "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
  { key: fill(0x0c, 20), data: ascii("Test With Truncation"), mac: "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04", trunc: "4c1a03424b55e07fe7f27be1" },
  { key: fill(0xaa, 80), data: ascii("Test Using Larger Than Block-Size Key - Hash Key First"), mac: "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
  { key: fill(0xaa, 80), data: ascii("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"), mac: "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
];

// RFC 4231 §4.2-4.8: HMAC-SHA-256 and HMAC-SHA-384, test cases 1-7 (case 5 truncated to 128 bits).
const RFC4231 = [
  { key: fill(0x0b, 20), data: ascii("Hi There"),
    s256: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    s384: "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6" },
  { key: ascii("Jefe"), data: ascii("what do ya want for nothing?"),
    s256: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    s384: "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649" },
  { key: fill(0xaa, 20), data: fill(0xdd, 50),
    s256: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
    s384: "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27" },
  { key: range(1, 25), data: fill(0xcd, 50),
    s256: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
    s384: "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb" },
  { key: fill(0x0c, 20), data: ascii("Test With Truncation"),
    s256: "a3b6167473100ee06e0c796c2955552b", s384: "3abf34c3503b2a23a46efc619baef897" },
  { key: fill(0xaa, 131), data: ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
    s256: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    s384: "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952" },
  { key: fill(0xaa, 131),
    data: ascii("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
    s256: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
    s384: "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e" },
];

// RFC 5869 Appendix A.1-A.3 (HKDF-SHA-256).
const RFC5869 = [
  { ikm: fill(0x0b, 22), salt: range(0, 13), info: range(0xf0, 10), len: 42,
    prk: "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
    okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865" },
  { ikm: range(0, 80), salt: range(0x60, 80), info: range(0xb0, 80), len: 82,
    prk: "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
    okm: "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87" },
  { ikm: fill(0x0b, 22), salt: new Uint8Array(0), info: new Uint8Array(0), len: 42,
    prk: "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
    okm: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8" },
];

// RFC 3720 Appendix B.4: CRC32c of iSCSI examples (the RFC lists the CRC bytes little-endian).
const ISCSI_READ_PDU = hex(
  "01c00000000000000000000000000000" + "14000000000004000000001400000018" + "28000000000000000200000000000000");

for (const provider of PROVIDERS) {
  describe(`hash family (${provider})`, () => {
    const e = loadEntry("entry_hash", provider);

    it("FIPS 180-4 examples: abc, 448-bit, 896-bit, one million 'a'", () => {
      for (const { alg } of ALGS) {
        const want = FIPS[alg];
        assert.equal(digest(e, alg, ascii("abc")), want.abc);
        assert.equal(digest(e, alg, ascii(MSG448)), want.m448);
        assert.equal(digest(e, alg, ascii(MSG896)), want.m896);
        const out = e.alloc(48);
        e.x.hash_million_a(alg, out);
        assert.equal(toHex(e.get(out, e.x.hash_length(alg))), want.million);
        e.free(out);
      }
    });

    it("digests every length around the padding edges like node:crypto", () => {
      for (const { alg, name } of ALGS) {
        for (let len = 0; len <= 260; len++) {
          const m = range(len * 3, len);
          assert.equal(digest(e, alg, m), createHash(name).update(m).digest("hex"), `${name} len ${len}`);
        }
      }
    });

    it("streaming: split updates at every offset equal the one-shot digest", () => {
      const m = randomBytes(300);
      for (const { alg, name, len } of ALGS) {
        const want = createHash(name).update(m).digest("hex");
        const p = e.put(m), out = e.alloc(len);
        for (let cut = 0; cut <= m.length; cut++) {
          e.x.hash_split(alg, p, m.length, cut, cut + ((cut * 37) % (m.length - cut + 1)), out);
          assert.equal(toHex(e.get(out, len)), want, `${name} cut ${cut}`);
          e.x.hash_split(alg, p, m.length, 0, cut, out);
          assert.equal(toHex(e.get(out, len)), want, `${name} cut2 ${cut}`);
        }
        e.x.hash_bytewise(alg, p, m.length, out);
        assert.equal(toHex(e.get(out, len)), want, `${name} bytewise`);
        e.free(p, out);
      }
    });

    it("clone mid-way gives the prefix digest and an independent copy; copyFrom resets", () => {
      const m = randomBytes(400);
      for (const { alg, name, len, block } of ALGS) {
        const p = e.put(m), out = e.alloc(3 * len);
        for (const cut of [0, 1, block - 1, block, block + 1, 2 * block, 333, 400]) {
          e.x.hash_clone(alg, p, m.length, cut, out);
          const d = e.get(out, 3 * len);
          const full = createHash(name).update(m).digest("hex");
          assert.equal(toHex(d.subarray(0, len)), createHash(name).update(m.subarray(0, cut)).digest("hex"), `${name} prefix ${cut}`);
          assert.equal(toHex(d.subarray(len, 2 * len)), full, `${name} original ${cut}`);
          assert.equal(toHex(d.subarray(2 * len)), full, `${name} twin ${cut}`);
          e.x.hash_copy_from(alg, p, m.length, cut, out);
          assert.equal(toHex(e.get(out, len)), full, `${name} copyFrom ${cut}`);
        }
        e.free(p, out);
      }
    });

    it("bad ranges and short outputs are ignored, never trap", () => {
      for (const { alg, name, len } of ALGS) {
        const out = e.alloc(len);
        assert.equal(e.x.hash_bad_ranges(alg, out), 1);
        assert.equal(toHex(e.get(out, len)), createHash(name).digest("hex"), name);
        e.free(out);
      }
    });

    it("SHA-512 core (under SHA-384) matches node:crypto", () => {
      const m = randomBytes(700);
      const p = e.put(m), out = e.alloc(64);
      for (const [len, cut] of [[0, 0], [3, 1], [111, 50], [112, 112], [128, 7], [700, 300]]) {
        e.x.sha512_digest(p, len, cut, out);
        assert.equal(toHex(e.get(out, 64)), createHash("sha512").update(m.subarray(0, len)).digest("hex"));
      }
      e.free(p, out);
    });

    it("RFC 2202: HMAC-SHA-1 test cases 1-7", () => {
      for (const [i, c] of RFC2202.entries()) {
        const mac = hmacOf(e, SHA1, c.key, c.data);
        assert.equal(mac, c.mac, `case ${i + 1}`);
        if (c.trunc) assert.equal(mac.slice(0, c.trunc.length), c.trunc);
      }
    });

    it("RFC 4231: HMAC-SHA-256 and HMAC-SHA-384 test cases 1-7", () => {
      for (const [i, c] of RFC4231.entries()) {
        for (const [alg, want] of [[SHA256, c.s256], [SHA384, c.s384]] as const) {
          const mac = hmacOf(e, alg, c.key, c.data);
          if (i == 4) assert.equal(mac.slice(0, want.length), want, `case 5 alg ${alg}`);
          else assert.equal(mac, want, `case ${i + 1} alg ${alg}`);
        }
      }
    });

    for (const [file, alg] of [["hmac_sha1_test.json", SHA1], ["hmac_sha256_test.json", SHA256]] as const) {
      it(`Wycheproof ${file}: every case, computed and verified`, () => {
        const w = wycheproof(file);
        let count = 0;
        for (const g of w.testGroups) {
          const tagBytes = g.tagSize / 8;
          for (const t of g.tests) {
            const key = hex(t.key), msg = hex(t.msg), tag = hex(t.tag);
            const mac = hmacOf(e, alg, key, msg).slice(0, 2 * tagBytes);
            const verified = withInputs(e, [key, msg, tag], (k, m, tp) =>
              e.x.hmac_verify(alg, k, key.length, m, msg.length, tp, tag.length));
            if (t.result === "valid") {
              assert.equal(mac, t.tag, `tcId ${t.tcId}`);
              assert.equal(verified, 1, `tcId ${t.tcId} verify (and no second verify after finish)`);
            } else {
              assert.notEqual(mac, t.tag, `tcId ${t.tcId}`);
              assert.equal(verified, 0, `tcId ${t.tcId} verify`);
            }
            count++;
          }
        }
        assert.equal(count, w.numberOfTests);
      });
    }

    it("Hmac reuse: reset() starts a new message under the same key", () => {
      for (const { alg, name, len } of ALGS) {
        for (const keyLen of [0, 16, 64, 200]) {
          const key = randomBytes(keyLen), a = randomBytes(150), b = randomBytes(77);
          const out = e.alloc(2 * len);
          withInputs(e, [key, a, b], (k, pa, pb) => e.x.hmac_reuse(alg, k, keyLen, pa, a.length, 70, pb, b.length, out));
          const d = e.get(out, 2 * len);
          assert.equal(toHex(d.subarray(0, len)), createHmac(name, key).update(a).digest("hex"));
          assert.equal(toHex(d.subarray(len)), createHmac(name, key).update(b).digest("hex"));
          e.free(out);
        }
      }
    });

    it("RFC 5869 A.1-A.3: HKDF-SHA-256 extract, expand and both", () => {
      for (const [i, c] of RFC5869.entries()) {
        const prk = e.alloc(32), okm = e.alloc(c.len);
        withInputs(e, [c.salt, c.ikm], (s, k) => e.x.hkdf_extract(SHA256, s, c.salt.length, k, c.ikm.length, prk));
        assert.equal(toHex(e.get(prk, 32)), c.prk, `A.${i + 1} PRK`);
        const ok = withInputs(e, [c.info], (inf) => e.x.hkdf_expand(SHA256, prk, 32, inf, c.info.length, c.len, okm));
        assert.equal(ok, 1);
        assert.equal(toHex(e.get(okm, c.len)), c.okm, `A.${i + 1} OKM`);
        assert.equal(hkdfOf(e, SHA256, c.salt, c.ikm, c.info, c.len), c.okm);
        e.free(prk, okm);
      }
    });

    it("Wycheproof hkdf_sha256_test.json: every case; SizeTooLarge gives null", () => {
      const w = wycheproof("hkdf_sha256_test.json");
      let count = 0;
      for (const g of w.testGroups) {
        for (const t of g.tests) {
          const got = hkdfOf(e, SHA256, hex(t.salt), hex(t.ikm), hex(t.info), t.size);
          if (t.result === "valid") assert.equal(got, t.okm, `tcId ${t.tcId}`);
          else {
            assert.ok(t.flags.includes("SizeTooLarge"), `tcId ${t.tcId} is an unexpected kind of invalid`);
            assert.equal(got, null, `tcId ${t.tcId}`);
          }
          count++;
        }
      }
      assert.equal(count, w.numberOfTests);
    });

    it("HKDF expand bounds: 255*HashLen is the most, negative is null", () => {
      for (const { alg, len } of ALGS) {
        const prk = e.put(randomBytes(len)), info = e.put(new Uint8Array(1)), out = e.alloc(255 * len + 1);
        assert.equal(e.x.hkdf_expand(alg, prk, len, info, 0, 255 * len, out), 1);
        assert.equal(e.x.hkdf_expand(alg, prk, len, info, 0, 255 * len + 1, out), 0);
        assert.equal(e.x.hkdf_expand(alg, prk, len, info, 0, -1, out), 0);
        assert.equal(e.x.hkdf_expand(alg, prk, len, info, 0, 0, out), 1);
        e.free(prk, info, out);
      }
    });

    it("TLS 1.2 PRF: published P_SHA256 vector", () => {
      // IETF TLS WG list, "Test vectors for TLS 1.2 PRF" (mail-archive msg03416), SHA-256, 100 bytes.
      assert.equal(
        prfOf(e, SHA256, hex("9bbe436ba940f017b17652849a71db35"), "test label", hex("a0ba9f936cda311827a6f796ffd5198c"), 100),
        "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af"
        + "0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
        + "87347b66");
    });

    it("TLS 1.2 PRF: P_SHA256 and P_SHA384 match a node:crypto P_hash", () => {
      const labels = ["master secret", "extended master secret", "key expansion", "client finished", "EXTRACTOR-dtls_srtp", ""];
      for (const { alg, name } of ALGS.filter((a) => a.alg !== SHA1)) {
        for (const [i, label] of labels.entries()) {
          for (const outLen of [1, 12, 32, 47, 48, 49, 96, 104, 200]) {
            const secret = randomBytes([48, 0, 13, 200, 64, 129][i]), seed = randomBytes(outLen % 2 ? 64 : 32);
            assert.equal(prfOf(e, alg, secret, label, seed, outLen), nodePrf(name, secret, label, seed, outLen),
              `${name} "${label}" ${outLen}`);
          }
        }
        assert.equal(prfOf(e, alg, randomBytes(8), "x", randomBytes(8), 0), "");
      }
    });

    it("CRC32 (ISO-HDLC): check value and bitwise reference", () => {
      assert.equal(crc(e, "crc32_range", ascii("123456789")), 0xcbf43926);
      assert.equal(crc(e, "crc32_range", new Uint8Array(0)), 0);
      for (let i = 0; i < 200; i++) {
        const m = randomBytes(Math.floor(Math.random() * 300));
        assert.equal(crc(e, "crc32_range", m), crcBitwise(0xedb88320, m));
      }
      const m = randomBytes(100);
      assert.equal(crc(e, "crc32_range", m, 3, 50), crcBitwise(0xedb88320, m.subarray(3, 53)));
      assert.equal(crc(e, "crc32_range", m, 7), crcBitwise(0xedb88320, m.subarray(7)));
      for (const [off, len] of [[-1, 5], [101, 0], [50, 51], [0, 101], [2147483647, 1]]) {
        assert.equal(crc(e, "crc32_range", m, off, len), 0);
      }
    });

    it("CRC32c (Castagnoli): RFC 3720 B.4 vectors, check value and bitwise reference", () => {
      assert.equal(crc(e, "crc32c_range", fill(0, 32)), 0x8a9136aa);
      assert.equal(crc(e, "crc32c_range", fill(0xff, 32)), 0x62a8ab43);
      assert.equal(crc(e, "crc32c_range", range(0, 32)), 0x46dd794e);
      assert.equal(crc(e, "crc32c_range", Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
      assert.equal(crc(e, "crc32c_range", ISCSI_READ_PDU), 0xd9963a56);
      assert.equal(crc(e, "crc32c_range", ascii("123456789")), 0xe3069283);
      for (let i = 0; i < 200; i++) {
        const m = randomBytes(Math.floor(Math.random() * 300));
        assert.equal(crc(e, "crc32c_range", m), crcBitwise(0x82f63b78, m));
      }
      const m = randomBytes(64);
      assert.equal(crc(e, "crc32c_range", m, 5, 33), crcBitwise(0x82f63b78, m.subarray(5, 38)));
      assert.equal(crc(e, "crc32c_range", m, -3, 2), 0);
    });

    it("random bytes come from the host, in any amount", () => {
      const out = e.alloc(70000);
      assert.equal(e.x.random_bytes(32, out), 32);
      const a = e.get(out, 32);
      assert.equal(e.x.random_bytes(32, out), 32);
      assert.notEqual(toHex(e.get(out, 32)), toHex(a));
      assert.equal(e.x.random_bytes(0, out), 0);
      assert.equal(e.x.random_bytes(-5, out), 0);
      e.core.memory.write(out, new Uint8Array(70000));
      assert.equal(e.x.random_bytes(70000, out), 70000);
      const big = e.get(out, 70000);
      assert.ok(big.subarray(65536).some((b) => b !== 0), "the bytes past the first 64 KiB are filled too");
      e.free(out);
    });
  });
}

describe("pure and host providers agree on random inputs", () => {
  const pure = loadEntry("entry_hash", "pure");
  const host = loadEntry("entry_hash", "host");
  const rnd = (n: number) => Math.floor(Math.random() * n);

  it("every hash, random lengths", () => {
    for (const { alg, name } of ALGS) {
      for (let i = 0; i < 150; i++) {
        const m = randomBytes(rnd(i < 100 ? 300 : 5000));
        const a = digest(pure, alg, m);
        assert.equal(a, digest(host, alg, m), `${name} len ${m.length}`);
        assert.equal(a, createHash(name).update(m).digest("hex"));
      }
    }
  });

  it("every HMAC, random keys and messages", () => {
    for (const { alg, name } of ALGS) {
      for (let i = 0; i < 150; i++) {
        const key = randomBytes(rnd(300)), m = randomBytes(rnd(1000));
        const a = hmacOf(pure, alg, key, m);
        assert.equal(a, hmacOf(host, alg, key, m), `${name} key ${key.length} msg ${m.length}`);
        assert.equal(a, createHmac(name, key).update(m).digest("hex"));
      }
    }
  });

  it("HKDF and the TLS PRF, random inputs", () => {
    for (const { alg, name } of ALGS) {
      for (let i = 0; i < 30; i++) {
        const salt = randomBytes(rnd(100)), ikm = randomBytes(rnd(100)), info = randomBytes(rnd(100)), len = rnd(300);
        const a = hkdfOf(pure, alg, salt, ikm, info, len);
        assert.equal(a, hkdfOf(host, alg, salt, ikm, info, len));
        assert.equal(a, toHex(new Uint8Array(hkdfSync(name, ikm, salt, info, len))));
        if (alg !== SHA1) {
          const secret = randomBytes(rnd(100)), seed = randomBytes(rnd(100));
          assert.equal(prfOf(pure, alg, secret, "key expansion", seed, len), prfOf(host, alg, secret, "key expansion", seed, len));
        }
      }
    }
  });
});

// The host entry with its hash imports wrapped to count live host contexts.
function countingHostEntry(): { e: Entry; live: () => number } {
  const memory = new CoreMemory();
  const imports = coreImports(memory) as { wasmpeer: Record<string, (...a: number[]) => number | void> };
  const w = imports.wasmpeer;
  let live = 0;
  for (const [name, delta] of [["hash_new", 1], ["hash_clone", 1], ["hash_final", -1]] as const) {
    const f = w[name];
    w[name] = (...a: number[]) => {
      live += delta;
      return f(...a);
    };
  }
  const module = new WebAssembly.Module(readFileSync(resolve(projectRoot(), "build/test/entry_hash-host.wasm")));
  const instance = new WebAssembly.Instance(module, imports as WebAssembly.Imports);
  const exports = instance.exports as Record<string, any>;
  memory.memory = exports.memory as WebAssembly.Memory;
  exports._initialize?.();
  return { e: new Entry({ instance, exports, memory }), live: () => live };
}

describe("host build: every host hash context is released", () => {
  const { e, live } = countingHostEntry();
  const m = randomBytes(300), key = randomBytes(100);

  it("after digests, streaming, clones, copyFrom and bad ranges", () => {
    for (const { alg, len } of ALGS) {
      const p = e.put(m), out = e.alloc(3 * len);
      e.x.hash_digest(alg, p, m.length, out);
      e.x.hash_split(alg, p, m.length, 10, 200, out);
      e.x.hash_clone(alg, p, m.length, 100, out);
      e.x.hash_copy_from(alg, p, m.length, 100, out);
      e.x.hash_bad_ranges(alg, out);
      e.free(p, out);
      assert.equal(live(), 0, `alg ${alg}`);
    }
  });

  it("after HMACs (one-shot, reused then disposed, verified), HKDF and the PRF", () => {
    for (const { alg, len } of ALGS) {
      const out = e.alloc(2 * len);
      withInputs(e, [key, m], (k, p) => {
        e.x.hmac_once(alg, k, key.length, p, m.length, out);
        assert.equal(toHex(e.get(out, len)), createHmac(ALGS[alg - 1].name, key).update(m).digest("hex"));
        e.x.hmac_compute(alg, k, key.length, p, m.length, out);
        e.x.hmac_reuse(alg, k, key.length, p, m.length, 30, p, 20, out);
        e.x.hmac_verify(alg, k, key.length, p, m.length, out, len);
      });
      e.free(out);
      hkdfOf(e, alg, key, m, key, 100);
      if (alg !== SHA1) prfOf(e, alg, key, "master secret", m, 48);
      assert.equal(live(), 0, `alg ${alg}`);
    }
  });
});
