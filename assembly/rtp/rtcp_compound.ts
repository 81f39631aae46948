// RFC 3550 §6.1 compound RTCP packets (validity checks of §A.2), with RFC 5506 reduced-size RTCP accepted.
import { ByteWriter } from "../util/bytes";
import { RTCP_RR, RTCP_SR } from "./rtcp_header";
import { RtcpPacket } from "./rtcp_packet";

// A 1500-byte datagram holds at most 375 minimal packets; a bound well under that is plenty
// for real compounds and caps the work a hostile one can cause.
export const RTCP_MAX_PACKETS: i32 = 32;

export const RTCP_ERR_SHORT: i32 = -1;
export const RTCP_ERR_VERSION: i32 = -2;
export const RTCP_ERR_LENGTH: i32 = -3;
export const RTCP_ERR_PADDING: i32 = -4;
export const RTCP_ERR_TOO_MANY: i32 = -5;

// The packets of one compound, as byte ranges: typed parsers (SenderReport.parse, Nack.parse...)
// take (buf, offsets[i], lengths[i]). Lengths exclude padding.
export class RtcpCompound {
  count: i32 = 0;
  types: StaticArray<u8> = new StaticArray<u8>(RTCP_MAX_PACKETS);
  formats: StaticArray<u8> = new StaticArray<u8>(RTCP_MAX_PACKETS); // RC, SC or FMT
  offsets: StaticArray<i32> = new StaticArray<i32>(RTCP_MAX_PACKETS);
  lengths: StaticArray<i32> = new StaticArray<i32>(RTCP_MAX_PACKETS);
  // True when the first packet is not SR/RR: a reduced-size (RFC 5506) or non-compound packet.
  reducedSize: bool = false;
  buf: Uint8Array = new Uint8Array(0);

  // Splits buf[off, off+len). Returns the packet count, or a negative RTCP_ERR_*: any
  // malformed packet rejects the whole datagram (§A.2), as its boundaries cannot be trusted.
  parse(buf: Uint8Array, off: i32 = 0, len: i32 = -1): i32 {
    this.count = 0;
    this.buf = buf;
    if (len < 0) len = buf.length - off;
    if (off < 0 || len < 4 || off + len > buf.length) return RTCP_ERR_SHORT;
    const end = off + len;
    let i = off;
    while (i < end) {
      if (end - i < 4) return RTCP_ERR_SHORT;
      const b0 = buf[i];
      if ((b0 >> 6) != 2) return RTCP_ERR_VERSION;
      const bytes = (<i32>((<u32>buf[i + 2] << 8) | <u32>buf[i + 3]) + 1) << 2;
      if (i + bytes > end) return RTCP_ERR_LENGTH;
      let body = bytes;
      if ((b0 & 0x20) != 0) {
        // §A.2: only the last packet of a compound may be padded.
        if (i + bytes != end) return RTCP_ERR_PADDING;
        const pad = <i32>buf[i + bytes - 1];
        if (pad == 0 || pad > bytes - 4) return RTCP_ERR_PADDING;
        body = bytes - pad;
      }
      if (this.count == RTCP_MAX_PACKETS) return RTCP_ERR_TOO_MANY;
      unchecked((this.types[this.count] = buf[i + 1]));
      unchecked((this.formats[this.count] = b0 & 0x1f));
      unchecked((this.offsets[this.count] = i));
      unchecked((this.lengths[this.count] = body));
      this.count++;
      i += bytes;
    }
    const first = unchecked(this.types[0]);
    this.reducedSize = first != RTCP_SR && first != RTCP_RR;
    return this.count;
  }

  type(i: i32): u8 {
    return i >= 0 && i < this.count ? unchecked(this.types[i]) : 0;
  }

  format(i: i32): u8 {
    return i >= 0 && i < this.count ? unchecked(this.formats[i]) : 0;
  }

  offset(i: i32): i32 {
    return i >= 0 && i < this.count ? unchecked(this.offsets[i]) : 0;
  }

  length(i: i32): i32 {
    return i >= 0 && i < this.count ? unchecked(this.lengths[i]) : 0;
  }
}

export function compoundSize(packets: RtcpPacket[]): i32 {
  let n = 0;
  for (let i = 0; i < packets.length; i++) n += packets[i].size();
  return n;
}

// Concatenates packets into one compound (§6.1: the caller puts SR or RR first, then SDES;
// reduced-size feedback may be sent alone). Empty when it would not fit maxBytes.
export function buildCompound(packets: RtcpPacket[], maxBytes: i32 = 0x7fffffff): Uint8Array {
  const n = compoundSize(packets);
  if (n > maxBytes) return new Uint8Array(0);
  const out = new Uint8Array(n);
  const w = new ByteWriter(out);
  for (let i = 0; i < packets.length; i++) packets[i].write(w);
  return w.ok ? out : new Uint8Array(0);
}
