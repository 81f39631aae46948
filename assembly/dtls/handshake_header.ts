// RFC 6347 §4.2.2: handshake message header with message_seq and fragment offset/length.
import { ByteReader, ByteWriter } from "../util/bytes";
import { HANDSHAKE_HEADER_LEN } from "./protocol";

export class HandshakeHeader {
  msgType: u8 = 0;
  length: u32 = 0; // of the whole message body
  messageSeq: u16 = 0;
  fragmentOffset: u32 = 0;
  fragmentLength: u32 = 0;

  // Reads one header; false when short or when the fragment does not lie inside the message.
  read(r: ByteReader): bool {
    if (!r.has(HANDSHAKE_HEADER_LEN)) return false;
    this.msgType = r.u8();
    this.length = r.u24();
    this.messageSeq = r.u16();
    this.fragmentOffset = r.u24();
    this.fragmentLength = r.u24();
    return r.ok && <u64>this.fragmentOffset + <u64>this.fragmentLength <= <u64>this.length;
  }

  write(w: ByteWriter): void {
    w.u8(this.msgType);
    w.u24(this.length);
    w.u16(this.messageSeq);
    w.u24(this.fragmentOffset);
    w.u24(this.fragmentLength);
  }

  static of(msgType: u8, length: u32, messageSeq: u16, fragmentOffset: u32, fragmentLength: u32): HandshakeHeader {
    const h = new HandshakeHeader();
    h.msgType = msgType;
    h.length = length;
    h.messageSeq = messageSeq;
    h.fragmentOffset = fragmentOffset;
    h.fragmentLength = fragmentLength;
    return h;
  }
}

// A complete handshake message as the state machines see it.
export class HandshakeMessage {
  // Sequence number of the (highest) record it arrived in, when received.
  recordSeq: u64 = 0;

  constructor(public msgType: i32, public messageSeq: u16, public body: Uint8Array, public epoch: u16 = 0) {}

  // The unfragmented form (offset 0, fragment length = length) that enters the transcript (§4.2.6).
  encodeWhole(): Uint8Array {
    const out = new Uint8Array(HANDSHAKE_HEADER_LEN + this.body.length);
    const w = new ByteWriter(out);
    HandshakeHeader.of(<u8>this.msgType, <u32>this.body.length, this.messageSeq, 0, <u32>this.body.length).write(w);
    w.bytes(this.body);
    return out;
  }
}
