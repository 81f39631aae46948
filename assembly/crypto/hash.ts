// FIPS 180-4: streaming SHA-1, SHA-256 and SHA-384 behind one API for both crypto providers.
import { HOST_CRYPTO } from "./provider";
import { host_hash_new, host_hash_update, host_hash_clone, host_hash_final } from "../imports";
import { MdHash } from "./md_hash";
import { Sha1 } from "./sha1";
import { Sha256 } from "./sha256";
import { Sha512 } from "./sha512";

// The values are the host import's algorithm ids.
export const enum HashAlg {
  SHA1 = 1,
  SHA256 = 2,
  SHA384 = 3,
}

// Digest size in bytes; 0 for an id that is not a HashAlg.
export function hashLength(alg: HashAlg): i32 {
  switch (alg) {
    case HashAlg.SHA1: return 20;
    case HashAlg.SHA256: return 32;
    case HashAlg.SHA384: return 48;
  }
  return 0;
}

// Input block size in bytes (what HMAC pads keys to); 0 for an unknown id.
export function hashBlockLength(alg: HashAlg): i32 {
  switch (alg) {
    case HashAlg.SHA1: return 64;
    case HashAlg.SHA256: return 64;
    case HashAlg.SHA384: return 128;
  }
  return 0;
}

// Where a host context that is dropped unread gets its digest written.
const DISCARD = memory.data(64);

function newCore(alg: HashAlg): MdHash {
  if (alg == HashAlg.SHA1) return new Sha1();
  if (alg == HashAlg.SHA256) return new Sha256();
  return Sha512.sha384();
}

// A running hash. In the host build it holds a host context from the first update (or clone)
// until finish() or dispose(); a Hash that is dropped unfinished should be disposed so the host
// can free that context.
export class Hash {
  readonly alg: HashAlg;
  private core: MdHash | null = null;
  private handle: i32 = 0;
  private done: bool = false;

  // alg must be a HashAlg: ids from the network are mapped by the caller, so an unknown one is a bug.
  constructor(alg: HashAlg) {
    if (hashLength(alg) == 0) throw new Error("unknown hash algorithm");
    this.alg = alg;
    if (!HOST_CRYPTO) this.core = newCore(alg);
  }

  // True after finish() or dispose().
  get finished(): bool {
    return this.done;
  }

  private context(): i32 {
    if (this.handle == 0) this.handle = host_hash_new(this.alg);
    return this.handle;
  }

  // Absorbs data[off, off+len); len < 0 means to the end. A range outside data is ignored,
  // as is any update after finish().
  update(data: Uint8Array, off: i32 = 0, len: i32 = -1): Hash {
    const size = data.length;
    if (len < 0) len = size - off;
    if (this.done || off < 0 || off > size || len < 0 || len > size - off || len == 0) return this;
    const p = data.dataStart + <usize>off;
    if (HOST_CRYPTO) host_hash_update(this.context(), p, len);
    else this.core!.update(p, len);
    return this;
  }

  // Writes hashLength(alg) bytes at out[off]. The Hash is done afterwards; a second finish, or an
  // out too short for the digest, writes nothing.
  finish(out: Uint8Array, off: i32 = 0): void {
    if (this.done) return;
    const n = hashLength(this.alg);
    const fits = off >= 0 && off <= out.length && out.length - off >= n;
    const p = fits ? out.dataStart + <usize>off : DISCARD;
    this.done = true;
    if (HOST_CRYPTO) {
      host_hash_final(this.context(), p);
      this.handle = 0;
    } else if (fits) {
      this.core!.finish(p);
    }
  }

  // An independent copy of the running state (for transcript hashes taken mid-way).
  clone(): Hash {
    const c = new Hash(this.alg);
    c.copyFrom(this);
    return c;
  }

  // Makes this Hash a copy of another of the same algorithm, without allocating in the pure
  // build; returns false (and changes nothing) when the algorithms differ.
  copyFrom(o: Hash): bool {
    if (o.alg != this.alg) return false;
    if (HOST_CRYPTO) {
      this.dispose();
      this.handle = o.handle != 0 ? host_hash_clone(o.handle) : 0;
    } else {
      this.core!.copyFrom(o.core!);
    }
    this.done = o.done;
    return true;
  }

  // Ends the Hash without a digest and frees its host context, if any.
  dispose(): void {
    if (HOST_CRYPTO && this.handle != 0) host_hash_final(this.handle, DISCARD);
    this.handle = 0;
    this.done = true;
  }
}

export function digest(alg: HashAlg, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(hashLength(alg));
  new Hash(alg).update(data).finish(out);
  return out;
}
