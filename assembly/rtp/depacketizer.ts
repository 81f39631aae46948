// RFC 3550 §5.1: a frame is the run of packets sharing a timestamp, ending at the marker bit; a gap drops it.
import { seqNewer } from "./rtp_packet";

export class DepacketizerCounters {
  frames: u32 = 0; // complete frames handed out
  framesDropped: u32 = 0; // frames lost to a gap, a malformed payload or the size limit
  malformed: u32 = 0; // payloads the codec could not parse
  oversize: u32 = 0; // frames larger than maxFrameSize
  late: u32 = 0; // packets older than the last one (the jitter buffer should prevent these)
  queueFull: u32 = 0; // frames dropped because the host did not poll
}

// A completed frame.
export class Frame {
  constructor(public data: Uint8Array, public timestamp: u32, public keyframe: bool) {}
}

// Reassembles frames from packets handed over in sequence order (by the jitter buffer). Codec
// subclasses say how a payload appends to the frame; this class owns continuity: a frame with a
// missing packet is never handed out, because a decoder fed a partial frame shows garbage.
export abstract class Depacketizer {
  counters: DepacketizerCounters = new DepacketizerCounters();
  protected buf: Uint8Array;
  protected len: i32 = 0;
  protected keyframe: bool = false;
  private inFrame: bool = false;
  private broken: bool = false;
  private frameTs: u32 = 0;
  private lastSeq: i32 = -1;
  private prevEnded: bool = false;
  private ready: Frame[] = [];

  constructor(public maxFrameSize: i32, public maxReady: i32 = 4) {
    this.buf = new Uint8Array(maxFrameSize);
  }

  // Audio formats carry one whole frame per packet; the marker bit means something else.
  protected framePerPacket(): bool {
    return false;
  }
  // Whether a payload can begin a frame (VP8: S=1 and partition 0; H.264: not a middle fragment).
  protected canStartFrame(payload: Uint8Array): bool {
    return true;
  }
  // Whether canStartFrame is proof enough after a gap. For H.264 it is not: the lost packet may
  // have held the same access unit's SPS/PPS or first slices.
  protected startIsReliable(): bool {
    return true;
  }
  protected abstract begin(): void;
  protected abstract append(payload: Uint8Array): bool;
  // A last check when the frame ends (an unfinished FU-A fails it).
  protected complete(): bool {
    return true;
  }

  // Appends raw bytes to the frame; false when the frame would exceed maxFrameSize.
  protected put(src: Uint8Array, off: i32, n: i32): bool {
    if (n < 0 || off < 0 || off + n > src.length) return false;
    if (this.len + n > this.maxFrameSize) {
      this.counters.oversize++;
      return false;
    }
    memory.copy(this.buf.dataStart + <usize>this.len, src.dataStart + <usize>off, <usize>n);
    this.len += n;
    return true;
  }

  protected putByte(b: u8): bool {
    if (this.len + 1 > this.maxFrameSize) {
      this.counters.oversize++;
      return false;
    }
    this.buf[this.len++] = b;
    return true;
  }

  // Hands one packet's payload over, in sequence order. Returns true when a frame is ready.
  push(payload: Uint8Array, seq: u16, ts: u32, marker: bool): bool {
    if (this.lastSeq >= 0 && !seqNewer(seq, <u16>this.lastSeq)) {
      this.counters.late++;
      return false;
    }
    const contiguous = this.lastSeq >= 0 && seq == <u16>(this.lastSeq + 1);
    this.lastSeq = seq;
    if (this.framePerPacket()) {
      this.begin();
      this.len = 0;
      this.keyframe = false;
      if (this.append(payload)) this.emit(ts);
      else {
        this.counters.malformed++;
        this.counters.framesDropped++;
      }
      return this.ready.length > 0;
    }
    if (this.inFrame && ts != this.frameTs) {
      // The previous frame ended without its marker. Hand it out only if nothing was missed.
      if (contiguous && !this.broken && this.complete()) this.emit(this.frameTs);
      else this.counters.framesDropped++;
      this.inFrame = false;
      this.prevEnded = contiguous;
    }
    if (!this.inFrame) {
      this.inFrame = true;
      this.frameTs = ts;
      this.len = 0;
      this.keyframe = false;
      this.begin();
      const hinted = this.canStartFrame(payload);
      if (contiguous) this.broken = !this.prevEnded || !hinted;
      else if (this.lastSeqWasNone) this.broken = !hinted;
      else this.broken = !(hinted && this.startIsReliable());
    } else if (!contiguous) {
      this.broken = true;
    }
    this.lastSeqWasNone = false;
    if (!this.broken && !this.append(payload)) {
      this.counters.malformed++;
      this.broken = true;
    }
    if (marker) {
      if (!this.broken && this.complete()) this.emit(ts);
      else this.counters.framesDropped++;
      this.inFrame = false;
      this.prevEnded = true;
    } else {
      this.prevEnded = false;
    }
    return this.ready.length > 0;
  }

  // After a reset (or at creation) the first packet has no predecessor to vouch for it.
  private lastSeqWasNone: bool = true;

  // Forgets the stream position (new SSRC, or after the jitter buffer gave up on a burst).
  reset(): void {
    this.lastSeq = -1;
    this.inFrame = false;
    this.broken = false;
    this.prevEnded = false;
    this.lastSeqWasNone = true;
  }

  private emit(ts: u32): void {
    if (this.ready.length >= this.maxReady) {
      this.counters.queueFull++;
      this.counters.framesDropped++;
      return;
    }
    this.ready.push(new Frame(this.buf.slice(0, this.len), ts, this.keyframe));
    this.counters.frames++;
  }

  // The oldest completed frame, or null.
  poll(): Frame | null {
    if (this.ready.length == 0) return null;
    return this.ready.shift();
  }

  get pending(): i32 {
    return this.ready.length;
  }
}
