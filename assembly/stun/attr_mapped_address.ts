// RFC 8489 §14.1: MAPPED-ADDRESS (also the layout of ALTERNATE-SERVER).
import { StunBuilder } from "./builder";
import { StunMessage } from "./message";
import { addressLength, TransportAddress } from "./transport_address";

// The first attribute of this type as a plain address, or null when absent or malformed.
export function getAddress(m: StunMessage, type: u16): TransportAddress | null {
  const i = m.find(type);
  if (i < 0) return null;
  const off = m.attrOffset(i);
  const len = m.attrLength(i);
  if (len < 4) return null;
  const family = m.buf[off + 1];
  const n = addressLength(family);
  if (n == 0 || len != 4 + n) return null;
  const port = (<u16>m.buf[off + 2] << 8) | <u16>m.buf[off + 3];
  return TransportAddress.fromBytes(family, m.buf, off + 4, port);
}

export function addAddress(b: StunBuilder, type: u16, a: TransportAddress): StunBuilder {
  const n = addressLength(a.family);
  if (n == 0) {
    b.ok = false;
    return b;
  }
  const at = b.attr(type, 4 + n);
  if (at < 0) return b;
  b.buf[at] = 0;
  b.buf[at + 1] = a.family;
  b.buf[at + 2] = <u8>(a.port >> 8);
  b.buf[at + 3] = <u8>a.port;
  a.writeBytes(b.buf, at + 4);
  return b;
}
