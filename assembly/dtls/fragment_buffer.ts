// RFC 6347 §4.2.3: handshake message reassembly (any order, duplicates, overlaps), bounded.
import { HandshakeHeader, HandshakeMessage } from "./handshake_header";

export const enum FragmentResult {
  Accepted = 0,
  // message_seq below the next expected one: the peer is repeating an earlier flight.
  Old = 1,
  // Dropped: too large, too far ahead, over the byte budget, or contradicting an authenticated message.
  Rejected = 2,
  // Accepted in place of the partial message it contradicts (another type, length, epoch or bytes).
  Replaced = 3,
}

class Pending {
  body: Uint8Array;
  have: Uint8Array; // one bit per body byte
  received: i32 = 0;
  // Highest record sequence number among the records that brought bytes (or, for an empty
  // message, the one that brought it): the record a HelloVerifyRequest echoes, and the one the
  // epoch-0 replay window records once the message is delivered.
  recordSeq: u64 = 0;

  constructor(public msgType: u8, public seq: u16, public epoch: u16, length: i32, recordSeq: u64) {
    this.body = new Uint8Array(length);
    this.have = new Uint8Array((length + 7) >> 3);
    this.recordSeq = recordSeq;
  }

  get complete(): bool {
    return this.received == this.body.length;
  }

  // True when the fragment can be part of this message: same type, length and epoch, and every
  // byte it shares with what is held is equal (a retransmission repeats the same bytes, §4.2.4).
  agrees(h: HandshakeHeader, data: Uint8Array, dataOff: i32, epoch: u16): bool {
    if (this.msgType != h.msgType || <u32>this.body.length != h.length || this.epoch != epoch) return false;
    const off = <i32>h.fragmentOffset;
    const have = this.have;
    const body = this.body;
    for (let i = 0, n = <i32>h.fragmentLength; i < n; i++) {
      const at = off + i;
      if ((unchecked(have[at >> 3]) & (<u8>(<i32>1 << (at & 7)))) != 0 && unchecked(body[at]) != data[dataOff + i]) return false;
    }
    return true;
  }

  add(off: i32, data: Uint8Array, dataOff: i32, len: i32, recordSeq: u64): void {
    const body = this.body;
    const have = this.have;
    const before = this.received;
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
    if (this.received > before && recordSeq > this.recordSeq) this.recordSeq = recordSeq;
  }
}

// Conflicts (a fragment that cannot belong with the partial message held at its message_seq):
// epoch 0 is not authenticated (RFC 6347 §4.1.2.6 has nothing to verify there), so either side may
// be a forgery. Keeping the first would let one forged fragment, sent ahead of the real one, hold
// the message_seq until the handshake times out: every real fragment, retransmissions included,
// would contradict it. So the newer fragment replaces the partial message. The peer retransmits
// whole flights (§4.2.4) with every message in message_seq order (§4.2.2), so its retransmission
// replaces a forgery and then completes the message. An epoch-1 message was authenticated and is
// never given up for a plaintext fragment.
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

  // Moves the expected message_seq (a peer's first flight may start at 0 or 1), dropping what no
  // longer lies within [seq, seq + maxAhead): a fragment that moved it earlier, forged or stale,
  // must not keep the peer's real first message from being delivered.
  resync(seq: u16): void {
    this.nextSeq = seq;
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const p = this.pending[i];
      if (p.seq < seq || <i32>p.seq - <i32>seq >= this.maxAhead) this.removeAt(i);
    }
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

  // Adds one fragment whose body is data[off, off + h.fragmentLength), read from a record of epoch
  // numbered recordSeq.
  push(h: HandshakeHeader, data: Uint8Array, off: i32, epoch: u16, recordSeq: u64 = 0): FragmentResult {
    if (h.messageSeq < this.nextSeq) return FragmentResult.Old;
    if (<i32>h.messageSeq - <i32>this.nextSeq >= this.maxAhead) return FragmentResult.Rejected;
    if (h.length > <u32>this.maxMessage) return FragmentResult.Rejected;
    if (<u64>h.fragmentOffset + <u64>h.fragmentLength > <u64>h.length) return FragmentResult.Rejected;
    if (off < 0 || <i64>off + <i64>h.fragmentLength > <i64>data.length) return FragmentResult.Rejected;
    let result = FragmentResult.Accepted;
    const i = this.indexOf(h.messageSeq);
    if (i >= 0) {
      const q = this.pending[i];
      if (q.agrees(h, data, off, epoch)) {
        q.add(<i32>h.fragmentOffset, data, off, <i32>h.fragmentLength, recordSeq);
        return FragmentResult.Accepted;
      }
      if (q.epoch > epoch) return FragmentResult.Rejected;
      result = FragmentResult.Replaced;
    }
    const len = <i32>h.length;
    if (!this.makeRoom(h.messageSeq, len, epoch)) return FragmentResult.Rejected;
    const p = new Pending(h.msgType, h.messageSeq, epoch, len, recordSeq);
    this.pending.push(p);
    this.bytes += len;
    p.add(<i32>h.fragmentOffset, data, off, <i32>h.fragmentLength, recordSeq);
    return result;
  }

  // The next message in order when all of its bytes have arrived.
  pop(): HandshakeMessage | null {
    for (let i = 0; i < this.pending.length; i++) {
      const p = this.pending[i];
      if (p.seq == this.nextSeq && p.complete) {
        this.removeAt(i);
        this.nextSeq++;
        const m = new HandshakeMessage(p.msgType, p.seq, p.body, p.epoch);
        m.recordSeq = p.recordSeq;
        return m;
      }
    }
    return null;
  }

  clear(): void {
    this.pending = new Array<Pending>();
    this.bytes = 0;
  }

  private indexOf(seq: u16): i32 {
    for (let i = 0; i < this.pending.length; i++) if (this.pending[i].seq == seq) return i;
    return -1;
  }

  private removeAt(i: i32): void {
    this.bytes -= this.pending[i].body.length;
    this.pending.splice(i, 1);
  }

  // Frees room for a message of len bytes at seq: the message it replaces there, then messages
  // further ahead, farthest first (a nearer one is needed sooner, and the peer's next retransmission
  // brings back whatever was given up), never an authenticated one for a plaintext fragment. Without
  // this, forged partial messages claiming large lengths at later message_seq values would fill the
  // budget and every real message would be refused. False, changing nothing, when that is not enough.
  private makeRoom(seq: u16, len: i32, epoch: u16): bool {
    let free = this.maxBytes - this.bytes;
    for (let i = 0; i < this.pending.length; i++) {
      const p = this.pending[i];
      if (p.seq >= seq && p.epoch <= epoch) free += p.body.length;
    }
    if (len > free) return false;
    const at = this.indexOf(seq);
    if (at >= 0) this.removeAt(at);
    while (this.bytes + len > this.maxBytes) {
      let far = -1;
      for (let i = 0; i < this.pending.length; i++) {
        const p = this.pending[i];
        if (p.seq > seq && p.epoch <= epoch && (far < 0 || p.seq > this.pending[far].seq)) far = i;
      }
      if (far < 0) return false; // not reached: free counted exactly these
      this.removeAt(far);
    }
    return true;
  }
}
