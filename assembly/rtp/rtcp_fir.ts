// RFC 5104 §4.3.1: Full Intra Request, FCI entries of (SSRC, command sequence number).
import { ByteReader, ByteWriter } from "../util/bytes";
import { PSFB_FIR, RTCP_PSFB, rtcpHeaderOk, writeRtcpHeader } from "./rtcp_header";
import { RtcpPacket } from "./rtcp_packet";

export class Fir extends RtcpPacket {
  senderSsrc: u32 = 0;
  // §4.3.1.2: the media source SSRC is unused (0); the targets are in the FCI.
  mediaSsrc: u32 = 0;
  ssrcs: u32[] = [];
  seqNrs: u8[] = [];

  static parse(buf: Uint8Array, off: i32, len: i32): Fir | null {
    if (!rtcpHeaderOk(buf, off, len) || buf[off + 1] != RTCP_PSFB || (buf[off] & 0x1f) != PSFB_FIR) return null;
    if (len < 12) return null;
    const r = new ByteReader(buf, off + 4, off + len);
    const f = new Fir();
    f.senderSsrc = r.u32();
    f.mediaSsrc = r.u32();
    while (r.remaining >= 8) {
      f.ssrcs.push(r.u32());
      f.seqNrs.push(r.u8());
      r.skip(3);
    }
    return f;
  }

  add(ssrc: u32, seqNr: u8): void {
    this.ssrcs.push(ssrc);
    this.seqNrs.push(seqNr);
  }

  size(): i32 {
    return 12 + this.ssrcs.length * 8;
  }

  write(w: ByteWriter): void {
    writeRtcpHeader(w, PSFB_FIR, RTCP_PSFB, this.size());
    w.u32(this.senderSsrc);
    w.u32(this.mediaSsrc);
    for (let i = 0; i < this.ssrcs.length; i++) {
      w.u32(this.ssrcs[i]);
      w.u8(this.seqNrs[i]);
      w.zeros(3);
    }
  }
}
