// RFC 7714 §8 (SRTP) and §9 (SRTCP): the AEAD_AES_128_GCM and AEAD_AES_256_GCM transforms.
import { AesGcm } from "../crypto/aes_gcm";
import { storeBE32, loadBE32 } from "../util/endian";
import { SrtpCipher, SRTCP_E_FLAG } from "./cipher";
import { SessionKeys } from "./key_derivation";

const TAG: i32 = 16;

// AesGcm takes whole arrays, so the header, payload and tag are passed as subarray views: three
// small view objects per packet, the only allocation on this path (the bytes are not copied).
export class AeadGcmCipher extends SrtpCipher {
  private rtpGcm: AesGcm;
  private rtcpGcm: AesGcm;
  private rtpSalt: Uint8Array;
  private rtcpSalt: Uint8Array;
  private iv: Uint8Array = new Uint8Array(12);
  // §9.2's AAD for an encrypted SRTCP packet: the 8-byte header and the ESRTCP word.
  private aad: Uint8Array = new Uint8Array(12);
  private tag: Uint8Array = new Uint8Array(TAG);
  private empty: Uint8Array = new Uint8Array(0);

  constructor(keys: SessionKeys) {
    super(TAG, TAG);
    this.rtpGcm = new AesGcm(keys.rtpKey);
    this.rtcpGcm = new AesGcm(keys.rtcpKey);
    this.rtpSalt = keys.rtpSalt.slice(0);
    this.rtcpSalt = keys.rtcpSalt.slice(0);
  }

  get ok(): bool {
    return this.rtpGcm.ok && this.rtcpGcm.ok && this.rtpSalt.length == 12 && this.rtcpSalt.length == 12;
  }

  // §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt.
  private rtpIv(ssrc: u32, roc: u32, seq: u16): void {
    const p = this.iv.dataStart;
    memory.copy(p, this.rtpSalt.dataStart, 12);
    storeBE32(p + 2, loadBE32(p + 2) ^ ssrc);
    storeBE32(p + 6, loadBE32(p + 6) ^ roc);
    store<u16>(p + 10, load<u16>(p + 10) ^ bswap<u16>(seq));
  }

  // §9.1: IV = (00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR salt.
  private rtcpIv(ssrc: u32, index: u32): void {
    const p = this.iv.dataStart;
    memory.copy(p, this.rtcpSalt.dataStart, 12);
    storeBE32(p + 2, loadBE32(p + 2) ^ ssrc);
    storeBE32(p + 8, loadBE32(p + 8) ^ index);
  }

  // §8.2: the header (with CSRCs and extension) is the AAD, the payload the plaintext.
  protectRtp(buf: Uint8Array, hdrLen: i32, len: i32, ssrc: u32, roc: u32, seq: u16): void {
    this.rtpIv(ssrc, roc, seq);
    const payload = buf.subarray(hdrLen, len);
    this.rtpGcm.seal(this.iv, buf.subarray(0, hdrLen), payload, payload, buf.subarray(len, len + TAG));
  }

  unprotectRtp(buf: Uint8Array, hdrLen: i32, len: i32, ssrc: u32, roc: u32, seq: u16): bool {
    this.rtpIv(ssrc, roc, seq);
    const payload = buf.subarray(hdrLen, len);
    return this.rtpGcm.open(this.iv, buf.subarray(0, hdrLen), payload, buf.subarray(len, len + TAG), payload);
  }

  // §9.2 (E = 1): header | cipher | tag | ESRTCP, AAD = header || ESRTCP.
  // §9.3 (E = 0): packet | tag | ESRTCP, AAD = packet || ESRTCP, nothing encrypted.
  protectRtcp(buf: Uint8Array, len: i32, ssrc: u32, index: u32, encrypt: bool): void {
    this.rtcpIv(ssrc, index);
    const word = encrypt ? index | SRTCP_E_FLAG : index;
    const p = buf.dataStart;
    if (encrypt) {
      this.setAad(buf, word);
      const body = buf.subarray(8, len);
      this.rtcpGcm.seal(this.iv, this.aad, body, body, buf.subarray(len, len + TAG));
    } else {
      // The word goes right after the packet so the AAD is contiguous, then makes way for the tag.
      storeBE32(p + <usize>len, word);
      this.rtcpGcm.seal(this.iv, buf.subarray(0, len + 4), this.empty, this.empty, this.tag);
      memory.copy(p + <usize>len, this.tag.dataStart, TAG);
    }
    storeBE32(p + <usize>(len + TAG), word);
  }

  unprotectRtcp(buf: Uint8Array, len: i32, ssrc: u32, index: u32, encrypted: bool): bool {
    this.rtcpIv(ssrc, index);
    const p = buf.dataStart;
    const word = loadBE32(p + <usize>(len + TAG));
    if (encrypted) {
      this.setAad(buf, word);
      const body = buf.subarray(8, len);
      return this.rtcpGcm.open(this.iv, this.aad, body, buf.subarray(len, len + TAG), body);
    }
    memory.copy(this.tag.dataStart, p + <usize>len, TAG);
    storeBE32(p + <usize>len, word);
    return this.rtcpGcm.open(this.iv, buf.subarray(0, len + 4), this.empty, this.tag, this.empty);
  }

  private setAad(buf: Uint8Array, word: u32): void {
    memory.copy(this.aad.dataStart, buf.dataStart, 8);
    storeBE32(this.aad.dataStart + 8, word);
  }

  rtcpIndexOffset(len: i32): i32 {
    return len - 4;
  }
}
