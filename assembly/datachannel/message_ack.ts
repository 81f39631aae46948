// RFC 8832 §5.2: DATA_CHANNEL_ACK, a single message type byte.
import { DCEP_ACK } from "./message_open";

export function encodeAck(): Uint8Array {
  const b = new Uint8Array(1);
  b[0] = DCEP_ACK;
  return b;
}

export function isAck(b: Uint8Array): bool {
  return b.length >= 1 && b[0] == DCEP_ACK;
}
