// RFC 2104: HMAC over any HashAlg, on Hash (so the host build uses the host's hash).
import { Hash, HashAlg, hashLength, hashBlockLength, digest } from "./hash";
import { ctEqual, wipe } from "../util/ct";

// One MAC at a time under one key, reusable for many messages without rehashing the key pads:
//   const mac = new Hmac(HashAlg.SHA1, key);
//   mac.update(msg).finish(tag);           // first message
//   mac.reset().update(msg2).finish(tag2); // next ones start from saved pad states
// A one-shot Hmac holds no host hash context once finished. The first reset() saves the two
// padded-key states (two host contexts in the host build, held until dispose()).
export class Hmac {
  readonly alg: HashAlg;
  private inner: Hash;
  private outer: Hash;
  private innerDigest: Uint8Array;
  // key ^ ipad, kept only until the pad states are saved.
  private ipadBlock: Uint8Array;
  private ipad: Hash | null = null;
  private opad: Hash | null = null;
  private disposed: bool = false;

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
    xorAll(k, 0x36);
    this.ipadBlock = k;
    this.inner = new Hash(alg).update(k);
    this.outer = padded(alg, k);
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
    this.outer.update(this.innerDigest).finish(out, off);
    wipe(this.innerDigest);
  }

  // Finishes and compares the first tagLen bytes of the MAC with tag[tagOff..] in constant
  // time; false for an already finished message, a tagLen outside 1..macLength or a tag range
  // outside tag.
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
    if (this.disposed) return this;
    let ipad = this.ipad;
    let opad = this.opad;
    if (ipad == null || opad == null) {
      const k = this.ipadBlock;
      ipad = new Hash(this.alg).update(k);
      opad = padded(this.alg, k);
      wipe(k);
      this.ipad = ipad;
      this.opad = opad;
    }
    this.inner.copyFrom(ipad);
    this.outer.copyFrom(opad);
    return this;
  }

  // Frees host contexts and forgets the key; the Hmac cannot be used afterwards.
  dispose(): void {
    this.disposed = true;
    wipe(this.ipadBlock);
    this.inner.dispose();
    this.outer.dispose();
    const ipad = this.ipad, opad = this.opad;
    if (ipad != null) ipad.dispose();
    if (opad != null) opad.dispose();
  }
}

function xorAll(b: Uint8Array, v: u8): void {
  const p = b.dataStart;
  for (let i = 0; i < b.length; i++) store<u8>(p + i, load<u8>(p + i) ^ v);
}

// A Hash that has absorbed key ^ opad, given key ^ ipad (which it leaves as it found it).
function padded(alg: HashAlg, ipadBlock: Uint8Array): Hash {
  xorAll(ipadBlock, 0x36 ^ 0x5c);
  const h = new Hash(alg).update(ipadBlock);
  xorAll(ipadBlock, 0x36 ^ 0x5c);
  return h;
}

export function hmac(alg: HashAlg, key: Uint8Array, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(hashLength(alg));
  const mac = new Hmac(alg, key);
  mac.update(data).finish(out);
  mac.dispose();
  return out;
}
