import { Aes } from "../../assembly/crypto/aes";
import { AesCtr } from "../../assembly/crypto/aes_ctr";
import { AesGcm } from "../../assembly/crypto/aes_gcm";

function fromHex(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = <u8>parseInt(s.substr(i << 1, 2), 16);
  return out;
}

function toHex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += (<u32>b[i]).toString(16).padStart(2, "0");
  return s;
}

describe("Aes", () => {
  it("encrypts the FIPS 197 C.1 block", () => {
    const aes = new Aes(fromHex("000102030405060708090a0b0c0d0e0f"));
    expect(aes.ok).toBe(true);
    const out = new Uint8Array(16);
    aes.encryptBlock(fromHex("00112233445566778899aabbccddeeff"), 0, out, 0);
    expect(toHex(out)).toBe("69c4e0d86a7b0430d8cdb78070b4c55a");
  });

  it("refuses bad key lengths and out-of-range offsets without writing", () => {
    const out = new Uint8Array(16);
    const bad = new Aes(new Uint8Array(20));
    expect(bad.ok).toBe(false);
    bad.encryptBlock(new Uint8Array(16), 0, out, 0);
    const aes = new Aes(new Uint8Array(32));
    aes.encryptBlock(new Uint8Array(16), 1, out, 0);
    aes.encryptBlock(new Uint8Array(16), 0, out, -1);
    aes.encryptBlock(new Uint8Array(16), 0, out, 1);
    aes.encryptBlock(new Uint8Array(16), i32.MAX_VALUE, out, 0);
    expect(toHex(out)).toBe("00000000000000000000000000000000");
  });
});

describe("AesCtr", () => {
  it("matches SP 800-38A F.5.1 on its first block", () => {
    const ctr = new AesCtr(fromHex("2b7e151628aed2a6abf7158809cf4f3c"));
    const buf = fromHex("6bc1bee22e409f96e93d7e117393172a");
    expect(ctr.xor(fromHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), buf, 0, buf, 0, 16)).toBe(true);
    expect(toHex(buf)).toBe("874d6191b620e3261bef6864990db6ce");
  });

  it("returns false for bad ranges, short counters and bad keys", () => {
    const ctr = new AesCtr(new Uint8Array(16));
    const c = new Uint8Array(16);
    const b = new Uint8Array(8);
    expect(ctr.xor(new Uint8Array(15), b, 0, b, 0, 8)).toBe(false);
    expect(ctr.xor(c, b, 1, b, 0, 8)).toBe(false);
    expect(ctr.xor(c, b, 0, new Uint8Array(7), 0, 8)).toBe(false);
    expect(ctr.xor(c, b, -1, b, 0, 1)).toBe(false);
    expect(ctr.xor(c, b, 0, b, 0, -1)).toBe(false);
    expect(ctr.xor(c, b, i32.MAX_VALUE, b, 0, 2)).toBe(false);
    expect(new AesCtr(new Uint8Array(0)).xor(c, b, 0, b, 0, 8)).toBe(false);
    expect(ctr.xor(c, b, 0, b, 0, 0)).toBe(true);
  });
});

describe("AesGcm", () => {
  it("seals GCM Test Case 2 and opens it in place", () => {
    const gcm = new AesGcm(new Uint8Array(16));
    const iv = new Uint8Array(12);
    const buf = new Uint8Array(16);
    const tag = new Uint8Array(16);
    expect(gcm.seal(iv, new Uint8Array(0), buf, buf, tag)).toBe(true);
    expect(toHex(buf)).toBe("0388dace60b6a392f328c2b971b2fe78");
    expect(toHex(tag)).toBe("ab6e47d42cec13bdf53a67b21257bddf");
    expect(gcm.open(iv, new Uint8Array(0), buf, tag, buf)).toBe(true);
    expect(toHex(buf)).toBe("00000000000000000000000000000000");
  });

  it("rejects a wrong tag and zeroes out", () => {
    const gcm = new AesGcm(new Uint8Array(16));
    const iv = new Uint8Array(12);
    const ct = fromHex("0388dace60b6a392f328c2b971b2fe78");
    const tag = fromHex("ab6e47d42cec13bdf53a67b21257bdde");
    const out = new Uint8Array(16).fill(7);
    expect(gcm.open(iv, new Uint8Array(0), ct, tag, out)).toBe(false);
    expect(toHex(out)).toBe("00000000000000000000000000000000");
  });

  it("returns false for an empty IV, short buffers, wrong tag sizes and bad keys", () => {
    const gcm = new AesGcm(new Uint8Array(24));
    const none = new Uint8Array(0);
    const iv = new Uint8Array(12);
    const pt = new Uint8Array(20);
    expect(gcm.seal(none, none, pt, new Uint8Array(20), new Uint8Array(16))).toBe(false);
    expect(gcm.seal(iv, none, pt, new Uint8Array(19), new Uint8Array(16))).toBe(false);
    expect(gcm.seal(iv, none, pt, new Uint8Array(20), new Uint8Array(15))).toBe(false);
    expect(gcm.open(iv, none, pt, new Uint8Array(15), new Uint8Array(20))).toBe(false);
    expect(gcm.open(iv, none, pt, new Uint8Array(16), new Uint8Array(19))).toBe(false);
    expect(gcm.open(none, none, pt, new Uint8Array(16), new Uint8Array(20))).toBe(false);
    const bad = new AesGcm(new Uint8Array(17));
    expect(bad.ok).toBe(false);
    expect(bad.seal(iv, none, pt, new Uint8Array(20), new Uint8Array(16))).toBe(false);
  });
});
