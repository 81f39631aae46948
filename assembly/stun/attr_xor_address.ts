// RFC 8489 §14.2: XOR-MAPPED-ADDRESS; the same encoding serves TURN's XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS (RFC 8656 §18.3, §18.5).
import { StunBuilder } from "./builder";
import { MAGIC_COOKIE, StunMessage } from "./message";
import { addressLength, TransportAddress } from "./transport_address";

// The port is XORed with the cookie's top 16 bits, the address with the cookie followed (for
// IPv6) by the transaction id: i.e. with bytes 4..20 of the header.
function unxor(a: TransportAddress, header: Uint8Array): void {
  a.port ^= <u16>(MAGIC_COOKIE >> 16);
  const p = header.dataStart;
  if (a.isIPv4) a.hi ^= <u64>MAGIC_COOKIE << 32;
  else {
    a.hi ^= bswap<u64>(load<u64>(p + 4));
    a.lo ^= bswap<u64>(load<u64>(p + 12));
  }
}

// The index-th attribute of this type (several XOR-PEER-ADDRESS may appear), decoded; or null.
export function getXorAddress(m: StunMessage, type: u16, index: i32 = 0): TransportAddress | null {
  let seen = 0;
  for (let i = 0; i < m.attrCount; i++) {
    if (m.attrType(i) != type) continue;
    if (seen++ < index) continue;
    const off = m.attrOffset(i);
    const len = m.attrLength(i);
    if (len < 4) return null;
    const family = m.buf[off + 1];
    const n = addressLength(family);
    if (n == 0 || len != 4 + n) return null;
    const port = (<u16>m.buf[off + 2] << 8) | <u16>m.buf[off + 3];
    const a = TransportAddress.fromBytes(family, m.buf, off + 4, port);
    if (a) unxor(a, m.buf);
    return a;
  }
  return null;
}

// Writes the attribute; call after begin() so the transaction id is in the header.
export function addXorAddress(b: StunBuilder, type: u16, addr: TransportAddress): StunBuilder {
  const n = addressLength(addr.family);
  if (n == 0) {
    b.ok = false;
    return b;
  }
  const at = b.attr(type, 4 + n);
  if (at < 0) return b;
  const x = addr.clone();
  unxor(x, b.buf);
  b.buf[at] = 0;
  b.buf[at + 1] = x.family;
  b.buf[at + 2] = <u8>(x.port >> 8);
  b.buf[at + 3] = <u8>x.port;
  x.writeBytes(b.buf, at + 4);
  return b;
}
