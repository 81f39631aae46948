// RFC 6525 §4.2: Incoming SSN Reset Request parameter (the peer asks us to reset our outgoing streams).
import { ByteReader } from "../util/bytes";

export class IncomingResetRequest {
  streams: Array<u16> = []; // empty: every stream
  constructor(public requestSeq: u32) {}

  // Only parsed: this implementation never asks a peer to reset its outgoing streams.
  static parse(value: Uint8Array): IncomingResetRequest | null {
    if (value.length < 4) return null;
    const r = new ByteReader(value);
    const p = new IncomingResetRequest(r.u32());
    while (r.remaining >= 2) p.streams.push(r.u16());
    return p;
  }
}
