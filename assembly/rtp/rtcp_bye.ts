// RFC 3550 §6.6: the Goodbye (BYE) packet.
import { ByteReader, ByteWriter } from "../util/bytes";
import { RTCP_BYE, rtcpHeaderOk, writeRtcpHeader } from "./rtcp_header";
import { RtcpPacket } from "./rtcp_packet";

export class Bye extends RtcpPacket {
  ssrcs: u32[] = [];
  reason: Uint8Array = new Uint8Array(0);

  static parse(buf: Uint8Array, off: i32, len: i32): Bye | null {
    if (!rtcpHeaderOk(buf, off, len) || buf[off + 1] != RTCP_BYE) return null;
    const sc = <i32>(buf[off] & 0x1f);
    const r = new ByteReader(buf, off + 4, off + len);
    if (!r.has(sc * 4)) return null;
    const b = new Bye();
    for (let i = 0; i < sc; i++) b.ssrcs.push(r.u32());
    // The reason is optional; a length that overruns the packet is malformed.
    if (r.remaining > 0) {
      const n = <i32>r.u8();
      if (n > 0) {
        const v = r.view(n);
        if (!r.ok) return null;
        b.reason = v.slice(0);
      }
    }
    return b;
  }

  size(): i32 {
    let n = 4 + min(this.ssrcs.length, 31) * 4;
    if (this.reason.length > 0) n += (1 + min(this.reason.length, 255) + 3) & ~3;
    return n;
  }

  write(w: ByteWriter): void {
    const k = min(this.ssrcs.length, 31);
    writeRtcpHeader(w, k, RTCP_BYE, this.size());
    for (let i = 0; i < k; i++) w.u32(this.ssrcs[i]);
    if (this.reason.length > 0) {
      const n = min(this.reason.length, 255);
      w.u8(n);
      w.bytes(this.reason, 0, n);
      w.zeros(((1 + n + 3) & ~3) - 1 - n);
    }
  }
}
