// RFC 6347 §4.2.4: flights, packed into datagrams of at most the MTU with fragmentation (§4.2.3).
import { ByteWriter } from "../util/bytes";
import { HandshakeHeader } from "./handshake_header";
import { RecordLayer } from "./record_layer";
import { ContentType, HANDSHAKE_HEADER_LEN } from "./protocol";

// Fewer free bytes than this in a datagram start a new one rather than a tiny fragment.
const MIN_FRAGMENT: i32 = 32;

export class FlightEntry {
  constructor(
    public contentType: i32, // Handshake or ChangeCipherSpec
    public epoch: u16,
    public msgType: i32,
    public messageSeq: u16,
    public body: Uint8Array,
  ) {}
}

export class Flight {
  entries: Array<FlightEntry> = new Array<FlightEntry>();

  addHandshake(epoch: u16, msgType: i32, messageSeq: u16, body: Uint8Array): void {
    this.entries.push(new FlightEntry(ContentType.Handshake, epoch, msgType, messageSeq, body));
  }

  addChangeCipherSpec(): void {
    const b = new Uint8Array(1);
    b[0] = 1;
    this.entries.push(new FlightEntry(ContentType.ChangeCipherSpec, 0, 0, 0, b));
  }

  // Datagrams carrying the whole flight with fresh record sequence numbers (every retransmission
  // is new records). Null when a record cannot be written (no key, sequence space exhausted).
  pack(rl: RecordLayer, mtu: i32): Array<Uint8Array> | null {
    const out = new Array<Uint8Array>();
    let w = new ByteWriter(new Uint8Array(mtu));
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i];
      const overhead = rl.overhead(e.epoch);
      if (e.contentType != ContentType.Handshake) {
        if (w.remaining < overhead + e.body.length && w.pos > 0) {
          out.push(w.written().slice());
          w = new ByteWriter(new Uint8Array(mtu));
        }
        if (!rl.write(w, e.contentType, e.epoch, e.body)) return null;
        continue;
      }
      const total = e.body.length;
      let off = 0;
      do {
        let room = w.remaining - overhead - HANDSHAKE_HEADER_LEN;
        if (room < min(MIN_FRAGMENT, total - off) && w.pos > 0) {
          out.push(w.written().slice());
          w = new ByteWriter(new Uint8Array(mtu));
          room = w.remaining - overhead - HANDSHAKE_HEADER_LEN;
        }
        if (room < 0 || (room == 0 && total > off)) return null;
        const n = min(room, total - off);
        const frag = new Uint8Array(HANDSHAKE_HEADER_LEN + n);
        const fw = new ByteWriter(frag);
        HandshakeHeader.of(<u8>e.msgType, <u32>total, e.messageSeq, <u32>off, <u32>n).write(fw);
        fw.bytes(e.body, off, n);
        if (!rl.write(w, ContentType.Handshake, e.epoch, frag)) return null;
        off += n;
      } while (off < total);
    }
    if (w.pos > 0) out.push(w.written().slice());
    return out;
  }
}
