// RFC 8827 §6.5 / RFC 8122 §5: the DTLS identity a peer presents: a P-256 key, a self-signed certificate, its SHA-256 fingerprint.
import { p256Generate } from "../crypto/p256";
import { createSelfSignedCertificate } from "../crypto/x509";
import { digest, HashAlg } from "../crypto/hash";

export class Identity {
  constructor(public certificate: Uint8Array, public privateKey: Uint8Array, public fingerprint: Uint8Array) {}

  // A fresh key and certificate; null only when the certificate cannot be written.
  // The validity window is fixed: WebRTC peers check the fingerprint, never the dates,
  // and the core has no clock to read (RFC 8827 §6.5).
  static generate(): Identity | null {
    const key = p256Generate();
    const cert = createSelfSignedCertificate(key, "wasmpeer", 1700000000, 1700000000 + 10 * 365 * 86400);
    if (cert == null) return null;
    return new Identity(cert, key.priv, digest(HashAlg.SHA256, cert));
  }
}
