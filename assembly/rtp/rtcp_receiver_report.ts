// RFC 3550 §6.4.2: the Receiver Report (RR) packet and the report block it shares with SR (§6.4.1).
import { ByteReader, ByteWriter } from "../util/bytes";
import { RTCP_RR, rtcpHeaderOk, writeRtcpHeader } from "./rtcp_header";
import { RtcpPacket } from "./rtcp_packet";

export const REPORT_BLOCK_SIZE: i32 = 24;

export class ReportBlock {
  ssrc: u32 = 0;
  fractionLost: u8 = 0;
  // 24-bit signed on the wire: duplicates can make it negative (§6.4.1).
  cumulativeLost: i32 = 0;
  extendedHighestSeq: u32 = 0;
  jitter: u32 = 0;
  lastSr: u32 = 0; // middle 32 bits of the NTP timestamp of the last SR received
  delaySinceLastSr: u32 = 0; // in 1/65536 s

  static read(r: ByteReader): ReportBlock {
    const b = new ReportBlock();
    b.ssrc = r.u32();
    b.fractionLost = r.u8();
    const c = r.u24();
    b.cumulativeLost = (c & 0x800000) != 0 ? <i32>(c | 0xff000000) : <i32>c;
    b.extendedHighestSeq = r.u32();
    b.jitter = r.u32();
    b.lastSr = r.u32();
    b.delaySinceLastSr = r.u32();
    return b;
  }

  write(w: ByteWriter): void {
    w.u32(this.ssrc);
    w.u8(this.fractionLost);
    // Clamp to the 24-bit signed range rather than wrapping into a wrong sign.
    let c = this.cumulativeLost;
    if (c > 0x7fffff) c = 0x7fffff;
    if (c < -0x800000) c = -0x800000;
    w.u24(<u32>c & 0xffffff);
    w.u32(this.extendedHighestSeq);
    w.u32(this.jitter);
    w.u32(this.lastSr);
    w.u32(this.delaySinceLastSr);
  }
}

// Reads `count` report blocks; null when the packet is too short for them.
export function readReportBlocks(r: ByteReader, count: i32): ReportBlock[] | null {
  if (!r.has(count * REPORT_BLOCK_SIZE)) return null;
  const out = new Array<ReportBlock>(0);
  for (let i = 0; i < count; i++) out.push(ReportBlock.read(r));
  return out;
}

export class ReceiverReport extends RtcpPacket {
  ssrc: u32 = 0;
  reports: ReportBlock[] = [];

  // buf[off, off+len) is exactly one RR packet. Profile-specific extensions after the blocks
  // are ignored, as §6.4.2 allows.
  static parse(buf: Uint8Array, off: i32, len: i32): ReceiverReport | null {
    if (!rtcpHeaderOk(buf, off, len) || buf[off + 1] != RTCP_RR || len < 8) return null;
    const r = new ByteReader(buf, off + 4, off + len);
    const rr = new ReceiverReport();
    rr.ssrc = r.u32();
    const blocks = readReportBlocks(r, buf[off] & 0x1f);
    if (blocks == null) return null;
    rr.reports = blocks;
    return rr;
  }

  size(): i32 {
    return 8 + min(this.reports.length, 31) * REPORT_BLOCK_SIZE;
  }

  write(w: ByteWriter): void {
    const n = min(this.reports.length, 31);
    writeRtcpHeader(w, n, RTCP_RR, this.size());
    w.u32(this.ssrc);
    for (let i = 0; i < n; i++) this.reports[i].write(w);
  }
}
