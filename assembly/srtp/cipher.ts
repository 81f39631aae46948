// RFC 3711 §3.1 and §3.4: what every SRTP/SRTCP transform does to a packet, in place.

// Every method works in the caller's buffer, which has room for what is appended; callers have
// checked lengths and header. RTP: payload is buf[hdrLen, len), the tag goes at len. SRTCP: the
// RTCP packet is buf[0, len) and protection appends the E-flag/index word and the tag, in the
// order the transform defines (rtcpIndexOffset says where the word lands).
export abstract class SrtpCipher {
  constructor(readonly rtpTagLength: i32, readonly rtcpTagLength: i32) {}

  abstract protectRtp(buf: Uint8Array, hdrLen: i32, len: i32, ssrc: u32, roc: u32, seq: u16): void;

  // len excludes the tag at buf[len]. False, leaving the packet unusable, if it does not authenticate.
  abstract unprotectRtp(buf: Uint8Array, hdrLen: i32, len: i32, ssrc: u32, roc: u32, seq: u16): bool;

  abstract protectRtcp(buf: Uint8Array, len: i32, ssrc: u32, index: u32, encrypt: bool): void;

  // len is the RTCP part only (the protected length minus word and tag).
  abstract unprotectRtcp(buf: Uint8Array, len: i32, ssrc: u32, index: u32, encrypted: bool): bool;

  // Where the E-flag/index word sits in an SRTCP packet of total length len.
  abstract rtcpIndexOffset(len: i32): i32;
}

// The E-flag of the SRTCP trailer word (RFC 3711 §3.4); the other 31 bits are the SRTCP index.
export const SRTCP_E_FLAG: u32 = 0x80000000;
export const SRTCP_INDEX_MASK: u32 = 0x7FFFFFFF;
