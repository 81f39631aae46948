// RFC 6979 §3.2: deterministic ECDSA nonces from HMAC-SHA256, for P-256 (qlen = hlen = 256).
import { HashAlg } from "./hash";
import { Hmac } from "./hmac";
import { wipe } from "../util/ct";

// Candidates for k, in the order RFC 6979 defines them. The caller keeps the first one in
// [1, n-1] that also gives r != 0 and s != 0 (step h.3 covers both kinds of retry).
export class Rfc6979 {
  private k: Uint8Array = new Uint8Array(32);
  private v: Uint8Array = new Uint8Array(32);
  private sep: Uint8Array = new Uint8Array(1);
  private started: bool = false;

  // x: the private key, int2octets(x); h1: bits2octets(H(m)), i.e. H(m) mod n, 32 bytes.
  constructor(x: Uint8Array, h1: Uint8Array) {
    this.v.fill(0x01);
    this.rekey(0x00, x, h1);
    this.rekey(0x01, x, h1);
  }

  // K = HMAC_K(V || sep || x || h1); V = HMAC_K(V): steps d-g, and without x, h1 step h.3.
  private rekey(sep: u8, x: Uint8Array | null, h1: Uint8Array | null): void {
    this.sep[0] = sep;
    const mac = new Hmac(HashAlg.SHA256, this.k);
    mac.update(this.v).update(this.sep);
    if (x) mac.update(x);
    if (h1) mac.update(h1);
    mac.finish(this.k);
    mac.dispose();
    this.step();
  }

  // V = HMAC_K(V).
  private step(): void {
    const mac = new Hmac(HashAlg.SHA256, this.k);
    mac.update(this.v).finish(this.v);
    mac.dispose();
  }

  // The next candidate k, 32 big-endian bytes, into out.
  next(out: Uint8Array): void {
    if (this.started) this.rekey(0x00, null, null);
    this.started = true;
    this.step();
    out.set(this.v);
  }

  wipe(): void {
    wipe(this.k);
    wipe(this.v);
  }
}
