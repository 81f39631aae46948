// RFC 5246 §7.4.2: Certificate (certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>).
import { ByteReader, ByteWriter } from "../util/bytes";

export class CertificateMsg {
  certificates: Array<Uint8Array> = new Array<Uint8Array>();

  static parse(body: Uint8Array): CertificateMsg | null {
    const r = new ByteReader(body);
    const total = <i32>r.u24();
    if (!r.ok || r.remaining != total) return null;
    const m = new CertificateMsg();
    while (r.remaining > 0) {
      const n = <i32>r.u24();
      if (n < 1) return null;
      const cert = r.bytes(n);
      if (!r.ok) return null;
      m.certificates.push(cert);
    }
    return m;
  }

  encode(): Uint8Array {
    let total = 0;
    for (let i = 0; i < this.certificates.length; i++) total += 3 + this.certificates[i].length;
    const out = new Uint8Array(3 + total);
    const w = new ByteWriter(out);
    w.u24(total);
    for (let i = 0; i < this.certificates.length; i++) {
      w.u24(this.certificates[i].length);
      w.bytes(this.certificates[i]);
    }
    return out;
  }
}
