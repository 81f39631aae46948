// RFC 7587 §4.2: one Opus packet per RTP packet, never fragmented; the timestamp counts 48 kHz samples.
import { Packetizer, PacketizerOutput } from "./packetizer";
import { Depacketizer } from "./depacketizer";

export class OpusPacketizer extends Packetizer {
  tooLarge: u32 = 0;

  constructor(maxPayload: i32) {
    super(maxPayload);
  }

  // An Opus packet larger than the MTU cannot be split (§4.2), so it is dropped and counted;
  // an encoder configured for WebRTC never produces one.
  packetize(frame: Uint8Array, out: PacketizerOutput): bool {
    out.clear();
    if (frame.length == 0) return false;
    if (frame.length > this.maxPayload) {
      this.tooLarge++;
      return false;
    }
    // The marker bit is for the first packet after DTX silence (§4.1); the sender sets it.
    return out.push(frame.slice(0), false);
  }
}

export class OpusDepacketizer extends Depacketizer {
  constructor(maxFrameSize: i32 = 1275 * 3, maxReady: i32 = 4) {
    super(maxFrameSize, maxReady);
  }

  protected framePerPacket(): bool {
    return true;
  }

  protected begin(): void {}

  protected append(p: Uint8Array): bool {
    // An empty payload is legal DTX signalling in some stacks but carries no frame.
    return p.length > 0 && this.put(p, 0, p.length);
  }
}
