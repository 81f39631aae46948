// RFC 6347 §4.1.2.6: anti-replay sliding window over 48-bit record sequence numbers.

export class ReplayWindow {
  // Highest sequence number accepted so far and a bitmap of the 64 below it (bit 0 = top).
  private top: u64 = 0;
  private bits: u64 = 0;
  private any: bool = false;

  // True when seq is new: not seen, and not older than the window. Does not record it.
  check(seq: u64): bool {
    if (!this.any || seq > this.top) return true;
    const diff = this.top - seq;
    if (diff >= 64) return false;
    return (this.bits & (<u64>1 << diff)) == 0;
  }

  // True only when seq itself was recorded and is still inside the window. For epoch 0, where
  // nothing authenticates a record, being left of the window proves nothing (a forger picks any
  // number), so only exact repeats of what was recorded are dropped there.
  seen(seq: u64): bool {
    if (!this.any || seq > this.top) return false;
    const diff = this.top - seq;
    return diff < 64 && (this.bits & (<u64>1 << diff)) != 0;
  }

  // Records seq as seen; call only after the record authenticated (epoch 0: once a handshake
  // message it completed was delivered, see DtlsConn.drainMessages).
  accept(seq: u64): void {
    if (!this.any) {
      this.any = true;
      this.top = seq;
      this.bits = 1;
      return;
    }
    if (seq > this.top) {
      const shift = seq - this.top;
      this.bits = shift >= 64 ? 1 : (this.bits << shift) | 1;
      this.top = seq;
    } else {
      const diff = this.top - seq;
      if (diff < 64) this.bits |= <u64>1 << diff;
    }
  }

  reset(): void {
    this.top = 0;
    this.bits = 0;
    this.any = false;
  }
}
