// RFC 8656 §12.4 (the ChannelData message: channel number, length, application data) and §12.5 (padding to 4 over TCP/TLS).
import { CHANNEL_MIN, CHANNEL_MAX } from "../stun/attr_turn";

export const CHANNEL_DATA_HEADER: i32 = 4;

// Whether a message starts with a ChannelData header: the first byte 0x40-0x4F (RFC 7983 puts
// 64-79 there), i.e. a channel number 0x4000-0x4FFF. Says nothing about the length.
export function looksLikeChannelData(data: Uint8Array, off: i32 = 0, len: i32 = -1): bool {
  if (off < 0 || off > data.length) return false;
  if (len < 0 || len > data.length - off) len = data.length - off;
  if (len < CHANNEL_DATA_HEADER) return false;
  const b = data[off];
  return b >= 0x40 && b <= 0x4f;
}

// A parsed ChannelData message: a view of its application data, no copy.
export class ChannelData {
  channel: u16 = 0;
  data: Uint8Array = new Uint8Array(0);

  // False for anything that is not a whole ChannelData message. Over UDP the datagram may carry
  // padding after the data (§12.5 allows it), so the datagram may be longer than 4 + length.
  parse(buf: Uint8Array, off: i32 = 0, len: i32 = -1): bool {
    if (!looksLikeChannelData(buf, off, len)) return false;
    if (len < 0 || len > buf.length - off) len = buf.length - off;
    const ch = (<u16>buf[off] << 8) | <u16>buf[off + 1];
    const n = (<i32>buf[off + 2] << 8) | <i32>buf[off + 3];
    if (ch < CHANNEL_MIN || ch > CHANNEL_MAX || n > len - CHANNEL_DATA_HEADER) return false;
    // Padding, when there, is at most 3 bytes; more is not a ChannelData message.
    if (len - CHANNEL_DATA_HEADER - n > 3) return false;
    this.channel = ch;
    this.data = buf.subarray(off + CHANNEL_DATA_HEADER, off + CHANNEL_DATA_HEADER + n);
    return true;
  }
}

// Bytes a message with n bytes of data takes: padded to a multiple of 4 over streams.
export function channelDataSize(n: i32, pad: bool): i32 {
  const total = CHANNEL_DATA_HEADER + n;
  return pad ? (total + 3) & ~3 : total;
}

// A new ChannelData message carrying data[off, off+len); null when it cannot be one.
export function encodeChannelData(channel: u16, data: Uint8Array, off: i32, len: i32, pad: bool): Uint8Array | null {
  if (channel < CHANNEL_MIN || channel > CHANNEL_MAX || off < 0 || len < 0 || len > 0xffff || off > data.length - len) return null;
  const out = new Uint8Array(channelDataSize(len, pad)); // zeroed: the padding is zeros
  out[0] = <u8>(channel >> 8);
  out[1] = <u8>channel;
  out[2] = <u8>(len >> 8);
  out[3] = <u8>len;
  memory.copy(out.dataStart + CHANNEL_DATA_HEADER, data.dataStart + <usize>off, <usize>len);
  return out;
}
