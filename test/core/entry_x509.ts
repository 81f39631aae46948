// X.509 and the DER reader over raw pointers for test/core/x509.test.ts. Results of variable
// length are kept in `last` and copied out by last_copy.
export { mem_alloc, mem_free } from "./entry_common";
import { bytesAt, writeAt } from "./entry_common";
import { P256KeyPair } from "../../assembly/crypto/p256";
import {
  createSelfSignedCertificate, certificatePublicKey, certificateSignatureValid, fingerprintSha256,
} from "../../assembly/crypto/x509";

let last = new Uint8Array(0);

function keep(r: Uint8Array | null): i32 {
  if (r == null) return -1;
  last = r;
  return r.length;
}

export function last_copy(out: usize): void {
  writeAt(out, last);
}

// The certificate's length (then last_copy), or -1 for null. cn is UTF-8.
export function x509_create(priv: usize, pub: usize, cn: usize, cnLen: i32, notBefore: i64, notAfter: i64): i32 {
  const key = new P256KeyPair(bytesAt(priv, 32), bytesAt(pub, 65));
  const name = String.UTF8.decodeUnsafe(cn, <usize>cnLen);
  return keep(createSelfSignedCertificate(key, name, notBefore, notAfter));
}

export function x509_public_key(der: usize, len: i32): i32 {
  return keep(certificatePublicKey(bytesAt(der, len)));
}

export function x509_signature_valid(der: usize, len: i32, pub: usize, pubLen: i32): i32 {
  return certificateSignatureValid(bytesAt(der, len), bytesAt(pub, pubLen)) ? 1 : 0;
}

// The fingerprint as UTF-8 (then last_copy).
export function x509_fingerprint(der: usize, len: i32): i32 {
  return keep(Uint8Array.wrap(String.UTF8.encode(fingerprintSha256(bytesAt(der, len)))));
}
