// FIPS 186-4 §6 and SEC 1 §3.3.1, §4.1: P-256 key pairs, ECDH and ECDSA (SHA-256, RFC 6979 k).
// Keys: private 32 bytes big-endian in [1, n-1]; public 65 bytes 0x04 || X || Y. Signatures:
// 64 bytes r || s (ecdsa_der.ts converts to and from DER). Bad input gives null or false.
import { HOST_CRYPTO } from "./provider";
import { randomFill } from "./random";
import { host_p256_public, host_p256_ecdh, host_p256_sign, host_p256_verify } from "../imports";
import { digest, HashAlg } from "./hash";
import { Rfc6979 } from "./p256_rfc6979";
import { limbsFromBE, limbsToBE, isZeroMask, eqMask } from "./p256_mont";
import { feIsCanonical } from "./p256_field";
import { scIsValid, scBytesValid, scReduce, scToMont, scMulMont, scAdd, scInvMont } from "./p256_scalar";
import {
  BASE, POINT_SIZE, pointMulSecret, pointMulTwoPublic, pointToAffine, pointToUncompressed, pointFromUncompressed,
} from "./p256_point";
import { wipe } from "../util/ct";

export class P256KeyPair {
  constructor(public priv: Uint8Array, public pub: Uint8Array) {}
}

// Scratch, as 8-limb integers and points; wiped after each use that held a secret.
const D: usize = memory.data(32);
const K: usize = memory.data(32);
const KINV: usize = memory.data(32);
const E: usize = memory.data(32);
const R: usize = memory.data(32);
const S: usize = memory.data(32);
const X: usize = memory.data(32);
const Y: usize = memory.data(32);
const PT: usize = memory.data(96);
const PT2: usize = memory.data(96);

// A fresh key pair from the host's random source: 32 random bytes, drawn again while they fall
// outside [1, n-1] (probability about 2^-32 per draw, so the key stays uniform).
export function p256Generate(): P256KeyPair {
  const priv = new Uint8Array(32);
  for (let tries = 0; tries < 64; tries++) {
    randomFill(priv);
    const pub = p256PublicFromPrivate(priv);
    if (pub) return new P256KeyPair(priv, pub);
  }
  // 64 draws out of range means the host's random source is broken: a bug, not bad input.
  throw new Error("randomFill gives no usable P-256 key");
}

export function p256PublicFromPrivate(priv: Uint8Array): Uint8Array | null {
  if (!scBytesValid(priv)) return null;
  const pub = new Uint8Array(65);
  if (HOST_CRYPTO) {
    return host_p256_public(priv.dataStart, pub.dataStart) ? pub : null;
  } else {
    limbsFromBE(D, priv.dataStart);
    pointMulSecret(PT, BASE, D);
    memory.fill(D, 0, 32);
    return pointToUncompressed(pub.dataStart, PT) ? pub : null;
  }
}

// Both coordinates of an uncompressed point below p (the host checks the curve equation).
function coordsCanonical(pub: Uint8Array): bool {
  limbsFromBE(X, pub.dataStart + 1);
  limbsFromBE(Y, pub.dataStart + 33);
  return (feIsCanonical(X) & feIsCanonical(Y)) != 0;
}

// The X coordinate of priv * peerPub, after validating the peer's point (SEC 1 §3.2.2.1).
export function p256Ecdh(priv: Uint8Array, peerPub: Uint8Array): Uint8Array | null {
  if (!scBytesValid(priv)) return null;
  if (peerPub.length != 65 || peerPub[0] != 0x04) return null;
  const out = new Uint8Array(32);
  if (HOST_CRYPTO) {
    if (!coordsCanonical(peerPub)) return null;
    return host_p256_ecdh(priv.dataStart, peerPub.dataStart, out.dataStart) ? out : null;
  } else {
    if (!pointFromUncompressed(PT, peerPub)) return null;
    limbsFromBE(D, priv.dataStart);
    pointMulSecret(PT, PT, D);
    memory.fill(D, 0, 32);
    // Unreachable for a valid point of this prime-order group and k in [1, n-1], but checked.
    const finite = pointToAffine(X, Y, PT);
    limbsToBE(out.dataStart, X);
    memory.fill(PT, 0, POINT_SIZE);
    memory.fill(X, 0, 32);
    memory.fill(Y, 0, 32);
    return finite ? out : null;
  }
}

// E = SHA-256(msg) as an integer mod n (bits2int is the identity: the hash is as long as n).
function hashToScalar(msg: Uint8Array): void {
  const h = digest(HashAlg.SHA256, msg);
  limbsFromBE(E, h.dataStart);
  scReduce(E, E);
}

// r || s over SHA-256(msg); null for a private key outside [1, n-1].
export function ecdsaSign(priv: Uint8Array, msg: Uint8Array): Uint8Array | null {
  if (!scBytesValid(priv)) return null;
  const sig = new Uint8Array(64);
  if (HOST_CRYPTO) {
    return host_p256_sign(priv.dataStart, msg.dataStart, msg.length, sig.dataStart) ? sig : null;
  } else {
    hashToScalar(msg);
    const h1 = new Uint8Array(32);
    limbsToBE(h1.dataStart, E);
    const nonces = new Rfc6979(priv, h1);
    const kBytes = new Uint8Array(32);
    limbsFromBE(D, priv.dataStart);
    let done = false;
    while (!done) {
      nonces.next(kBytes);
      limbsFromBE(K, kBytes.dataStart);
      if (scIsValid(K) == 0) continue;
      pointMulSecret(PT, BASE, K);
      pointToAffine(X, Y, PT);
      scReduce(R, X);
      if (isZeroMask(R)) continue;
      // s = k^-1 (e + r d): montgomery products of a plain and a Montgomery-domain operand are
      // plain, so only k needs converting.
      scToMont(KINV, K);
      scInvMont(KINV, KINV);
      scToMont(S, D);
      scMulMont(S, R, S);
      scAdd(S, S, E);
      scMulMont(S, S, KINV);
      done = isZeroMask(S) == 0;
    }
    limbsToBE(sig.dataStart, R);
    limbsToBE(sig.dataStart + 32, S);
    nonces.wipe();
    wipe(kBytes);
    memory.fill(D, 0, 32);
    memory.fill(K, 0, 32);
    memory.fill(KINV, 0, 32);
    memory.fill(PT, 0, POINT_SIZE);
    memory.fill(X, 0, 32);
    memory.fill(Y, 0, 32);
    return sig;
  }
}

// True only for a 64-byte r || s with r, s in [1, n-1] that verifies under a valid public key.
export function ecdsaVerify(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): bool {
  if (sig.length != 64 || pub.length != 65 || pub[0] != 0x04) return false;
  limbsFromBE(R, sig.dataStart);
  limbsFromBE(S, sig.dataStart + 32);
  if ((scIsValid(R) & scIsValid(S)) == 0) return false;
  if (HOST_CRYPTO) {
    if (!coordsCanonical(pub)) return false;
    return host_p256_verify(pub.dataStart, msg.dataStart, msg.length, sig.dataStart) != 0;
  } else {
    if (!pointFromUncompressed(PT2, pub)) return false;
    hashToScalar(msg);
    // w = s^-1 (Montgomery domain); u1 = e w and u2 = r w come out plain.
    scToMont(S, S);
    scInvMont(S, S);
    scMulMont(E, E, S);
    scMulMont(S, R, S);
    pointMulTwoPublic(PT, E, BASE, S, PT2);
    if (!pointToAffine(X, Y, PT)) return false;
    scReduce(X, X);
    return eqMask(X, R) != 0;
  }
}
