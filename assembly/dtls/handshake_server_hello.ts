// RFC 5246 §7.4.1.3: ServerHello.
import { ByteReader, ByteWriter } from "../util/bytes";
import { RANDOM_LEN } from "./protocol";
import { HelloExtensions } from "./extensions";

export class ServerHello {
  version: u16 = 0;
  random: Uint8Array = new Uint8Array(RANDOM_LEN);
  sessionId: Uint8Array = new Uint8Array(0);
  cipherSuite: u16 = 0;
  compressionMethod: u8 = 0;
  extensions: HelloExtensions = new HelloExtensions();

  static parse(body: Uint8Array): ServerHello | null {
    const r = new ByteReader(body);
    const m = new ServerHello();
    m.version = r.u16();
    m.random = r.bytes(RANDOM_LEN);
    const sidLen = <i32>r.u8();
    if (sidLen > 32) return null;
    m.sessionId = r.bytes(sidLen);
    m.cipherSuite = r.u16();
    m.compressionMethod = r.u8();
    if (!r.ok) return null;
    if (!m.extensions.read(r)) return null;
    return m;
  }

  encode(): Uint8Array {
    const buf = new Uint8Array(512);
    const w = new ByteWriter(buf);
    w.u16(this.version);
    w.bytes(this.random);
    w.u8(this.sessionId.length);
    w.bytes(this.sessionId);
    w.u16(this.cipherSuite);
    w.u8(this.compressionMethod);
    this.extensions.write(w);
    return buf.slice(0, w.pos);
  }
}
