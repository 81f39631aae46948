// RFC 6347 §4.1: DTLSPlaintext/DTLSCiphertext record header (type, version, epoch, seq, length).
import { ByteReader, ByteWriter } from "../util/bytes";
import { RECORD_HEADER_LEN } from "./protocol";

export const MAX_SEQUENCE: u64 = 0xffffffffffff;

export class RecordHeader {
  contentType: u8 = 0;
  version: u16 = 0;
  epoch: u16 = 0;
  sequence: u64 = 0; // 48 bits on the wire
  length: u16 = 0;

  // Reads one header; false when fewer than 13 bytes remain or the version is not DTLS (0xfeXX).
  read(r: ByteReader): bool {
    if (!r.has(RECORD_HEADER_LEN)) return false;
    this.contentType = r.u8();
    this.version = r.u16();
    this.epoch = r.u16();
    this.sequence = r.u48();
    this.length = r.u16();
    return r.ok && (this.version >> 8) == 0xfe;
  }

  write(w: ByteWriter): void {
    w.u8(this.contentType);
    w.u16(this.version);
    w.u16(this.epoch);
    w.u48(this.sequence);
    w.u16(this.length);
  }

  static of(contentType: u8, version: u16, epoch: u16, sequence: u64, length: u16): RecordHeader {
    const h = new RecordHeader();
    h.contentType = contentType;
    h.version = version;
    h.epoch = epoch;
    h.sequence = sequence;
    h.length = length;
    return h;
  }
}
