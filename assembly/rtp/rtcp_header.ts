// RFC 3550 §6.4.1 (and §6.1): the RTCP common header shared by every RTCP packet type.
import { ByteWriter } from "../util/bytes";

export const RTCP_SR: u8 = 200;
export const RTCP_RR: u8 = 201;
export const RTCP_SDES: u8 = 202;
export const RTCP_BYE: u8 = 203;
export const RTCP_APP: u8 = 204;
export const RTCP_RTPFB: u8 = 205; // RFC 4585 §6.1 transport-layer feedback
export const RTCP_PSFB: u8 = 206; // RFC 4585 §6.1 payload-specific feedback

export const RTPFB_NACK: u8 = 1; // RFC 4585 §6.2.1
export const PSFB_PLI: u8 = 1; // RFC 4585 §6.3.1
export const PSFB_FIR: u8 = 4; // RFC 5104 §4.3.1
export const PSFB_AFB: u8 = 15; // RFC 4585 §6.4 application layer feedback (REMB lives here)

// Writes the 4-byte header of a packet whose total size is `bytes` (a multiple of 4).
export function writeRtcpHeader(w: ByteWriter, count: u32, pt: u8, bytes: i32): void {
  w.u8(0x80 | (count & 0x1f));
  w.u8(pt);
  w.u16((bytes >> 2) - 1);
}

// The one header check every typed parser needs: version 2 and a sane length. The typed parsers
// get the exact byte range of their own packet from the compound parser.
export function rtcpHeaderOk(buf: Uint8Array, off: i32, len: i32): bool {
  if (off < 0 || len < 4 || off + len > buf.length) return false;
  return (buf[off] >> 6) == 2;
}

// RFC 7983 §7 demultiplexing: RTCP payload types 192-223 sit in the second octet, where RTP
// would put M+PT; with M set and PT 64-95 they collide, which is why WebRTC avoids those PTs.
export function looksLikeRtcp(buf: Uint8Array, off: i32, len: i32): bool {
  if (len < 4 || off < 0 || off + len > buf.length) return false;
  if ((buf[off] >> 6) != 2) return false;
  const pt = buf[off + 1];
  return pt >= 192 && pt <= 223;
}
