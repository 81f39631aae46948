// RFC 8489 §18.3, RFC 8445 §16.1, RFC 8656 §18: STUN attribute type registry, the types this core knows.

// RFC 8489 comprehension-required (0x0000-0x7FFF)
export const ATTR_MAPPED_ADDRESS: u16 = 0x0001;
export const ATTR_USERNAME: u16 = 0x0006;
export const ATTR_MESSAGE_INTEGRITY: u16 = 0x0008;
export const ATTR_ERROR_CODE: u16 = 0x0009;
export const ATTR_UNKNOWN_ATTRIBUTES: u16 = 0x000a;
export const ATTR_REALM: u16 = 0x0014;
export const ATTR_NONCE: u16 = 0x0015;
export const ATTR_MESSAGE_INTEGRITY_SHA256: u16 = 0x001c;
export const ATTR_PASSWORD_ALGORITHM: u16 = 0x001d;
export const ATTR_USERHASH: u16 = 0x001e;
export const ATTR_XOR_MAPPED_ADDRESS: u16 = 0x0020;
// RFC 8489 comprehension-optional (0x8000-0xFFFF)
export const ATTR_PASSWORD_ALGORITHMS: u16 = 0x8002;
export const ATTR_ALTERNATE_DOMAIN: u16 = 0x8003;
export const ATTR_SOFTWARE: u16 = 0x8022;
export const ATTR_ALTERNATE_SERVER: u16 = 0x8023;
export const ATTR_FINGERPRINT: u16 = 0x8028;

// RFC 8445 (ICE)
export const ATTR_PRIORITY: u16 = 0x0024;
export const ATTR_USE_CANDIDATE: u16 = 0x0025;
export const ATTR_ICE_CONTROLLED: u16 = 0x8029;
export const ATTR_ICE_CONTROLLING: u16 = 0x802a;

// RFC 8656 (TURN)
export const ATTR_CHANNEL_NUMBER: u16 = 0x000c;
export const ATTR_LIFETIME: u16 = 0x000d;
export const ATTR_XOR_PEER_ADDRESS: u16 = 0x0012;
export const ATTR_DATA: u16 = 0x0013;
export const ATTR_XOR_RELAYED_ADDRESS: u16 = 0x0016;
export const ATTR_REQUESTED_ADDRESS_FAMILY: u16 = 0x0017;
export const ATTR_EVEN_PORT: u16 = 0x0018;
export const ATTR_REQUESTED_TRANSPORT: u16 = 0x0019;
export const ATTR_DONT_FRAGMENT: u16 = 0x001a;
export const ATTR_RESERVATION_TOKEN: u16 = 0x0022;
export const ATTR_ADDITIONAL_ADDRESS_FAMILY: u16 = 0x8000;
export const ATTR_ADDRESS_ERROR_CODE: u16 = 0x8001;
export const ATTR_ICMP: u16 = 0x8004;

// Types 0x0000-0x7FFF must be understood by the receiver (RFC 8489 §14).
// @ts-ignore: decorator
@inline export function isComprehensionRequired(type: u16): bool {
  return type < 0x8000;
}

// The comprehension-required types this core understands; any other in a request earns a 420.
export function isKnownRequired(type: u16): bool {
  switch (type) {
    case ATTR_MAPPED_ADDRESS:
    case ATTR_USERNAME:
    case ATTR_MESSAGE_INTEGRITY:
    case ATTR_ERROR_CODE:
    case ATTR_UNKNOWN_ATTRIBUTES:
    case ATTR_REALM:
    case ATTR_NONCE:
    case ATTR_MESSAGE_INTEGRITY_SHA256:
    case ATTR_XOR_MAPPED_ADDRESS:
    case ATTR_PRIORITY:
    case ATTR_USE_CANDIDATE:
    case ATTR_CHANNEL_NUMBER:
    case ATTR_LIFETIME:
    case ATTR_XOR_PEER_ADDRESS:
    case ATTR_DATA:
    case ATTR_XOR_RELAYED_ADDRESS:
    case ATTR_REQUESTED_ADDRESS_FAMILY:
    case ATTR_EVEN_PORT:
    case ATTR_REQUESTED_TRANSPORT:
    case ATTR_DONT_FRAGMENT:
    case ATTR_RESERVATION_TOKEN:
      return true;
  }
  return false;
}
