// RFC 3711 §4.1.1 (AES-CM) and §4.2 (HMAC-SHA1): the transform of the AES128_CM_HMAC_SHA1 profiles.
import { AesCtr } from "../crypto/aes_ctr";
import { Hmac } from "../crypto/hmac";
import { HashAlg } from "../crypto/hash";
import { ctEqual } from "../util/ct";
import { storeBE32, loadBE32 } from "../util/endian";
import { SrtpCipher, SRTCP_E_FLAG } from "./cipher";
import { SessionKeys } from "./key_derivation";

// One AES-CTR and one keyed HMAC per direction of the session, plus fixed scratch: protecting or
// unprotecting a packet allocates nothing.
export class AesCmHmacCipher extends SrtpCipher {
  private rtpCtr: AesCtr;
  private rtcpCtr: AesCtr;
  private rtpMac: Hmac;
  private rtcpMac: Hmac;
  private rtpSalt: Uint8Array;
  private rtcpSalt: Uint8Array;
  private iv: Uint8Array = new Uint8Array(16);
  private mac: Uint8Array = new Uint8Array(20);
  private roc: Uint8Array = new Uint8Array(4);

  constructor(keys: SessionKeys, rtpTagLength: i32) {
    super(rtpTagLength, 10);
    this.rtpCtr = new AesCtr(keys.rtpKey);
    this.rtcpCtr = new AesCtr(keys.rtcpKey);
    this.rtpMac = new Hmac(HashAlg.SHA1, keys.rtpAuthKey);
    this.rtcpMac = new Hmac(HashAlg.SHA1, keys.rtcpAuthKey);
    this.rtpSalt = keys.rtpSalt.slice(0);
    this.rtcpSalt = keys.rtcpSalt.slice(0);
  }

  get ok(): bool {
    return this.rtpCtr.ok && this.rtcpCtr.ok && this.rtpSalt.length == 14 && this.rtcpSalt.length == 14;
  }

  // §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), i the 48-bit index (ROC || SEQ
  // for SRTP, the 31-bit SRTCP index for SRTCP: indexHigh is then 0).
  private setIv(salt: Uint8Array, ssrc: u32, indexHigh: u32, indexLow: u16): void {
    const iv = this.iv;
    const p = iv.dataStart;
    memory.copy(p, salt.dataStart, 14);
    store<u16>(p + 14, 0);
    storeBE32(p + 4, loadBE32(p + 4) ^ ssrc);
    storeBE32(p + 8, loadBE32(p + 8) ^ indexHigh);
    store<u16>(p + 12, load<u16>(p + 12) ^ bswap<u16>(indexLow));
  }

  protectRtp(buf: Uint8Array, hdrLen: i32, len: i32, ssrc: u32, roc: u32, seq: u16): void {
    this.setIv(this.rtpSalt, ssrc, roc, seq);
    this.rtpCtr.xor(this.iv, buf, hdrLen, buf, hdrLen, len - hdrLen);
    this.rtpTag(buf, len, roc);
    memory.copy(buf.dataStart + <usize>len, this.mac.dataStart, <usize>this.rtpTagLength);
  }

  unprotectRtp(buf: Uint8Array, hdrLen: i32, len: i32, ssrc: u32, roc: u32, seq: u16): bool {
    this.rtpTag(buf, len, roc);
    if (!ctEqual(this.mac, 0, buf, len, this.rtpTagLength)) return false;
    this.setIv(this.rtpSalt, ssrc, roc, seq);
    return this.rtpCtr.xor(this.iv, buf, hdrLen, buf, hdrLen, len - hdrLen);
  }

  // §4.2: the tag is HMAC-SHA1 over the authenticated portion and then the ROC (§3.3, step 7).
  private rtpTag(buf: Uint8Array, len: i32, roc: u32): void {
    storeBE32(this.roc.dataStart, roc);
    this.rtpMac.reset().update(buf, 0, len).update(this.roc).finish(this.mac);
  }

  // §3.4: RTCP header | encrypted portion | E || SRTCP index | tag. The word is authenticated and
  // sits right after the packet, so the authenticated portion is contiguous.
  protectRtcp(buf: Uint8Array, len: i32, ssrc: u32, index: u32, encrypt: bool): void {
    if (encrypt) {
      this.setIv(this.rtcpSalt, ssrc, 0, 0);
      storeBE32(this.iv.dataStart + 10, loadBE32(this.iv.dataStart + 10) ^ index);
      this.rtcpCtr.xor(this.iv, buf, 8, buf, 8, len - 8);
    }
    storeBE32(buf.dataStart + <usize>len, encrypt ? index | SRTCP_E_FLAG : index);
    this.rtcpMac.reset().update(buf, 0, len + 4).finish(this.mac);
    memory.copy(buf.dataStart + <usize>(len + 4), this.mac.dataStart, <usize>this.rtcpTagLength);
  }

  unprotectRtcp(buf: Uint8Array, len: i32, ssrc: u32, index: u32, encrypted: bool): bool {
    this.rtcpMac.reset().update(buf, 0, len + 4).finish(this.mac);
    if (!ctEqual(this.mac, 0, buf, len + 4, this.rtcpTagLength)) return false;
    if (!encrypted) return true;
    this.setIv(this.rtcpSalt, ssrc, 0, 0);
    storeBE32(this.iv.dataStart + 10, loadBE32(this.iv.dataStart + 10) ^ index);
    return this.rtcpCtr.xor(this.iv, buf, 8, buf, 8, len - 8);
  }

  rtcpIndexOffset(len: i32): i32 {
    return len - this.rtcpTagLength - 4;
  }
}
