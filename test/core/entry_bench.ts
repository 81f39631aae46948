// Benchmark kernels over the core's crypto API, timed from outside (V8 by bench/crypto.ts, wasm3 by
// `wasmpeer-linux call`). Each returns a byte of its output so the work cannot be optimised away.
export { mem_alloc, mem_free } from "./entry_common";
import { Hash, HashAlg } from "../../assembly/crypto/hash";
import { Hmac } from "../../assembly/crypto/hmac";
import { AesGcm } from "../../assembly/crypto/aes_gcm";
import { AesCtr } from "../../assembly/crypto/aes_ctr";
import { P256KeyPair, p256Generate, p256Ecdh, ecdsaSign, ecdsaVerify } from "../../assembly/crypto/p256";
import { x25519, x25519Generate } from "../../assembly/crypto/x25519";

const data = new Uint8Array(16384);
const out = new Uint8Array(64);
const key16 = new Uint8Array(16);
const key20 = new Uint8Array(20);
const iv12 = new Uint8Array(12);
const counter = new Uint8Array(16);
const aad = new Uint8Array(13);
const tag = new Uint8Array(16);
for (let i = 0; i < data.length; i++) data[i] = <u8>(i * 7);
for (let i = 0; i < 16; i++) key16[i] = <u8>(i + 1);

export function bench_sha256(len: i32, iters: i32): i32 {
  for (let i = 0; i < iters; i++) new Hash(HashAlg.SHA256).update(data, 0, len).finish(out);
  return out[0];
}

export function bench_hmac_sha1(len: i32, iters: i32): i32 {
  for (let i = 0; i < iters; i++) new Hmac(HashAlg.SHA1, key20).update(data, 0, len).finish(out);
  return out[0];
}

let gcm: AesGcm | null = null;
export function bench_aes128_gcm(len: i32, iters: i32): i32 {
  if (!gcm) gcm = new AesGcm(key16);
  const buf = data.subarray(0, len);
  for (let i = 0; i < iters; i++) gcm!.seal(iv12, aad, buf, buf, tag);
  return tag[0];
}

let ctr: AesCtr | null = null;
export function bench_aes128_ctr(len: i32, iters: i32): i32 {
  if (!ctr) ctr = new AesCtr(key16);
  for (let i = 0; i < iters; i++) ctr!.xor(counter, data, 0, data, 0, len);
  return data[0];
}

let alice: P256KeyPair | null = null;
let bob: P256KeyPair | null = null;
let sig: Uint8Array | null = null;
function keys(): void {
  if (!alice) {
    alice = p256Generate();
    bob = p256Generate();
    sig = ecdsaSign(alice!.priv, data.subarray(0, 100));
  }
}

export function bench_p256_ecdh(_len: i32, iters: i32): i32 {
  keys();
  let r: u8 = 0;
  for (let i = 0; i < iters; i++) r ^= p256Ecdh(alice!.priv, bob!.pub)![0];
  return r;
}

export function bench_p256_sign(_len: i32, iters: i32): i32 {
  keys();
  let r: u8 = 0;
  for (let i = 0; i < iters; i++) r ^= ecdsaSign(alice!.priv, data.subarray(0, 100))![0];
  return r;
}

export function bench_p256_verify(_len: i32, iters: i32): i32 {
  keys();
  let ok = 0;
  for (let i = 0; i < iters; i++) if (ecdsaVerify(alice!.pub, data.subarray(0, 100), sig!)) ok++;
  return ok;
}

export function bench_x25519(_len: i32, iters: i32): i32 {
  const a = x25519Generate();
  const b = x25519Generate();
  let r: u8 = 0;
  for (let i = 0; i < iters; i++) r ^= x25519(a.priv, b.pub)![0];
  return r;
}

// ---- STUN: answering an ICE connectivity check (what IceAgent.onRequest does per request) ----

import { StunMessage, ParseResult, messageType, METHOD_BINDING, CLASS_REQUEST } from "../../assembly/stun/message";
import { StunBuilder } from "../../assembly/stun/builder";
import { checkMessageIntegrity, Integrity } from "../../assembly/stun/attr_integrity";
import { addPriority, addIceControlling } from "../../assembly/stun/attr_ice";
import { addXorAddress } from "../../assembly/stun/attr_xor_address";
import { beginSuccess } from "../../assembly/stun/response";
import { TransportAddress } from "../../assembly/stun/transport_address";
import { ATTR_USERNAME, ATTR_XOR_MAPPED_ADDRESS } from "../../assembly/stun/attr_types";

// The short-term key is the remote peer's ICE password as bytes (RFC 8445 §7.2.2, RFC 8489 §9.1.1).
const icePwd = Uint8Array.wrap(String.UTF8.encode("s3cr3tPasswordOf22chrs"));
const stunIn = new StunMessage();
const stunOut = new StunBuilder(548);
const stunSource = TransportAddress.v4(0xc0a80117, 50123);
let stunRequest: Uint8Array | null = null;

// A Binding request shaped like a browser's check: USERNAME, PRIORITY, ICE-CONTROLLING,
// MESSAGE-INTEGRITY, FINGERPRINT (88 bytes).
function bindingRequest(): Uint8Array {
  const tid = new Uint8Array(12);
  for (let i = 0; i < 12; i++) tid[i] = <u8>(i * 17 + 3);
  const b = new StunBuilder(256);
  b.begin(messageType(METHOD_BINDING, CLASS_REQUEST), tid);
  b.addString(ATTR_USERNAME, "abcd:efgh");
  addPriority(b, 1853817087);
  addIceControlling(b, 0x0123456789abcdef);
  b.addMessageIntegrity(icePwd);
  b.addFingerprint();
  return b.copy()!;
}

// iters Binding requests handled: parse (FINGERPRINT checked there), USERNAME present,
// MESSAGE-INTEGRITY checked, success response with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and
// FINGERPRINT written. Returns how many responses were built.
export function bench_stun_binding(_len: i32, iters: i32): i32 {
  if (stunRequest == null) stunRequest = bindingRequest();
  const req = stunRequest!;
  let ok = 0;
  for (let i = 0; i < iters; i++) {
    if (stunIn.parse(req) != ParseResult.Ok || stunIn.value(ATTR_USERNAME) == null) continue;
    if (checkMessageIntegrity(stunIn, icePwd) != Integrity.Ok) continue;
    beginSuccess(stunOut, stunIn);
    addXorAddress(stunOut, ATTR_XOR_MAPPED_ADDRESS, stunSource);
    stunOut.addMessageIntegrity(icePwd);
    stunOut.addFingerprint();
    if (stunOut.finish() != null) ok++;
  }
  return ok;
}

