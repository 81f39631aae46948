// RFC 6347 §4.2.3: handshake message reassembly (any order, duplicates, overlaps), bounded.
import { HandshakeHeader, HandshakeMessage } from "./handshake_header";

export const enum FragmentResult {
  Accepted = 0,
  // message_seq below the next expected one: the peer is repeating an earlier flight.
  Old = 1,
  // Dropped: too large, too far ahead, over the byte budget, or inconsistent with earlier fragments.
  Rejected = 2,
}

class Pending {
  body: Uint8Array;
  have: Uint8Array; // one bit per body byte
  received: i32 = 0;

  constructor(public msgType: u8, public seq: u16, public epoch: u16, length: i32) {
    this.body = new Uint8Array(length);
    this.have = new Uint8Array((length + 7) >> 3);
  }

  get complete(): bool {
    return this.received == this.body.length;
  }

  add(off: i32, data: Uint8Array, dataOff: i32, len: i32): void {
    const body = this.body;
    const have = this.have;
    for (let i = 0; i < len; i++) {
      const at = off + i;
      const bit = <u8>(<i32>1 << (at & 7));
      const idx = at >> 3;
      if ((unchecked(have[idx]) & bit) == 0) {
        unchecked((have[idx] |= bit));
        unchecked((body[at] = data[dataOff + i]));
        this.received++;
      }
    }
  }
}

export class FragmentBuffer {
  nextSeq: u16 = 0;
  private pending: Array<Pending> = new Array<Pending>();
  private bytes: i32 = 0;

  // maxMessage bounds one message's body; maxAhead how many message_seq values past the next one
  // may be buffered; maxBytes the sum of buffered bodies.
  constructor(public maxMessage: i32, public maxAhead: i32, public maxBytes: i32) {}

  get empty(): bool {
    return this.pending.length == 0;
  }

  // Moves the expected message_seq when nothing is buffered (a peer's first flight may start at 0 or 1).
  resync(seq: u16): void {
    if (this.pending.length == 0) this.nextSeq = seq;
  }

  // True when nothing is buffered or every buffered message has this fragment's message_seq,
  // type and length: the fragment adds to the one message being reassembled.
  belongsWith(h: HandshakeHeader): bool {
    for (let i = 0; i < this.pending.length; i++) {
      const p = this.pending[i];
      if (p.seq != h.messageSeq || p.msgType != h.msgType || <u32>p.body.length != h.length) return false;
    }
    return true;
  }

  // Adds one fragment whose body is data[off, off + h.fragmentLength), read from a record of epoch.
  push(h: HandshakeHeader, data: Uint8Array, off: i32, epoch: u16): FragmentResult {
    if (h.messageSeq < this.nextSeq) return FragmentResult.Old;
    if (<i32>h.messageSeq - <i32>this.nextSeq >= this.maxAhead) return FragmentResult.Rejected;
    if (h.length > <u32>this.maxMessage) return FragmentResult.Rejected;
    if (off < 0 || <i64>off + <i64>h.fragmentLength > <i64>data.length) return FragmentResult.Rejected;
    const len = <i32>h.length;
    let p: Pending | null = null;
    for (let i = 0; i < this.pending.length; i++) {
      const q = this.pending[i];
      if (q.seq == h.messageSeq) {
        p = q;
        break;
      }
    }
    if (p == null) {
      if (this.bytes + len > this.maxBytes) return FragmentResult.Rejected;
      p = new Pending(h.msgType, h.messageSeq, epoch, len);
      this.pending.push(p);
      this.bytes += len;
    } else if (p.msgType != h.msgType || p.body.length != len || p.epoch != epoch) {
      return FragmentResult.Rejected;
    }
    p.add(<i32>h.fragmentOffset, data, off, <i32>h.fragmentLength);
    return FragmentResult.Accepted;
  }

  // The next message in order when all of its bytes have arrived.
  pop(): HandshakeMessage | null {
    for (let i = 0; i < this.pending.length; i++) {
      const p = this.pending[i];
      if (p.seq == this.nextSeq && p.complete) {
        this.pending.splice(i, 1);
        this.bytes -= p.body.length;
        this.nextSeq++;
        return new HandshakeMessage(p.msgType, p.seq, p.body, p.epoch);
      }
    }
    return null;
  }

  clear(): void {
    this.pending = new Array<Pending>();
    this.bytes = 0;
  }
}
