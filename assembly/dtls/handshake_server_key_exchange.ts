// RFC 8422 §5.4: ServerKeyExchange for ECDHE_ECDSA (named curve, public point, signature).
import { ByteReader, ByteWriter } from "../util/bytes";
import { CURVE_TYPE_NAMED_CURVE } from "./protocol";
import { DigitallySigned } from "./digitally_signed";

export class ServerKeyExchange {
  namedGroup: u16 = 0;
  publicKey: Uint8Array = new Uint8Array(0);
  signed: DigitallySigned = new DigitallySigned();

  static parse(body: Uint8Array): ServerKeyExchange | null {
    const r = new ByteReader(body);
    const m = new ServerKeyExchange();
    if (r.u8() != CURVE_TYPE_NAMED_CURVE) return null;
    m.namedGroup = r.u16();
    const n = <i32>r.u8();
    if (n < 1) return null;
    m.publicKey = r.bytes(n);
    if (!m.signed.read(r) || r.remaining != 0) return null;
    return m;
  }

  // The ServerECDHParams bytes, which the signature covers after client_random + server_random.
  params(): Uint8Array {
    const out = new Uint8Array(4 + this.publicKey.length);
    const w = new ByteWriter(out);
    w.u8(CURVE_TYPE_NAMED_CURVE);
    w.u16(this.namedGroup);
    w.u8(this.publicKey.length);
    w.bytes(this.publicKey);
    return out;
  }

  // What the signature covers (RFC 8422 §5.4): client_random + server_random + ServerECDHParams.
  signedData(clientRandom: Uint8Array, serverRandom: Uint8Array): Uint8Array {
    const params = this.params();
    const out = new Uint8Array(64 + params.length);
    out.set(clientRandom, 0);
    out.set(serverRandom, 32);
    out.set(params, 64);
    return out;
  }

  encode(): Uint8Array {
    const p = this.params();
    const out = new Uint8Array(p.length + this.signed.encodedLength);
    const w = new ByteWriter(out);
    w.bytes(p);
    this.signed.write(w);
    return out;
  }
}
