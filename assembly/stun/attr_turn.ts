// RFC 8656 §18: TURN attributes CHANNEL-NUMBER, LIFETIME, DATA, REQUESTED-ADDRESS-FAMILY, EVEN-PORT, REQUESTED-TRANSPORT, DONT-FRAGMENT, RESERVATION-TOKEN.
// (XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS use attr_xor_address.ts.)
import { StunBuilder } from "./builder";
import { StunMessage } from "./message";
import { FAMILY_IPV4, FAMILY_IPV6 } from "./transport_address";
import {
  ATTR_CHANNEL_NUMBER,
  ATTR_DATA,
  ATTR_DONT_FRAGMENT,
  ATTR_EVEN_PORT,
  ATTR_LIFETIME,
  ATTR_REQUESTED_ADDRESS_FAMILY,
  ATTR_REQUESTED_TRANSPORT,
  ATTR_RESERVATION_TOKEN,
} from "./attr_types";

export const PROTOCOL_UDP: u8 = 17;
// RFC 8656 §12: channel numbers 0x4000 through 0x4FFF.
export const CHANNEL_MIN: u16 = 0x4000;
export const CHANNEL_MAX: u16 = 0x4fff;

// §18.1: a 16-bit channel number and 16 reserved bits; -1 when absent, malformed or out of range.
export function getChannelNumber(m: StunMessage): i32 {
  const i = m.find(ATTR_CHANNEL_NUMBER);
  if (i < 0 || m.attrLength(i) != 4) return -1;
  const off = m.attrOffset(i);
  const ch = (<i32>m.buf[off] << 8) | <i32>m.buf[off + 1];
  return ch >= <i32>CHANNEL_MIN && ch <= <i32>CHANNEL_MAX ? ch : -1;
}

export function addChannelNumber(b: StunBuilder, channel: u16): StunBuilder {
  return b.addU32(ATTR_CHANNEL_NUMBER, <u32>channel << 16);
}

// §18.2: seconds; -1 when absent or malformed.
export function getLifetime(m: StunMessage): i64 {
  const i = m.find(ATTR_LIFETIME);
  if (i < 0 || m.attrLength(i) != 4) return -1;
  return <i64>m.u32Value(ATTR_LIFETIME);
}

export function addLifetime(b: StunBuilder, seconds: u32): StunBuilder {
  return b.addU32(ATTR_LIFETIME, seconds);
}

// §18.4: a view of the application data, or null.
export function getData(m: StunMessage): Uint8Array | null {
  return m.value(ATTR_DATA);
}

export function addData(b: StunBuilder, data: Uint8Array, off: i32 = 0, len: i32 = -1): StunBuilder {
  return b.addBytes(ATTR_DATA, data, off, len);
}

// §18.6: family byte then 3 reserved; 0 when absent or malformed.
export function getRequestedAddressFamily(m: StunMessage): u8 {
  const i = m.find(ATTR_REQUESTED_ADDRESS_FAMILY);
  if (i < 0 || m.attrLength(i) != 4) return 0;
  const f = m.buf[m.attrOffset(i)];
  return f == FAMILY_IPV4 || f == FAMILY_IPV6 ? f : 0;
}

export function addRequestedAddressFamily(b: StunBuilder, family: u8): StunBuilder {
  return b.addU32(ATTR_REQUESTED_ADDRESS_FAMILY, <u32>family << 24);
}

// §18.7: one byte whose top bit R asks for the next-higher port to be reserved; -1 absent,
// else 0 or 1. Its value is 1 byte, padded to 4 on the wire.
export function getEvenPort(m: StunMessage): i32 {
  const i = m.find(ATTR_EVEN_PORT);
  if (i < 0 || m.attrLength(i) != 1) return -1;
  return (m.buf[m.attrOffset(i)] & 0x80) != 0 ? 1 : 0;
}

export function addEvenPort(b: StunBuilder, reserveNext: bool): StunBuilder {
  const at = b.attr(ATTR_EVEN_PORT, 1);
  if (at >= 0) b.buf[at] = reserveNext ? 0x80 : 0;
  return b;
}

// §18.8: protocol number then 3 reserved (RFFU) bytes; -1 when absent or malformed.
export function getRequestedTransport(m: StunMessage): i32 {
  const i = m.find(ATTR_REQUESTED_TRANSPORT);
  if (i < 0 || m.attrLength(i) != 4) return -1;
  return <i32>m.buf[m.attrOffset(i)];
}

export function addRequestedTransport(b: StunBuilder, protocol: u8 = PROTOCOL_UDP): StunBuilder {
  return b.addU32(ATTR_REQUESTED_TRANSPORT, <u32>protocol << 24);
}

// §18.9: no value.
export function hasDontFragment(m: StunMessage): bool {
  return m.has(ATTR_DONT_FRAGMENT);
}

export function addDontFragment(b: StunBuilder): StunBuilder {
  return b.addEmpty(ATTR_DONT_FRAGMENT);
}

// §18.10: an 8-byte token, or null.
export function getReservationToken(m: StunMessage): Uint8Array | null {
  const v = m.value(ATTR_RESERVATION_TOKEN);
  return v != null && v.length == 8 ? v : null;
}

export function addReservationToken(b: StunBuilder, token: Uint8Array): StunBuilder {
  if (token.length != 8) {
    b.ok = false;
    return b;
  }
  return b.addBytes(ATTR_RESERVATION_TOKEN, token);
}
