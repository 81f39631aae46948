// RFC 9260 §3.1, §6.8: common header (ports, verification tag, CRC32c checksum) and chunk list.
import { ByteWriter } from "../util/bytes";
import { crc32c } from "../crypto/crc32c";
import { Chunk, RawChunk, pad4 } from "./chunk";

export const COMMON_HEADER_LEN: i32 = 12;

export class Packet {
  srcPort: u16 = 0;
  dstPort: u16 = 0;
  vtag: u32 = 0;
  chunks: Array<RawChunk> = [];
}

// The checksum as it sits in the header: the CRC32c value in little-endian byte order
// (Appendix A's reflected CRC, transmitted least significant byte first).
function packetChecksum(buf: Uint8Array): u32 {
  const p = buf.dataStart + 8;
  const saved = load<u32>(p);
  store<u32>(p, 0);
  const crc = crc32c(buf);
  store<u32>(p, saved);
  return crc;
}

export function checksumOk(buf: Uint8Array): bool {
  return buf.length >= COMMON_HEADER_LEN && packetChecksum(buf) == load<u32>(buf.dataStart + 8);
}

// Null for a packet that is short, fails its checksum, or whose chunk lengths lie. Chunk
// values are views into buf. Deciding what each chunk means is the association's job.
export function parsePacket(buf: Uint8Array, verifyChecksum: bool = true): Packet | null {
  const n = buf.length;
  if (n < COMMON_HEADER_LEN) return null;
  if (verifyChecksum && !checksumOk(buf)) return null;
  const pk = new Packet();
  pk.srcPort = (<u16>buf[0] << 8) | <u16>buf[1];
  pk.dstPort = (<u16>buf[2] << 8) | <u16>buf[3];
  pk.vtag = (<u32>buf[4] << 24) | (<u32>buf[5] << 16) | (<u32>buf[6] << 8) | <u32>buf[7];
  let p = COMMON_HEADER_LEN;
  while (p + 4 <= n) {
    const len = (<i32>buf[p + 2] << 8) | <i32>buf[p + 3];
    if (len < 4 || p + len > n) return null;
    pk.chunks.push(new RawChunk(buf[p], buf[p + 1], buf.subarray(p + 4, p + len), buf.subarray(p, p + len)));
    p += pad4(len);
  }
  // Only padding of the last chunk may follow.
  if (p < n && n - p >= 4) return null;
  return pk;
}

// Bundles chunks into one packet of at most `mtu` bytes (§6.10).
export class PacketWriter {
  buf: Uint8Array;
  w: ByteWriter;
  count: i32 = 0;

  constructor(mtu: i32, srcPort: u16, dstPort: u16, vtag: u32) {
    const buf = new Uint8Array(mtu);
    this.buf = buf;
    this.w = new ByteWriter(buf);
    this.w.u16(srcPort);
    this.w.u16(dstPort);
    this.w.u32(vtag);
    this.w.u32(0);
  }

  // The largest chunk that still fits. Every chunk is padded to a multiple of 4 (§3.2), so with
  // an MTU that is not one, the bytes past the last multiple of 4 can never be used: a DATA
  // fragment sized to the raw remainder would pad past the MTU and never leave.
  get room(): i32 {
    return this.w.remaining & ~3;
  }

  get empty(): bool {
    return this.count == 0;
  }

  // False (and nothing written) when the chunk does not fit.
  add(c: Chunk): bool {
    if (c.encodedLength() > this.w.remaining) return false;
    c.encode(this.w);
    this.count++;
    return true;
  }

  // The finished packet (a copy of the written bytes) with its checksum.
  finish(): Uint8Array {
    const out = this.buf.slice(0, this.w.pos);
    store<u32>(out.dataStart + 8, packetChecksum(out));
    return out;
  }
}
