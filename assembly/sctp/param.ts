// RFC 9260 §3.2.1: optional/variable-length parameters (type, length, value, padding to 4 bytes).
import { ByteWriter } from "../util/bytes";
import { pad4 } from "./chunk";

export const PARAM_HEARTBEAT_INFO: u16 = 1;
export const PARAM_IPV4: u16 = 5;
export const PARAM_IPV6: u16 = 6;
export const PARAM_STATE_COOKIE: u16 = 7;
export const PARAM_UNRECOGNIZED: u16 = 8;
export const PARAM_COOKIE_PRESERVATIVE: u16 = 9;
export const PARAM_HOST_NAME: u16 = 11;
export const PARAM_SUPPORTED_ADDRESS_TYPES: u16 = 12;
export const PARAM_OUTGOING_RESET_REQUEST: u16 = 13; // RFC 6525
export const PARAM_INCOMING_RESET_REQUEST: u16 = 14;
export const PARAM_SSN_TSN_RESET_REQUEST: u16 = 15;
export const PARAM_RECONFIG_RESPONSE: u16 = 16;
export const PARAM_ADD_OUTGOING_STREAMS: u16 = 17;
export const PARAM_ADD_INCOMING_STREAMS: u16 = 18;
export const PARAM_ECN_CAPABLE: u16 = 0x8000;
export const PARAM_ZERO_CHECKSUM: u16 = 0x8001; // RFC 9653
export const PARAM_SUPPORTED_EXTENSIONS: u16 = 0x8008; // RFC 5061
export const PARAM_FORWARD_TSN_SUPPORTED: u16 = 0xc000; // RFC 3758

export class Param {
  constructor(public type: u16, public value: Uint8Array, public raw: Uint8Array) {}
}

// Splits buf[off, end) into parameters. False when a length lies (too short, past the end);
// the parameters before the bad one are in out.
export function parseParams(buf: Uint8Array, off: i32, end: i32, out: Array<Param>): bool {
  if (end > buf.length) return false;
  let p = off;
  while (p + 4 <= end) {
    const type = (<u16>buf[p] << 8) | <u16>buf[p + 1];
    const len = (<i32>buf[p + 2] << 8) | <i32>buf[p + 3];
    if (len < 4 || p + len > end) return false;
    out.push(new Param(type, buf.subarray(p + 4, p + len), buf.subarray(p, p + len)));
    p += pad4(len);
  }
  // Anything left is padding of the last parameter (or nothing).
  return p >= end || end - p < 4;
}

export function paramLength(valueLen: i32): i32 {
  return pad4(4 + valueLen);
}

export function writeParam(w: ByteWriter, type: u16, value: Uint8Array): void {
  w.u16(type);
  w.u16(4 + value.length);
  w.bytes(value);
  w.zeros(pad4(4 + value.length) - 4 - value.length);
}

// What the two high bits of an unknown parameter type ask for (§3.2.1).
// @ts-ignore: decorator
@inline export function paramStops(type: u16): bool {
  return (type & 0x8000) == 0;
}
// @ts-ignore: decorator
@inline export function paramReports(type: u16): bool {
  return (type & 0x4000) != 0;
}
