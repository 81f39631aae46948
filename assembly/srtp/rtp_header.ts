// RFC 3550 §5.1 and §5.3.1: just enough of the RTP header to find where SRTP's payload starts.
import { loadBE16 } from "../util/endian";

export const RTP_FIXED_HEADER: i32 = 12;

// The header length (fixed part, CSRCs and header extension) of the RTP packet in buf[0, len), or
// -1 when it is not version 2 or its CSRC count or extension length runs past len.
export function rtpHeaderLength(buf: Uint8Array, len: i32): i32 {
  if (len < RTP_FIXED_HEADER || len > buf.length) return -1;
  const p = buf.dataStart;
  const b0 = <i32>load<u8>(p);
  if ((b0 >> 6) != 2) return -1;
  let n = RTP_FIXED_HEADER + ((b0 & 0x0F) << 2);
  if ((b0 & 0x10) != 0) {
    if (n + 4 > len) return -1;
    // The extension length counts 32-bit words after its 4-byte header (at most 65535 of them).
    n += 4 + (<i32>loadBE16(p + <usize>n + 2) << 2);
  }
  return n <= len ? n : -1;
}

// Whether buf[0, len) starts like an RTCP packet: version 2 and room for header and sender SSRC.
export function looksLikeRtcp(buf: Uint8Array, len: i32): bool {
  return len >= 8 && len <= buf.length && (load<u8>(buf.dataStart) >> 6) == 2;
}
