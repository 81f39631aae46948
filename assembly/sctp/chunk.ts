// RFC 9260 §3.2: chunk header, chunk types, and what the high bits of an unknown type ask for.
import { ByteWriter } from "../util/bytes";

export const CHUNK_DATA: u8 = 0;
export const CHUNK_INIT: u8 = 1;
export const CHUNK_INIT_ACK: u8 = 2;
export const CHUNK_SACK: u8 = 3;
export const CHUNK_HEARTBEAT: u8 = 4;
export const CHUNK_HEARTBEAT_ACK: u8 = 5;
export const CHUNK_ABORT: u8 = 6;
export const CHUNK_SHUTDOWN: u8 = 7;
export const CHUNK_SHUTDOWN_ACK: u8 = 8;
export const CHUNK_ERROR: u8 = 9;
export const CHUNK_COOKIE_ECHO: u8 = 10;
export const CHUNK_COOKIE_ACK: u8 = 11;
export const CHUNK_SHUTDOWN_COMPLETE: u8 = 14;
export const CHUNK_RECONFIG: u8 = 130; // RFC 6525
export const CHUNK_FORWARD_TSN: u8 = 192; // RFC 3758

export const CHUNK_HEADER_LEN: i32 = 4;

// The two high bits of an unrecognized chunk type (§3.2).
export const UNKNOWN_STOP: u8 = 0; // drop the rest of the packet silently
export const UNKNOWN_STOP_REPORT: u8 = 1; // drop the rest of the packet, report in an ERROR
export const UNKNOWN_SKIP: u8 = 2; // skip this chunk, go on
export const UNKNOWN_SKIP_REPORT: u8 = 3; // skip this chunk, go on, report in an ERROR

// @ts-ignore: decorator
@inline export function unknownAction(type: u8): u8 {
  return type >> 6;
}

// @ts-ignore: decorator
@inline export function pad4(n: i32): i32 {
  return (n + 3) & ~3;
}

// A chunk as found in a packet: its value is a view into the packet (no copy).
export class RawChunk {
  constructor(public type: u8, public flags: u8, public value: Uint8Array, public raw: Uint8Array) {}
}

// Every chunk we send: a header, a value of known length, padding to 4 bytes.
export abstract class Chunk {
  abstract chunkType(): u8;
  chunkFlags(): u8 {
    return 0;
  }
  abstract valueLength(): i32;
  abstract writeValue(w: ByteWriter): void;

  // Bytes this chunk takes in a packet, padding included.
  encodedLength(): i32 {
    return pad4(CHUNK_HEADER_LEN + this.valueLength());
  }

  encode(w: ByteWriter): void {
    const len = CHUNK_HEADER_LEN + this.valueLength();
    w.u8(this.chunkType());
    w.u8(this.chunkFlags());
    w.u16(len);
    this.writeValue(w);
    w.zeros(pad4(len) - len);
  }
}

// A chunk whose value is opaque bytes (COOKIE-ECHO, ABORT/ERROR causes, SHUTDOWN-ACK, ...).
export class BytesChunk extends Chunk {
  constructor(public type: u8, public flags: u8, public value: Uint8Array) {
    super();
  }
  chunkType(): u8 {
    return this.type;
  }
  chunkFlags(): u8 {
    return this.flags;
  }
  valueLength(): i32 {
    return this.value.length;
  }
  writeValue(w: ByteWriter): void {
    w.bytes(this.value);
  }
}
