// RFC 2104: HMAC over any HashAlg, on Hash (so the host build uses the host's hash).
import { Hash, HashAlg, hashLength, hashBlockLength, digest } from "./hash";
import { ctEqual, wipe } from "../util/ct";

// A keyed MAC that is reused for many messages: the key's inner and outer pad blocks are hashed
// once, in the constructor, and each message starts from copies of those two states.
//   const mac = new Hmac(HashAlg.SHA1, key);
//   mac.update(msg).finish(tag);          // first message
//   mac.reset().update(msg2).finish(tag2); // next one, no rehash of the pads
// In the host build an Hmac holds host hash contexts; dispose() frees them when the key retires.
export class Hmac {
  readonly alg: HashAlg;
  private ipad: Hash;
  private opad: Hash;
  private inner: Hash;
  private outer: Hash;
  private innerDigest: Uint8Array;

  constructor(alg: HashAlg, key: Uint8Array) {
    this.alg = alg;
    const block = hashBlockLength(alg);
    const k = new Uint8Array(block);
    if (key.length > block) {
      const kh = digest(alg, key);
      k.set(kh);
      wipe(kh);
    } else {
      k.set(key);
    }
    const p = k.dataStart;
    for (let i = 0; i < block; i++) store<u8>(p + i, load<u8>(p + i) ^ 0x36);
    this.ipad = new Hash(alg).update(k);
    for (let i = 0; i < block; i++) store<u8>(p + i, load<u8>(p + i) ^ (0x36 ^ 0x5c));
    this.opad = new Hash(alg).update(k);
    wipe(k);
    this.inner = this.ipad.clone();
    this.outer = new Hash(alg);
    this.innerDigest = new Uint8Array(hashLength(alg));
  }

  get macLength(): i32 {
    return hashLength(this.alg);
  }

  // Same range rules as Hash.update: len < 0 means to the end, a bad range is ignored.
  update(data: Uint8Array, off: i32 = 0, len: i32 = -1): Hmac {
    this.inner.update(data, off, len);
    return this;
  }

  // Writes macLength bytes at out[off]. Writes nothing when out is too short or the message
  // was already finished: call reset() before the next message.
  finish(out: Uint8Array, off: i32 = 0): void {
    if (this.inner.finished) return;
    this.inner.finish(this.innerDigest);
    this.outer.copyFrom(this.opad);
    this.outer.update(this.innerDigest).finish(out, off);
    wipe(this.innerDigest);
  }

  // Finishes and compares the first tagLen bytes of the MAC with tag[tagOff..] in constant
  // time; false for an already finished message, a tagLen outside 1..macLength or a tag range outside tag.
  verify(tag: Uint8Array, tagOff: i32 = 0, tagLen: i32 = -1): bool {
    const n = hashLength(this.alg);
    if (tagLen < 0) tagLen = n;
    const mac = new Uint8Array(n);
    const fresh = !this.inner.finished;
    this.finish(mac);
    const ok = fresh && tagLen > 0 && tagLen <= n && ctEqual(mac, 0, tag, tagOff, tagLen);
    wipe(mac);
    return ok;
  }

  // Starts a new message under the same key, dropping any unfinished one.
  reset(): Hmac {
    this.inner.copyFrom(this.ipad);
    return this;
  }

  // Frees host contexts; the Hmac cannot be used afterwards.
  dispose(): void {
    this.ipad.dispose();
    this.opad.dispose();
    this.inner.dispose();
    this.outer.dispose();
  }
}

export function hmac(alg: HashAlg, key: Uint8Array, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(hashLength(alg));
  const mac = new Hmac(alg, key);
  mac.update(data).finish(out);
  mac.dispose();
  return out;
}
