// RFC 5280 §4.1: self-signed ECDSA P-256 certificates (as WebRTC's DTLS uses), the peer's key, fingerprints.
import {
  DerReader, derWellFormed, derElement, derOne, derSequence, derUnsigned, derBitString, bytesOf,
  TAG_INTEGER, TAG_BIT_STRING, TAG_OID, TAG_UTF8_STRING, TAG_UTC_TIME, TAG_GENERALIZED_TIME, TAG_SEQUENCE, TAG_SET,
} from "./asn1_der";
import { P256KeyPair, ecdsaSign, ecdsaVerify } from "./p256";
import { ecdsaSigToDer, ecdsaSigFromDer } from "./ecdsa_der";
import { digest, HashAlg } from "./hash";
import { randomFill } from "./random";
import { ctEqual } from "../util/ct";

// Encoded OID values (the bytes after tag and length).
// 1.2.840.10045.4.3.2 ecdsa-with-SHA256 (RFC 5758 §3.2)
const OID_ECDSA_SHA256 = bytesOf([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]);
// 1.2.840.10045.2.1 id-ecPublicKey (RFC 5480 §2.1.1)
const OID_EC_PUBLIC_KEY = bytesOf([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]);
// 1.2.840.10045.3.1.7 secp256r1 (RFC 5480 §2.1.1.1)
const OID_P256 = bytesOf([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]);
// 2.5.4.3 id-at-commonName (RFC 5280 Appendix A)
const OID_COMMON_NAME = bytesOf([0x55, 0x04, 0x03]);

// Context-specific tags of TBSCertificate: [0] version, [1] and [2] unique ids, [3] extensions.
const TAG_VERSION = 0xa0;
const TAG_ISSUER_UID = 0x81;
const TAG_SUBJECT_UID = 0x82;
const TAG_EXTENSIONS = 0xa3;

// X.520's ub-common-name.
const MAX_COMMON_NAME = 64;

// ---- writing ----

function algorithmEcdsaSha256(): Uint8Array {
  // RFC 5758 §3.2: the parameters are absent.
  return derSequence([derOne(TAG_OID, OID_ECDSA_SHA256)]);
}

function nameWithCommonName(cn: Uint8Array): Uint8Array {
  const attr = derSequence([derOne(TAG_OID, OID_COMMON_NAME), derOne(TAG_UTF8_STRING, cn)]);
  return derSequence([derElement(TAG_SET, [attr])]);
}

function putDigits(out: Uint8Array, at: i32, v: i32, n: i32): void {
  for (let i = n - 1; i >= 0; i--) {
    out[at + i] = <u8>(0x30 + v % 10);
    v /= 10;
  }
}

// §4.1.2.5: UTCTime (YYMMDDHHMMSSZ) for 1950 to 2049, GeneralizedTime (YYYYMMDDHHMMSSZ) otherwise;
// null for years outside 0000-9999.
function encodeTime(unixSec: i64): Uint8Array | null {
  let days = unixSec / 86400;
  let secOfDay = <i32>(unixSec % 86400);
  if (secOfDay < 0) {
    secOfDay += 86400;
    days--;
  }
  // The proleptic Gregorian calendar in 400-year eras (146097 days), counted from 0000-03-01 so
  // that the leap day ends each year.
  const z = days + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = <i32>(z - era * 146097);
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const day = doy - (153 * mp + 2) / 5 + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year64 = <i64>yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year64 < 0 || year64 > 9999) return null;
  const year = <i32>year64;
  const utc = year >= 1950 && year <= 2049;
  const yl = utc ? 2 : 4;
  const s = new Uint8Array(yl + 11);
  putDigits(s, 0, utc ? year % 100 : year, yl);
  putDigits(s, yl, month, 2);
  putDigits(s, yl + 2, day, 2);
  putDigits(s, yl + 4, secOfDay / 3600, 2);
  putDigits(s, yl + 6, (secOfDay / 60) % 60, 2);
  putDigits(s, yl + 8, secOfDay % 60, 2);
  s[yl + 10] = 0x5a; // 'Z'
  return derOne(utc ? TAG_UTC_TIME : TAG_GENERALIZED_TIME, s);
}

// A DER X.509 v3 certificate for key, self-signed with ecdsa-with-SHA256, issuer and subject
// CN=commonName, valid from notBeforeSec to notAfterSec (UNIX seconds), with a random positive
// 16-byte serial number. Null for a key of the wrong shape, a name over 64 characters, a
// validity that ends before it starts or falls outside years 0-9999.
export function createSelfSignedCertificate(key: P256KeyPair, commonName: string, notBeforeSec: i64,
  notAfterSec: i64): Uint8Array | null {
  if (key.pub.length != 65 || key.pub[0] != 0x04 || commonName.length > MAX_COMMON_NAME) return null;
  if (notAfterSec < notBeforeSec) return null;
  const notBefore = encodeTime(notBeforeSec);
  const notAfter = encodeTime(notAfterSec);
  if (notBefore == null || notAfter == null) return null;
  const serial = new Uint8Array(16);
  randomFill(serial);
  // Positive (top bit clear) and exactly 16 bytes (next bit set), as §4.1.2.2 asks.
  serial[0] = (serial[0] & 0x7f) | 0x40;
  const name = nameWithCommonName(Uint8Array.wrap(String.UTF8.encode(commonName)));
  const spki = derSequence([
    derSequence([derOne(TAG_OID, OID_EC_PUBLIC_KEY), derOne(TAG_OID, OID_P256)]),
    derBitString(key.pub),
  ]);
  const version = derOne(TAG_VERSION, derOne(TAG_INTEGER, bytesOf([2])));
  const tbs = derSequence([
    version, derUnsigned(serial), algorithmEcdsaSha256(), name,
    derSequence([notBefore, notAfter]), name, spki,
  ]);
  const sig = ecdsaSign(key.priv, tbs);
  if (sig == null) return null;
  return derSequence([tbs, algorithmEcdsaSha256(), derBitString(ecdsaSigToDer(sig))]);
}

// ---- reading ----

// The parts of a certificate this module uses, as views into it.
class ParsedCertificate {
  constructor(public tbs: Uint8Array, public tbsSigAlg: Uint8Array, public spkiAlg: Uint8Array,
    public spkiKey: Uint8Array, public sigAlg: Uint8Array, public sigValue: Uint8Array) {}
}

// The certificate's fields in §4.1's order, in exactly one well-formed DER element with
// nothing after it; null otherwise.
function parseCertificate(der: Uint8Array): ParsedCertificate | null {
  if (!derWellFormed(der, 0, der.length)) return null;
  const outer = new DerReader(der);
  const cert = outer.enter(TAG_SEQUENCE);
  if (cert == null || !outer.atEnd()) return null;
  const tbsR = cert.enter(TAG_SEQUENCE);
  if (tbsR == null) return null;
  const tbs = cert.element();
  if (!cert.expect(TAG_SEQUENCE)) return null;
  const sigAlg = cert.element();
  if (!cert.expect(TAG_BIT_STRING)) return null;
  const sigValue = cert.value();
  if (!cert.atEnd()) return null;

  if (tbsR.peekTag() == TAG_VERSION) tbsR.next();
  tbsR.expect(TAG_INTEGER); // serialNumber
  tbsR.expect(TAG_SEQUENCE);
  const tbsSigAlg = tbsR.element();
  tbsR.expect(TAG_SEQUENCE); // issuer
  tbsR.expect(TAG_SEQUENCE); // validity
  tbsR.expect(TAG_SEQUENCE); // subject
  const spki = tbsR.enter(TAG_SEQUENCE);
  if (spki == null) return null;
  if (tbsR.peekTag() == TAG_ISSUER_UID) tbsR.next();
  if (tbsR.peekTag() == TAG_SUBJECT_UID) tbsR.next();
  if (tbsR.peekTag() == TAG_EXTENSIONS) tbsR.next();
  if (!tbsR.atEnd()) return null;

  if (!spki.expect(TAG_SEQUENCE)) return null;
  const spkiAlg = spki.value();
  if (!spki.expect(TAG_BIT_STRING)) return null;
  const spkiKey = spki.value();
  if (!spki.atEnd()) return null;
  return new ParsedCertificate(tbs, tbsSigAlg, spkiAlg, spkiKey, sigAlg, sigValue);
}

// The bytes of a BIT STRING value with no unused bits; null otherwise.
function wholeBytes(bitString: Uint8Array): Uint8Array | null {
  return bitString.length >= 1 && bitString[0] == 0 ? bitString.subarray(1) : null;
}

function isAlgorithm(algValue: DerReader, oid: Uint8Array): bool {
  return algValue.expect(TAG_OID) && algValue.valueEquals(oid);
}

// The 65-byte uncompressed P-256 point of the certificate's subject key; null for any other
// key type or curve, or a certificate that does not parse. The point is not checked to be on
// the curve here: ecdsaVerify and p256Ecdh do that.
export function certificatePublicKey(der: Uint8Array): Uint8Array | null {
  const cert = parseCertificate(der);
  if (cert == null) return null;
  const alg = new DerReader(cert.spkiAlg);
  if (!isAlgorithm(alg, OID_EC_PUBLIC_KEY)) return null;
  // RFC 5480 §2.1.1: namedCurve only.
  if (!alg.expect(TAG_OID) || !alg.valueEquals(OID_P256) || !alg.atEnd()) return null;
  const point = wholeBytes(cert.spkiKey);
  if (point == null || point.length != 65 || point[0] != 0x04) return null;
  return point.slice();
}

// True when the certificate is signed with ecdsa-with-SHA256 by the key issuerPub (a 65-byte
// P-256 point), the signature algorithm inside the signed part matching the outer one (§4.1.1.2).
export function certificateSignatureValid(der: Uint8Array, issuerPub: Uint8Array): bool {
  const cert = parseCertificate(der);
  if (cert == null) return false;
  const expected = algorithmEcdsaSha256();
  if (!sameBytes(cert.sigAlg, expected) || !sameBytes(cert.tbsSigAlg, expected)) return false;
  const sigDer = wholeBytes(cert.sigValue);
  if (sigDer == null) return false;
  const sig = ecdsaSigFromDer(sigDer.slice());
  if (sig == null) return false;
  return ecdsaVerify(issuerPub, cert.tbs.slice(), sig);
}

function sameBytes(a: Uint8Array, b: Uint8Array): bool {
  return a.length == b.length && ctEqual(a, 0, b, 0, a.length);
}

// SHA-256 of the certificate as SDP's a=fingerprint writes it (RFC 8122 §5): "AB:CD:...".
export function fingerprintSha256(der: Uint8Array): string {
  const h = digest(HashAlg.SHA256, der);
  const HEX = "0123456789ABCDEF";
  let s = "";
  for (let i = 0; i < h.length; i++) {
    if (i > 0) s += ":";
    s += HEX.charAt(h[i] >> 4) + HEX.charAt(h[i] & 15);
  }
  return s;
}
