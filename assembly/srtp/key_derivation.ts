// RFC 3711 §4.3: session keys from the master key and salt with the AES-CM PRF (§4.3.3), kdr 0.
import { AesCtr } from "../crypto/aes_ctr";
import { wipe } from "../util/ct";
import { masterKeyLength, masterSaltLength, authKeyLength, isProfileSupported } from "./protection_profile";

// §4.3.1 labels.
export const LABEL_RTP_ENCRYPTION: u8 = 0x00;
export const LABEL_RTP_AUTH: u8 = 0x01;
export const LABEL_RTP_SALT: u8 = 0x02;
export const LABEL_RTCP_ENCRYPTION: u8 = 0x03;
export const LABEL_RTCP_AUTH: u8 = 0x04;
export const LABEL_RTCP_SALT: u8 = 0x05;

// Fills out with PRF_n(k_master, x), x = (label || index DIV kdr) XOR k_salt. With kdr 0 the index
// term is zero, so x is the salt with the label XORed into its eighth byte (the label sits 48 bits
// above the end of a 112-bit salt). A 96-bit AEAD salt is aligned the same way, padded with zeros
// on the right (RFC 7714 §11, as libsrtp and pion do). The PRF is AES-CM keyed with the master
// key, so AES-256 for a 256-bit master key. False for a bad key or a salt longer than 14 bytes.
export function deriveSessionKey(prf: AesCtr, masterSalt: Uint8Array, label: u8, out: Uint8Array): bool {
  if (!prf.ok || masterSalt.length > 14) return false;
  const x = new Uint8Array(16);
  x.set(masterSalt);
  x[7] ^= label;
  out.fill(0);
  const ok = prf.xor(x, out, 0, out, 0, out.length);
  wipe(x);
  return ok;
}

// The six session keys of §4.3.2 (auth keys empty for AEAD profiles, which authenticate with GCM).
export class SessionKeys {
  constructor(
    public rtpKey: Uint8Array,
    public rtpSalt: Uint8Array,
    public rtpAuthKey: Uint8Array,
    public rtcpKey: Uint8Array,
    public rtcpSalt: Uint8Array,
    public rtcpAuthKey: Uint8Array,
  ) {}

  // Null for an unknown profile or a master key or salt of the wrong length.
  static derive(profile: u16, masterKey: Uint8Array, masterSalt: Uint8Array): SessionKeys | null {
    if (!isProfileSupported(profile)) return null;
    const kl = masterKeyLength(profile), sl = masterSaltLength(profile), al = authKeyLength(profile);
    if (masterKey.length != kl || masterSalt.length != sl) return null;
    const prf = new AesCtr(masterKey);
    const keys = new SessionKeys(
      new Uint8Array(kl), new Uint8Array(sl), new Uint8Array(al),
      new Uint8Array(kl), new Uint8Array(sl), new Uint8Array(al));
    let ok = deriveSessionKey(prf, masterSalt, LABEL_RTP_ENCRYPTION, keys.rtpKey);
    ok = ok && deriveSessionKey(prf, masterSalt, LABEL_RTP_SALT, keys.rtpSalt);
    ok = ok && deriveSessionKey(prf, masterSalt, LABEL_RTP_AUTH, keys.rtpAuthKey);
    ok = ok && deriveSessionKey(prf, masterSalt, LABEL_RTCP_ENCRYPTION, keys.rtcpKey);
    ok = ok && deriveSessionKey(prf, masterSalt, LABEL_RTCP_SALT, keys.rtcpSalt);
    ok = ok && deriveSessionKey(prf, masterSalt, LABEL_RTCP_AUTH, keys.rtcpAuthKey);
    return ok ? keys : null;
  }

  wipe(): void {
    wipe(this.rtpKey); wipe(this.rtpSalt); wipe(this.rtpAuthKey);
    wipe(this.rtcpKey); wipe(this.rtcpSalt); wipe(this.rtcpAuthKey);
  }
}
