// CRC-32C (Castagnoli), the SCTP checksum of RFC 9260 §6.8 and App. B (RFC 3720 B.4): reflected 0x1EDC6F41.
import { crcTables, crcUpdate } from "./crc_slice4";

const TABLES = memory.data(4 * 256 * 4, 16);
let ready = false;

// CRC-32C of data[off, off+len); len < 0 means to the end. A range outside data gives 0.
export function crc32c(data: Uint8Array, off: i32 = 0, len: i32 = -1): u32 {
  const size = data.length;
  if (len < 0) len = size - off;
  if (off < 0 || off > size || len < 0 || len > size - off) return 0;
  if (!ready) {
    crcTables(TABLES, 0x82f63b78);
    ready = true;
  }
  return ~crcUpdate(TABLES, 0xffffffff, data.dataStart + <usize>off, len);
}
