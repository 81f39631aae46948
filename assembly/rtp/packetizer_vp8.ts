// RFC 7741 §4.2-§4.4: VP8 packets with a 15-bit PictureID, S bit on the first packet, one partition (PID 0).
import { Packetizer, PacketizerOutput, partsFor, partSize } from "./packetizer";
import { vp8IsKeyframe } from "./vp8_payload_descriptor";

const DESCRIPTOR: i32 = 4; // X=1; I=1; M=1 and a 15-bit PictureID

export class Vp8Packetizer extends Packetizer {
  // §4.2: the PictureID increases by one per frame, wrapping at 15 bits; a random start makes a
  // restarted sender's pictures distinguishable from the old ones.
  pictureId: u16;

  constructor(maxPayload: i32, firstPictureId: u16 = 0) {
    super(maxPayload);
    this.pictureId = firstPictureId & 0x7fff;
  }

  packetize(frame: Uint8Array, out: PacketizerOutput): bool {
    out.clear();
    this.lastWasKeyframe = false;
    const room = this.maxPayload - DESCRIPTOR;
    if (frame.length == 0 || room < 1) return false;
    this.lastWasKeyframe = vp8IsKeyframe(frame);
    const parts = partsFor(frame.length, room);
    let off = 0;
    for (let k = 0; k < parts; k++) {
      const n = partSize(frame.length, parts, k);
      const p = new Uint8Array(DESCRIPTOR + n);
      // Non-key frames are not marked N: without codec internals the sender cannot know
      // whether later frames reference them.
      p[0] = 0x80 | (k == 0 ? 0x10 : 0); // X, S, PID 0
      p[1] = 0x80; // I
      p[2] = 0x80 | <u8>(this.pictureId >> 8); // M = 15-bit PictureID
      p[3] = <u8>this.pictureId;
      memory.copy(p.dataStart + DESCRIPTOR, frame.dataStart + <usize>off, <usize>n);
      off += n;
      if (!out.push(p, k == parts - 1)) {
        out.clear();
        return false;
      }
    }
    this.pictureId = (this.pictureId + 1) & 0x7fff;
    return true;
  }
}
