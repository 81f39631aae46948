// RFC 3550 §5.1: what a payload format packetizer hands the sender: payloads, marker bits, timestamp offsets.

// The packets of one frame. Bounded by maxPackets (from configuration): a frame that would need
// more is refused instead of growing memory.
export class PacketizerOutput {
  payloads: Uint8Array[] = [];
  markers: bool[] = [];
  // Added to the frame's RTP timestamp: 0 for video (all packets of a frame share it), the
  // sample offset for audio split into several packets (G.711).
  tsOffsets: u32[] = [];

  constructor(public maxPackets: i32 = 256) {}

  get count(): i32 {
    return this.payloads.length;
  }

  clear(): void {
    this.payloads.length = 0;
    this.markers.length = 0;
    this.tsOffsets.length = 0;
  }

  push(payload: Uint8Array, marker: bool, tsOffset: u32 = 0): bool {
    if (this.payloads.length >= this.maxPackets) return false;
    this.payloads.push(payload);
    this.markers.push(marker);
    this.tsOffsets.push(tsOffset);
    return true;
  }
}

export abstract class Packetizer {
  // The largest RTP payload: the MTU minus IP/UDP/RTP/SRTP overheads, chosen by the sender.
  constructor(public maxPayload: i32) {}

  // Appends the frame's packets to out (cleared first). False when the frame is dropped: empty,
  // malformed, or needing more packets than out allows; out is then empty.
  abstract packetize(frame: Uint8Array, out: PacketizerOutput): bool;

  // Packets in the most recent frame that were key (IDR / VP8 key frame); for stats and tests.
  lastWasKeyframe: bool = false;
}

// Splits n bytes into parts of at most max bytes, all within one byte of each other in size,
// so the last packet is not a runt: the number of parts.
export function partsFor(n: i32, max: i32): i32 {
  if (max <= 0) return 0;
  return (n + max - 1) / max;
}

// Size of part k of `parts` nearly equal parts of n bytes.
export function partSize(n: i32, parts: i32, k: i32): i32 {
  const base = n / parts;
  return k < n % parts ? base + 1 : base;
}
