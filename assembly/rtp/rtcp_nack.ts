// RFC 4585 §6.2.1: Generic NACK, a transport-layer feedback message of PID+BLP pairs.
import { ByteReader, ByteWriter } from "../util/bytes";
import { RTCP_RTPFB, RTPFB_NACK, rtcpHeaderOk, writeRtcpHeader } from "./rtcp_header";
import { RtcpPacket } from "./rtcp_packet";

export class Nack extends RtcpPacket {
  senderSsrc: u32 = 0;
  mediaSsrc: u32 = 0;
  // One FCI entry each: PID is a lost packet, bit i of BLP means PID+i+1 is lost too.
  pids: u16[] = [];
  blps: u16[] = [];

  static parse(buf: Uint8Array, off: i32, len: i32): Nack | null {
    if (!rtcpHeaderOk(buf, off, len) || buf[off + 1] != RTCP_RTPFB || (buf[off] & 0x1f) != RTPFB_NACK) return null;
    if (len < 12) return null;
    const r = new ByteReader(buf, off + 4, off + len);
    const n = new Nack();
    n.senderSsrc = r.u32();
    n.mediaSsrc = r.u32();
    // The FCI count is bounded by the packet length, which the datagram bounds.
    while (r.remaining >= 4) {
      n.pids.push(r.u16());
      n.blps.push(r.u16());
    }
    return n;
  }

  // Packs sequence numbers, ascending in RTP order (wrap-aware), into PID+BLP pairs.
  static fromSequence(senderSsrc: u32, mediaSsrc: u32, seqs: u16[]): Nack {
    const n = new Nack();
    n.senderSsrc = senderSsrc;
    n.mediaSsrc = mediaSsrc;
    let i = 0;
    while (i < seqs.length) {
      const pid = seqs[i];
      let blp: u32 = 0;
      i++;
      while (i < seqs.length) {
        const d = <u16>(seqs[i] - pid);
        if (d == 0) {
          i++;
          continue;
        }
        if (d > 16) break;
        blp |= 1 << (d - 1);
        i++;
      }
      n.pids.push(pid);
      n.blps.push(<u16>blp);
    }
    return n;
  }

  // Number of sequence numbers this NACK names (for bounding the work of answering it).
  lostCount(): i32 {
    let c = 0;
    for (let i = 0; i < this.pids.length; i++) c += 1 + <i32>popcnt<u32>(this.blps[i]);
    return c;
  }

  size(): i32 {
    return 12 + this.pids.length * 4;
  }

  write(w: ByteWriter): void {
    writeRtcpHeader(w, RTPFB_NACK, RTCP_RTPFB, this.size());
    w.u32(this.senderSsrc);
    w.u32(this.mediaSsrc);
    for (let i = 0; i < this.pids.length; i++) {
      w.u16(this.pids[i]);
      w.u16(this.blps[i]);
    }
  }
}
