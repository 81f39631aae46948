// RFC 8445 §7.1.1-7.1.3 and §16.1: PRIORITY, USE-CANDIDATE, ICE-CONTROLLED, ICE-CONTROLLING.
import { StunBuilder } from "./builder";
import { StunMessage } from "./message";
import { ATTR_ICE_CONTROLLED, ATTR_ICE_CONTROLLING, ATTR_PRIORITY, ATTR_USE_CANDIDATE } from "./attr_types";

// PRIORITY as u32; 0 when absent or not 4 bytes (0 is not a valid priority, RFC 8445 §5.1.2.1).
export function getPriority(m: StunMessage): u32 {
  return m.u32Value(ATTR_PRIORITY, 0);
}

export function addPriority(b: StunBuilder, priority: u32): StunBuilder {
  return b.addU32(ATTR_PRIORITY, priority);
}

export function hasUseCandidate(m: StunMessage): bool {
  return m.has(ATTR_USE_CANDIDATE);
}

export function addUseCandidate(b: StunBuilder): StunBuilder {
  return b.addEmpty(ATTR_USE_CANDIDATE);
}

// The 64-bit tie-breaker of ICE-CONTROLLING or ICE-CONTROLLED; `ok` says whether it was there.
export class TieBreaker {
  ok: bool = false;
  value: u64 = 0;
}

function tieBreaker(m: StunMessage, type: u16): TieBreaker {
  const t = new TieBreaker();
  const i = m.find(type);
  if (i >= 0 && m.attrLength(i) == 8) {
    t.ok = true;
    t.value = bswap<u64>(load<u64>(m.buf.dataStart + <usize>m.attrOffset(i)));
  }
  return t;
}

export function getIceControlling(m: StunMessage): TieBreaker {
  return tieBreaker(m, ATTR_ICE_CONTROLLING);
}

export function getIceControlled(m: StunMessage): TieBreaker {
  return tieBreaker(m, ATTR_ICE_CONTROLLED);
}

export function addIceControlling(b: StunBuilder, tieBreaker: u64): StunBuilder {
  return b.addU64(ATTR_ICE_CONTROLLING, tieBreaker);
}

export function addIceControlled(b: StunBuilder, tieBreaker: u64): StunBuilder {
  return b.addU64(ATTR_ICE_CONTROLLED, tieBreaker);
}
