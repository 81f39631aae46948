// RFC 8489 §14.5 MESSAGE-INTEGRITY (HMAC-SHA1), §14.6 MESSAGE-INTEGRITY-SHA256, §9.1.3/§9.2.4 verification.
import { HashAlg } from "../crypto/hash";
import { Hmac } from "../crypto/hmac";
import { ctEqual } from "../util/ct";
import { HEADER_LENGTH, StunMessage } from "./message";

export const enum Integrity {
  Missing = 0,
  Ok = 1,
  Bad = 2,
}

// The HMAC covers the header, with its length field rewritten to end at the integrity attribute,
// and every attribute before it. The received bytes are never modified: a 20-byte header copy
// with the adjusted length goes into the HMAC first.
function check(m: StunMessage, at: i32, alg: HashAlg, key: Uint8Array): bool {
  if (at < HEADER_LENGTH || at + 4 > m.buf.length) return false;
  const vlen = (<i32>m.buf[at + 2] << 8) | <i32>m.buf[at + 3];
  if (at + 4 + vlen > m.buf.length) return false;
  const header = m.buf.slice(0, HEADER_LENGTH);
  const covered = at + 4 + vlen - HEADER_LENGTH;
  header[2] = <u8>(covered >> 8);
  header[3] = <u8>covered;
  const mac = new Uint8Array(32);
  const h = new Hmac(alg, key);
  h.update(header, 0, HEADER_LENGTH).update(m.buf, HEADER_LENGTH, at - HEADER_LENGTH).finish(mac, 0);
  h.dispose();
  return ctEqual(mac, 0, m.buf, at + 4, vlen);
}

export function checkMessageIntegrity(m: StunMessage, key: Uint8Array): Integrity {
  if (m.integrityAt < 0) return Integrity.Missing;
  return check(m, m.integrityAt, HashAlg.SHA1, key) ? Integrity.Ok : Integrity.Bad;
}

export function checkMessageIntegritySha256(m: StunMessage, key: Uint8Array): Integrity {
  if (m.integritySha256At < 0) return Integrity.Missing;
  return check(m, m.integritySha256At, HashAlg.SHA256, key) ? Integrity.Ok : Integrity.Bad;
}

// Checks the strongest integrity attribute present: SHA-256 when there, else SHA-1.
export function checkIntegrity(m: StunMessage, key: Uint8Array): Integrity {
  if (m.integritySha256At >= 0) return checkMessageIntegritySha256(m, key);
  return checkMessageIntegrity(m, key);
}
