// The device's speaker-side sound: a short chirp once a second as G.711 μ-law (PCMU), 20 ms per
// frame at 8 kHz. Made in code rather than by ffmpeg, because G.711 is a byte-per-sample table
// lookup a microcontroller would do the same way.

export const PCMU_RATE = 8000;
export const FRAME_MS = 20;
export const FRAME_SAMPLES = (PCMU_RATE * FRAME_MS) / 1000; // 160, also the RTP timestamp step

// ITU-T G.711 μ-law: add the bias, find the segment (position of the top set bit), keep four
// mantissa bits, invert everything.
export function muLaw(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s = Math.min(s, CLIP) + BIAS;
  let segment = 7;
  for (let mask = 0x4000; (s & mask) === 0 && segment > 0; mask >>= 1) segment--;
  const mantissa = (s >> (segment + 3)) & 0x0f;
  return ~(sign | (segment << 4) | mantissa) & 0xff;
}

// Frame n of the endless chirp: 150 ms of 880 Hz at about -18 dBFS (with 10 ms fades, so it does
// not click) at the start of every second, silence otherwise.
export function toneFrame(n: number): Uint8Array {
  const out = new Uint8Array(FRAME_SAMPLES);
  const period = PCMU_RATE; // one second
  const beep = 0.15 * PCMU_RATE;
  const fade = 0.01 * PCMU_RATE;
  for (let i = 0; i < FRAME_SAMPLES; i++) {
    const t = (n * FRAME_SAMPLES + i) % period;
    let amp = 0;
    if (t < beep) amp = 4000 * Math.min(1, t / fade, (beep - t) / fade);
    out[i] = muLaw(amp * Math.sin((2 * Math.PI * 880 * t) / PCMU_RATE));
  }
  return out;
}
