// RFC 6184 §5.6-§5.8 receive side (packetization-mode 1): single NAL, STAP-A and FU-A to an Annex B access unit.
import { Depacketizer } from "./depacketizer";
import { nalType, NAL_FU_A, NAL_IDR, NAL_STAP_A } from "./h264_annexb";

export class H264Depacketizer extends Depacketizer {
  // The FU-A being reassembled: its NAL type, or -1 when none is open.
  private fuType: i32 = -1;

  constructor(maxFrameSize: i32, maxReady: i32 = 4) {
    super(maxFrameSize, maxReady);
  }

  protected begin(): void {
    this.fuType = -1;
  }

  // A middle or end FU-A fragment cannot start an access unit; anything else can.
  protected canStartFrame(p: Uint8Array): bool {
    if (p.length < 1) return false;
    const t = nalType(p[0]);
    if (t == NAL_FU_A) return p.length >= 2 && (p[1] & 0x80) != 0;
    return true;
  }

  protected startIsReliable(): bool {
    return false;
  }

  protected complete(): bool {
    return this.fuType < 0;
  }

  private startCode(): bool {
    return this.putByte(0) && this.putByte(0) && this.putByte(0) && this.putByte(1);
  }

  private nal(p: Uint8Array, off: i32, n: i32): bool {
    if (n < 1) return false;
    if (nalType(p[off]) == NAL_IDR) this.keyframe = true;
    return this.startCode() && this.put(p, off, n);
  }

  protected append(p: Uint8Array): bool {
    if (p.length < 1) return false;
    const b0 = p[0];
    if ((b0 & 0x80) != 0) return false; // F bit: the sender says this NAL unit is corrupt
    const t = nalType(b0);
    if (t == NAL_FU_A) {
      if (p.length < 3) return false;
      const fh = p[1];
      const start = (fh & 0x80) != 0;
      const end = (fh & 0x40) != 0;
      const inner = <i32>nalType(fh);
      if (start) {
        // A new start while one is open means the old one lost its end.
        if (this.fuType >= 0) return false;
        this.fuType = inner;
        if (inner == NAL_IDR) this.keyframe = true;
        if (!this.startCode() || !this.putByte((b0 & 0xe0) | <u8>inner)) return false;
      } else if (this.fuType != inner) {
        return false; // a fragment without its start (§5.8: such fragments are discarded)
      }
      if (!this.put(p, 2, p.length - 2)) return false;
      if (end) this.fuType = -1;
      return true;
    }
    if (this.fuType >= 0) return false; // a FU-A was left unfinished
    if (t == NAL_STAP_A) {
      let i = 1;
      if (i >= p.length) return false;
      while (i < p.length) {
        if (i + 2 > p.length) return false;
        const n = (<i32>p[i] << 8) | <i32>p[i + 1];
        i += 2;
        if (n == 0 || i + n > p.length) return false;
        if (!this.nal(p, i, n)) return false;
        i += n;
      }
      return true;
    }
    if (t >= 1 && t <= 23) return this.nal(p, 0, p.length);
    return false; // 0, STAP-B, MTAP, FU-B and reserved types are not mode 1
  }
}
