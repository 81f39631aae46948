// STUN codec against RFC 5769, real browser traffic (pion's frombrowsers.csv), MD5 (RFC 1321 A.5), and hostile input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createHash } from "node:crypto";
import { loadEntry, PROVIDERS, toHex, type Entry } from "../helpers/entry.js";
import { projectRoot } from "../../host/core.js";

const h = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));

// RFC 5769 §2.1-2.4 as printed there (padding in 2.1-2.3 is 0x20 on purpose).
const RFC5769 = {
  request: h(`00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
    80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
    00 24 00 04 6e 00 01 ff
    80 29 00 08 93 2f f9 b1 51 26 3b 36
    00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
    00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
    80 28 00 04 e5 7a 3b cf`),
  ipv4: h(`01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
    80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
    00 20 00 08 00 01 a1 47 e1 12 a6 43
    00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
    80 28 00 04 c0 7d 4c 96`),
  ipv6: h(`01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
    80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
    00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
    00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
    80 28 00 04 c8 fb 0b 4c`),
  longTerm: h(`00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
    00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
    00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
    00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
    00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66`),
};
const SHORT_TERM = new TextEncoder().encode("VOkJxbRl1RmTxUk/WvJxBt");
const USERNAME_LT = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";

const OK = 0, INTEGRITY_OK = 1, INTEGRITY_BAD = 2;

function parse(e: Entry, bytes: Uint8Array): number {
  const p = e.put(bytes);
  try {
    return e.x.stun_parse(p, bytes.length);
  } finally {
    e.free(p);
  }
}

function integrity(e: Entry, key: Uint8Array, sha1Only = false): number {
  const p = e.put(key);
  try {
    return sha1Only ? e.x.stun_check_integrity_sha1(p, key.length) : e.x.stun_check_integrity(p, key.length);
  } finally {
    e.free(p);
  }
}

function address(e: Entry, type: number): { family: number; port: number; ip: Uint8Array } | null {
  const out = e.alloc(19);
  try {
    if (!e.x.stun_address(type, out)) return null;
    const b = e.get(out, 19);
    return { family: b[0], port: (b[1] << 8) | b[2], ip: b.subarray(3, b[0] == 1 ? 7 : 19) };
  } finally {
    e.free(out);
  }
}

function longTermKey(e: Entry, user: string, realm: string, pass: string): Uint8Array {
  const enc = new TextEncoder();
  const [u, r, p] = [enc.encode(user), enc.encode(realm), enc.encode(pass)];
  const pu = e.put(u), pr = e.put(r), pp = e.put(p), out = e.alloc(16);
  try {
    e.x.stun_long_term_key(pu, u.length, pr, r.length, pp, p.length, out);
    return e.get(out, 16);
  } finally {
    e.free(pu, pr, pp, out);
  }
}

function rebuild(e: Entry, which: number): Uint8Array {
  const out = e.alloc(512);
  try {
    const n = e.x.stun_rebuild_5769(which, out, 512);
    assert.ok(n > 0);
    return e.get(out, n);
  } finally {
    e.free(out);
  }
}

// A small deterministic PRNG (xorshift32) so fuzz failures reproduce.
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

// CRC-64/ISO (reflected poly 0xD800000000000000), what pion's csv "crc" column holds.
function crc64iso(data: Uint8Array): bigint {
  const poly = 0xd800000000000000n;
  let crc = 0xffffffffffffffffn;
  for (const b of data) {
    crc ^= BigInt(b);
    for (let i = 0; i < 8; i++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc ^ 0xffffffffffffffffn;
}

for (const provider of PROVIDERS) {
  const e = loadEntry("entry_stun", provider);

  test(`[${provider}] RFC 5769 §2.1 sample request: parse, integrity, fingerprint, re-encode`, () => {
    assert.equal(parse(e, RFC5769.request), OK);
    assert.equal(e.x.stun_type(), 0x0001);
    assert.equal(e.x.stun_has_fingerprint(), 1);
    // SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME (MI and FINGERPRINT are kept apart)
    assert.deepEqual([0, 1, 2, 3].map((i) => e.x.stun_attr_type(i)), [0x8022, 0x0024, 0x8029, 0x0006]);
    assert.equal(integrity(e, SHORT_TERM), INTEGRITY_OK);
    assert.equal(integrity(e, new TextEncoder().encode("VOkJxbRl1RmTxUk/WvJxBT")), INTEGRITY_BAD);
    assert.equal(toHex(rebuild(e, 1)), toHex(RFC5769.request));
  });

  test(`[${provider}] RFC 5769 §2.2 IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853`, () => {
    assert.equal(parse(e, RFC5769.ipv4), OK);
    assert.equal(e.x.stun_type(), 0x0101);
    assert.deepEqual(address(e, 0x0020), { family: 1, port: 32853, ip: new Uint8Array([192, 0, 2, 1]) });
    assert.equal(integrity(e, SHORT_TERM), INTEGRITY_OK);
    assert.equal(toHex(rebuild(e, 2)), toHex(RFC5769.ipv4));
  });

  test(`[${provider}] RFC 5769 §2.3 IPv6 response: [2001:db8:1234:5678:11:2233:4455:6677]:32853`, () => {
    assert.equal(parse(e, RFC5769.ipv6), OK);
    const a = address(e, 0x0020)!;
    assert.equal(a.family, 2);
    assert.equal(a.port, 32853);
    assert.equal(toHex(a.ip), "20010db8123456780011223344556677");
    assert.equal(integrity(e, SHORT_TERM), INTEGRITY_OK);
    assert.equal(toHex(rebuild(e, 3)), toHex(RFC5769.ipv6));
  });

  test(`[${provider}] RFC 5769 §2.4 long-term credentials: key = MD5(user:realm:pass), integrity, re-encode`, () => {
    assert.equal(parse(e, RFC5769.longTerm), OK);
    assert.equal(e.x.stun_has_fingerprint(), 0);
    const key = longTermKey(e, USERNAME_LT, "example.org", "TheMatrIX");
    const expect = createHash("md5").update(`${USERNAME_LT}:example.org:TheMatrIX`, "utf8").digest();
    assert.equal(toHex(key), expect.toString("hex"));
    assert.equal(integrity(e, key), INTEGRITY_OK);
    assert.equal(integrity(e, longTermKey(e, USERNAME_LT, "example.org", "thematrix")), INTEGRITY_BAD);
    assert.equal(toHex(rebuild(e, 4)), toHex(RFC5769.longTerm));
  });

  test(`[${provider}] RFC 1321 A.5 MD5 vectors, and agreement with node:crypto`, () => {
    const vectors: [string, string][] = [
      ["", "d41d8cd98f00b204e9800998ecf8427e"],
      ["a", "0cc175b9c0f1b6a831c399e269772661"],
      ["abc", "900150983cd24fb0d6963f7d28e17f72"],
      ["message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
      ["abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"],
      ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"],
      ["12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"],
    ];
    const md5 = (data: Uint8Array) => {
      const p = e.put(data), out = e.alloc(16);
      e.x.md5_digest(p, data.length, out);
      const d = e.get(out, 16);
      e.free(p, out);
      return toHex(d);
    };
    for (const [m, d] of vectors) assert.equal(md5(new TextEncoder().encode(m)), d, m);
    const rnd = prng(5);
    for (let n = 0; n < 300; n++) {
      const data = new Uint8Array(n).map(() => rnd() & 255);
      assert.equal(md5(data), createHash("md5").update(data).digest("hex"), `length ${n}`);
    }
  });

  test(`[${provider}] browser Binding requests (frombrowsers.csv) parse with a valid FINGERPRINT`, () => {
    const csv = readFileSync(resolve(projectRoot(), "test/vectors/stun/frombrowsers.csv"), "utf8");
    let seen = 0;
    for (const line of csv.split("\n")) {
      if (!line || line.startsWith("#") || line.startsWith("ip,")) continue;
      const [, b64, crc, browser, version] = line.split(",");
      const data = new Uint8Array(Buffer.from(b64, "base64"));
      // the csv's crc column is CRC-64/ISO of the decoded bytes: proves the decode, not the STUN
      assert.equal(crc64iso(data), BigInt(crc), `${browser} ${version} decode`);
      assert.equal(parse(e, data), OK, `${browser} ${version}`);
      assert.equal(e.x.stun_type(), 0x0001);
      // Firefox ends with FINGERPRINT (now checked by the parse); Chrome 55 sent none.
      const n = data.length;
      const hasFp = n >= 28 && data[n - 8] == 0x80 && data[n - 7] == 0x28;
      assert.equal(e.x.stun_has_fingerprint(), hasFp ? 1 : 0, `${browser} ${version}`);
      seen++;
    }
    assert.ok(seen >= 10, `only ${seen} lines`);
  });

  test(`[${provider}] truncated at every length and every single-byte flip: dropped, never a trap`, () => {
    const ltKey = longTermKey(e, USERNAME_LT, "example.org", "TheMatrIX");
    for (const [name, v] of Object.entries(RFC5769)) {
      const key = name == "longTerm" ? ltKey : SHORT_TERM;
      // MESSAGE-INTEGRITY's end: bytes after it are not covered (RFC 8489 §14.5)
      const covered = name == "longTerm" ? v.length : v.length - 8;
      for (let n = 0; n < v.length; n++) assert.notEqual(parse(e, v.subarray(0, n)), OK, `truncated to ${n}`);
      for (let i = 0; i < v.length; i++) {
        const bad = v.slice();
        bad[i] ^= 0x01;
        // With FINGERPRINT a flip is caught at parse; else by MESSAGE-INTEGRITY. A flip in
        // FINGERPRINT's own type makes it an unknown optional attribute after MESSAGE-INTEGRITY,
        // ignored, and what is left is still authentic.
        if (parse(e, bad) == OK && integrity(e, key, true) == INTEGRITY_OK) assert.ok(i >= covered, `${name}: flip at ${i}`);
        e.x.stun_probe();
      }
    }
  });

  test(`[${provider}] length lies: header length vs datagram, attribute length past the end`, () => {
    const v = RFC5769.ipv4;
    const longer = new Uint8Array([...v, 0, 0, 0, 0]);
    assert.equal(parse(e, longer), 3, "datagram longer than the length field");
    const hdr = v.slice();
    hdr[3] += 4;
    assert.equal(parse(e, hdr), 3, "length field longer than the datagram");
    const odd = v.slice();
    odd[3] -= 1;
    assert.equal(parse(e, odd.subarray(0, odd.length - 1)), 3, "length not a multiple of 4");
    const lie = v.slice();
    lie[22] = 0xff; // SOFTWARE claims 0xff0b bytes
    assert.equal(parse(e, lie), 4);
    const cookie = v.slice();
    cookie[4] ^= 0xff;
    assert.equal(parse(e, cookie), 2);
    const top = v.slice();
    top[0] |= 0x80;
    assert.equal(parse(e, top), 2);
    // a MESSAGE-INTEGRITY of the wrong size
    const mi = RFC5769.longTerm.slice();
    mi[79] = 0x10;
    assert.notEqual(parse(e, mi), OK);
  });

  test(`[${provider}] unknown comprehension-required attribute gets a 420; optional ones (0xC057) are skipped`, () => {
    const base = h("00010010 2112a442 000102030405060708090a0b");
    const withAttr = (type: number) => {
      const m = new Uint8Array(20 + 16);
      m.set(base.subarray(0, 20));
      m[2] = 0; m[3] = 16;
      m.set([type >> 8, type & 255, 0, 4, 1, 2, 3, 4], 20);
      m.set([0x00, 0x24, 0, 4, 0x6e, 0, 1, 0xff], 28); // PRIORITY
      return m;
    };
    assert.equal(parse(e, withAttr(0xc057)), OK);
    const out = e.alloc(256);
    assert.equal(e.x.stun_unknown_response(out, 256), 0);
    assert.equal(parse(e, withAttr(0x7777)), OK);
    const n = e.x.stun_unknown_response(out, 256);
    assert.ok(n > 0);
    const resp = e.get(out, n);
    e.free(out);
    assert.equal(toHex(resp.subarray(8, 20)), "000102030405060708090a0b");
    assert.equal(parse(e, resp), OK);
    assert.equal(e.x.stun_type(), 0x0111);
    assert.equal(e.x.stun_error_code(), 420);
    // UNKNOWN-ATTRIBUTES lists 0x7777
    assert.ok(toHex(resp).includes("000a00027777"));
  });

  test(`[${provider}] seeded fuzz: random TLV soup and random bytes never trap`, () => {
    const rnd = prng(0x5eed);
    const tid = h("0102030405060708090a0b0c");
    for (let i = 0; i < 4000; i++) {
      let buf: Uint8Array;
      if (i % 2 == 0) {
        buf = new Uint8Array(rnd() % 100).map(() => rnd() & 255);
      } else {
        const body = new Uint8Array(4 * (rnd() % 24));
        for (let k = 0; k < body.length; k++) body[k] = rnd() & 255;
        // keep some TLV headers plausible: small lengths, known types
        for (let k = 0; k + 4 <= body.length; k += 8) {
          const types = [0x0001, 0x0020, 0x0008, 0x8028, 0x0009, 0x000a, 0x001c, 0x0012, 0x0016, 0x0019];
          const t = types[rnd() % types.length];
          body[k] = t >> 8; body[k + 1] = t & 255; body[k + 2] = 0; body[k + 3] = rnd() % 24;
        }
        buf = new Uint8Array(20 + body.length);
        buf.set([0, 1, body.length >> 8, body.length & 255, 0x21, 0x12, 0xa4, 0x42]);
        buf.set(tid, 8);
        buf.set(body, 20);
      }
      parse(e, buf);
      e.x.stun_probe();
    }
  });
}
