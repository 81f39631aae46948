// Test entry for AES, AES-CTR and AES-GCM: objects live behind integer handles so one object can
// serve several calls; byte buffers are copied in and out of the caller's raw memory.
import { Aes } from "../../assembly/crypto/aes";
import { AesCtr } from "../../assembly/crypto/aes_ctr";
import { AesGcm } from "../../assembly/crypto/aes_gcm";
import { bytesAt, writeAt } from "./entry_common";
export { mem_alloc, mem_free } from "./entry_common";

const ctrs = new Array<AesCtr>();
const gcms = new Array<AesGcm>();

// 1 and the block encrypted into out, or 0 for a bad key length (out untouched).
export function aes_block(key: usize, keyLen: i32, input: usize, out: usize): i32 {
  const aes = new Aes(bytesAt(key, keyLen));
  if (!aes.ok) return 0;
  const src = bytesAt(input, 16);
  const dst = bytesAt(out, 16);
  aes.encryptBlock(src, 0, dst, 0);
  writeAt(out, dst);
  return 1;
}

// Calls encryptBlock with arbitrary offsets and buffer sizes; the buffers are copied back.
export function aes_block_at(key: usize, keyLen: i32, input: usize, inLen: i32, inOff: i32, out: usize, outLen: i32, outOff: i32): void {
  const aes = new Aes(bytesAt(key, keyLen));
  const dst = bytesAt(out, outLen);
  aes.encryptBlock(bytesAt(input, inLen), inOff, dst, outOff);
  writeAt(out, dst);
}

export function ctr_new(key: usize, keyLen: i32): i32 {
  ctrs.push(new AesCtr(bytesAt(key, keyLen)));
  return ctrs.length - 1;
}

export function ctr_ok(h: i32): i32 {
  return ctrs[h].ok ? 1 : 0;
}

// counter is 16 bytes unless counterLen says otherwise; out is copied back whatever the result.
export function ctr_xor(h: i32, counter: usize, counterLen: i32, input: usize, inLen: i32, inOff: i32,
  out: usize, outLen: i32, outOff: i32, len: i32): i32 {
  const ctr = bytesAt(counter, counterLen);
  const dst = bytesAt(out, outLen);
  const ok = ctrs[h].xor(ctr, bytesAt(input, inLen), inOff, dst, outOff, len);
  writeAt(out, dst);
  writeAt(counter, ctr);
  return ok ? 1 : 0;
}

// The same buffer as input and output.
export function ctr_xor_inplace(h: i32, counter: usize, buf: usize, bufLen: i32, off: i32, len: i32): i32 {
  const b = bytesAt(buf, bufLen);
  const ok = ctrs[h].xor(bytesAt(counter, 16), b, off, b, off, len);
  writeAt(buf, b);
  return ok ? 1 : 0;
}

export function gcm_new(key: usize, keyLen: i32): i32 {
  gcms.push(new AesGcm(bytesAt(key, keyLen)));
  return gcms.length - 1;
}

export function gcm_ok(h: i32): i32 {
  return gcms[h].ok ? 1 : 0;
}

export function gcm_seal(h: i32, iv: usize, ivLen: i32, aad: usize, aadLen: i32, input: usize, len: i32,
  out: usize, outLen: i32, tag: usize, tagLen: i32): i32 {
  const o = bytesAt(out, outLen);
  const t = bytesAt(tag, tagLen);
  const ok = gcms[h].seal(bytesAt(iv, ivLen), bytesAt(aad, aadLen), bytesAt(input, len), o, t);
  writeAt(out, o);
  writeAt(tag, t);
  return ok ? 1 : 0;
}

export function gcm_open(h: i32, iv: usize, ivLen: i32, aad: usize, aadLen: i32, input: usize, len: i32,
  tag: usize, tagLen: i32, out: usize, outLen: i32): i32 {
  const o = bytesAt(out, outLen);
  const ok = gcms[h].open(bytesAt(iv, ivLen), bytesAt(aad, aadLen), bytesAt(input, len), bytesAt(tag, tagLen), o);
  writeAt(out, o);
  return ok ? 1 : 0;
}

// In place: buf holds the input and receives the output.
export function gcm_seal_inplace(h: i32, iv: usize, ivLen: i32, aad: usize, aadLen: i32, buf: usize, len: i32, tag: usize): i32 {
  const b = bytesAt(buf, len);
  const t = bytesAt(tag, 16);
  const ok = gcms[h].seal(bytesAt(iv, ivLen), bytesAt(aad, aadLen), b, b, t);
  writeAt(buf, b);
  writeAt(tag, t);
  return ok ? 1 : 0;
}

export function gcm_open_inplace(h: i32, iv: usize, ivLen: i32, aad: usize, aadLen: i32, buf: usize, len: i32, tag: usize): i32 {
  const b = bytesAt(buf, len);
  const ok = gcms[h].open(bytesAt(iv, ivLen), bytesAt(aad, aadLen), b, bytesAt(tag, 16), b);
  writeAt(buf, b);
  return ok ? 1 : 0;
}

// Drops every object made so far, so long test runs do not pile up memory.
export function release_all(): void {
  ctrs.length = 0;
  gcms.length = 0;
}
