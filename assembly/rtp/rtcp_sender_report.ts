// RFC 3550 §6.4.1: the Sender Report (SR) packet.
import { ByteReader, ByteWriter } from "../util/bytes";
import { RTCP_SR, rtcpHeaderOk, writeRtcpHeader } from "./rtcp_header";
import { ReportBlock, readReportBlocks, REPORT_BLOCK_SIZE } from "./rtcp_receiver_report";
import { RtcpPacket } from "./rtcp_packet";

export class SenderReport extends RtcpPacket {
  ssrc: u32 = 0;
  ntpTime: u64 = 0; // 32.32 fixed point seconds since 1900
  rtpTime: u32 = 0;
  packetCount: u32 = 0;
  octetCount: u32 = 0;
  reports: ReportBlock[] = [];

  static parse(buf: Uint8Array, off: i32, len: i32): SenderReport | null {
    if (!rtcpHeaderOk(buf, off, len) || buf[off + 1] != RTCP_SR || len < 28) return null;
    const r = new ByteReader(buf, off + 4, off + len);
    const sr = new SenderReport();
    sr.ssrc = r.u32();
    sr.ntpTime = r.u64();
    sr.rtpTime = r.u32();
    sr.packetCount = r.u32();
    sr.octetCount = r.u32();
    const blocks = readReportBlocks(r, buf[off] & 0x1f);
    if (blocks == null) return null;
    sr.reports = blocks;
    return sr;
  }

  size(): i32 {
    return 28 + min(this.reports.length, 31) * REPORT_BLOCK_SIZE;
  }

  write(w: ByteWriter): void {
    const n = min(this.reports.length, 31);
    writeRtcpHeader(w, n, RTCP_SR, this.size());
    w.u32(this.ssrc);
    w.u64(this.ntpTime);
    w.u32(this.rtpTime);
    w.u32(this.packetCount);
    w.u32(this.octetCount);
    for (let i = 0; i < n; i++) this.reports[i].write(w);
  }
}

// The "middle 32 bits" of an NTP timestamp, as echoed in LSR (§6.4.1).
export function ntpMiddle(ntp: u64): u32 {
  return <u32>(ntp >> 16);
}

// NTP 32.32 time from Unix milliseconds: the NTP era starts 70 years (2208988800 s) earlier.
export function ntpFromUnixMs(ms: i64): u64 {
  if (ms < 0) ms = 0;
  const secs = <u64>(ms / 1000) + 2208988800;
  const frac = ((<u64>(ms % 1000)) << 32) / 1000;
  return (secs << 32) | frac;
}
