// RFC 8422 §5.7: ClientKeyExchange for ECDHE (ClientECDiffieHellmanPublic: ecdh_Yc<1..2^8-1>).
import { ByteReader, ByteWriter } from "../util/bytes";

export class ClientKeyExchange {
  publicKey: Uint8Array = new Uint8Array(0);

  static parse(body: Uint8Array): ClientKeyExchange | null {
    const r = new ByteReader(body);
    const n = <i32>r.u8();
    if (n < 1) return null;
    const m = new ClientKeyExchange();
    m.publicKey = r.bytes(n);
    if (!r.ok || r.remaining != 0) return null;
    return m;
  }

  encode(): Uint8Array {
    const out = new Uint8Array(1 + this.publicKey.length);
    const w = new ByteWriter(out);
    w.u8(this.publicKey.length);
    w.bytes(this.publicKey);
    return out;
  }
}
