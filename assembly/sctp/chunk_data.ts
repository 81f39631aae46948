// RFC 9260 §3.3.1: DATA chunk (U, B, E and I flags; TSN, stream, SSN, PPID, user data).
import { ByteWriter } from "../util/bytes";
import { Chunk, CHUNK_DATA } from "./chunk";

export const DATA_FLAG_END: u8 = 0x01;
export const DATA_FLAG_BEGIN: u8 = 0x02;
export const DATA_FLAG_UNORDERED: u8 = 0x04;
export const DATA_FLAG_IMMEDIATE: u8 = 0x08;
export const DATA_HEADER_LEN: i32 = 16; // chunk header + 12 bytes of fields

export class DataChunk extends Chunk {
  constructor(
    public flags: u8,
    public tsn: u32,
    public streamId: u16,
    public ssn: u16,
    public ppid: u32,
    public payload: Uint8Array,
  ) {
    super();
  }

  get begin(): bool {
    return (this.flags & DATA_FLAG_BEGIN) != 0;
  }
  get end(): bool {
    return (this.flags & DATA_FLAG_END) != 0;
  }
  get unordered(): bool {
    return (this.flags & DATA_FLAG_UNORDERED) != 0;
  }

  chunkType(): u8 {
    return CHUNK_DATA;
  }
  chunkFlags(): u8 {
    return this.flags;
  }
  valueLength(): i32 {
    return 12 + this.payload.length;
  }
  writeValue(w: ByteWriter): void {
    w.u32(this.tsn);
    w.u16(this.streamId);
    w.u16(this.ssn);
    w.u32(this.ppid);
    w.bytes(this.payload);
  }

  // The payload is a view into the packet. Null when shorter than the fixed fields; an empty
  // payload parses (the association answers it with the No User Data cause).
  static parse(flags: u8, value: Uint8Array): DataChunk | null {
    if (value.length < 12) return null;
    const tsn = (<u32>value[0] << 24) | (<u32>value[1] << 16) | (<u32>value[2] << 8) | <u32>value[3];
    const sid = (<u16>value[4] << 8) | <u16>value[5];
    const ssn = (<u16>value[6] << 8) | <u16>value[7];
    const ppid = (<u32>value[8] << 24) | (<u32>value[9] << 16) | (<u32>value[10] << 8) | <u32>value[11];
    return new DataChunk(flags, tsn, sid, ssn, ppid, value.subarray(12));
  }
}
