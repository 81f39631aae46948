// X25519 over raw pointers for test/core/x25519.test.ts.
export { mem_alloc, mem_free } from "./entry_common";
import { bytesAt, writeAt } from "./entry_common";
import { x25519, x25519Base, x25519Generate } from "../../assembly/crypto/x25519";

// Writes X25519(scalar, u) to out and returns 1, or returns 0 when the API answers null.
export function x25519_raw(scalar: usize, scalarLen: i32, u: usize, uLen: i32, out: usize): i32 {
  const r = x25519(bytesAt(scalar, scalarLen), bytesAt(u, uLen));
  if (r == null) return 0;
  writeAt(out, r);
  return 1;
}

// The RFC 7748 §5.2 iteration: k, u = X25519(k, u), k, done n times from k = u = 9.
export function x25519_iterate(n: i32, out: usize): i32 {
  let k = new Uint8Array(32);
  let u = new Uint8Array(32);
  k[0] = 9;
  u[0] = 9;
  for (let i = 0; i < n; i++) {
    const r = x25519(k, u);
    if (r == null) return 0;
    u = k;
    k = r;
  }
  writeAt(out, k);
  return 1;
}

export function x25519_base(scalar: usize, out: usize): i32 {
  const r = x25519Base(bytesAt(scalar, 32));
  if (r == null) return 0;
  writeAt(out, r);
  return 1;
}

export function x25519_generate(privOut: usize, pubOut: usize): void {
  const kp = x25519Generate();
  writeAt(privOut, kp.priv);
  writeAt(pubOut, kp.pub);
}
