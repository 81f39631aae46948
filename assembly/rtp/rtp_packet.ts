// RFC 3550 §5.1: the RTP fixed header, CSRC list, header extension (§5.3.1) and padding.
import { ByteWriter } from "../util/bytes";

export const RTP_VERSION: u8 = 2;
export const RTP_HEADER_MIN: i32 = 12;

// Why these fail codes exist: the receiver counts each reason separately, so a test (or a field
// log) can tell a short datagram from a hostile extension length.
export const RTP_OK: i32 = 0;
export const RTP_ERR_SHORT: i32 = -1;
export const RTP_ERR_VERSION: i32 = -2;
export const RTP_ERR_CSRC: i32 = -3;
export const RTP_ERR_EXTENSION: i32 = -4;
export const RTP_ERR_PADDING: i32 = -5;

// A parsed view of one RTP packet. It owns no bytes: offsets point into the buffer that was
// parsed, so one instance can be reused for every received packet without allocating.
export class RtpPacket {
  padding: bool = false;
  extension: bool = false;
  marker: bool = false;
  payloadType: u8 = 0;
  sequenceNumber: u16 = 0;
  timestamp: u32 = 0;
  ssrc: u32 = 0;
  csrcCount: i32 = 0;
  // At most 15 CSRCs fit the 4-bit CC field, so the list is fixed-size.
  csrcs: StaticArray<u32> = new StaticArray<u32>(15);
  extProfile: u16 = 0;
  extOffset: i32 = 0; // first byte of the extension data (after the 4-byte extension header)
  extLength: i32 = 0; // bytes of extension data
  headerLength: i32 = 0;
  payloadOffset: i32 = 0;
  payloadLength: i32 = 0;
  paddingLength: i32 = 0;
  buf: Uint8Array = new Uint8Array(0);
  start: i32 = 0;
  length: i32 = 0;

  // Parses buf[start, start+len). Returns RTP_OK or a negative RTP_ERR_*; never traps.
  parse(buf: Uint8Array, start: i32 = 0, len: i32 = -1): i32 {
    if (len < 0) len = buf.length - start;
    if (start < 0 || len < 0 || start + len > buf.length) return RTP_ERR_SHORT;
    if (len < RTP_HEADER_MIN) return RTP_ERR_SHORT;
    const p = buf.dataStart + <usize>start;
    const b0 = load<u8>(p);
    const b1 = load<u8>(p, 1);
    if ((b0 >> 6) != RTP_VERSION) return RTP_ERR_VERSION;
    this.buf = buf;
    this.start = start;
    this.length = len;
    this.padding = (b0 & 0x20) != 0;
    this.extension = (b0 & 0x10) != 0;
    this.csrcCount = b0 & 0x0f;
    this.marker = (b1 & 0x80) != 0;
    this.payloadType = b1 & 0x7f;
    this.sequenceNumber = bswap<u16>(load<u16>(p, 2));
    this.timestamp = bswap<u32>(load<u32>(p, 4));
    this.ssrc = bswap<u32>(load<u32>(p, 8));
    let off = RTP_HEADER_MIN + (this.csrcCount << 2);
    if (off > len) return RTP_ERR_CSRC;
    for (let i = 0; i < this.csrcCount; i++) {
      unchecked((this.csrcs[i] = bswap<u32>(load<u32>(p + <usize>(RTP_HEADER_MIN + (i << 2))))));
    }
    this.extProfile = 0;
    this.extOffset = 0;
    this.extLength = 0;
    if (this.extension) {
      if (off + 4 > len) return RTP_ERR_EXTENSION;
      this.extProfile = bswap<u16>(load<u16>(p + <usize>off));
      // The length is in 32-bit words; a length that points past the datagram is hostile or
      // truncated, and is rejected before anything reads the extension.
      const words = <i32>bswap<u16>(load<u16>(p + <usize>off, 2));
      off += 4;
      if (off + (words << 2) > len) return RTP_ERR_EXTENSION;
      this.extOffset = start + off;
      this.extLength = words << 2;
      off += words << 2;
    }
    this.headerLength = off;
    let pad = 0;
    if (this.padding) {
      // §5.1: the last octet counts the padding octets, itself included; zero is invalid.
      if (len <= off) return RTP_ERR_PADDING;
      pad = <i32>load<u8>(p + <usize>(len - 1));
      if (pad == 0 || off + pad > len) return RTP_ERR_PADDING;
    }
    this.paddingLength = pad;
    this.payloadOffset = start + off;
    this.payloadLength = len - off - pad;
    return RTP_OK;
  }

  // A view of the payload (no copy).
  payload(): Uint8Array {
    return this.buf.subarray(this.payloadOffset, this.payloadOffset + this.payloadLength);
  }

  extensionData(): Uint8Array {
    return this.buf.subarray(this.extOffset, this.extOffset + this.extLength);
  }
}

// The fields a sender chooses for one packet.
export class RtpHeaderFields {
  marker: bool = false;
  payloadType: u8 = 0;
  sequenceNumber: u16 = 0;
  timestamp: u32 = 0;
  ssrc: u32 = 0;
  csrcs: u32[] = [];
  // When extProfile != 0, extData (a whole number of 32-bit words) follows the CSRCs.
  extProfile: u16 = 0;
  extData: Uint8Array | null = null;
  // Padding octets to add (0 for none, else 1..255), for padding-only probes and block ciphers.
  padding: i32 = 0;
}

export function rtpHeaderSize(f: RtpHeaderFields): i32 {
  let n = RTP_HEADER_MIN + (min(f.csrcs.length, 15) << 2);
  const ext = f.extData;
  if (f.extProfile != 0 && ext != null) n += 4 + ((ext.length + 3) & ~3);
  return n;
}

// Writes header + payload (+ padding) into w. Returns false when it does not fit or the fields
// cannot be encoded (more than 15 CSRCs, padding > 255).
export function writeRtp(w: ByteWriter, f: RtpHeaderFields, payload: Uint8Array, payOff: i32 = 0, payLen: i32 = -1): bool {
  if (payLen < 0) payLen = payload.length - payOff;
  const cc = f.csrcs.length;
  if (cc > 15 || f.padding < 0 || f.padding > 255) return false;
  const ext = f.extData;
  const hasExt = f.extProfile != 0 && ext != null;
  let b0: u32 = (<u32>RTP_VERSION << 6) | <u32>cc;
  if (f.padding > 0) b0 |= 0x20;
  if (hasExt) b0 |= 0x10;
  w.u8(b0);
  w.u8((f.marker ? 0x80 : 0) | (f.payloadType & 0x7f));
  w.u16(f.sequenceNumber);
  w.u32(f.timestamp);
  w.u32(f.ssrc);
  for (let i = 0; i < cc; i++) w.u32(unchecked(f.csrcs[i]));
  if (hasExt) {
    const e = ext!;
    const words = (e.length + 3) >> 2;
    if (words > 0xffff) return false;
    w.u16(f.extProfile);
    w.u16(words);
    w.bytes(e);
    w.zeros((words << 2) - e.length);
  }
  w.bytes(payload, payOff, payLen);
  if (f.padding > 0) {
    w.zeros(f.padding - 1);
    w.u8(f.padding);
  }
  return w.ok;
}

// A new packet of exactly the needed size.
export function buildRtp(f: RtpHeaderFields, payload: Uint8Array, payOff: i32 = 0, payLen: i32 = -1): Uint8Array {
  if (payLen < 0) payLen = payload.length - payOff;
  const out = new Uint8Array(rtpHeaderSize(f) + payLen + f.padding);
  const w = new ByteWriter(out);
  if (!writeRtp(w, f, payload, payOff, payLen)) return new Uint8Array(0);
  return out;
}

// RFC 3550 §A.1: sequence numbers compare modulo 2^16; a is newer than b when the forward
// distance is under half the space.
// @ts-ignore: decorator
@inline export function seqNewer(a: u16, b: u16): bool {
  return a != b && <u16>(a - b) < 0x8000;
}

// @ts-ignore: decorator
@inline export function seqDiff(a: u16, b: u16): i32 {
  return <i32><i16>(a - b);
}
