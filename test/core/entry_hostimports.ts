// Calls the raw host crypto imports (assembly/imports.ts) with RFC/NIST known answers, so every
// host provider (node:crypto in host/crypto-node.ts, mbedTLS in boards/) is held to the same
// vectors. selftest() logs one PASS/FAIL line per check and returns the number of failures;
// test/core/hostimports.test.ts runs it under Node, `wasmpeer-linux selftest` under wasm3.
import {
  log_write,
  host_hash_new, host_hash_update, host_hash_clone, host_hash_final,
  host_aes_encrypt_block, host_aes_ctr, host_aes_gcm_seal, host_aes_gcm_open,
  host_p256_public, host_p256_ecdh, host_p256_sign, host_p256_verify,
  host_x25519,
} from "../../assembly/imports";
export { mem_alloc, mem_free } from "./entry_common";

function hex(s: string): Uint8Array {
  const out = new Uint8Array(s.length >>> 1);
  for (let i = 0; i < out.length; i++) out[i] = <u8>I32.parseInt(s.substr(i * 2, 2), 16);
  return out;
}

function ascii(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function equal(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
  return true;
}

function filled(len: i32, value: u8): Uint8Array {
  const out = new Uint8Array(len);
  out.fill(value);
  return out;
}

function p(a: Uint8Array): usize {
  return a.dataStart;
}

let failures = 0;

function check(name: string, pass: bool): void {
  const line = String.UTF8.encode((pass ? "PASS " : "FAIL ") + name);
  log_write(pass ? 2 : 0, changetype<usize>(line), line.byteLength);
  if (!pass) failures++;
}

// ---- Hashes: FIPS 180-4 examples (NIST CSRC "abc" and the 448-bit two-block message) ----
const SHA1 = 1, SHA256 = 2, SHA384 = 3;

function digest(alg: i32, data: Uint8Array, outLen: i32): Uint8Array {
  const h = host_hash_new(alg);
  host_hash_update(h, p(data), data.length);
  const out = new Uint8Array(outLen);
  host_hash_final(h, p(out));
  return out;
}

function testHashes(): void {
  const abc = ascii("abc");
  check("SHA-1 abc (FIPS 180-4)", equal(digest(SHA1, abc, 20), hex("a9993e364706816aba3e25717850c26c9cd0d89d")));
  check("SHA-256 abc (FIPS 180-4)", equal(digest(SHA256, abc, 32),
    hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")));
  check("SHA-384 abc (FIPS 180-4)", equal(digest(SHA384, abc, 48),
    hex("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")));
  check("SHA-256 two blocks (FIPS 180-4)", equal(
    digest(SHA256, ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), 32),
    hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")));
  check("SHA-1 empty (FIPS 180-4)", equal(digest(SHA1, new Uint8Array(0), 20), hex("da39a3ee5e6b4b0d3255bfef95601890afd80709")));

  // Streaming and clone: "a" then a clone; each side finishes "abc" in its own pieces, and a
  // third copy takes other bytes, which must not leak into the first two.
  const a = ascii("a"), b = ascii("b"), c = ascii("c"), bc = ascii("bc"), xyz = ascii("xyz");
  for (let alg = SHA1; alg <= SHA384; alg++) {
    const len = alg == SHA1 ? 20 : alg == SHA256 ? 32 : 48;
    const h = host_hash_new(alg);
    host_hash_update(h, p(a), 1);
    const k = host_hash_clone(h);
    const other = host_hash_clone(h);
    host_hash_update(other, p(xyz), 3);
    host_hash_update(h, p(bc), 2);
    host_hash_update(k, p(b), 1);
    host_hash_update(k, p(c), 1);
    const d1 = new Uint8Array(len), d2 = new Uint8Array(len), d3 = new Uint8Array(len);
    host_hash_final(h, p(d1));
    host_hash_final(k, p(d2));
    host_hash_final(other, p(d3));
    const want = digest(alg, abc, len);
    const name = alg == SHA1 ? "SHA-1" : alg == SHA256 ? "SHA-256" : "SHA-384";
    check(name + " streaming + clone", equal(d1, want) && equal(d2, want) && equal(d3, digest(alg, ascii("axyz"), len)));
  }
}

// ---- AES: FIPS 197 appendix C, SP 800-38A F.5.1, McGrew-Viega GCM test cases 2 and 4 ----
function aesBlock(key: Uint8Array, input: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  host_aes_encrypt_block(p(key), key.length, p(input), p(out));
  return out;
}

function testAes(): void {
  const pt = hex("00112233445566778899aabbccddeeff");
  check("AES-128 block (FIPS 197 C.1)", equal(aesBlock(hex("000102030405060708090a0b0c0d0e0f"), pt),
    hex("69c4e0d86a7b0430d8cdb78070b4c55a")));
  check("AES-192 block (FIPS 197 C.2)", equal(aesBlock(hex("000102030405060708090a0b0c0d0e0f1011121314151617"), pt),
    hex("dda97ca4864cdfe06eaf70a0ec0d7191")));
  check("AES-256 block (FIPS 197 C.3)", equal(
    aesBlock(hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), pt),
    hex("8ea2b7ca516745bfeafc49904b496089")));

  const key = hex("2b7e151628aed2a6abf7158809cf4f3c");
  const iv = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  const ivCopy = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  const input = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
  const out = new Uint8Array(32);
  host_aes_ctr(p(key), 16, p(iv), p(input), p(out), 32);
  check("AES-128-CTR two blocks (SP 800-38A F.5.1)", equal(out,
    hex("874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff")) && equal(iv, ivCopy));

  // The counter is one 128-bit number: from all-ones it wraps to zero, so the second block's
  // key stream is AES(key, 0^128).
  const ones = filled(16, 0xff);
  const zeros = new Uint8Array(32);
  const stream = new Uint8Array(32);
  host_aes_ctr(p(key), 16, p(ones), p(zeros), p(stream), 32);
  check("AES-CTR 128-bit counter wraps", equal(stream.subarray(0, 16), aesBlock(key, ones)) &&
    equal(stream.subarray(16, 32), aesBlock(key, new Uint8Array(16))));

  // Test case 2: all-zero key, IV and one plaintext block, no AAD.
  const k2 = new Uint8Array(16), iv2 = new Uint8Array(12), p2 = new Uint8Array(16);
  const c2 = new Uint8Array(16), t2 = new Uint8Array(16);
  host_aes_gcm_seal(p(k2), 16, p(iv2), 12, 0, 0, p(p2), 16, p(c2), p(t2));
  check("AES-128-GCM seal (McGrew-Viega test case 2)", equal(c2, hex("0388dace60b6a392f328c2b971b2fe78")) &&
    equal(t2, hex("ab6e47d42cec13bdf53a67b21257bddf")));

  // Test case 4: 60 bytes of plaintext and 20 bytes of AAD.
  const k4 = hex("feffe9928665731c6d6a8f9467308308");
  const iv4 = hex("cafebabefacedbaddecaf888");
  const aad4 = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const p4 = hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  const c4want = hex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091");
  const t4want = hex("5bc94fbc3221a5db94fae95ae7121a47");
  const c4 = new Uint8Array(60), t4 = new Uint8Array(16);
  host_aes_gcm_seal(p(k4), 16, p(iv4), 12, p(aad4), 20, p(p4), 60, p(c4), p(t4));
  check("AES-128-GCM seal with AAD (McGrew-Viega test case 4)", equal(c4, c4want) && equal(t4, t4want));

  const opened = new Uint8Array(60);
  const ok = host_aes_gcm_open(p(k4), 16, p(iv4), 12, p(aad4), 20, p(c4want), 60, p(opened), p(t4want));
  check("AES-128-GCM open (McGrew-Viega test case 4)", ok == 1 && equal(opened, p4));

  // A flipped tag bit: 0, and the output buffer keeps its old bytes (no unauthenticated plaintext).
  const badTag = t4want.slice();
  badTag[15] ^= 1;
  const untouched = filled(60, 0xa5);
  const rejected = host_aes_gcm_open(p(k4), 16, p(iv4), 12, p(aad4), 20, p(c4want), 60, p(untouched), p(badTag));
  check("AES-GCM open rejects a bad tag, releases nothing", rejected == 0 && equal(untouched, filled(60, 0xa5)));

  const badAad = aad4.slice();
  badAad[0] ^= 0x80;
  check("AES-GCM open rejects changed AAD",
    host_aes_gcm_open(p(k4), 16, p(iv4), 12, p(badAad), 20, p(c4want), 60, p(opened), p(t4want)) == 0);
}

// ---- P-256: RFC 5903 §8.1 (ECDH) and RFC 6979 A.2.5 (ECDSA, SHA-256, message "sample") ----
const I_PRIV = "c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433";
const I_PUB = "04dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c37725811805271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3";
const R_PRIV = "c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53";
const R_PUB = "04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf6356fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab";
const SHARED = "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de";

const SIGN_PRIV = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";
const SIGN_PUB = "0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";
const SIGN_RS = "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8";

// The public key, or an empty array when the import refuses the private key.
function p256Public(priv: Uint8Array): Uint8Array {
  const pub = new Uint8Array(65);
  return host_p256_public(p(priv), p(pub)) == 1 ? pub : new Uint8Array(0);
}

function testP256(): void {
  const iPub = p256Public(hex(I_PRIV));
  const rPub = p256Public(hex(R_PRIV));
  check("P-256 public keys (RFC 5903 8.1)", equal(iPub, hex(I_PUB)) && equal(rPub, hex(R_PUB)));

  const z1 = new Uint8Array(32), z2 = new Uint8Array(32);
  const ok1 = host_p256_ecdh(p(hex(I_PRIV)), p(hex(R_PUB)), p(z1));
  const ok2 = host_p256_ecdh(p(hex(R_PRIV)), p(hex(I_PUB)), p(z2));
  check("P-256 ECDH both sides (RFC 5903 8.1)", ok1 == 1 && ok2 == 1 && equal(z1, hex(SHARED)) && equal(z2, hex(SHARED)));

  // A point off the curve (y + 1): ECDH and verify refuse it (invalid-curve attacks).
  const offCurve = hex(R_PUB);
  offCurve[64] ^= 1;
  check("P-256 ECDH rejects a point off the curve", host_p256_ecdh(p(hex(I_PRIV)), p(offCurve), p(new Uint8Array(32))) == 0);
  const compressedTag = hex(R_PUB);
  compressedTag[0] = 0x02;
  check("P-256 ECDH rejects a non-uncompressed encoding", host_p256_ecdh(p(hex(I_PRIV)), p(compressedTag), p(new Uint8Array(32))) == 0);
  // Private keys must lie in [1, n-1].
  check("P-256 rejects private key 0", p256Public(new Uint8Array(32)).length == 0);
  check("P-256 rejects private key n",
    p256Public(hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")).length == 0);

  check("P-256 public key (RFC 6979 A.2.5)", equal(p256Public(hex(SIGN_PRIV)), hex(SIGN_PUB)));
  const sample = ascii("sample");
  const pub = hex(SIGN_PUB);
  check("P-256 ECDSA verify (RFC 6979 A.2.5, SHA-256, \"sample\")",
    host_p256_verify(p(pub), p(sample), sample.length, p(hex(SIGN_RS))) == 1);

  const msg = ascii("wasmpeer host provider");
  const sig = new Uint8Array(64);
  const signed = host_p256_sign(p(hex(SIGN_PRIV)), p(msg), msg.length, p(sig));
  check("P-256 ECDSA sign then verify", signed == 1 && host_p256_verify(p(pub), p(msg), msg.length, p(sig)) == 1);

  const tampered = sig.slice();
  tampered[10] ^= 0x40;
  check("P-256 ECDSA rejects a tampered signature", host_p256_verify(p(pub), p(msg), msg.length, p(tampered)) == 0);
  const otherMsg = ascii("wasmpeer host provideR");
  check("P-256 ECDSA rejects another message", host_p256_verify(p(pub), p(otherMsg), otherMsg.length, p(sig)) == 0);
  const offPub = hex(SIGN_PUB);
  offPub[64] ^= 1;
  check("P-256 ECDSA verify rejects a point off the curve", host_p256_verify(p(offPub), p(sample), sample.length, p(hex(SIGN_RS))) == 0);
  const zeroS = concat(hex(SIGN_RS).subarray(0, 32), new Uint8Array(32));
  check("P-256 ECDSA rejects s = 0", host_p256_verify(p(pub), p(sample), sample.length, p(zeroS)) == 0);
}

// Whether this host signs deterministically (RFC 6979): true for mbedTLS builds with
// MBEDTLS_ECDSA_DETERMINISTIC, false for Node (random k). Not part of selftest, for
// `wasmpeer-linux call ... p256_sign_is_rfc6979`.
export function p256_sign_is_rfc6979(): i32 {
  const sample = ascii("sample");
  const sig = new Uint8Array(64);
  host_p256_sign(p(hex(SIGN_PRIV)), p(sample), sample.length, p(sig));
  return equal(sig, hex(SIGN_RS)) ? 1 : 0;
}

// ---- X25519: RFC 7748 §5.2 (scalar multiplication) and §6.1 (Diffie-Hellman) ----
// The result, or an empty array when the import answers 0.
function x25519(k: Uint8Array, u: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  return host_x25519(p(k), p(u), p(out)) == 1 ? out : new Uint8Array(0);
}

function same(a: Uint8Array, want: string): bool {
  return equal(a, hex(want));
}

function testX25519(): void {
  check("X25519 (RFC 7748 5.2 vector 1)", same(x25519(
    hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
    hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")),
    "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"));
  // Vector 2's u has bit 255 set, which X25519 must ignore.
  check("X25519 (RFC 7748 5.2 vector 2, high bit of u)", same(x25519(
    hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
    hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493")),
    "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"));

  const alicePriv = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  const bobPriv = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  const alicePub = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
  const bobPub = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
  const shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
  const nine = new Uint8Array(32);
  nine[0] = 9;
  check("X25519 public keys (RFC 7748 6.1)", same(x25519(alicePriv, nine), alicePub) && same(x25519(bobPriv, nine), bobPub));
  check("X25519 shared secret both sides (RFC 7748 6.1)",
    same(x25519(alicePriv, hex(bobPub)), shared) && same(x25519(bobPriv, hex(alicePub)), shared));

  // Low-order peer keys (u = 0, u = 1) give an all-zero secret: the import answers 0.
  const one = new Uint8Array(32);
  one[0] = 1;
  check("X25519 rejects low-order points (u = 0, u = 1)",
    x25519(alicePriv, new Uint8Array(32)).length == 0 && x25519(alicePriv, one).length == 0);
}

export function selftest(): i32 {
  failures = 0;
  testHashes();
  testAes();
  testP256();
  testX25519();
  return failures;
}
