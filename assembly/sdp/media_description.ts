// RFC 8866 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ..., and the lines under it.
import { Attribute } from "./attribute";
import { TransportAttributes } from "./transport_attributes";
import { Connection } from "./connection";
import { Direction, directionFromName } from "./direction";
import { ExtMap } from "./extmap";
import { Fmtp } from "./fmtp";
import { Msid } from "./msid";
import { RtcpFb } from "./rtcp_fb";
import { RtpMap } from "./rtpmap";
import { isDataChannelProto, parseMaxMessageSize, parseSctpPort } from "./sctp";
import { SsrcAttribute, SsrcGroup } from "./ssrc";
import { parseUint, splitSpaces } from "./text";

// More formats than any browser offers (Chromium's video section lists ~30).
const MAX_FORMATS: i32 = 64;

export class MediaDescription extends TransportAttributes {
  media: string = "";
  port: i32 = 0;
  numPorts: i32 = 1;
  proto: string = "";
  formats: string[] = [];
  connection: Connection | null = null;
  bandwidths: string[] = [];

  mid: string = "";
  direction: Direction = Direction.Unspecified;
  rtcpMux: bool = false;
  rtcpMuxOnly: bool = false;
  rtcpRsize: bool = false;
  bundleOnly: bool = false;

  // Transport attributes; empty / Unspecified / -1 when absent here (they may be at session level).
  sctpPort: i32 = -1;
  maxMessageSize: i64 = -1;
  // "candidate:..." strings as written (ICE parses them); beyond the bound they are counted, not kept.
  candidates: string[] = [];
  candidatesDropped: i32 = 0;
  endOfCandidates: bool = false;

  // RTP details for the media layer.
  rtpmaps: RtpMap[] = [];
  fmtps: Fmtp[] = [];
  rtcpFbs: RtcpFb[] = [];
  extmaps: ExtMap[] = [];
  ssrcs: SsrcAttribute[] = [];
  ssrcGroups: SsrcGroup[] = [];
  msids: Msid[] = [];

  // Attributes this layer does not interpret, and RTP attributes that did not parse, kept raw.
  other: Attribute[] = [];
  lineCount: i32 = 0;

  // Null when the m= line is malformed.
  static parseMLine(v: string): MediaDescription | null {
    const f = splitSpaces(v, MAX_FORMATS + 4);
    if (f.length < 4 || f.length > MAX_FORMATS + 3) return null;
    const m = new MediaDescription();
    m.media = f[0];
    const slash = f[1].indexOf("/");
    const port = parseUint(slash < 0 ? f[1] : f[1].substring(0, slash), 65535);
    if (port < 0) return null;
    m.port = <i32>port;
    if (slash >= 0) {
      const n = parseUint(f[1].substring(slash + 1), 65535);
      if (n < 1) return null;
      m.numPorts = <i32>n;
    }
    m.proto = f[2];
    for (let i = 3; i < f.length; i++) m.formats.push(f[i]);
    return m;
  }

  // "m=application ... UDP/DTLS/SCTP webrtc-datachannel" (RFC 8841 §4.1).
  get isDataChannel(): bool {
    if (this.media != "application" || !isDataChannelProto(this.proto)) return false;
    for (let i = 0; i < this.formats.length; i++) if (this.formats[i] == "webrtc-datachannel") return true;
    return false;
  }

  // Port 0 rejects a section unless it is bundle-only (RFC 9143 §7.2).
  get isRejected(): bool {
    return this.port == 0 && !this.bundleOnly;
  }

  // RTP formats, for writing a rejected section with the offered list.
  formatList(): string {
    return this.formats.join(" ");
  }

  rtpmap(pt: i32): RtpMap | null {
    for (let i = 0; i < this.rtpmaps.length; i++) if (<i32>this.rtpmaps[i].payloadType == pt) return this.rtpmaps[i];
    return null;
  }

  fmtp(pt: i32): Fmtp | null {
    for (let i = 0; i < this.fmtps.length; i++) if (this.fmtps[i].payloadType == pt) return this.fmtps[i];
    return null;
  }

  // Applies one a= line; a reason when a transport attribute is malformed, else null.
  applyAttribute(a: Attribute, maxCandidates: i32): string | null {
    const name = a.name;
    const v = a.value;
    if (name == "candidate") {
      if (!a.hasValue || v.length == 0) return "a=candidate without a value";
      if (this.candidates.length < maxCandidates) this.candidates.push("candidate:" + v);
      else this.candidatesDropped++;
    } else if (name == "mid") {
      if (v.length == 0 || v.length > 32) return "a=mid must be 1-32 characters";
      this.mid = v;
    } else if (TransportAttributes.has(name)) {
      return this.applyTransportAttribute(name, v);
    } else if (name == "sctp-port") {
      const p = parseSctpPort(v);
      if (p < 0) return "a=sctp-port must be 1-65535";
      this.sctpPort = p;
    } else if (name == "max-message-size") {
      const s = parseMaxMessageSize(v);
      if (s < 0) return "a=max-message-size must be a decimal byte count";
      this.maxMessageSize = s;
    } else if (name == "end-of-candidates") {
      this.endOfCandidates = true;
    } else if (name == "rtcp-mux") {
      this.rtcpMux = true;
    } else if (name == "rtcp-mux-only") {
      this.rtcpMuxOnly = true;
    } else if (name == "rtcp-rsize") {
      this.rtcpRsize = true;
    } else if (name == "bundle-only") {
      this.bundleOnly = true;
    } else if (!a.hasValue && directionFromName(name) != Direction.Unspecified) {
      this.direction = directionFromName(name);
    } else if (!this.applyRtpAttribute(name, v)) {
      // Unknown, or an RTP attribute we could not read: kept as written for whoever needs it.
      this.other.push(a);
    }
    return null;
  }

  // True when the attribute was an RTP detail that parsed.
  private applyRtpAttribute(name: string, v: string): bool {
    if (name == "rtpmap") {
      const r = RtpMap.parse(v);
      if (r == null) return false;
      this.rtpmaps.push(r);
    } else if (name == "fmtp") {
      const f = Fmtp.parse(v);
      if (f == null) return false;
      this.fmtps.push(f);
    } else if (name == "rtcp-fb") {
      const f = RtcpFb.parse(v);
      if (f == null) return false;
      this.rtcpFbs.push(f);
    } else if (name == "extmap") {
      const e = ExtMap.parse(v);
      if (e == null) return false;
      this.extmaps.push(e);
    } else if (name == "ssrc") {
      const s = SsrcAttribute.parse(v);
      if (s == null) return false;
      this.ssrcs.push(s);
    } else if (name == "ssrc-group") {
      const g = SsrcGroup.parse(v);
      if (g == null) return false;
      this.ssrcGroups.push(g);
    } else if (name == "msid") {
      const m = Msid.parse(v);
      if (m == null) return false;
      this.msids.push(m);
    } else return false;
    return true;
  }
}
