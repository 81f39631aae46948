// Known-answer tests run inside the module, so a board can prove its crypto (pure or mbedTLS)
// before it talks to anyone. One vector per primitive, from the document named beside it.
import { log_write } from "../imports";
import { fromHex } from "../util/hex";
import { ctEqual } from "../util/ct";
import { HashAlg, digest } from "./hash";
import { hmac } from "./hmac";
import { tlsPrf } from "./prf";
import { hkdf } from "./hkdf";
import { Aes } from "./aes";
import { AesCtr } from "./aes_ctr";
import { AesGcm } from "./aes_gcm";
import { P256KeyPair, p256Generate, p256PublicFromPrivate, p256Ecdh, ecdsaSign, ecdsaVerify } from "./p256";
import { x25519 } from "./x25519";
import { createSelfSignedCertificate, certificatePublicKey, certificateSignatureValid, fingerprintSha256 } from "./x509";
import { crc32 } from "./crc32";
import { crc32c } from "./crc32c";
import { HOST_CRYPTO } from "./provider";

function h(s: string): Uint8Array {
  return fromHex(s)!;
}

function same(a: Uint8Array | null, b: Uint8Array): bool {
  return a != null && a.length == b.length && ctEqual(a, 0, b, 0, b.length);
}

function ascii(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

function report(name: string, pass: bool): i32 {
  const line = String.UTF8.encode((pass ? "PASS " : "FAIL ") + name);
  log_write(pass ? 2 : 0, changetype<usize>(line), line.byteLength);
  return pass ? 0 : 1;
}

function hashes(): i32 {
  const abc = ascii("abc");
  let f = report("SHA-1 abc (FIPS 180-4)", same(digest(HashAlg.SHA1, abc), h("a9993e364706816aba3e25717850c26c9cd0d89d")));
  f += report("SHA-256 abc (FIPS 180-4)", same(digest(HashAlg.SHA256, abc),
    h("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")));
  f += report("SHA-384 abc (FIPS 180-4)", same(digest(HashAlg.SHA384, abc),
    h("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")));
  const jefe = ascii("Jefe");
  const what = ascii("what do ya want for nothing?");
  f += report("HMAC-SHA1 (RFC 2202 case 2)", same(hmac(HashAlg.SHA1, jefe, what), h("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")));
  f += report("HMAC-SHA256 (RFC 4231 case 2)", same(hmac(HashAlg.SHA256, jefe, what),
    h("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")));
  const ikm = new Uint8Array(22).fill(0x0b);
  f += report("HKDF-SHA256 (RFC 5869 A.1)", same(hkdf(HashAlg.SHA256, h("000102030405060708090a0b0c"), ikm, h("f0f1f2f3f4f5f6f7f8f9"), 42),
    h("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")));
  f += report("TLS 1.2 PRF P_SHA256 (IETF TLS WG vector)", same(
    tlsPrf(HashAlg.SHA256, h("9bbe436ba940f017b17652849a71db35"), "test label", h("a0ba9f936cda311827a6f796ffd5198c"), 100),
    h("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af" +
      "0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701" +
      "87347b66")));
  return f;
}

function aes(): i32 {
  const pt = h("00112233445566778899aabbccddeeff");
  const out = new Uint8Array(16);
  new Aes(h("000102030405060708090a0b0c0d0e0f")).encryptBlock(pt, 0, out, 0);
  let f = report("AES-128 block (FIPS 197 C.1)", same(out, h("69c4e0d86a7b0430d8cdb78070b4c55a")));
  new Aes(h("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")).encryptBlock(pt, 0, out, 0);
  f += report("AES-256 block (FIPS 197 C.3)", same(out, h("8ea2b7ca516745bfeafc49904b496089")));

  const ctrIn = h("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
  const ctrOut = new Uint8Array(32);
  new AesCtr(h("2b7e151628aed2a6abf7158809cf4f3c")).xor(h("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), ctrIn, 0, ctrOut, 0, 32);
  f += report("AES-128-CTR (SP 800-38A F.5.1)", same(ctrOut, h("874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff")));

  // The GCM specification's Test Case 4 (McGrew & Viega): AES-128, 12-byte IV, with AAD.
  const gcm = new AesGcm(h("feffe9928665731c6d6a8f9467308308"));
  const iv = h("cafebabefacedbaddecaf888");
  const aad = h("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const p = h("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  const c = new Uint8Array(p.length);
  const tag = new Uint8Array(16);
  gcm.seal(iv, aad, p, c, tag);
  f += report("AES-128-GCM seal (GCM spec test case 4)",
    same(c, h("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"))
    && same(tag, h("5bc94fbc3221a5db94fae95ae7121a47")));
  const back = new Uint8Array(p.length);
  const opened = gcm.open(iv, aad, c, tag, back) && same(back, p);
  tag[0] ^= 1;
  f += report("AES-128-GCM open, tampered tag rejected", opened && !gcm.open(iv, aad, c, tag, back));
  return f;
}

function p256(): i32 {
  // RFC 5903 §8.1: the initiator's and responder's keys and their shared secret.
  const iPriv = h("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433");
  const rPub = h("04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf6356fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab");
  let f = report("P-256 public key (RFC 5903 8.1)", same(p256PublicFromPrivate(iPriv),
    h("04dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c37725811805271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3")));
  f += report("P-256 ECDH (RFC 5903 8.1)", same(p256Ecdh(iPriv, rPub), h("d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de")));
  const offCurve = rPub.slice();
  offCurve[64] ^= 1;
  f += report("P-256 ECDH rejects an off-curve point", p256Ecdh(iPriv, offCurve) == null);

  // RFC 6979 A.2.5: P-256, SHA-256, message "sample".
  const priv = h("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
  const pub = h("0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299");
  const sample = ascii("sample");
  const rs = h("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
  f += report("ECDSA P-256 verify (RFC 6979 A.2.5)", ecdsaVerify(pub, sample, rs));
  const sig = ecdsaSign(priv, sample);
  // The host provider may sign with a random k, so only the pure one must reproduce the RFC's r||s.
  f += report("ECDSA P-256 sign (RFC 6979 A.2.5)", sig != null && (HOST_CRYPTO ? ecdsaVerify(pub, sample, sig) : same(sig, rs)));
  rs[10] ^= 1;
  f += report("ECDSA P-256 rejects a tampered signature", !ecdsaVerify(pub, sample, rs));
  return f;
}

function curve25519(): i32 {
  // RFC 7748 §6.1: Alice's private key with Bob's public key.
  return report("X25519 (RFC 7748 6.1)", same(
    x25519(h("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
      h("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")),
    h("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")));
}

function certificate(): i32 {
  const key: P256KeyPair = p256Generate();
  const cert = createSelfSignedCertificate(key, "wasmpeer selftest", 1700000000, 1700086400);
  const ok = cert != null && same(certificatePublicKey(cert), key.pub)
    && certificateSignatureValid(cert, key.pub) && fingerprintSha256(cert).length == 95;
  return report("X.509 self-signed certificate round trip (RFC 5280)", ok);
}

function checksums(): i32 {
  const digits = ascii("123456789");
  let f = report("CRC32 check value (ISO-HDLC)", crc32(digits) == 0xcbf43926);
  f += report("CRC32c check value (RFC 3720 B.4 family)", crc32c(digits) == 0xe3069283);
  f += report("CRC32c 32 zero bytes (RFC 3720 B.4)", crc32c(new Uint8Array(32)) == 0x8a9136aa);
  return f;
}

export function runSelftest(): i32 {
  return hashes() + aes() + p256() + curve25519() + certificate() + checksums();
}
