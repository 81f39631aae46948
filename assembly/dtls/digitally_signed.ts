// RFC 5246 §4.7 and §7.4.1.4.1: digitally-signed (SignatureAndHashAlgorithm + signature<0..2^16-1>).
import { ByteReader, ByteWriter } from "../util/bytes";
import { ecdsaSign, ecdsaVerify } from "../crypto/p256";
import { ecdsaSigToDer, ecdsaSigFromDer } from "../crypto/ecdsa_der";
import { SIG_ECDSA_SECP256R1_SHA256 } from "./protocol";

export class DigitallySigned {
  algorithm: u16 = 0;
  signature: Uint8Array = new Uint8Array(0); // DER ECDSA-Sig-Value for ECDSA

  read(r: ByteReader): bool {
    this.algorithm = r.u16();
    const n = <i32>r.u16();
    this.signature = r.bytes(n);
    return r.ok;
  }

  write(w: ByteWriter): void {
    w.u16(this.algorithm);
    w.u16(this.signature.length);
    w.bytes(this.signature);
  }

  get encodedLength(): i32 {
    return 4 + this.signature.length;
  }
}

// ecdsa_secp256r1_sha256 over msg (hashed inside, as the host providers do); null on failure.
export function signEcdsaP256(priv: Uint8Array, msg: Uint8Array): DigitallySigned | null {
  const sig = ecdsaSign(priv, msg);
  if (sig == null) return null;
  const ds = new DigitallySigned();
  ds.algorithm = SIG_ECDSA_SECP256R1_SHA256;
  ds.signature = ecdsaSigToDer(sig);
  return ds;
}

export function verifyEcdsaP256(pub: Uint8Array, msg: Uint8Array, ds: DigitallySigned): bool {
  if (ds.algorithm != SIG_ECDSA_SECP256R1_SHA256) return false;
  const sig = ecdsaSigFromDer(ds.signature);
  return sig != null && ecdsaVerify(pub, msg, sig);
}
