// RFC 6347 §4.2.1 and RFC 5246 §7.4.1.2: ClientHello with the DTLS cookie.
import { ByteReader, ByteWriter } from "../util/bytes";
import { RANDOM_LEN } from "./protocol";
import { HelloExtensions } from "./extensions";

export class ClientHello {
  version: u16 = 0;
  random: Uint8Array = new Uint8Array(RANDOM_LEN);
  sessionId: Uint8Array = new Uint8Array(0);
  cookie: Uint8Array = new Uint8Array(0);
  cipherSuites: Array<u16> = new Array<u16>();
  compressionMethods: Uint8Array = new Uint8Array(1); // [null]
  extensions: HelloExtensions = new HelloExtensions();
  // The bytes the cookie is computed over (version .. session_id, suites, compression): see cookie.ts.
  paramsForCookie: Uint8Array = new Uint8Array(0);

  static parse(body: Uint8Array): ClientHello | null {
    const r = new ByteReader(body);
    const m = new ClientHello();
    m.version = r.u16();
    m.random = r.bytes(RANDOM_LEN);
    const sidLen = <i32>r.u8();
    if (sidLen > 32) return null;
    m.sessionId = r.bytes(sidLen);
    const afterSid = r.pos;
    const cookieLen = <i32>r.u8();
    m.cookie = r.bytes(cookieLen);
    const suitesStart = r.pos;
    const suitesLen = <i32>r.u16();
    if (!r.ok || suitesLen < 2 || (suitesLen & 1) != 0 || !r.has(suitesLen)) return null;
    for (let i = 0; i < suitesLen; i += 2) m.cipherSuites.push(r.u16());
    const compLen = <i32>r.u8();
    if (compLen < 1) return null;
    m.compressionMethods = r.bytes(compLen);
    if (!r.ok) return null;
    // The cookie input skips the cookie itself so both ClientHellos map to the same value.
    const params = new Uint8Array(afterSid + (r.pos - suitesStart));
    memory.copy(params.dataStart, body.dataStart, <usize>afterSid);
    memory.copy(params.dataStart + <usize>afterSid, body.dataStart + <usize>suitesStart, <usize>(r.pos - suitesStart));
    m.paramsForCookie = params;
    if (!m.extensions.read(r)) return null;
    return m;
  }

  encode(): Uint8Array {
    const e = this.extensions;
    let extLen = 64 + this.cipherSuites.length * 2;
    const groups = e.supportedGroups;
    if (groups != null) extLen += groups.length * 2;
    const sigs = e.signatureAlgorithms;
    if (sigs != null) extLen += sigs.length * 2;
    const srtp = e.useSrtp;
    if (srtp != null) extLen += srtp.profiles.length * 2 + srtp.mki.length;
    const buf = new Uint8Array(64 + this.sessionId.length + this.cookie.length + this.compressionMethods.length + extLen);
    const w = new ByteWriter(buf);
    w.u16(this.version);
    w.bytes(this.random);
    w.u8(this.sessionId.length);
    w.bytes(this.sessionId);
    w.u8(this.cookie.length);
    w.bytes(this.cookie);
    w.u16(this.cipherSuites.length * 2);
    for (let i = 0; i < this.cipherSuites.length; i++) w.u16(this.cipherSuites[i]);
    w.u8(this.compressionMethods.length);
    w.bytes(this.compressionMethods);
    this.extensions.write(w);
    return buf.slice(0, w.pos);
  }
}
