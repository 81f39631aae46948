// SP 800-38A §6.5 — CTR mode, counter blocks incremented as one 128-bit big-endian integer (§B.1).
import { HOST_CRYPTO } from "./provider";
import { Aes } from "./aes";
import { host_aes_ctr } from "../imports";
import { loadBE64, storeBE64 } from "../util/endian";

// Pure provider: XORs len bytes from src into dst with the keystream of the counter block at
// counter, four blocks per AES pass. wrap32 increments only the low 32 bits (GCM's inc32);
// otherwise the whole block is the counter. ks is 64 bytes of scratch. dst may equal src.
export function ctrXor(aes: Aes, ks: usize, counter: usize, src: usize, dst: usize, len: i32, wrap32: bool): void {
  let hi = loadBE64(counter);
  let lo = loadBE64(counter + 8);
  let left = len;
  while (left > 0) {
    for (let j: usize = 0; j < 64; j += 16) {
      storeBE64(ks + j, hi);
      storeBE64(ks + j + 8, lo);
      if (wrap32) {
        lo = (lo & 0xFFFFFFFF00000000) | <u64>(<u32>lo + 1);
      } else {
        lo += 1;
        hi += <u64>(lo == 0);
      }
    }
    aes.encrypt4(ks, ks);
    if (left >= 64) {
      for (let i: usize = 0; i < 64; i += 8) store<u64>(dst + i, load<u64>(src + i) ^ load<u64>(ks + i));
    } else {
      for (let i: usize = 0; i < <usize>left; i++) store<u8>(dst + i, load<u8>(src + i) ^ load<u8>(ks + i));
    }
    src += 64;
    dst += 64;
    left -= 64;
  }
  memory.fill(ks, 0, 64);
}

export class AesCtr {
  readonly ok: bool;
  private aes: Aes;
  private ks: Uint8Array;

  constructor(key: Uint8Array) {
    const aes = new Aes(key);
    this.aes = aes;
    this.ok = aes.ok;
    this.ks = new Uint8Array(HOST_CRYPTO ? 0 : 64);
  }

  // out[outOff..+len) = input[inOff..+len) XOR keystream from the 16-byte counter block, which
  // is left unchanged. out may be input at the same offset. False on a bad key or range.
  xor(counter: Uint8Array, input: Uint8Array, inOff: i32, out: Uint8Array, outOff: i32, len: i32): bool {
    if (!this.ok || counter.length < 16 || len < 0 || inOff < 0 || outOff < 0) return false;
    if (inOff > input.length - len || outOff > out.length - len) return false;
    const src = input.dataStart + <usize>inOff;
    const dst = out.dataStart + <usize>outOff;
    if (HOST_CRYPTO) {
      const key = this.aes.hostKey;
      host_aes_ctr(key.dataStart, key.length, counter.dataStart, src, dst, len);
    } else {
      ctrXor(this.aes, this.ks.dataStart, counter.dataStart, src, dst, len, false);
    }
    return true;
  }
}
