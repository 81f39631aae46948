// RFC 3550 §6.5: Source Description (SDES) packet; CNAME (§6.5.1) is the item WebRTC needs.
import { ByteReader, ByteWriter } from "../util/bytes";
import { RTCP_SDES, rtcpHeaderOk, writeRtcpHeader } from "./rtcp_header";
import { RtcpPacket } from "./rtcp_packet";

export const SDES_END: u8 = 0;
export const SDES_CNAME: u8 = 1;

export class SdesChunk {
  constructor(public ssrc: u32 = 0, public cname: Uint8Array = new Uint8Array(0)) {}

  // SSRC + CNAME item + at least one null octet, padded to a 32-bit boundary (§6.5).
  size(): i32 {
    const n = 4 + 2 + min(this.cname.length, 255) + 1;
    return (n + 3) & ~3;
  }
}

export class Sdes extends RtcpPacket {
  chunks: SdesChunk[] = [];

  // Keeps the CNAME of each chunk; other items are skipped. A chunk whose item list runs past
  // the packet, or a packet with fewer chunks than SC claims, is rejected.
  static parse(buf: Uint8Array, off: i32, len: i32): Sdes | null {
    if (!rtcpHeaderOk(buf, off, len) || buf[off + 1] != RTCP_SDES) return null;
    const sc = <i32>(buf[off] & 0x1f);
    const r = new ByteReader(buf, off + 4, off + len);
    const s = new Sdes();
    for (let c = 0; c < sc; c++) {
      const chunkStart = r.pos;
      const ssrc = r.u32();
      let cname = new Uint8Array(0);
      for (;;) {
        const type = r.u8();
        if (!r.ok) return null;
        if (type == SDES_END) break;
        const n = <i32>r.u8();
        const v = r.view(n);
        if (!r.ok) return null;
        if (type == SDES_CNAME) cname = v.slice(0);
      }
      // Skip the null padding up to the next 32-bit boundary of the chunk.
      const used = r.pos - chunkStart;
      r.skip(((used + 3) & ~3) - used);
      if (!r.ok) return null;
      s.chunks.push(new SdesChunk(ssrc, cname));
    }
    return s;
  }

  size(): i32 {
    let n = 4;
    const k = min(this.chunks.length, 31);
    for (let i = 0; i < k; i++) n += this.chunks[i].size();
    return n;
  }

  write(w: ByteWriter): void {
    const k = min(this.chunks.length, 31);
    writeRtcpHeader(w, k, RTCP_SDES, this.size());
    for (let i = 0; i < k; i++) {
      const c = this.chunks[i];
      const start = w.pos;
      const n = min(c.cname.length, 255);
      w.u32(c.ssrc);
      w.u8(SDES_CNAME);
      w.u8(n);
      w.bytes(c.cname, 0, n);
      w.zeros(c.size() - (w.pos - start));
    }
  }
}
