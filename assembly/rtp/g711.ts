// ITU-T G.711 mu-law and A-law companding (RFC 3551 §4.5.14 PCMU/PCMA), with decode tables and a level meter.

// mu-law: samples are biased by 132 so every segment starts at a power of two; 32635 is the
// largest magnitude that stays within the top segment after the bias.
const ULAW_BIAS: i32 = 0x84;
const ULAW_CLIP: i32 = 32635;

let ulawTable: StaticArray<i16> | null = null;
let alawTable: StaticArray<i16> | null = null;

export function ulawEncode(sample: i16): u8 {
  let s = <i32>sample;
  let sign = 0;
  if (s < 0) {
    sign = 0x80;
    s = -s;
  }
  if (s > ULAW_CLIP) s = ULAW_CLIP;
  s += ULAW_BIAS;
  // Segment = position of the highest set bit above bit 7 (0..7).
  let exp = 7;
  for (let mask = 0x4000; (s & mask) == 0 && exp > 0; mask >>= 1) exp--;
  const mant = (s >> (exp + 3)) & 0x0f;
  // The code word is sent inverted so that silence is not a run of zeros.
  return <u8>(~(sign | (exp << 4) | mant));
}

export function ulawDecodeCompute(code: u8): i16 {
  const u = ~(<i32>code) & 0xff;
  const exp = (u >> 4) & 7;
  const mant = u & 0x0f;
  const mag = (((mant << 3) + ULAW_BIAS) << exp) - ULAW_BIAS;
  return <i16>((u & 0x80) != 0 ? -mag : mag);
}

export function alawEncode(sample: i16): u8 {
  // A-law works on 13 bits; even bits are toggled (0x55) on the wire.
  let v = (<i32>sample) >> 3;
  let mask = 0xd5;
  if (v < 0) {
    mask = 0x55;
    v = -v - 1;
  }
  let seg = 0;
  while (seg < 8 && v > ((0x1f << seg) | ((1 << seg) - 1))) seg++;
  if (seg >= 8) return <u8>(0x7f ^ mask);
  let a = seg << 4;
  a |= seg < 2 ? (v >> 1) & 0x0f : (v >> seg) & 0x0f;
  return <u8>(a ^ mask);
}

export function alawDecodeCompute(code: u8): i16 {
  const a = (<i32>code) ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg == 0) t += 8;
  else {
    t += 0x108;
    if (seg > 1) t <<= seg - 1;
  }
  return <i16>((a & 0x80) != 0 ? t : -t);
}

// 256-entry decode tables, built on first use (512 bytes each).
export function ulawTableGet(): StaticArray<i16> {
  let t = ulawTable;
  if (t == null) {
    t = new StaticArray<i16>(256);
    for (let i = 0; i < 256; i++) unchecked((t[i] = ulawDecodeCompute(<u8>i)));
    ulawTable = t;
  }
  return t;
}

export function alawTableGet(): StaticArray<i16> {
  let t = alawTable;
  if (t == null) {
    t = new StaticArray<i16>(256);
    for (let i = 0; i < 256; i++) unchecked((t[i] = alawDecodeCompute(<u8>i)));
    alawTable = t;
  }
  return t;
}

// @ts-ignore: decorator
@inline export function ulawDecode(code: u8): i16 {
  return unchecked(ulawTableGet()[code]);
}

// @ts-ignore: decorator
@inline export function alawDecode(code: u8): i16 {
  return unchecked(alawTableGet()[code]);
}

// Audio level of a G.711 payload in -dBov, 0 (full scale) to 127 (silence), as RFC 6464 counts
// it: the intercom's level meter reads this without decoding to a buffer.
export function g711Level(payload: Uint8Array, alaw: bool): i32 {
  const n = payload.length;
  if (n == 0) return 127;
  const t = alaw ? alawTableGet() : ulawTableGet();
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) {
    const s = <f64>unchecked(t[payload[i]]);
    sum += s * s;
  }
  const rms = Math.sqrt(sum / <f64>n);
  if (rms < 1) return 127;
  const db = -20 * Math.log10(rms / 32768);
  if (db <= 0) return 0;
  if (db >= 127) return 127;
  return <i32>Math.round(db);
}
