// RFC 9260 §3.3.2-3.3.3: INIT and INIT-ACK (same layout; INIT-ACK carries the State Cookie).
import { ByteWriter } from "../util/bytes";
import { Chunk, CHUNK_INIT, CHUNK_INIT_ACK, CHUNK_RECONFIG, CHUNK_FORWARD_TSN } from "./chunk";
import {
  Param, parseParams, paramLength, writeParam, paramStops, paramReports,
  PARAM_STATE_COOKIE, PARAM_SUPPORTED_EXTENSIONS, PARAM_FORWARD_TSN_SUPPORTED, PARAM_IPV4, PARAM_IPV6,
  PARAM_COOKIE_PRESERVATIVE, PARAM_HOST_NAME, PARAM_SUPPORTED_ADDRESS_TYPES, PARAM_ECN_CAPABLE,
  PARAM_UNRECOGNIZED, PARAM_ZERO_CHECKSUM,
} from "./param";

export class InitChunk extends Chunk {
  isAck: bool = false;
  initiateTag: u32 = 0;
  arwnd: u32 = 0;
  outStreams: u16 = 0;
  inStreams: u16 = 0;
  initialTsn: u32 = 0;
  forwardTsn: bool = false; // RFC 3758 PR-SCTP
  reconfig: bool = false; // RFC 6525 stream reset
  cookie: Uint8Array | null = null; // INIT-ACK only
  // Unknown parameters whose type asks to be reported, as raw TLVs.
  unrecognized: Array<Uint8Array> = [];

  chunkType(): u8 {
    return this.isAck ? CHUNK_INIT_ACK : CHUNK_INIT;
  }

  private extensionsLength(): i32 {
    return (this.forwardTsn ? 1 : 0) + (this.reconfig ? 1 : 0);
  }

  valueLength(): i32 {
    let n = 16;
    const ext = this.extensionsLength();
    if (ext > 0) n += paramLength(ext);
    if (this.forwardTsn) n += 4;
    const cookie = this.cookie;
    if (cookie) n += paramLength(cookie.length);
    for (let i = 0; i < this.unrecognized.length; i++) n += paramLength(this.unrecognized[i].length);
    return n;
  }

  writeValue(w: ByteWriter): void {
    w.u32(this.initiateTag);
    w.u32(this.arwnd);
    w.u16(this.outStreams);
    w.u16(this.inStreams);
    w.u32(this.initialTsn);
    const ext = this.extensionsLength();
    if (ext > 0) {
      const list = new Uint8Array(ext);
      let i = 0;
      if (this.reconfig) list[i++] = CHUNK_RECONFIG;
      if (this.forwardTsn) list[i++] = CHUNK_FORWARD_TSN;
      writeParam(w, PARAM_SUPPORTED_EXTENSIONS, list);
    }
    if (this.forwardTsn) writeParam(w, PARAM_FORWARD_TSN_SUPPORTED, new Uint8Array(0));
    const cookie = this.cookie;
    if (cookie) writeParam(w, PARAM_STATE_COOKIE, cookie);
    for (let i = 0; i < this.unrecognized.length; i++) writeParam(w, PARAM_UNRECOGNIZED, this.unrecognized[i]);
  }

  // Null when the fixed part is short or a parameter length lies. Field values are not
  // judged here (a zero tag or stream count is the association's to answer with ABORT).
  static parse(value: Uint8Array, isAck: bool): InitChunk | null {
    if (value.length < 16) return null;
    const c = new InitChunk();
    c.isAck = isAck;
    c.initiateTag = (<u32>value[0] << 24) | (<u32>value[1] << 16) | (<u32>value[2] << 8) | <u32>value[3];
    c.arwnd = (<u32>value[4] << 24) | (<u32>value[5] << 16) | (<u32>value[6] << 8) | <u32>value[7];
    c.outStreams = (<u16>value[8] << 8) | <u16>value[9];
    c.inStreams = (<u16>value[10] << 8) | <u16>value[11];
    c.initialTsn = (<u32>value[12] << 24) | (<u32>value[13] << 16) | (<u32>value[14] << 8) | <u32>value[15];
    const params = new Array<Param>();
    if (!parseParams(value, 16, value.length, params)) return null;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      const t = p.type;
      if (t == PARAM_STATE_COOKIE) {
        if (isAck) c.cookie = p.value;
      } else if (t == PARAM_FORWARD_TSN_SUPPORTED) {
        c.forwardTsn = true;
      } else if (t == PARAM_SUPPORTED_EXTENSIONS) {
        for (let j = 0; j < p.value.length; j++) {
          const ct = p.value[j];
          if (ct == CHUNK_RECONFIG) c.reconfig = true;
          else if (ct == CHUNK_FORWARD_TSN) c.forwardTsn = true;
        }
      } else if (
        t == PARAM_IPV4 || t == PARAM_IPV6 || t == PARAM_COOKIE_PRESERVATIVE || t == PARAM_HOST_NAME ||
        t == PARAM_SUPPORTED_ADDRESS_TYPES || t == PARAM_ECN_CAPABLE || t == PARAM_ZERO_CHECKSUM
      ) {
        // Known, and meaningless over DTLS (RFC 8261 §4): no addresses, no ECN, checksums stay on.
      } else {
        if (paramReports(t) && c.unrecognized.length < 8) c.unrecognized.push(p.raw);
        if (paramStops(t)) break;
      }
    }
    return c;
  }
}
