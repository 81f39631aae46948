// RFC 9260 §5.1.3: the State Cookie, the whole TCB the listener needs, signed so it can stay stateless.
import { ByteReader, ByteWriter } from "../util/bytes";
import { ctEqual } from "../util/ct";
import { hmac } from "../crypto/hmac";
import { HashAlg } from "../crypto/hash";

const COOKIE_MAGIC: u32 = 0x77706331; // "wpc1"
const BODY_LEN: i32 = 56;
const MAC_LEN: i32 = 32;
export const STATE_COOKIE_LEN: i32 = BODY_LEN + MAC_LEN;

export const COOKIE_OK: i32 = 0;
export const COOKIE_BAD: i32 = 1; // wrong length or MAC: forged or corrupt, drop silently
export const COOKIE_STALE: i32 = 2; // genuine but expired: answer with a Stale Cookie error

export class StateCookie {
  createdAt: i64 = 0;
  lifetimeMs: u32 = 0;
  localTag: u32 = 0; // our Initiate Tag in the INIT-ACK
  localInitialTsn: u32 = 0;
  peerTag: u32 = 0; // the peer's Initiate Tag in its INIT
  peerInitialTsn: u32 = 0;
  peerArwnd: u32 = 0;
  outStreams: u16 = 0; // negotiated
  inStreams: u16 = 0;
  peerForwardTsn: bool = false;
  peerReconfig: bool = false;
  tieTag: u64 = 0; // our association's tie tag when the INIT-ACK was sent, else 0

  encode(key: Uint8Array): Uint8Array {
    const out = new Uint8Array(STATE_COOKIE_LEN);
    const w = new ByteWriter(out);
    w.u32(COOKIE_MAGIC);
    w.u64(<u64>this.createdAt);
    w.u32(this.lifetimeMs);
    w.u32(this.localTag);
    w.u32(this.localInitialTsn);
    w.u32(this.peerTag);
    w.u32(this.peerInitialTsn);
    w.u32(this.peerArwnd);
    w.u16(this.outStreams);
    w.u16(this.inStreams);
    w.u32((this.peerForwardTsn ? 1 : 0) | (this.peerReconfig ? 2 : 0));
    w.u64(this.tieTag);
    w.zeros(BODY_LEN - w.pos);
    const mac = hmac(HashAlg.SHA256, key, out.subarray(0, BODY_LEN));
    w.bytes(mac);
    return out;
  }

  // Verifies the MAC (constant time) and the lifetime; `status` receives COOKIE_*.
  static decode(data: Uint8Array, key: Uint8Array, now: i64, status: StaticArray<i32>): StateCookie | null {
    status[0] = COOKIE_BAD;
    if (data.length != STATE_COOKIE_LEN) return null;
    const mac = hmac(HashAlg.SHA256, key, data.subarray(0, BODY_LEN));
    if (!ctEqual(mac, 0, data, BODY_LEN, MAC_LEN)) return null;
    const r = new ByteReader(data, 0, BODY_LEN);
    if (r.u32() != COOKIE_MAGIC) return null;
    const c = new StateCookie();
    c.createdAt = <i64>r.u64();
    c.lifetimeMs = r.u32();
    c.localTag = r.u32();
    c.localInitialTsn = r.u32();
    c.peerTag = r.u32();
    c.peerInitialTsn = r.u32();
    c.peerArwnd = r.u32();
    c.outStreams = r.u16();
    c.inStreams = r.u16();
    const flags = r.u32();
    c.peerForwardTsn = (flags & 1) != 0;
    c.peerReconfig = (flags & 2) != 0;
    c.tieTag = r.u64();
    if (now - c.createdAt > <i64>c.lifetimeMs || now < c.createdAt - 1000) {
      status[0] = COOKIE_STALE;
      return c;
    }
    status[0] = COOKIE_OK;
    return c;
  }
}
