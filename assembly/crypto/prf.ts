// RFC 5246 §5: the TLS 1.2 PRF, P_SHA256 / P_SHA384 (P_hash over HMAC, label || seed).
import { HashAlg, hashLength } from "./hash";
import { Hmac } from "./hmac";
import { wipe } from "../util/ct";

// outLen bytes of PRF(secret, label, seed); empty for outLen <= 0. The label is ASCII.
export function tlsPrf(alg: HashAlg, secret: Uint8Array, label: string, seed: Uint8Array, outLen: i32): Uint8Array {
  if (outLen <= 0) return new Uint8Array(0);
  const out = new Uint8Array(outLen);
  const labelBytes = Uint8Array.wrap(String.UTF8.encode(label));
  const n = hashLength(alg);
  const mac = new Hmac(alg, secret);
  // A(1) = HMAC(secret, label || seed); A(i+1) = HMAC(secret, A(i)).
  const a = new Uint8Array(n);
  mac.update(labelBytes).update(seed).finish(a);
  const block = new Uint8Array(n);
  for (let pos = 0; pos < outLen; pos += n) {
    mac.reset().update(a).update(labelBytes).update(seed).finish(block);
    const take = min(n, outLen - pos);
    memory.copy(out.dataStart + <usize>pos, block.dataStart, <usize>take);
    if (pos + n < outLen) mac.reset().update(a).finish(a);
  }
  wipe(a);
  wipe(block);
  mac.dispose();
  return out;
}
