// RFC 8489 §14.13: UNKNOWN-ATTRIBUTES, the list of 16-bit types a 420 response names.
import { StunBuilder } from "./builder";
import { StunMessage } from "./message";
import { ATTR_UNKNOWN_ATTRIBUTES } from "./attr_types";

// Fills out with the listed types; returns how many (at most out.length), -1 when absent or odd-sized.
export function getUnknownAttributes(m: StunMessage, out: StaticArray<u16>): i32 {
  const i = m.find(ATTR_UNKNOWN_ATTRIBUTES);
  if (i < 0) return -1;
  const len = m.attrLength(i);
  if ((len & 1) != 0) return -1;
  const off = m.attrOffset(i);
  let n = 0;
  for (let k = 0; k < len && n < out.length; k += 2) out[n++] = (<u16>m.buf[off + k] << 8) | <u16>m.buf[off + k + 1];
  return n;
}

export function addUnknownAttributes(b: StunBuilder, types: StaticArray<u16>, count: i32): StunBuilder {
  if (count < 0 || count > types.length) count = types.length;
  const at = b.attr(ATTR_UNKNOWN_ATTRIBUTES, 2 * count);
  if (at < 0) return b;
  for (let k = 0; k < count; k++) {
    b.buf[at + 2 * k] = <u8>(types[k] >> 8);
    b.buf[at + 2 * k + 1] = <u8>types[k];
  }
  return b;
}
