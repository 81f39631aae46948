// AES (FIPS 197), AES-CTR (SP 800-38A) and AES-GCM (SP 800-38D) for both crypto providers:
// published vectors, every Wycheproof aes_gcm case, tampering, in-place and odd lengths, bad
// ranges, and a cross-check of the pure provider against the host one on random inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createCipheriv, randomBytes, randomInt } from "node:crypto";
import { projectRoot } from "../../host/core.js";
import { loadEntry, PROVIDERS, hex, toHex, type Entry } from "../helpers/entry.js";

class AesEntry {
  constructor(public e: Entry) {}

  block(key: Uint8Array, input: Uint8Array): string | null {
    const { e } = this;
    const pk = e.put(key), pi = e.put(input), po = e.alloc(16);
    const ok = e.x.aes_block(pk, key.length, pi, po);
    const r = ok ? toHex(e.get(po, 16)) : null;
    e.free(pk, pi, po);
    return r;
  }

  // encryptBlock with explicit offsets into buffers of any size; returns the output buffer.
  blockAt(key: Uint8Array, input: Uint8Array, inOff: number, out: Uint8Array, outOff: number): Uint8Array {
    const { e } = this;
    const pk = e.put(key), pi = e.put(input), po = e.put(out);
    e.x.aes_block_at(pk, key.length, pi, input.length, inOff, po, out.length, outOff);
    const r = e.get(po, out.length);
    e.free(pk, pi, po);
    return r;
  }

  ctrNew(key: Uint8Array): number {
    const pk = this.e.put(key);
    const h = this.e.x.ctr_new(pk, key.length);
    this.e.free(pk);
    return h;
  }

  // Returns the whole out buffer (null when xor refused) and the counter as seen afterwards.
  ctr(h: number, counter: Uint8Array, input: Uint8Array, inOff = 0, out = new Uint8Array(input.length), outOff = 0,
    len = input.length - inOff): { out: Uint8Array | null; counter: string; untouched: boolean } {
    const { e } = this;
    const pc = e.put(counter), pi = e.put(input), po = e.put(out);
    const ok = e.x.ctr_xor(h, pc, counter.length, pi, input.length, inOff, po, out.length, outOff, len);
    const got = e.get(po, out.length);
    const r = { out: ok ? got : null, counter: toHex(e.get(pc, counter.length)), untouched: toHex(got) === toHex(out) };
    e.free(pc, pi, po);
    return r;
  }

  ctrInPlace(h: number, counter: Uint8Array, buf: Uint8Array, off: number, len: number): Uint8Array | null {
    const { e } = this;
    const pc = e.put(counter), pb = e.put(buf);
    const ok = e.x.ctr_xor_inplace(h, pc, pb, buf.length, off, len);
    const r = ok ? e.get(pb, buf.length) : null;
    e.free(pc, pb);
    return r;
  }

  gcmNew(key: Uint8Array): number {
    const pk = this.e.put(key);
    const h = this.e.x.gcm_new(pk, key.length);
    this.e.free(pk);
    return h;
  }

  seal(h: number, iv: Uint8Array, aad: Uint8Array, pt: Uint8Array, outLen = pt.length, tagLen = 16):
    { ok: boolean; ct: string; tag: string; out: Uint8Array } {
    const { e } = this;
    const pv = e.put(iv), pa = e.put(aad), pp = e.put(pt);
    const out = new Uint8Array(outLen).fill(0xa5), po = e.put(out), pt2 = e.put(new Uint8Array(tagLen));
    const ok = e.x.gcm_seal(h, pv, iv.length, pa, aad.length, pp, pt.length, po, outLen, pt2, tagLen) === 1;
    const o = e.get(po, outLen);
    const r = { ok, ct: toHex(o.subarray(0, pt.length)), tag: toHex(e.get(pt2, tagLen)), out: o };
    e.free(pv, pa, pp, po, pt2);
    return r;
  }

  // out starts filled with 0xa5 so that zeroing on failure is visible.
  open(h: number, iv: Uint8Array, aad: Uint8Array, ct: Uint8Array, tag: Uint8Array, outLen = ct.length):
    { ok: boolean; pt: string; out: Uint8Array } {
    const { e } = this;
    const pv = e.put(iv), pa = e.put(aad), pc = e.put(ct), ptag = e.put(tag);
    const po = e.put(new Uint8Array(outLen).fill(0xa5));
    const ok = e.x.gcm_open(h, pv, iv.length, pa, aad.length, pc, ct.length, ptag, tag.length, po, outLen) === 1;
    const out = e.get(po, outLen);
    e.free(pv, pa, pc, ptag, po);
    return { ok, pt: toHex(out.subarray(0, ct.length)), out };
  }

  sealInPlace(h: number, iv: Uint8Array, aad: Uint8Array, pt: Uint8Array): { ok: boolean; ct: string; tag: string } {
    const { e } = this;
    const pv = e.put(iv), pa = e.put(aad), pb = e.put(pt), ptag = e.alloc(16);
    const ok = e.x.gcm_seal_inplace(h, pv, iv.length, pa, aad.length, pb, pt.length, ptag) === 1;
    const r = { ok, ct: toHex(e.get(pb, pt.length)), tag: toHex(e.get(ptag, 16)) };
    e.free(pv, pa, pb, ptag);
    return r;
  }

  openInPlace(h: number, iv: Uint8Array, aad: Uint8Array, ct: Uint8Array, tag: Uint8Array): { ok: boolean; pt: Uint8Array } {
    const { e } = this;
    const pv = e.put(iv), pa = e.put(aad), pb = e.put(ct), ptag = e.put(tag);
    const ok = e.x.gcm_open_inplace(h, pv, iv.length, pa, aad.length, pb, ct.length, ptag) === 1;
    const r = { ok, pt: e.get(pb, ct.length) };
    e.free(pv, pa, pb, ptag);
    return r;
  }
}

// Independent references from node:crypto (OpenSSL).
function nodeCtr(key: Uint8Array, counter: Uint8Array, data: Uint8Array): string {
  return toHex(createCipheriv(`aes-${key.length * 8}-ctr`, key, counter).update(data));
}

function nodeGcm(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, pt: Uint8Array): { ct: string; tag: string } {
  const c = createCipheriv(`aes-${key.length * 8}-gcm` as "aes-128-gcm", key, iv, { authTagLength: 16 });
  c.setAAD(aad);
  const ct = c.update(pt);
  c.final();
  return { ct: toHex(ct), tag: toHex(c.getAuthTag()) };
}

const zeros = (n: number) => new Uint8Array(n);
const flip = (b: Uint8Array, bit: number) => {
  const c = b.slice();
  c[bit >> 3] ^= 0x80 >> (bit & 7);
  return c;
};

// FIPS 197 Appendix C.1–C.3.
const FIPS197 = [
  ["000102030405060708090a0b0c0d0e0f", "69c4e0d86a7b0430d8cdb78070b4c55a"],
  ["000102030405060708090a0b0c0d0e0f1011121314151617", "dda97ca4864cdfe06eaf70a0ec0d7191"],
  ["000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "8ea2b7ca516745bfeafc49904b496089"],
];
const FIPS197_PT = "00112233445566778899aabbccddeeff";

// SP 800-38A Appendix F.5.1, F.5.3, F.5.5 (CTR-AES128/192/256.Encrypt); F.5.2/4/6 are their inverses.
const SP800_38A_COUNTER = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
const SP800_38A_PT = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51" +
  "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
const SP800_38A_CTR = [
  ["2b7e151628aed2a6abf7158809cf4f3c",
    "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff" +
    "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee"],
  ["8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
    "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e94" +
    "1e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050"],
  ["603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
    "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5" +
    "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6"],
];

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", Appendix B, Test Cases 1–18.
const K0 = "00000000000000000000000000000000";
const KF = "feffe9928665731c6d6a8f9467308308";
const P64 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" +
  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
const P60 = P64.slice(0, 120);
const A20 = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
const IV0 = "000000000000000000000000";
const IV96 = "cafebabefacedbaddecaf888";
const IV64 = "cafebabefacedbad";
const IV480 = "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728" +
  "c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b";
// [case, key, iv, aad, plaintext, ciphertext, tag]
const GCM_SPEC: [number, string, string, string, string, string, string][] = [
  [1, K0, IV0, "", "", "", "58e2fccefa7e3061367f1d57a4e7455a"],
  [2, K0, IV0, "", K0, "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf"],
  [3, KF, IV96, "", P64, "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e" +
    "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985", "4d5c2af327cd64a62cf35abd2ba6fab4"],
  [4, KF, IV96, A20, P60, "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e" +
    "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091", "5bc94fbc3221a5db94fae95ae7121a47"],
  [5, KF, IV64, A20, P60, "61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c7423" +
    "73806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598", "3612d2e79e3b0785561be14aaca2fccb"],
  [6, KF, IV480, A20, P60, "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7" +
    "01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5", "619cc5aefffe0bfa462af43c1699d050"],
  [7, K0 + K0.slice(16), IV0, "", "", "", "cd33b28ac773f74ba00ed1f312572435"],
  [8, K0 + K0.slice(16), IV0, "", K0, "98e7247c07f0fe411c267e4384b0f600", "2ff58d80033927ab8ef4d4587514f0fb"],
  [9, KF + KF.slice(0, 16), IV96, "", P64, "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c" +
    "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256", "9924a7c8587336bfb118024db8674a14"],
  [10, KF + KF.slice(0, 16), IV96, A20, P60, "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c" +
    "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710", "2519498e80f1478f37ba55bd6d27618c"],
  [11, KF + KF.slice(0, 16), IV64, A20, P60, "0f10f599ae14a154ed24b36e25324db8c566632ef2bbb34f8347280fc4507057" +
    "fddc29df9a471f75c66541d4d4dad1c9e93a19a58e8b473fa0f062f7", "65dcc57fcf623a24094fcca40d3533f8"],
  [12, KF + KF.slice(0, 16), IV480, A20, P60, "d27e88681ce3243c4830165a8fdcf9ff1de9a1d8e6b447ef6ef7b79828666e45" +
    "81e79012af34ddd9e2f037589b292db3e67c036745fa22e7e9b7373b", "dcf566ff291c25bbb8568fc3d376a6d9"],
  [13, K0 + K0, IV0, "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"],
  [14, K0 + K0, IV0, "", K0, "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"],
  [15, KF + KF, IV96, "", P64, "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa" +
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad", "b094dac5d93471bdec1a502270e3cc6c"],
  [16, KF + KF, IV96, A20, P60, "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa" +
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662", "76fc6ece0f4e1768cddf8853bb2d551b"],
  [17, KF + KF, IV64, A20, P60, "c3762df1ca787d32ae47c13bf19844cbaf1ae14d0b976afac52ff7d79bba9de0" +
    "feb582d33934a4f0954cc2363bc73f7862ac430e64abe499f47c9b1f", "3a337dbf46a792c45e454913fe2ea8f2"],
  [18, KF + KF, IV480, A20, P60, "5a8def2f0c9e53f1f75d7853659e2a20eeb2b22aafde6419a058ab4f6f746bf4" +
    "0fc0c3b780f244452da3ebf1c5d82cdea2418997200ef82e44ae7e3f", "a44a8266ee1c8eb0c8b5d4cf5ae9f19a"],
];

interface WycheproofCase { tcId: number; comment: string; flags: string[]; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: string }
const wycheproof = JSON.parse(readFileSync(resolve(projectRoot(), "test/vectors/wycheproof/aes_gcm_test.json"), "utf8"));
const wycheproofCases: WycheproofCase[] = wycheproof.testGroups.flatMap((g: { tests: WycheproofCase[] }) => g.tests);

for (const provider of PROVIDERS) {
  const a = new AesEntry(loadEntry("entry_aes", provider));

  test(`${provider}: FIPS 197 Appendix C.1–C.3`, () => {
    for (const [key, ct] of FIPS197) assert.equal(a.block(hex(key), hex(FIPS197_PT)), ct, key);
  });

  test(`${provider}: encryptBlock honours offsets, refuses bad ranges and bad keys without writing`, () => {
    const key = hex(FIPS197[0][0]);
    const input = new Uint8Array(40);
    input.set(hex(FIPS197_PT), 7);
    const out = a.blockAt(key, input, 7, new Uint8Array(30), 13);
    assert.equal(toHex(out.subarray(13, 29)), FIPS197[0][1]);
    assert.equal(toHex(out.subarray(0, 13)) + toHex(out.subarray(29)), "00".repeat(14));
    for (const [inOff, outOff, outLen] of [[-1, 0, 16], [25, 0, 16], [0, -1, 16], [0, 1, 16], [0, 0, 15], [0x7fffffff, 0, 16]]) {
      const o = a.blockAt(key, input, inOff, new Uint8Array(outLen), outOff);
      assert.equal(toHex(o), "00".repeat(outLen), `${inOff} ${outOff} ${outLen}`);
    }
    for (const n of [0, 1, 15, 17, 20, 31, 33, 64]) {
      assert.equal(a.block(new Uint8Array(n), zeros(16)), null, `key length ${n}`);
      assert.equal(toHex(a.blockAt(new Uint8Array(n), zeros(16), 0, new Uint8Array(16), 0)), "00".repeat(16));
    }
  });

  test(`${provider}: SP 800-38A F.5.1/F.5.3/F.5.5 CTR encrypt and F.5.2/F.5.4/F.5.6 decrypt`, () => {
    for (const [key, ct] of SP800_38A_CTR) {
      const h = a.ctrNew(hex(key));
      assert.equal(a.e.x.ctr_ok(h), 1);
      const enc = a.ctr(h, hex(SP800_38A_COUNTER), hex(SP800_38A_PT));
      assert.equal(toHex(enc.out!), ct, key);
      assert.equal(enc.counter, SP800_38A_COUNTER, "the counter block is not modified");
      assert.equal(toHex(a.ctr(h, hex(SP800_38A_COUNTER), hex(ct)).out!), SP800_38A_PT, key);
    }
  });

  test(`${provider}: CTR odd lengths, offsets, in place, counters across 2^32 and 2^128`, () => {
    const counters = [
      "000102030405060708090a0b0c0d0e0f",
      "0000000000000000000000fffffffffd",
      "ffffffffffffffffffffffffffffffff",
      "fffffffffffffffffffffffffffffffe",
      "000000000000000000000000ffffffff",
      "0123456789abcdefffffffffffffffff",
    ].map(hex);
    for (const keyLen of [16, 24, 32]) {
      const key = randomBytes(keyLen);
      const h = a.ctrNew(key);
      for (const counter of counters) {
        for (const len of [0, 1, 15, 16, 17, 63, 64, 65, 100, 1200, 16384]) {
          const data = randomBytes(len + 9);
          const want = nodeCtr(key, counter, data.subarray(5, 5 + len));
          const r = a.ctr(h, counter, data, 5, new Uint8Array(len + 3), 2, len);
          assert.equal(toHex(r.out!.subarray(2, 2 + len)), want, `len ${len}`);
          assert.equal(toHex(r.out!.subarray(0, 2)) + toHex(r.out!.subarray(2 + len)), "00".repeat(3));
          const inPlace = a.ctrInPlace(h, counter, data, 5, len)!;
          assert.equal(toHex(inPlace.subarray(5, 5 + len)), want, `in place, len ${len}`);
          assert.equal(toHex(inPlace.subarray(0, 5)) + toHex(inPlace.subarray(5 + len)),
            toHex(data.subarray(0, 5)) + toHex(data.subarray(5 + len)));
        }
      }
    }
  });

  test(`${provider}: CTR refuses bad ranges, short counters and bad keys without writing`, () => {
    const h = a.ctrNew(randomBytes(16));
    const counter = randomBytes(16);
    const input = randomBytes(32);
    const bad: [Uint8Array, number, number, number, number][] = [
      [counter.subarray(0, 15), 0, 32, 0, 32],
      [counter, -1, 32, 0, 10],
      [counter, 0, 32, -1, 10],
      [counter, 0, 32, 0, -1],
      [counter, 0, 31, 0, 32],
      [counter, 1, 32, 0, 32],
      [counter, 0, 32, 1, 32],
      [counter, 0x7fffffff, 32, 0, 2],
      [counter, 0, 32, 0x7fffffff, 2],
    ];
    for (const [c, inOff, outLen, outOff, len] of bad) {
      const r = a.ctr(h, c, input, inOff, new Uint8Array(outLen), outOff, len);
      assert.equal(r.out, null, `${c.length} ${inOff} ${outLen} ${outOff} ${len}`);
      assert.ok(r.untouched);
    }
    for (const n of [0, 8, 17, 31, 33]) {
      const hb = a.ctrNew(new Uint8Array(n));
      assert.equal(a.e.x.ctr_ok(hb), 0);
      const r = a.ctr(hb, counter, input);
      assert.equal(r.out, null);
      assert.ok(r.untouched);
    }
  });

  test(`${provider}: GCM spec Test Cases 1–18 (McGrew & Viega, Appendix B)`, () => {
    for (const [n, key, iv, aad, pt, ct, tag] of GCM_SPEC) {
      const h = a.gcmNew(hex(key));
      assert.equal(a.e.x.gcm_ok(h), 1);
      const s = a.seal(h, hex(iv), hex(aad), hex(pt));
      assert.ok(s.ok, `case ${n}`);
      assert.equal(s.ct, ct, `case ${n} ciphertext`);
      assert.equal(s.tag, tag, `case ${n} tag`);
      const o = a.open(h, hex(iv), hex(aad), hex(ct), hex(tag));
      assert.ok(o.ok, `case ${n} open`);
      assert.equal(o.pt, pt, `case ${n} plaintext`);
    }
  });

  test(`${provider}: Wycheproof aes_gcm_test.json, all ${wycheproofCases.length} cases`, () => {
    assert.equal(wycheproofCases.length, wycheproof.numberOfTests);
    const handles = new Map<string, number>();
    const counts = { valid: 0, invalid: 0 };
    for (const c of wycheproofCases) {
      const label = `tcId ${c.tcId} (${c.comment}; ${c.flags.join(",")})`;
      let h = handles.get(c.key);
      if (h === undefined) handles.set(c.key, h = a.gcmNew(hex(c.key)));
      const [iv, aad, msg, ct, tag] = [c.iv, c.aad, c.msg, c.ct, c.tag].map(hex);
      const o = a.open(h, iv, aad, ct, tag);
      if (c.result === "valid") {
        const s = a.seal(h, iv, aad, msg);
        assert.ok(s.ok, label);
        assert.equal(s.ct + s.tag, c.ct + c.tag, label);
        assert.ok(o.ok, label);
        assert.equal(o.pt, c.msg, label);
        counts.valid++;
      } else {
        assert.equal(c.result, "invalid", label);
        assert.equal(o.ok, false, label);
        assert.equal(o.pt, "00".repeat(ct.length), `${label}: out zeroed`);
        if (iv.length === 0) assert.equal(a.seal(h, iv, aad, msg).ok, false, `${label}: seal refuses an empty IV`);
        counts.invalid++;
      }
    }
    assert.deepEqual(counts, { valid: 229, invalid: 87 });
    a.e.x.release_all();
  });

  test(`${provider}: GCM open fails and zeroes out for a flipped bit in ciphertext, tag, aad or iv`, () => {
    for (const [keyLen, ivLen] of [[16, 12], [24, 8], [32, 60], [16, 1]]) {
      const key = randomBytes(keyLen), iv = randomBytes(ivLen), aad = randomBytes(21), pt = randomBytes(77);
      const h = a.gcmNew(key);
      const s = a.seal(h, iv, aad, pt);
      const ct = hex(s.ct), tag = hex(s.tag);
      assert.ok(a.open(h, iv, aad, ct, tag).ok);
      const tampered: [string, Uint8Array, Uint8Array, Uint8Array, Uint8Array][] = [];
      for (const bit of [0, 7, 300, 77 * 8 - 1]) tampered.push([`ct bit ${bit}`, iv, aad, flip(ct, bit), tag]);
      for (const bit of [0, 64, 127]) tampered.push([`tag bit ${bit}`, iv, aad, ct, flip(tag, bit)]);
      for (const bit of [0, 167]) tampered.push([`aad bit ${bit}`, iv, flip(aad, bit), ct, tag]);
      for (const bit of [0, ivLen * 8 - 1]) tampered.push([`iv bit ${bit}`, flip(iv, bit), aad, ct, tag]);
      tampered.push(["aad dropped", iv, new Uint8Array(0), ct, tag]);
      tampered.push(["ct truncated", iv, aad, ct.subarray(0, 76), tag]);
      for (const [what, v, ad, c, t] of tampered) {
        const o = a.open(h, v, ad, c, t, c.length + 4);
        assert.equal(o.ok, false, what);
        assert.equal(o.pt, "00".repeat(c.length), `${what}: out zeroed`);
        assert.equal(toHex(o.out.subarray(c.length)), "a5".repeat(4), `${what}: nothing past the plaintext`);
        const ip = a.openInPlace(h, v, ad, c, t);
        assert.equal(ip.ok, false, `${what} in place`);
        assert.equal(toHex(ip.pt), "00".repeat(c.length), `${what}: in place zeroed`);
      }
    }
  });

  test(`${provider}: GCM odd lengths, in place, many calls on one object, against node:crypto`, () => {
    for (const keyLen of [16, 24, 32]) {
      const key = randomBytes(keyLen);
      const h = a.gcmNew(key);
      for (const len of [0, 1, 15, 16, 17, 63, 64, 65, 1200, 16384]) {
        for (const ivLen of [12, 1, 16, 13]) {
          const iv = randomBytes(ivLen), aad = randomBytes(len % 37), pt = randomBytes(len);
          const want = nodeGcm(key, iv, aad, pt);
          const s = a.seal(h, iv, aad, pt, len + 5, 20);
          assert.ok(s.ok);
          assert.equal(s.ct, want.ct, `len ${len} iv ${ivLen}`);
          assert.equal(s.tag.slice(0, 32), want.tag, `len ${len} iv ${ivLen}`);
          assert.equal(toHex(s.out.subarray(len)), "a5".repeat(5), "nothing written past the ciphertext");
          assert.equal(s.tag.slice(32), "00".repeat(4), "nothing written past the tag");
          const ip = a.sealInPlace(h, iv, aad, pt);
          assert.deepEqual({ ok: ip.ok, ct: ip.ct, tag: ip.tag }, { ok: true, ...want });
          const o = a.open(h, iv, aad, hex(want.ct), hex(want.tag), len + 3);
          assert.ok(o.ok);
          assert.equal(o.pt, toHex(pt));
          assert.equal(toHex(o.out.subarray(len)), "a5".repeat(3));
          const oip = a.openInPlace(h, iv, aad, hex(want.ct), hex(want.tag));
          assert.ok(oip.ok);
          assert.equal(toHex(oip.pt), toHex(pt));
        }
      }
    }
    a.e.x.release_all();
  });

  test(`${provider}: GCM refuses empty IVs, short buffers, wrong tag sizes and bad keys without trapping`, () => {
    const key = randomBytes(16), iv = randomBytes(12), aad = randomBytes(3), pt = randomBytes(40);
    const h = a.gcmNew(key);
    const good = nodeGcm(key, iv, aad, pt);
    const empty = new Uint8Array(0);
    assert.equal(a.seal(h, empty, aad, pt).ok, false, "empty IV");
    assert.equal(a.seal(h, empty, aad, pt).ct, "a5".repeat(40), "nothing written for an empty IV");
    assert.equal(a.open(h, empty, aad, hex(good.ct), hex(good.tag)).ok, false);
    assert.equal(a.seal(h, iv, aad, pt, 39).ok, false, "short out");
    assert.equal(a.seal(h, iv, aad, pt, 40, 15).ok, false, "short tag");
    assert.equal(a.seal(h, iv, aad, pt, 40, 15).tag, "00".repeat(15), "nothing written for a short tag");
    assert.equal(a.open(h, iv, aad, hex(good.ct), hex(good.tag), 39).ok, false, "short out");
    assert.equal(a.open(h, iv, aad, hex(good.ct), hex(good.tag).subarray(0, 15)).ok, false, "15-byte tag");
    assert.equal(a.open(h, iv, aad, hex(good.ct), new Uint8Array([...hex(good.tag), 0])).ok, false, "17-byte tag");
    assert.ok(a.open(h, iv, aad, hex(good.ct), hex(good.tag)).ok, "the object still works");
    for (const n of [0, 1, 15, 17, 31, 33]) {
      const hb = a.gcmNew(new Uint8Array(n));
      assert.equal(a.e.x.gcm_ok(hb), 0);
      assert.equal(a.seal(hb, iv, aad, pt).ok, false);
      assert.equal(a.open(hb, iv, aad, hex(good.ct), hex(good.tag)).ok, false);
    }
  });
}

test("pure and host providers agree on random keys, IVs, AADs, plaintexts and counters", () => {
  const pure = new AesEntry(loadEntry("entry_aes", "pure"));
  const host = new AesEntry(loadEntry("entry_aes", "host"));
  for (let i = 0; i < 200; i++) {
    const key = randomBytes([16, 24, 32][i % 3]);
    const ivLen = i % 4 === 0 ? randomInt(1, 80) : 12;
    const iv = randomBytes(ivLen), aad = randomBytes(randomInt(0, 70)), pt = randomBytes(randomInt(0, 300));
    const hp = pure.gcmNew(key), hh = host.gcmNew(key);
    const sp = pure.seal(hp, iv, aad, pt), sh = host.seal(hh, iv, aad, pt);
    assert.ok(sp.ok && sh.ok);
    assert.deepEqual([sp.ct, sp.tag], [sh.ct, sh.tag], `gcm ${i}`);
    assert.equal(pure.open(hp, iv, aad, hex(sh.ct), hex(sh.tag)).pt, toHex(pt));
    assert.equal(host.open(hh, iv, aad, hex(sp.ct), hex(sp.tag)).pt, toHex(pt));

    assert.equal(pure.block(key, pt.subarray(0, 16).length === 16 ? pt.subarray(0, 16) : zeros(16)),
      host.block(key, pt.subarray(0, 16).length === 16 ? pt.subarray(0, 16) : zeros(16)), `block ${i}`);

    // Counters with their low 32 or all 128 bits close to wrapping, and fully random ones.
    const counter = randomBytes(16);
    if (i % 3 === 0) counter.fill(0xff, 12), counter[15] = 0xff - (i % 5);
    if (i % 3 === 1) counter.fill(0xff), counter[15] = 0xff - (i % 5);
    const cp = pure.ctrNew(key), ch = host.ctrNew(key);
    assert.equal(toHex(pure.ctr(cp, counter, pt).out!), toHex(host.ctr(ch, counter, pt).out!), `ctr ${i}`);
    if (i % 20 === 19) pure.e.x.release_all(), host.e.x.release_all();
  }
});
