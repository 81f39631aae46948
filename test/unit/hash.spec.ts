// Fast in-module checks of the hash API: FIPS 180-4 "abc", HMAC reuse, bounds that must not trap.
import { Hash, HashAlg, digest, hashLength, hashBlockLength } from "../../assembly/crypto/hash";
import { Hmac, hmac } from "../../assembly/crypto/hmac";
import { hkdfExpand } from "../../assembly/crypto/hkdf";
import { tlsPrf } from "../../assembly/crypto/prf";
import { crc32 } from "../../assembly/crypto/crc32";
import { crc32c } from "../../assembly/crypto/crc32c";
import { randomBytes } from "../../assembly/crypto/random";

function ascii(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

function toHex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += (<u32>b[i]).toString(16).padStart(2, "0");
  return s;
}

describe("Hash", () => {
  it("has the digest and block sizes of FIPS 180-4", () => {
    expect(hashLength(HashAlg.SHA1)).toBe(20);
    expect(hashLength(HashAlg.SHA256)).toBe(32);
    expect(hashLength(HashAlg.SHA384)).toBe(48);
    expect(hashBlockLength(HashAlg.SHA384)).toBe(128);
    expect(hashLength(<HashAlg>9)).toBe(0);
  });

  it("hashes the FIPS 180-4 'abc' example", () => {
    expect(toHex(digest(HashAlg.SHA1, ascii("abc")))).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(toHex(digest(HashAlg.SHA256, ascii("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(toHex(digest(HashAlg.SHA384, ascii("abc")))).toBe(
      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
  });

  it("ignores bad ranges and writes nothing to a short output", () => {
    const m = ascii("abc");
    const h = new Hash(HashAlg.SHA256);
    h.update(m, -1).update(m, 4).update(m, 1, 3).update(m, 3, 1).update(m, i32.MAX_VALUE, 2).update(m, 1, i32.MAX_VALUE);
    h.update(m, 0, 1).update(m, 1);
    const short = new Uint8Array(31);
    h.clone().finish(short);
    for (let i = 0; i < short.length; i++) expect(short[i]).toBe(0);
    const out = new Uint8Array(40);
    h.clone().finish(out, 9);
    for (let i = 0; i < out.length; i++) expect(out[i]).toBe(0);
    h.finish(out, 8);
    expect(out[7]).toBe(0);
    expect(toHex(out.subarray(8))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(h.finished).toBe(true);
    h.update(m);
    h.finish(out, -4);
  });
});

describe("Hmac", () => {
  it("reuses one keyed Hmac across messages (RFC 4231 case 2)", () => {
    const mac = new Hmac(HashAlg.SHA256, ascii("Jefe"));
    const want = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    const out = new Uint8Array(32);
    for (let i = 0; i < 3; i++) {
      mac.reset().update(ascii("what do ya ")).update(ascii("want for nothing?")).finish(out);
      expect(toHex(out)).toBe(want);
    }
    expect(toHex(hmac(HashAlg.SHA256, ascii("Jefe"), ascii("what do ya want for nothing?")))).toBe(want);
  });

  it("verify rejects bad tag lengths and a second verify without reset", () => {
    const key = ascii("key");
    const tag = hmac(HashAlg.SHA1, key, ascii("msg"));
    const mac = new Hmac(HashAlg.SHA1, key);
    expect(mac.update(ascii("msg")).verify(tag, 0, 10)).toBe(true);
    expect(mac.verify(tag, 0, 10)).toBe(false);
    expect(mac.reset().update(ascii("msg")).verify(tag, 0, 0)).toBe(false);
    expect(mac.reset().update(ascii("msg")).verify(tag, 0, 21)).toBe(false);
    expect(mac.reset().update(ascii("msg")).verify(tag, 15, 10)).toBe(false);
    expect(mac.reset().update(ascii("msg")).verify(tag)).toBe(true);
  });
});

describe("KDFs, checksums, randomness", () => {
  it("hkdfExpand refuses lengths outside 0..255*HashLen", () => {
    const prk = new Uint8Array(32);
    expect(hkdfExpand(HashAlg.SHA256, prk, new Uint8Array(0), -1)).toBeNull();
    expect(hkdfExpand(HashAlg.SHA256, prk, new Uint8Array(0), 255 * 32 + 1)).toBeNull();
    expect(hkdfExpand(HashAlg.SHA256, prk, new Uint8Array(0), 0)!.length).toBe(0);
  });

  it("tlsPrf gives nothing for a non-positive length", () => {
    expect(tlsPrf(HashAlg.SHA256, new Uint8Array(4), "x", new Uint8Array(4), 0).length).toBe(0);
    expect(tlsPrf(HashAlg.SHA256, new Uint8Array(4), "x", new Uint8Array(4), -7).length).toBe(0);
  });

  it("checks the CRC catalogue check values and ignores bad ranges", () => {
    const m = ascii("123456789");
    expect(crc32(m)).toBe(0xcbf43926);
    expect(crc32c(m)).toBe(0xe3069283);
    expect(crc32(m, 2, 8)).toBe(0);
    expect(crc32c(m, -1)).toBe(0);
    expect(crc32(m, 9)).toBe(0);
  });

  // Sizes that never reach the host: as-pect's random_fill import has no memory to fill.
  it("randomBytes gives nothing for a non-positive size", () => {
    expect(randomBytes(-1).length).toBe(0);
    expect(randomBytes(0).length).toBe(0);
  });
});
