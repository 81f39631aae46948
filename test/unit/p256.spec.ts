// as-pect checks of P-256 and ECDSA DER (pure provider): known answers from RFC 6979 A.2.5 and RFC 5903 §8.1.
import { p256PublicFromPrivate, p256Ecdh, ecdsaSign, ecdsaVerify } from "../../assembly/crypto/p256";
import { ecdsaSigToDer, ecdsaSigFromDer } from "../../assembly/crypto/ecdsa_der";

function fromHex(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = <u8>I32.parseInt(s.substr(i * 2, 2), 16);
  return out;
}

function toHex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += (<u32>b[i]).toString(16).padStart(2, "0");
  return s;
}

describe("P-256", () => {
  it("derives 1*G and refuses 0 as a private key", () => {
    const one = new Uint8Array(32);
    one[31] = 1;
    expect(toHex(p256PublicFromPrivate(one)!)).toBe(
      "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
      + "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
    expect(p256PublicFromPrivate(new Uint8Array(32))).toBeNull();
  });

  it("signs RFC 6979 A.2.5 \"sample\" with the published r and s", () => {
    const x = fromHex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
    const msg = Uint8Array.wrap(String.UTF8.encode("sample"));
    const sig = ecdsaSign(x, msg)!;
    expect(toHex(sig)).toBe("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
      + "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
    expect(ecdsaVerify(p256PublicFromPrivate(x)!, msg, sig)).toBe(true);
    msg[0] ^= 1;
    expect(ecdsaVerify(p256PublicFromPrivate(x)!, msg, sig)).toBe(false);
  });

  // Fixed keys (RFC 5903 §8.1): the as-pect host's random_fill cannot reach its module's memory.
  it("agrees on the RFC 5903 §8.1 ECDH secret and refuses a short point", () => {
    const i = fromHex("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433");
    const r = fromHex("c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53");
    const gi = p256PublicFromPrivate(i)!;
    const gr = p256PublicFromPrivate(r)!;
    expect(toHex(p256Ecdh(i, gr)!)).toBe("d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de");
    expect(toHex(p256Ecdh(r, gi)!)).toBe("d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de");
    expect(p256Ecdh(i, gr.subarray(0, 64))).toBeNull();
  });

  it("round-trips DER and refuses a needless leading zero", () => {
    const sig = new Uint8Array(64);
    sig[0] = 0x80;
    sig[63] = 0x01;
    const der = ecdsaSigToDer(sig);
    expect(der.length).toBe(2 + 35 + 3);
    expect(toHex(ecdsaSigFromDer(der)!)).toBe(toHex(sig));
    expect(ecdsaSigFromDer(fromHex("3007020101020200" + "01"))).toBeNull();
  });
});
