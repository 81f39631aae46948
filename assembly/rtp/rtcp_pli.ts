// RFC 4585 §6.3.1: Picture Loss Indication, a payload-specific feedback message with no FCI.
import { ByteReader, ByteWriter } from "../util/bytes";
import { PSFB_PLI, RTCP_PSFB, rtcpHeaderOk, writeRtcpHeader } from "./rtcp_header";
import { RtcpPacket } from "./rtcp_packet";

export class Pli extends RtcpPacket {
  constructor(public senderSsrc: u32 = 0, public mediaSsrc: u32 = 0) {
    super();
  }

  static parse(buf: Uint8Array, off: i32, len: i32): Pli | null {
    if (!rtcpHeaderOk(buf, off, len) || buf[off + 1] != RTCP_PSFB || (buf[off] & 0x1f) != PSFB_PLI) return null;
    if (len < 12) return null;
    const r = new ByteReader(buf, off + 4, off + len);
    const s = r.u32();
    return new Pli(s, r.u32());
  }

  size(): i32 {
    return 12;
  }

  write(w: ByteWriter): void {
    writeRtcpHeader(w, PSFB_PLI, RTCP_PSFB, 12);
    w.u32(this.senderSsrc);
    w.u32(this.mediaSsrc);
  }
}
