// ISO-HDLC CRC-32 (ISO 3309, ITU-T V.42; the FINGERPRINT of RFC 8489 §14.7): reflected 0x04C11DB7.
import { crcTables, crcUpdate } from "./crc_slice4";

const TABLES = memory.data(4 * 256 * 4, 16);
let ready = false;

// CRC-32 of data[off, off+len); len < 0 means to the end. A range outside data gives 0.
export function crc32(data: Uint8Array, off: i32 = 0, len: i32 = -1): u32 {
  const size = data.length;
  if (len < 0) len = size - off;
  if (off < 0 || off > size || len < 0 || len > size - off) return 0;
  if (!ready) {
    crcTables(TABLES, 0xedb88320);
    ready = true;
  }
  return ~crcUpdate(TABLES, 0xffffffff, data.dataStart + <usize>off, len);
}
