// Random bytes: always from the host (hardware RNG on boards, crypto.getRandomValues on Node).
import { random_fill } from "../imports";

// Chunks of 64 KiB: the most one Web Crypto getRandomValues call may fill.
const CHUNK = 65536;

export function randomFill(buf: Uint8Array): void {
  const p = buf.dataStart;
  const len = buf.length;
  for (let pos = 0; pos < len; pos += CHUNK) random_fill(p + <usize>pos, min(CHUNK, len - pos));
}

// n random bytes; empty for n <= 0.
export function randomBytes(n: i32): Uint8Array {
  const out = new Uint8Array(max(n, 0));
  randomFill(out);
  return out;
}
