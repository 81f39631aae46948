// RFC 9260 §5.1 (tags and initial TSNs), §8.3 (heartbeat nonces): random 32-bit values.
import { randomBytes } from "../crypto/random";

export function randomU32(): u32 {
  const b = randomBytes(4);
  return (<u32>b[0] << 24) | (<u32>b[1] << 16) | (<u32>b[2] << 8) | <u32>b[3];
}

// A verification tag must not be 0 (§5.1, §8.5.1): 0 marks an INIT.
export function randomU32NonZero(): u32 {
  const b = randomBytes(4);
  const v = (<u32>b[0] << 24) | (<u32>b[1] << 16) | (<u32>b[2] << 8) | <u32>b[3];
  return v == 0 ? 1 : v;
}
