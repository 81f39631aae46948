// RFC 6347 §4.2.1: HelloVerifyRequest (server_version, cookie<0..2^8-1>).
import { ByteReader, ByteWriter } from "../util/bytes";

export class HelloVerifyRequest {
  version: u16 = 0;
  cookie: Uint8Array = new Uint8Array(0);

  static parse(body: Uint8Array): HelloVerifyRequest | null {
    const r = new ByteReader(body);
    const m = new HelloVerifyRequest();
    m.version = r.u16();
    const n = <i32>r.u8();
    m.cookie = r.bytes(n);
    if (!r.ok || r.remaining != 0) return null;
    return m;
  }

  encode(): Uint8Array {
    const out = new Uint8Array(3 + this.cookie.length);
    const w = new ByteWriter(out);
    w.u16(this.version);
    w.u8(this.cookie.length);
    w.bytes(this.cookie);
    return out;
  }
}
