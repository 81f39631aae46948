// RFC 5246 §7.4.8-7.4.9 and RFC 6347 §4.2.6: the handshake messages, kept for signatures and hashes.
import { HashAlg, digest } from "../crypto/hash";

// Bytes are kept (not only a running hash) because ECDSA signs the message itself (the host
// providers hash inside), and because the suite's hash is unknown until ServerHello.
export class Transcript {
  private buf: Uint8Array = new Uint8Array(0);
  length: i32 = 0;
  overflow: bool = false;

  // The buffer is taken at the first message (a stateless server keeps none before the cookie)
  // and grows by doubling up to capacity.
  constructor(public capacity: i32) {}

  add(msg: Uint8Array): void {
    if (this.overflow || msg.length > this.capacity - this.length) {
      this.overflow = true;
      return;
    }
    const need = this.length + msg.length;
    if (need > this.buf.length) {
      let size = max(this.buf.length * 2, 2048);
      while (size < need) size *= 2;
      const grown = new Uint8Array(min(size, this.capacity));
      grown.set(this.buf.subarray(0, this.length), 0);
      this.buf = grown;
    }
    this.buf.set(msg, this.length);
    this.length += msg.length;
  }

  reset(): void {
    this.length = 0;
    this.overflow = false;
  }

  // The first n bytes (all when n < 0), as a view.
  bytes(n: i32 = -1): Uint8Array {
    return this.buf.subarray(0, n < 0 ? this.length : min(n, this.length));
  }

  hash(alg: HashAlg, n: i32 = -1): Uint8Array {
    return digest(alg, this.bytes(n));
  }

  release(): void {
    this.buf = new Uint8Array(0);
    this.length = 0;
    this.capacity = 0;
  }
}
