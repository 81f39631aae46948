// RFC 5246 §7.4.4: CertificateRequest (types, supported_signature_algorithms, authorities).
import { ByteReader, ByteWriter } from "../util/bytes";

export class CertificateRequest {
  certificateTypes: Uint8Array = new Uint8Array(0);
  signatureAlgorithms: Array<u16> = new Array<u16>();

  static parse(body: Uint8Array): CertificateRequest | null {
    const r = new ByteReader(body);
    const m = new CertificateRequest();
    const nTypes = <i32>r.u8();
    if (nTypes < 1) return null;
    m.certificateTypes = r.bytes(nTypes);
    const nSigs = <i32>r.u16();
    if (!r.ok || nSigs < 2 || (nSigs & 1) != 0 || !r.has(nSigs)) return null;
    for (let i = 0; i < nSigs; i += 2) m.signatureAlgorithms.push(r.u16());
    // certificate_authorities: names are not used (WebRTC certificates are self-signed).
    const nCa = <i32>r.u16();
    r.skip(nCa);
    if (!r.ok || r.remaining != 0) return null;
    return m;
  }

  encode(): Uint8Array {
    const out = new Uint8Array(1 + this.certificateTypes.length + 2 + 2 * this.signatureAlgorithms.length + 2);
    const w = new ByteWriter(out);
    w.u8(this.certificateTypes.length);
    w.bytes(this.certificateTypes);
    w.u16(this.signatureAlgorithms.length * 2);
    for (let i = 0; i < this.signatureAlgorithms.length; i++) w.u16(this.signatureAlgorithms[i]);
    w.u16(0);
    return out;
  }
}
