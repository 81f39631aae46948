// Test entry for P-256 (p256.ts) and ECDSA DER (ecdsa_der.ts) over raw pointers; lengths are
// passed so tests can hand in wrong-sized keys and signatures. Each returns 1/0 (or a length).
export { mem_alloc, mem_free } from "./entry_common";
import { bytesAt, writeAt } from "./entry_common";
import { p256Generate, p256PublicFromPrivate, p256Ecdh, ecdsaSign, ecdsaVerify } from "../../assembly/crypto/p256";
import { ecdsaSigToDer, ecdsaSigFromDer } from "../../assembly/crypto/ecdsa_der";

export function p256_generate(privOut: usize, pubOut: usize): i32 {
  const kp = p256Generate();
  writeAt(privOut, kp.priv);
  writeAt(pubOut, kp.pub);
  return 1;
}

export function p256_public(priv: usize, privLen: i32, pubOut: usize): i32 {
  const pub = p256PublicFromPrivate(bytesAt(priv, privLen));
  if (!pub) return 0;
  writeAt(pubOut, pub);
  return 1;
}

export function p256_ecdh(priv: usize, privLen: i32, pub: usize, pubLen: i32, out: usize): i32 {
  const z = p256Ecdh(bytesAt(priv, privLen), bytesAt(pub, pubLen));
  if (!z) return 0;
  writeAt(out, z);
  return 1;
}

export function ecdsa_sign(priv: usize, privLen: i32, msg: usize, msgLen: i32, sigOut: usize): i32 {
  const sig = ecdsaSign(bytesAt(priv, privLen), bytesAt(msg, msgLen));
  if (!sig) return 0;
  writeAt(sigOut, sig);
  return 1;
}

export function ecdsa_verify(pub: usize, pubLen: i32, msg: usize, msgLen: i32, sig: usize, sigLen: i32): i32 {
  return ecdsaVerify(bytesAt(pub, pubLen), bytesAt(msg, msgLen), bytesAt(sig, sigLen)) ? 1 : 0;
}

// Writes the DER form (at most 72 bytes); returns its length, 0 when sigLen is not 64.
export function ecdsa_sig_to_der(sig: usize, sigLen: i32, derOut: usize): i32 {
  const der = ecdsaSigToDer(bytesAt(sig, sigLen));
  writeAt(derOut, der);
  return der.length;
}

export function ecdsa_sig_from_der(der: usize, derLen: i32, sigOut: usize): i32 {
  const sig = ecdsaSigFromDer(bytesAt(der, derLen));
  if (!sig) return 0;
  writeAt(sigOut, sig);
  return 1;
}
