// STUN test entry: parse/verify/build over raw pointers for test/core/stun.test.ts.
export { mem_alloc, mem_free } from "./entry_common";
import { bytesAt, writeAt } from "./entry_common";
import { StunMessage, ParseResult } from "../../assembly/stun/message";
import { StunBuilder } from "../../assembly/stun/builder";
import { checkIntegrity, checkMessageIntegrity, Integrity } from "../../assembly/stun/attr_integrity";
import { getXorAddress } from "../../assembly/stun/attr_xor_address";
import { getAddress } from "../../assembly/stun/attr_mapped_address";
import { getErrorCode } from "../../assembly/stun/attr_error_code";
import { longTermKey } from "../../assembly/stun/credentials";
import { md5 } from "../../assembly/crypto/md5";
import { beginUnknownAttributes } from "../../assembly/stun/response";
import { ATTR_XOR_MAPPED_ADDRESS, ATTR_MAPPED_ADDRESS, ATTR_XOR_PEER_ADDRESS, ATTR_XOR_RELAYED_ADDRESS } from "../../assembly/stun/attr_types";

const msg = new StunMessage();

// Parses [ptr, ptr+len); returns the ParseResult.
export function stun_parse(ptr: usize, len: i32): i32 {
  return msg.parse(bytesAt(ptr, len));
}

// Last parsed message: type, attribute count, integrity offsets.
export function stun_type(): i32 { return msg.type; }
export function stun_attr_count(): i32 { return msg.attrCount; }
export function stun_has_fingerprint(): i32 { return msg.hasFingerprint ? 1 : 0; }
export function stun_attr_type(i: i32): i32 { return msg.attrType(i); }

// Integrity of the last parsed message under key: 0 missing, 1 ok, 2 bad.
export function stun_check_integrity(keyPtr: usize, keyLen: i32): i32 {
  return checkIntegrity(msg, bytesAt(keyPtr, keyLen));
}

export function stun_check_integrity_sha1(keyPtr: usize, keyLen: i32): i32 {
  return checkMessageIntegrity(msg, bytesAt(keyPtr, keyLen));
}

// Decodes an address attribute (plain or XOR by type) into out: [family, port hi, port lo, 16 bytes]; 1 ok, 0 none.
export function stun_address(type: i32, out: usize): i32 {
  const t = <u16>type;
  const a = t == ATTR_MAPPED_ADDRESS ? getAddress(msg, t) : getXorAddress(msg, t);
  if (a == null) return 0;
  const o = new Uint8Array(19);
  o[0] = a.family;
  o[1] = <u8>(a.port >> 8);
  o[2] = <u8>a.port;
  a.writeBytes(o, 3);
  writeAt(out, o);
  return 1;
}

export function stun_error_code(): i32 { return getErrorCode(msg); }

// MD5 of [ptr, ptr+len) written to out (16 bytes).
export function md5_digest(ptr: usize, len: i32, out: usize): void {
  writeAt(out, md5(bytesAt(ptr, len)));
}

// Long-term key from three byte strings (username, realm, password) written to out (16 bytes).
export function stun_long_term_key(u: usize, ul: i32, r: usize, rl: i32, p: usize, pl: i32, out: usize): void {
  const user = String.UTF8.decodeUnsafe(u, <usize>ul);
  const pass = String.UTF8.decodeUnsafe(p, <usize>pl);
  writeAt(out, longTermKey(user, bytesAt(r, rl), pass));
}

// Builds a 420 for the last parsed request into out (cap bytes); returns its length, 0 if none.
export function stun_unknown_response(out: usize, cap: i32): i32 {
  const b = new StunBuilder(cap);
  if (!beginUnknownAttributes(b, msg)) return 0;
  b.addFingerprint();
  const r = b.finish();
  if (r == null) return -1;
  writeAt(out, r);
  return r.length;
}

// Touch every address getter on every attribute (a fuzz probe): must never trap.
export function stun_probe(): i32 {
  let n = 0;
  if (getXorAddress(msg, ATTR_XOR_MAPPED_ADDRESS)) n++;
  if (getXorAddress(msg, ATTR_XOR_PEER_ADDRESS)) n++;
  if (getXorAddress(msg, ATTR_XOR_RELAYED_ADDRESS)) n++;
  if (getAddress(msg, ATTR_MAPPED_ADDRESS)) n++;
  n += getErrorCode(msg) > 0 ? 1 : 0;
  const k = new Uint8Array(4);
  n += checkIntegrity(msg, k);
  const b = new StunBuilder(256);
  if (beginUnknownAttributes(b, msg)) n++;
  return n;
}

import { addXorAddress } from "../../assembly/stun/attr_xor_address";
import { addPriority, addIceControlled } from "../../assembly/stun/attr_ice";
import { TransportAddress } from "../../assembly/stun/transport_address";
import { shortTermKey } from "../../assembly/stun/credentials";
import { ATTR_SOFTWARE, ATTR_USERNAME, ATTR_NONCE, ATTR_REALM } from "../../assembly/stun/attr_types";
import { messageType, METHOD_BINDING, CLASS_REQUEST, CLASS_SUCCESS } from "../../assembly/stun/message";

function fromHex(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = <u8>I32.parseInt(s.substr(2 * i, 2), 16);
  return out;
}

// Rebuilds RFC 5769 vector §2.<which> from its parts with the builder; returns its length.
export function stun_rebuild_5769(which: i32, out: usize, cap: i32): i32 {
  const b = new StunBuilder(cap);
  const tid = fromHex("b7e7a701bc34d686fa87dfae");
  const short = shortTermKey("VOkJxbRl1RmTxUk/WvJxBt");
  b.padByte = 0x20;
  if (which == 1) {
    b.begin(messageType(METHOD_BINDING, CLASS_REQUEST), tid);
    b.addString(ATTR_SOFTWARE, "STUN test client");
    addPriority(b, 0x6e0001ff);
    addIceControlled(b, 0x932ff9b151263b36);
    b.addString(ATTR_USERNAME, "evtj:h6vY");
    b.addMessageIntegrity(short).addFingerprint();
  } else if (which == 2 || which == 3) {
    b.begin(messageType(METHOD_BINDING, CLASS_SUCCESS), tid);
    b.addString(ATTR_SOFTWARE, "test vector");
    const a = which == 2 ? TransportAddress.parseIp("192.0.2.1", 32853) : TransportAddress.parseIp("2001:db8:1234:5678:11:2233:4455:6677", 32853);
    addXorAddress(b, ATTR_XOR_MAPPED_ADDRESS, a!);
    b.addMessageIntegrity(short).addFingerprint();
  } else {
    b.padByte = 0;
    b.begin(messageType(METHOD_BINDING, CLASS_REQUEST), fromHex("78ad3433c6ad72c029da412e"));
    const realm = "example.org";
    b.addString(ATTR_USERNAME, "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9");
    b.addString(ATTR_NONCE, "f//499k954d6OL34oL9FSTvy64sA");
    b.addString(ATTR_REALM, realm);
    b.addMessageIntegrity(longTermKey("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", Uint8Array.wrap(String.UTF8.encode(realm)), "TheMatrIX"));
  }
  const r = b.finish();
  if (r == null) return -1;
  writeAt(out, r);
  return r.length;
}
