// RFC 5289 §3.2 and RFC 5288 §3: the ECDHE_ECDSA AES-GCM suites and what they fix.
import { HashAlg } from "../crypto/hash";

export const TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: u16 = 0xc02b;
export const TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: u16 = 0xc02c;

export function isSupportedSuite(suite: u16): bool {
  return suite == TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 || suite == TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384;
}

export function suiteKeyLength(suite: u16): i32 {
  return suite == TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 ? 32 : 16;
}

// The PRF hash, also used for Finished and the EMS session hash.
export function suiteHash(suite: u16): HashAlg {
  return suite == TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 ? HashAlg.SHA384 : HashAlg.SHA256;
}

// RFC 5288 §3: 4-byte implicit salt from the key block, 8-byte explicit nonce per record.
export const GCM_SALT_LEN: i32 = 4;
export const GCM_EXPLICIT_NONCE_LEN: i32 = 8;
export const GCM_TAG_LEN: i32 = 16;
export const GCM_OVERHEAD: i32 = GCM_EXPLICIT_NONCE_LEN + GCM_TAG_LEN;
