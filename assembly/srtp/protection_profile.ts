// RFC 5764 §4.1.2 and RFC 7714 §14.2: SRTP protection profiles, their lengths, and §4.2 key splitting.

export const SRTP_AES128_CM_HMAC_SHA1_80: u16 = 0x0001;
export const SRTP_AES128_CM_HMAC_SHA1_32: u16 = 0x0002;
export const SRTP_AEAD_AES_128_GCM: u16 = 0x0007;
export const SRTP_AEAD_AES_256_GCM: u16 = 0x0008;

export function isProfileSupported(profile: u16): bool {
  return profile == SRTP_AES128_CM_HMAC_SHA1_80 || profile == SRTP_AES128_CM_HMAC_SHA1_32
    || profile == SRTP_AEAD_AES_128_GCM || profile == SRTP_AEAD_AES_256_GCM;
}

export function isAeadProfile(profile: u16): bool {
  return profile == SRTP_AEAD_AES_128_GCM || profile == SRTP_AEAD_AES_256_GCM;
}

// Master key length in bytes (the session encryption key has the same length); 0 if unknown.
export function masterKeyLength(profile: u16): i32 {
  if (!isProfileSupported(profile)) return 0;
  return profile == SRTP_AEAD_AES_256_GCM ? 32 : 16;
}

// Master salt length in bytes (the session salt has the same length); 0 if unknown.
export function masterSaltLength(profile: u16): i32 {
  if (!isProfileSupported(profile)) return 0;
  return isAeadProfile(profile) ? 12 : 14;
}

// HMAC-SHA1 session authentication key length (RFC 3711 §8.2, n_a = 160); AEAD has none.
export function authKeyLength(profile: u16): i32 {
  return isProfileSupported(profile) && !isAeadProfile(profile) ? 20 : 0;
}

export function rtpTagLength(profile: u16): i32 {
  if (profile == SRTP_AES128_CM_HMAC_SHA1_80) return 10;
  if (profile == SRTP_AES128_CM_HMAC_SHA1_32) return 4;
  return isAeadProfile(profile) ? 16 : 0;
}

// The _32 profile shortens the SRTP tag only: SRTCP keeps 80 bits (RFC 5764 §4.1.2, RFC 3711 §5.2).
export function rtcpTagLength(profile: u16): i32 {
  if (profile == SRTP_AES128_CM_HMAC_SHA1_80 || profile == SRTP_AES128_CM_HMAC_SHA1_32) return 10;
  return isAeadProfile(profile) ? 16 : 0;
}

// The exporter output DTLS-SRTP asks for: two keys and two salts (RFC 5764 §4.2).
export function keyingMaterialLength(profile: u16): i32 {
  return 2 * (masterKeyLength(profile) + masterSaltLength(profile));
}

export class SrtpMasterKeys {
  constructor(
    public localKey: Uint8Array,
    public localSalt: Uint8Array,
    public remoteKey: Uint8Array,
    public remoteSalt: Uint8Array,
  ) {}
}

// RFC 5764 §4.2: the exporter output is client_key | server_key | client_salt | server_salt. The
// DTLS client protects with the client's half and unprotects with the server's, and vice versa.
// Null for an unknown profile or material of the wrong length.
export function splitKeyingMaterial(profile: u16, material: Uint8Array, isClient: bool): SrtpMasterKeys | null {
  const k = masterKeyLength(profile);
  const s = masterSaltLength(profile);
  if (k == 0 || material.length != 2 * (k + s)) return null;
  const clientKey = material.slice(0, k);
  const serverKey = material.slice(k, 2 * k);
  const clientSalt = material.slice(2 * k, 2 * k + s);
  const serverSalt = material.slice(2 * k + s, 2 * (k + s));
  return isClient
    ? new SrtpMasterKeys(clientKey, clientSalt, serverKey, serverSalt)
    : new SrtpMasterKeys(serverKey, serverSalt, clientKey, clientSalt);
}
