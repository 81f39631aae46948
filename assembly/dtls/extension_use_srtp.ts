// RFC 5764 §4.1.1: use_srtp extension (SRTPProtectionProfiles + srtp_mki).
import { ByteReader, ByteWriter } from "../util/bytes";

// RFC 5764 §4.1.2 and RFC 7714 §14.2.
export const SRTP_AES128_CM_SHA1_80: u16 = 0x0001;
export const SRTP_AEAD_AES_128_GCM: u16 = 0x0007;
export const SRTP_AEAD_AES_256_GCM: u16 = 0x0008;

// Master key and salt lengths of a profile; the exporter yields 2 * (key + salt) bytes (§4.2).
export function srtpKeyLength(profile: u16): i32 {
  if (profile == SRTP_AES128_CM_SHA1_80 || profile == SRTP_AEAD_AES_128_GCM) return 16;
  if (profile == SRTP_AEAD_AES_256_GCM) return 32;
  return 0;
}

export function srtpSaltLength(profile: u16): i32 {
  if (profile == SRTP_AES128_CM_SHA1_80) return 14;
  if (profile == SRTP_AEAD_AES_128_GCM || profile == SRTP_AEAD_AES_256_GCM) return 12;
  return 0;
}

export function srtpKeyingMaterialLength(profile: u16): i32 {
  return 2 * (srtpKeyLength(profile) + srtpSaltLength(profile));
}

export class UseSrtp {
  profiles: Array<u16> = new Array<u16>();
  mki: Uint8Array = new Uint8Array(0);

  static parse(body: Uint8Array): UseSrtp | null {
    const r = new ByteReader(body);
    const n = <i32>r.u16();
    if (!r.ok || n < 2 || (n & 1) != 0 || !r.has(n)) return null;
    const e = new UseSrtp();
    for (let i = 0; i < n; i += 2) e.profiles.push(r.u16());
    const mkiLen = <i32>r.u8();
    e.mki = r.bytes(mkiLen);
    if (!r.ok || r.remaining != 0) return null;
    return e;
  }

  write(w: ByteWriter): void {
    w.u16(this.profiles.length * 2);
    for (let i = 0; i < this.profiles.length; i++) w.u16(this.profiles[i]);
    w.u8(this.mki.length);
    w.bytes(this.mki);
  }
}
