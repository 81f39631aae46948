// RFC 5288 §3 and RFC 6347 §4.1.2.1: AES-GCM record protection (nonce = salt || explicit, AAD).
import { AesGcm } from "../crypto/aes_gcm";
import { ByteWriter } from "../util/bytes";
import { RecordHeader } from "./record_header";
import { GCM_EXPLICIT_NONCE_LEN, GCM_OVERHEAD, GCM_SALT_LEN, GCM_TAG_LEN } from "./cipher_suite";
import { RECORD_HEADER_LEN } from "./protocol";

export class RecordCipher {
  private gcm: AesGcm;
  private nonce: Uint8Array = new Uint8Array(GCM_SALT_LEN + GCM_EXPLICIT_NONCE_LEN);
  private aad: Uint8Array = new Uint8Array(13);

  constructor(key: Uint8Array, salt: Uint8Array) {
    this.gcm = new AesGcm(key);
    this.nonce.set(salt, 0);
  }

  get ok(): bool {
    return this.gcm.ok;
  }

  // additional_data = seq_num(epoch + sequence) + type + version + plaintext length.
  private setAad(type: u8, version: u16, epoch: u16, seq: u64, len: i32): void {
    const w = new ByteWriter(this.aad);
    w.u16(epoch);
    w.u48(seq);
    w.u8(type);
    w.u16(version);
    w.u16(len);
  }

  // Writes a whole protected record (header, explicit nonce, ciphertext, tag). The explicit
  // nonce is epoch + sequence: unique per key without keeping a counter of its own.
  seal(w: ByteWriter, type: u8, version: u16, epoch: u16, seq: u64, plaintext: Uint8Array): bool {
    if (w.remaining < RECORD_HEADER_LEN + GCM_OVERHEAD + plaintext.length) return false;
    RecordHeader.of(type, version, epoch, seq, <u16>(plaintext.length + GCM_OVERHEAD)).write(w);
    const nw = new ByteWriter(this.nonce, GCM_SALT_LEN);
    nw.u16(epoch);
    nw.u48(seq);
    w.bytes(this.nonce, GCM_SALT_LEN, GCM_EXPLICIT_NONCE_LEN);
    this.setAad(type, version, epoch, seq, plaintext.length);
    const ct = w.buf.subarray(w.pos, w.pos + plaintext.length);
    const tag = w.buf.subarray(w.pos + plaintext.length, w.pos + plaintext.length + GCM_TAG_LEN);
    if (!this.gcm.seal(this.nonce, this.aad, plaintext, ct, tag)) return false;
    w.pos += plaintext.length + GCM_TAG_LEN;
    return true;
  }

  // The plaintext of a record body (explicit nonce, ciphertext, tag), or null when it does not authenticate.
  open(h: RecordHeader, body: Uint8Array): Uint8Array | null {
    const n = body.length - GCM_OVERHEAD;
    if (n < 0) return null;
    this.nonce.set(body.subarray(0, GCM_EXPLICIT_NONCE_LEN), GCM_SALT_LEN);
    this.setAad(h.contentType, h.version, h.epoch, h.sequence, n);
    const out = new Uint8Array(n);
    const ct = body.subarray(GCM_EXPLICIT_NONCE_LEN, GCM_EXPLICIT_NONCE_LEN + n);
    const tag = body.subarray(GCM_EXPLICIT_NONCE_LEN + n);
    if (!this.gcm.open(this.nonce, this.aad, ct, tag, out)) return null;
    return out;
  }
}
