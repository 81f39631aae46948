// RFC 3551 §4.5.14 and §4.2: PCMU/PCMA at 8000 Hz, one octet per sample, ptime-sized packets.
import { Packetizer, PacketizerOutput } from "./packetizer";
import { Depacketizer } from "./depacketizer";

// Splits encoded G.711 audio into packets of samplesPerPacket octets (160 = 20 ms, §4.2's
// default); each packet's timestamp advances by its sample count.
export class G711Packetizer extends Packetizer {
  constructor(maxPayload: i32, public samplesPerPacket: i32 = 160) {
    super(maxPayload);
  }

  packetize(frame: Uint8Array, out: PacketizerOutput): bool {
    out.clear();
    const per = min(this.samplesPerPacket, this.maxPayload);
    if (frame.length == 0 || per < 1) return false;
    for (let off = 0; off < frame.length; off += per) {
      const n = min(per, frame.length - off);
      if (!out.push(frame.slice(off, off + n), false, <u32>off)) {
        out.clear();
        return false;
      }
    }
    return true;
  }
}

export class G711Depacketizer extends Depacketizer {
  constructor(maxFrameSize: i32 = 1200, maxReady: i32 = 8) {
    super(maxFrameSize, maxReady);
  }

  protected framePerPacket(): bool {
    return true;
  }

  protected begin(): void {}

  protected append(p: Uint8Array): bool {
    return p.length > 0 && this.put(p, 0, p.length);
  }
}
