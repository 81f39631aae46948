// draft-alvestrand-rmcat-remb-03 §2.2: Receiver Estimated Maximum Bitrate, an RFC 4585 AFB message.
import { ByteReader, ByteWriter } from "../util/bytes";
import { PSFB_AFB, RTCP_PSFB, rtcpHeaderOk, writeRtcpHeader } from "./rtcp_header";
import { RtcpPacket } from "./rtcp_packet";

const REMB_ID: u32 = 0x52454d42; // "REMB"

export class Remb extends RtcpPacket {
  senderSsrc: u32 = 0;
  bitrate: u64 = 0; // bits per second, mantissa << exponent
  ssrcs: u32[] = [];

  static parse(buf: Uint8Array, off: i32, len: i32): Remb | null {
    if (!rtcpHeaderOk(buf, off, len) || buf[off + 1] != RTCP_PSFB || (buf[off] & 0x1f) != PSFB_AFB) return null;
    if (len < 20) return null;
    const r = new ByteReader(buf, off + 4, off + len);
    const m = new Remb();
    m.senderSsrc = r.u32();
    r.u32(); // media SSRC, always 0
    if (r.u32() != REMB_ID) return null; // another AFB message
    const num = <i32>r.u8();
    const v = r.u24();
    const exp = v >> 18;
    // A 6-bit exponent can describe more than 64 bits; saturate instead of wrapping.
    const mant = <u64>(v & 0x3ffff);
    m.bitrate = exp >= 46 ? (mant == 0 ? 0 : u64.MAX_VALUE) : mant << exp;
    if (!r.has(num * 4)) return null;
    for (let i = 0; i < num; i++) m.ssrcs.push(r.u32());
    return m;
  }

  size(): i32 {
    return 20 + min(this.ssrcs.length, 255) * 4;
  }

  write(w: ByteWriter): void {
    writeRtcpHeader(w, PSFB_AFB, RTCP_PSFB, this.size());
    w.u32(this.senderSsrc);
    w.u32(0);
    w.u32(REMB_ID);
    const n = min(this.ssrcs.length, 255);
    w.u8(n);
    // Smallest exponent whose mantissa fits 18 bits: the value rounds down, never up.
    let exp: u32 = 0;
    let mant = this.bitrate;
    while (mant > 0x3ffff) {
      mant >>= 1;
      exp++;
    }
    w.u24((exp << 18) | <u32>mant);
    for (let i = 0; i < n; i++) w.u32(this.ssrcs[i]);
  }
}
