// RFC 6347 §4.1: epochs, per-epoch 48-bit write sequence numbers, and the ciphers of epoch 1.
import { ByteWriter } from "../util/bytes";
import { RecordHeader, MAX_SEQUENCE } from "./record_header";
import { RecordCipher } from "./record_protection";
import { ReplayWindow } from "./replay_window";
import { DTLS_1_2, RECORD_HEADER_LEN } from "./protocol";
import { GCM_OVERHEAD } from "./cipher_suite";

const STATELESS_SEQ_LIMIT: u64 = 0x10000;

// Only epochs 0 (plaintext) and 1 exist: renegotiation is refused, so keys never change.
export class RecordLayer {
  private writeSeq: StaticArray<u64> = new StaticArray<u64>(2);
  writeCipher: RecordCipher | null = null;
  readCipher: RecordCipher | null = null;
  replay: StaticArray<ReplayWindow> = [new ReplayWindow(), new ReplayWindow()];

  overhead(epoch: u16): i32 {
    return epoch == 0 ? RECORD_HEADER_LEN : RECORD_HEADER_LEN + GCM_OVERHEAD;
  }

  // The sequence number the next record of the epoch will carry.
  nextWriteSeq(epoch: u16): u64 {
    return this.writeSeq[epoch & 1];
  }

  // Appends one record; false when the writer is full, the epoch has no key, or the sequence
  // space of the epoch is exhausted (the connection must then close: no renegotiation).
  write(w: ByteWriter, type: i32, epoch: u16, payload: Uint8Array): bool {
    if (epoch > 1) return false;
    const seq = this.writeSeq[epoch];
    if (seq > MAX_SEQUENCE) return false;
    if (epoch == 0) {
      if (w.remaining < RECORD_HEADER_LEN + payload.length) return false;
      RecordHeader.of(<u8>type, DTLS_1_2, 0, seq, <u16>payload.length).write(w);
      w.bytes(payload);
    } else {
      const c = this.writeCipher;
      if (c == null || !c.seal(w, <u8>type, DTLS_1_2, 1, seq, payload)) return false;
    }
    this.writeSeq[epoch] = seq + 1;
    return true;
  }

  // A stateless reply (HelloVerifyRequest) reuses the ClientHello's record sequence (§4.2.1).
  // Later records continue above it, or the client's replay window would drop them; a hello
  // claiming a huge sequence number (no real client's) must not use up our own space.
  writeWithSeq(w: ByteWriter, type: i32, seq: u64, payload: Uint8Array): bool {
    if (seq > MAX_SEQUENCE || w.remaining < RECORD_HEADER_LEN + payload.length) return false;
    RecordHeader.of(<u8>type, DTLS_1_2, 0, seq, <u16>payload.length).write(w);
    w.bytes(payload);
    if (seq < STATELESS_SEQ_LIMIT && this.writeSeq[0] <= seq) this.writeSeq[0] = seq + 1;
    return true;
  }
}
