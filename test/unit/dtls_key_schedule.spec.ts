// Vectors from test/vectors/dtls/key_schedule.py (an independent Python PRF).
import { HashAlg } from "../../assembly/crypto/hash";
import { computeMasterSecret, computeKeyBlock, computeVerifyData, exportKeyingMaterial } from "../../assembly/dtls/key_schedule";

function pat(n: i32, k: i32): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = <u8>(i * k + 1);
  return b;
}

function hex(b: Uint8Array): string {
  const H = "0123456789abcdef";
  let s = "";
  for (let i = 0; i < b.length; i++) s += H.charAt(b[i] >> 4) + H.charAt(b[i] & 15);
  return s;
}

function cat(parts: Array<Uint8Array>): Uint8Array {
  let n = 0;
  for (let i = 0; i < parts.length; i++) n += parts[i].length;
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = 0; i < parts.length; i++) {
    out.set(parts[i], o);
    o += parts[i].length;
  }
  return out;
}

function check(alg: HashAlg, ms: string, ems: string, kb: string, finC: string, finS: string, exp: string, expCtx: string): void {
  const pms = pat(32, 3), cr = pat(32, 5), sr = pat(32, 7), sh = pat(32, 11);
  const master = computeMasterSecret(alg, pms, false, new Uint8Array(0), cr, sr);
  expect(hex(master)).toBe(ms);
  expect(hex(computeMasterSecret(alg, pms, true, sh, cr, sr))).toBe(ems);
  const k = computeKeyBlock(alg, master, cr, sr, 16);
  expect(hex(cat([k.clientKey, k.serverKey, k.clientSalt, k.serverSalt]))).toBe(kb);
  expect(hex(computeVerifyData(alg, master, true, sh))).toBe(finC);
  expect(hex(computeVerifyData(alg, master, false, sh))).toBe(finS);
  expect(hex(exportKeyingMaterial(alg, master, "EXTRACTOR-dtls_srtp", cr, sr, null, 60))).toBe(exp);
  const ctx = new Uint8Array(3);
  ctx[0] = 0x61; ctx[1] = 0x62; ctx[2] = 0x63;
  expect(hex(exportKeyingMaterial(alg, master, "EXPERIMENTAL-x", cr, sr, ctx, 20))).toBe(expCtx);
}

describe("DTLS key schedule", () => {
  it("matches an independent PRF with SHA-256", () => {
    check(HashAlg.SHA256,
      "a7f584a6183fce571dd12677c1483adcc6816e9f7b8714db81451c63ab448f373ae3cd4a3fac5e893272199637eed008",
      "bafb8e36c728846696758166e965b2ae6841e76a7229553a93746c26cce9d9674e77d3fa75f31eaafc745f36c8f18a17",
      "7fc9829f8ccc32beb86c582acab21b9bff06596787027521c2b1a7c6fd3bc744d6875911088be172",
      "ccbc06a4dc54d0f2e610aa4b", "178f8109b3548e9ab247c750",
      "85dcbb9df5b18350bf181165a0b727e67c6b52a8fe90758f2a13e8876f23ff7a237e17bb4e1ea9c66e1f922023fd1295883fd8bdc8a410271808c6f9",
      "8b391b907f37df6f377aa422c29808c676c8a934");
  });

  it("matches an independent PRF with SHA-384", () => {
    check(HashAlg.SHA384,
      "9d31e7988fdf77696c7b88cc448904bc56ca7097ff1804ba461ddf7320ce20787250383a8ca62a9a18c109d7f005a962",
      "7c49226a5576f53b7be4915da6104f215570970d2a402aaa556ae6d415677646b8e12057fbe211a721a09d7bfb0857c2",
      "b761b1096bd97525ef001ab22e358ccb001efb71fb5f197e3e1cc4f9f761324dd729d571437b2d1e",
      "83c0d02706d691e6f296ed43", "092e329b97a38f555c2b921c",
      "d61eace2d1d1d1bdfe80d7ec281dd4665d565b691c6e7e339ad20dbcc56296042dea19930ce2b23a57be55a408772edb857079e0091fd8583384fcd4",
      "5307108b86b523fe40db6296c7464fbb60ffd882");
  });
});
