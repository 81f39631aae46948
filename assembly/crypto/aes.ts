// FIPS 197 — AES-128/192/256 encryption (§5.1 cipher, §5.2 key expansion).
import { HOST_CRYPTO } from "./provider";
import { host_aes_encrypt_block } from "../imports";

// The pure provider is bitsliced: four blocks travel together as eight u64 words, word i holding
// bit i of all 64 bytes, so SubBytes is a boolean circuit and nothing is ever indexed by a secret.
// Inside a word, bit 16*row + 4*column + block holds that byte of that block: a row is one 16-bit
// lane, which makes ShiftRows a rotation inside lanes and MixColumns a rotation of the word.

// Bytes 0..3 of x to byte lanes 0, 2, 4, 6.
// @ts-ignore: decorator
@inline function spread(x: u32): u64 {
  let v = <u64>x;
  v = (v | (v << 16)) & 0x0000FFFF0000FFFF;
  return (v | (v << 8)) & 0x00FF00FF00FF00FF;
}

// Byte lanes 0, 2, 4, 6 of v back to bytes 0..3.
// @ts-ignore: decorator
@inline function compact(v: u64): u32 {
  v &= 0x00FF00FF00FF00FF;
  v = (v | (v >> 8)) & 0x0000FFFF0000FFFF;
  return <u32>(v | (v >> 16));
}

// Word 4h+b: block b's column h in the even byte lanes, its column h+2 in the odd ones; after
// the bit transpose below, byte lane k and word w land on bit 8k+w, which is the layout above.
function interleaveIn(src: usize, q: usize): void {
  for (let b: usize = 0; b < 4; b++) {
    const p = src + (b << 4);
    store<u64>(q + (b << 3), spread(load<u32>(p)) | (spread(load<u32>(p + 8)) << 8));
    store<u64>(q + ((b + 4) << 3), spread(load<u32>(p + 4)) | (spread(load<u32>(p + 12)) << 8));
  }
}

function interleaveOut(q: usize, dst: usize): void {
  for (let b: usize = 0; b < 4; b++) {
    const p = dst + (b << 4);
    const lo = load<u64>(q + (b << 3));
    const hi = load<u64>(q + ((b + 4) << 3));
    store<u32>(p, compact(lo));
    store<u32>(p + 8, compact(lo >> 8));
    store<u32>(p + 4, compact(hi));
    store<u32>(p + 12, compact(hi >> 8));
  }
}

// Exchanges the bits of a at positions with bit s set against those of b with it clear.
// @ts-ignore: decorator
@inline function swapBits(q: usize, i: usize, j: usize, mask: u64, s: u64): void {
  const a = load<u64>(q + (i << 3));
  const b = load<u64>(q + (j << 3));
  const t = ((a >> s) ^ b) & mask;
  store<u64>(q + (j << 3), b ^ t);
  store<u64>(q + (i << 3), a ^ (t << s));
}

// Transposes, in every byte lane, the 8x8 bit matrix spread over the eight words (an involution).
function transpose8(q: usize): void {
  for (let i: usize = 0; i < 8; i += 2) swapBits(q, i, i + 1, 0x5555555555555555, 1);
  swapBits(q, 0, 2, 0x3333333333333333, 2);
  swapBits(q, 1, 3, 0x3333333333333333, 2);
  swapBits(q, 4, 6, 0x3333333333333333, 2);
  swapBits(q, 5, 7, 0x3333333333333333, 2);
  for (let i: usize = 0; i < 4; i++) swapBits(q, i, i + 4, 0x0F0F0F0F0F0F0F0F, 4);
}

// SubBytes on 64 bytes at once: Boyar and Peralta's depth-16, 128-gate circuit for the S-box
// ("A depth-16 circuit for the AES S-box", 2011). U0 is the most significant bit.
function subBytes(q: usize): void {
  const U7 = load<u64>(q), U6 = load<u64>(q, 8), U5 = load<u64>(q, 16), U4 = load<u64>(q, 24);
  const U3 = load<u64>(q, 32), U2 = load<u64>(q, 40), U1 = load<u64>(q, 48), U0 = load<u64>(q, 56);

  const T1 = U0 ^ U3, T2 = U0 ^ U5, T3 = U0 ^ U6, T4 = U3 ^ U5, T5 = U4 ^ U6;
  const T6 = T1 ^ T5, T7 = U1 ^ U2, T8 = U7 ^ T6, T9 = U7 ^ T7, T10 = T6 ^ T7;
  const T11 = U1 ^ U5, T12 = U2 ^ U5, T13 = T3 ^ T4, T14 = T6 ^ T11, T15 = T5 ^ T11;
  const T16 = T5 ^ T12, T17 = T9 ^ T16, T18 = U3 ^ U7, T19 = T7 ^ T18, T20 = T1 ^ T19;
  const T21 = U6 ^ U7, T22 = T7 ^ T21, T23 = T2 ^ T22, T24 = T2 ^ T10, T25 = T20 ^ T17;
  const T26 = T3 ^ T16, T27 = T1 ^ T12;

  const M1 = T13 & T6, M2 = T23 & T8, M3 = T14 ^ M1, M4 = T19 & U7, M5 = M4 ^ M1;
  const M6 = T3 & T16, M7 = T22 & T9, M8 = T26 ^ M6, M9 = T20 & T17, M10 = M9 ^ M6;
  const M11 = T1 & T15, M12 = T4 & T27, M13 = M12 ^ M11, M14 = T2 & T10, M15 = M14 ^ M11;
  const M16 = M3 ^ M2, M17 = M5 ^ T24, M18 = M8 ^ M7, M19 = M10 ^ M15, M20 = M16 ^ M13;
  const M21 = M17 ^ M15, M22 = M18 ^ M13, M23 = M19 ^ T25, M24 = M22 ^ M23, M25 = M22 & M20;
  const M26 = M21 ^ M25, M27 = M20 ^ M21, M28 = M23 ^ M25, M29 = M28 & M27, M30 = M26 & M24;
  const M31 = M20 & M23, M32 = M27 & M31, M33 = M27 ^ M25, M34 = M21 & M22, M35 = M24 & M34;
  const M36 = M24 ^ M25, M37 = M21 ^ M29, M38 = M32 ^ M33, M39 = M23 ^ M30, M40 = M35 ^ M36;
  const M41 = M38 ^ M40, M42 = M37 ^ M39, M43 = M37 ^ M38, M44 = M39 ^ M40, M45 = M42 ^ M41;
  const M46 = M44 & T6, M47 = M40 & T8, M48 = M39 & U7, M49 = M43 & T16, M50 = M38 & T9;
  const M51 = M37 & T17, M52 = M42 & T15, M53 = M45 & T27, M54 = M41 & T10, M55 = M44 & T13;
  const M56 = M40 & T23, M57 = M39 & T19, M58 = M43 & T3, M59 = M38 & T22, M60 = M37 & T20;
  const M61 = M42 & T1, M62 = M45 & T4, M63 = M41 & T2;

  const L0 = M61 ^ M62, L1 = M50 ^ M56, L2 = M46 ^ M48, L3 = M47 ^ M55, L4 = M54 ^ M58;
  const L5 = M49 ^ M61, L6 = M62 ^ L5, L7 = M46 ^ L3, L8 = M51 ^ M59, L9 = M52 ^ M53;
  const L10 = M53 ^ L4, L11 = M60 ^ L2, L12 = M48 ^ M51, L13 = M50 ^ L0, L14 = M52 ^ M61;
  const L15 = M55 ^ L1, L16 = M56 ^ L0, L17 = M57 ^ L1, L18 = M58 ^ L8, L19 = M63 ^ L4;
  const L20 = L0 ^ L1, L21 = L1 ^ L7, L22 = L3 ^ L12, L23 = L18 ^ L2, L24 = L15 ^ L9;
  const L25 = L6 ^ L10, L26 = L7 ^ L9, L27 = L8 ^ L10, L28 = L11 ^ L14, L29 = L11 ^ L17;

  store<u64>(q, ~(L6 ^ L23), 0);
  store<u64>(q, ~(L13 ^ L27), 8);
  store<u64>(q, L25 ^ L29, 16);
  store<u64>(q, L20 ^ L22, 24);
  store<u64>(q, L6 ^ L21, 32);
  store<u64>(q, ~(L19 ^ L28), 40);
  store<u64>(q, ~(L16 ^ L26), 48);
  store<u64>(q, L6 ^ L24, 56);
}

// Row r (a 16-bit lane) rotates left by r columns (4 bits per column).
// @ts-ignore: decorator
@inline function shiftRows(x: u64): u64 {
  return (x & 0x000000000000FFFF)
    | ((x & 0x00000000FFF00000) >> 4) | ((x & 0x00000000000F0000) << 12)
    | ((x & 0x0000FF0000000000) >> 8) | ((x & 0x000000FF00000000) << 8)
    | ((x & 0xF000000000000000) >> 12) | ((x & 0x0FFF000000000000) << 4);
}

function addRoundKey(q: usize, k: usize): void {
  for (let i: usize = 0; i < 64; i += 8) store<u64>(q + i, load<u64>(q + i) ^ load<u64>(k + i));
}

// ShiftRows, MixColumns, AddRoundKey. MixColumns per row r of a column s is
// 2*(s[r]^s[r+1]) ^ s[r+1] ^ s[r+2] ^ s[r+3]; s[r+1] is the word rotated by one lane, and
// s[r+2]^s[r+3] is t = s[r]^s[r+1] rotated by two lanes. xtime moves bit 7 into bits 0, 1, 3, 4.
function mixRound(q: usize, k: usize): void {
  const a0 = shiftRows(load<u64>(q, 0)), a1 = shiftRows(load<u64>(q, 8));
  const a2 = shiftRows(load<u64>(q, 16)), a3 = shiftRows(load<u64>(q, 24));
  const a4 = shiftRows(load<u64>(q, 32)), a5 = shiftRows(load<u64>(q, 40));
  const a6 = shiftRows(load<u64>(q, 48)), a7 = shiftRows(load<u64>(q, 56));
  const b0 = rotr<u64>(a0, 16), b1 = rotr<u64>(a1, 16), b2 = rotr<u64>(a2, 16), b3 = rotr<u64>(a3, 16);
  const b4 = rotr<u64>(a4, 16), b5 = rotr<u64>(a5, 16), b6 = rotr<u64>(a6, 16), b7 = rotr<u64>(a7, 16);
  const t0 = a0 ^ b0, t1 = a1 ^ b1, t2 = a2 ^ b2, t3 = a3 ^ b3;
  const t4 = a4 ^ b4, t5 = a5 ^ b5, t6 = a6 ^ b6, t7 = a7 ^ b7;
  store<u64>(q, t7 ^ b0 ^ rotr<u64>(t0, 32) ^ load<u64>(k, 0), 0);
  store<u64>(q, t0 ^ t7 ^ b1 ^ rotr<u64>(t1, 32) ^ load<u64>(k, 8), 8);
  store<u64>(q, t1 ^ b2 ^ rotr<u64>(t2, 32) ^ load<u64>(k, 16), 16);
  store<u64>(q, t2 ^ t7 ^ b3 ^ rotr<u64>(t3, 32) ^ load<u64>(k, 24), 24);
  store<u64>(q, t3 ^ t7 ^ b4 ^ rotr<u64>(t4, 32) ^ load<u64>(k, 32), 32);
  store<u64>(q, t4 ^ b5 ^ rotr<u64>(t5, 32) ^ load<u64>(k, 40), 40);
  store<u64>(q, t5 ^ b6 ^ rotr<u64>(t6, 32) ^ load<u64>(k, 48), 48);
  store<u64>(q, t6 ^ b7 ^ rotr<u64>(t7, 32) ^ load<u64>(k, 56), 56);
}

function lastRound(q: usize, k: usize): void {
  for (let i: usize = 0; i < 64; i += 8) store<u64>(q + i, shiftRows(load<u64>(q + i)) ^ load<u64>(k + i));
}

export class Aes {
  readonly ok: bool;
  readonly rounds: i32;
  // Host provider only: the key the host imports are given (empty in the pure build).
  readonly hostKey: Uint8Array;
  // Pure provider: rounds+1 bitsliced round keys of 8 words, the state, a 4-block buffer.
  private rk: StaticArray<u64>;
  private q: StaticArray<u64>;
  private blocks: Uint8Array;

  constructor(key: Uint8Array) {
    const n = key.length;
    const ok = n == 16 || n == 24 || n == 32;
    const rounds = ok ? (n >> 2) + 6 : 0;
    const pure = !HOST_CRYPTO;
    this.ok = ok;
    this.rounds = rounds;
    this.hostKey = !pure && ok ? key.slice(0) : new Uint8Array(0);
    this.rk = new StaticArray<u64>(pure && ok ? (rounds + 1) << 3 : 0);
    this.q = new StaticArray<u64>(pure ? 8 : 0);
    this.blocks = new Uint8Array(pure ? 64 : 0);
    if (pure && ok) this.expandKey(key);
  }

  // Encrypts the 16 bytes at input[inOff] into out[outOff] (the two may overlap exactly).
  // Out-of-range offsets or a bad key leave out untouched.
  encryptBlock(input: Uint8Array, inOff: i32, out: Uint8Array, outOff: i32): void {
    if (!this.ok || inOff < 0 || outOff < 0 || inOff > input.length - 16 || outOff > out.length - 16) return;
    const src = input.dataStart + <usize>inOff;
    const dst = out.dataStart + <usize>outOff;
    if (HOST_CRYPTO) {
      host_aes_encrypt_block(this.hostKey.dataStart, this.hostKey.length, src, dst);
    } else {
      const b = this.blocks.dataStart;
      memory.copy(b, src, 16);
      this.encrypt4(b, b);
      memory.copy(dst, b, 16);
    }
  }

  // Pure provider: encrypts the four consecutive blocks at src into dst (src == dst is fine).
  // The multi-block path of CTR and GCM; callers have checked ok and the 64 bytes.
  encrypt4(src: usize, dst: usize): void {
    const q = changetype<usize>(this.q);
    const rk = changetype<usize>(this.rk);
    interleaveIn(src, q);
    transpose8(q);
    addRoundKey(q, rk);
    const last = <usize>this.rounds << 6;
    for (let off: usize = 64; off < last; off += 64) {
      subBytes(q);
      mixRound(q, rk + off);
    }
    subBytes(q);
    lastRound(q, rk + last);
    transpose8(q);
    interleaveOut(q, dst);
  }

  // Words are little-endian here so that byte 0 of a word is its low byte: RotWord is a
  // rotation right by 8 and Rcon lands in the low byte.
  private expandKey(key: Uint8Array): void {
    const nk = key.length >> 2;
    const total = (this.rounds + 1) << 2;
    const w = new StaticArray<u32>(total);
    for (let i = 0; i < nk; i++) w[i] = load<u32>(key.dataStart + (<usize>i << 2));
    let rcon: u32 = 1;
    for (let i = nk; i < total; i++) {
      let t = w[i - 1];
      if (i % nk == 0) {
        t = this.subWord(rotr<u32>(t, 8)) ^ rcon;
        rcon = ((rcon << 1) ^ ((rcon >> 7) * 0x11b)) & 0xff;
      } else if (nk > 6 && i % nk == 4) {
        t = this.subWord(t);
      }
      w[i] = w[i - nk] ^ t;
    }
    const b = this.blocks.dataStart;
    const wp = changetype<usize>(w);
    for (let r = 0; r <= this.rounds; r++) {
      for (let j: usize = 0; j < 64; j += 16) memory.copy(b + j, wp + (<usize>r << 4), 16);
      const k = changetype<usize>(this.rk) + (<usize>r << 6);
      interleaveIn(b, k);
      transpose8(k);
    }
    memory.fill(wp, 0, <usize>total << 2);
    memory.fill(b, 0, 64);
    memory.fill(changetype<usize>(this.q), 0, 64);
  }

  // SubWord through the same circuit, so the key schedule is constant-time too.
  private subWord(x: u32): u32 {
    const b = this.blocks.dataStart;
    const q = changetype<usize>(this.q);
    memory.fill(b, 0, 64);
    store<u32>(b, x);
    interleaveIn(b, q);
    transpose8(q);
    subBytes(q);
    transpose8(q);
    interleaveOut(q, b);
    return load<u32>(b);
  }
}
