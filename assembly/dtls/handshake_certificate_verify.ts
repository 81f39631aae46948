// RFC 5246 §7.4.8: CertificateVerify (a digitally-signed hash of the handshake so far).
import { ByteReader, ByteWriter } from "../util/bytes";
import { DigitallySigned } from "./digitally_signed";

export class CertificateVerify {
  signed: DigitallySigned = new DigitallySigned();

  static parse(body: Uint8Array): CertificateVerify | null {
    const r = new ByteReader(body);
    const m = new CertificateVerify();
    if (!m.signed.read(r) || r.remaining != 0) return null;
    return m;
  }

  encode(): Uint8Array {
    const out = new Uint8Array(this.signed.encodedLength);
    this.signed.write(new ByteWriter(out));
    return out;
  }
}
