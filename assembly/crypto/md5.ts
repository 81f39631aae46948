// RFC 1321: MD5, kept only because TURN's long-term credential key is MD5(username:realm:password) (RFC 8489 §9.2.2).
// MD5 is broken for collision resistance; nothing else in the core may use it.

// Per-round left-rotation amounts (RFC 1321 §3.4), four per round.
const SHIFTS: StaticArray<u8> = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

// T[i] = floor(2^32 * |sin(i + 1)|): computed once rather than typed in, the RFC 1321 A.5 vectors
// in the tests prove the table.
const T = new StaticArray<u32>(64);
for (let i = 0; i < 64; i++) T[i] = <u32>(<u64>Math.floor(Math.abs(Math.sin(<f64>(i + 1))) * 4294967296.0));

// @ts-ignore: decorator
@inline function rotl(x: u32, n: u32): u32 {
  return (x << n) | (x >>> (32 - n));
}

// Runs the compression function over one 64-byte block at p (little-endian words).
function compress(state: StaticArray<u32>, p: usize): void {
  let a = state[0], b = state[1], c = state[2], d = state[3];
  for (let i = 0; i < 64; i++) {
    let f: u32;
    let g: i32;
    const round = i >> 4;
    if (round == 0) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (round == 1) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) & 15;
    } else if (round == 2) {
      f = b ^ c ^ d;
      g = (3 * i + 5) & 15;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) & 15;
    }
    const s = <u32>unchecked(SHIFTS[(round << 2) | (i & 3)]);
    const t = a + f + unchecked(T[i]) + load<u32>(p + (<usize>g << 2));
    a = d;
    d = c;
    c = b;
    b = b + rotl(t, s);
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
}

// The 16-byte MD5 digest of data[off, off+len); len < 0 means to the end.
export function md5(data: Uint8Array, off: i32 = 0, len: i32 = -1): Uint8Array {
  if (off < 0 || off > data.length) off = data.length;
  if (len < 0 || len > data.length - off) len = data.length - off;
  const state = new StaticArray<u32>(4);
  state[0] = 0x67452301;
  state[1] = 0xefcdab89;
  state[2] = 0x98badcfe;
  state[3] = 0x10325476;
  const src = data.dataStart + <usize>off;
  const whole = len & ~63;
  for (let i = 0; i < whole; i += 64) compress(state, src + <usize>i);
  // The tail, the 0x80 marker and the 64-bit bit length fill one or two final blocks.
  const rest = len - whole;
  const tail = new StaticArray<u8>(128);
  const tp = changetype<usize>(tail);
  memory.copy(tp, src + <usize>whole, <usize>rest);
  store<u8>(tp + <usize>rest, 0x80);
  const blocks = rest < 56 ? 1 : 2;
  store<u64>(tp + <usize>(blocks * 64 - 8), <u64>len << 3);
  for (let i = 0; i < blocks; i++) compress(state, tp + <usize>(i * 64));
  const out = new Uint8Array(16);
  memory.copy(out.dataStart, changetype<usize>(state), 16);
  return out;
}
