// Random bytes: always from the host (hardware RNG on boards, crypto.getRandomValues on Node).
import { random_fill } from "../imports";

export function randomFill(buf: Uint8Array): void {
  if (buf.length > 0) random_fill(buf.dataStart, buf.length);
}

// n random bytes; empty for n <= 0.
export function randomBytes(n: i32): Uint8Array {
  const out = new Uint8Array(max(n, 0));
  randomFill(out);
  return out;
}
