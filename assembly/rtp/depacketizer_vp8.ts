// RFC 7741 §4.2-§4.5: VP8 frames from packets: a frame starts with S=1 in partition 0; key frames per §4.3.
import { Depacketizer } from "./depacketizer";
import { Vp8Descriptor, vp8IsKeyframe } from "./vp8_payload_descriptor";

export class Vp8Depacketizer extends Depacketizer {
  private d: Vp8Descriptor = new Vp8Descriptor();
  lastPictureId: i32 = -1;

  constructor(maxFrameSize: i32, maxReady: i32 = 4) {
    super(maxFrameSize, maxReady);
  }

  protected begin(): void {}

  // §4.5: S=1 with PID 0 is the first packet of a frame, so a frame after a gap is safe to use.
  protected canStartFrame(p: Uint8Array): bool {
    return this.d.parse(p) && this.d.start && this.d.partition == 0;
  }

  protected append(p: Uint8Array): bool {
    const d = this.d;
    if (!d.parse(p)) return false;
    const first = this.len == 0;
    if (first) {
      this.keyframe = vp8IsKeyframe(p, d.length);
      if (d.hasPictureId) this.lastPictureId = d.pictureId;
    }
    return this.put(p, d.length, p.length - d.length);
  }
}
