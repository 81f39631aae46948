// SP 800-38D §7 — GCM authenticated encryption (§7.1) and decryption (§7.2), 128-bit tags.
import { HOST_CRYPTO } from "./provider";
import { Aes } from "./aes";
import { ctrXor } from "./aes_ctr";
import { Ghash } from "./ghash";
import { host_aes_ctr, host_aes_gcm_seal, host_aes_gcm_open } from "../imports";
import { ctEqual } from "../util/ct";

const TAG = 16;

// The host's GCM import serves 96-bit IVs, the only ones protocols use. Other IV lengths take the
// general path in every build, with the host's block cipher and CTR in host builds: hosts cap
// the IV length (OpenSSL 3 refuses more than 128 bytes) and the spec sets no such limit.
export class AesGcm {
  readonly ok: bool;
  private aes: Aes;
  private ghash: Ghash = new Ghash();
  // J0, then the first payload counter; E(K, J0); the tag being computed; keystream scratch.
  private j0: Uint8Array = new Uint8Array(TAG);
  private ekj0: Uint8Array = new Uint8Array(TAG);
  private s: Uint8Array = new Uint8Array(TAG);
  private ks: Uint8Array = new Uint8Array(HOST_CRYPTO ? 0 : 64);

  constructor(key: Uint8Array) {
    const aes = new Aes(key);
    this.aes = aes;
    this.ok = aes.ok;
    if (aes.ok) {
      // H = E(K, 0^128), through s while it is still all zeros.
      const s = this.s;
      aes.encryptBlock(s, 0, s, 0);
      this.ghash.setKey(s.dataStart);
      s.fill(0);
    }
  }

  // Encrypts input into out[0..input.length) (out may be input) and writes the tag to tag[0..16).
  // False, writing nothing, for a bad key, an empty IV or a short out or tag.
  seal(iv: Uint8Array, aad: Uint8Array, input: Uint8Array, out: Uint8Array, tag: Uint8Array): bool {
    const len = input.length;
    if (!this.ok || iv.length == 0 || out.length < len || tag.length < TAG) return false;
    if (HOST_CRYPTO && iv.length == 12) {
      const key = this.aes.hostKey;
      host_aes_gcm_seal(key.dataStart, key.length, iv.dataStart, 12, aad.dataStart, aad.length,
        input.dataStart, len, out.dataStart, tag.dataStart);
      return true;
    }
    this.start(iv);
    this.gctr(input.dataStart, out.dataStart, len);
    this.authenticate(aad, out, len);
    memory.copy(tag.dataStart, this.s.dataStart, TAG);
    this.s.fill(0);
    return true;
  }

  // Checks the 16-byte tag in constant time over aad and input, and only then decrypts input into
  // out[0..input.length) (out may be input). False for a wrong tag, a bad key, an empty IV or a
  // tag that is not 16 bytes, and then out[0..input.length) is zeroed; false for a short out.
  open(iv: Uint8Array, aad: Uint8Array, input: Uint8Array, tag: Uint8Array, out: Uint8Array): bool {
    const len = input.length;
    if (out.length < len) return false;
    let good = false;
    if (this.ok && iv.length != 0 && tag.length == TAG) {
      if (HOST_CRYPTO && iv.length == 12) {
        const key = this.aes.hostKey;
        good = host_aes_gcm_open(key.dataStart, key.length, iv.dataStart, 12, aad.dataStart, aad.length,
          input.dataStart, len, out.dataStart, tag.dataStart) == 1;
      } else {
        this.start(iv);
        this.authenticate(aad, input, len);
        good = ctEqual(this.s, 0, tag, 0, TAG);
        this.s.fill(0);
        if (good) this.gctr(input.dataStart, out.dataStart, len);
      }
    }
    if (!good) memory.fill(out.dataStart, 0, <usize>len);
    return good;
  }

  // §7.1 steps 2–3: J0 from the IV (IV || 0^31 || 1 for 96 bits, else GHASH of the padded IV
  // and its length), E(K, J0) kept for the tag, and j0 advanced to inc32(J0) for the payload.
  private start(iv: Uint8Array): void {
    const j = this.j0.dataStart;
    if (iv.length == 12) {
      memory.copy(j, iv.dataStart, 12);
      store<u32>(j + 12, bswap<u32>(1));
    } else {
      this.ghash.reset();
      this.ghash.absorb(iv.dataStart, iv.length);
      this.ghash.absorbLengths(0, iv.length);
      this.ghash.finish(j);
    }
    this.aes.encryptBlock(this.j0, 0, this.ekj0, 0);
    store<u32>(j + 12, bswap<u32>(bswap<u32>(load<u32>(j + 12)) + 1));
  }

  // §6.5 GCTR from the counter block in j0, whose low 32 bits wrap on their own (inc32). The host's
  // CTR increments all 128 bits, so its calls are split where the low 32 bits wrap.
  private gctr(src: usize, dst: usize, len: i32): void {
    const cb = this.j0.dataStart;
    if (HOST_CRYPTO) {
      const key = this.aes.hostKey;
      const room = (<u64>0x100000000 - <u64>bswap<u32>(load<u32>(cb + 12))) << 4;
      const first = <u64>len < room ? len : <i32>room;
      host_aes_ctr(key.dataStart, key.length, cb, src, dst, first);
      if (first < len) {
        store<u32>(cb + 12, 0);
        host_aes_ctr(key.dataStart, key.length, cb, src + <usize>first, dst + <usize>first, len - first);
      }
    } else {
      ctrXor(this.aes, this.ks.dataStart, cb, src, dst, len, true);
    }
  }

  // §7.1 steps 5–6: s = GHASH(A, C, lengths) XOR E(K, J0).
  private authenticate(aad: Uint8Array, c: Uint8Array, len: i32): void {
    const g = this.ghash;
    g.reset();
    g.absorb(aad.dataStart, aad.length);
    g.absorb(c.dataStart, len);
    g.absorbLengths(aad.length, len);
    g.finish(this.s.dataStart);
    for (let i = 0; i < TAG; i++) this.s[i] ^= this.ekj0[i];
    this.ekj0.fill(0);
  }
}
