// RFC 8829 §5.10-§5.11: what an offer/answer exchange settled for one audio or video m= section,
// in the form the peer layer reads to set up its RTP senders and receivers.
import { CodecCapability, MediaKind, mediaKindName } from "./codec";
import { Direction } from "./direction";
import { ExtMap } from "./extmap";
import { MediaDescription } from "./media_description";

export class NegotiatedCodec {
  payloadType: i32 = -1;
  // As written in the rtpmap ("H264", "opus"...), and lower case for comparisons.
  encoding: string = "";
  name: string = "";
  clockRate: u32 = 0;
  channels: u32 = 0;
  // The format parameters this side wrote for it (for H.264 the agreed profile-level-id).
  fmtp: string = "";
  // The rtx payload type retransmitting this one (RFC 4588), or -1.
  rtxPayloadType: i32 = -1;
  // FB_* bits both sides listed.
  feedback: i32 = 0;
  // Our capability it matched; which of our lists it came from.
  capability: CodecCapability | null = null;
  forSend: bool = false;
  forReceive: bool = false;
}

export class NegotiatedMedia {
  // Position of the m= section in the descriptions, its mid, "audio" or "video".
  index: i32 = -1;
  mid: string = "";
  kind: MediaKind = MediaKind.Video;
  accepted: bool = false;
  // Why the section was rejected (port 0), for logs and HTTP error bodies.
  reason: string = "";
  // Our direction: what we wrote in the answer, or what the answer leaves us as offerer.
  direction: Direction = Direction.Inactive;
  // What we send with (null when we do not send), and what the peer may send us.
  send: NegotiatedCodec | null = null;
  receive: NegotiatedCodec[] = [];
  // Every format this side listed on its m= line, in order (rtx ones not included).
  codecs: NegotiatedCodec[] = [];
  // Ours, for what we send (RFC 5576 a=ssrc, RFC 7022 cname, RFC 8830 msid).
  localSsrc: u32 = 0;
  localRtxSsrc: u32 = 0;
  cname: string = "";
  streamId: string = "";
  trackId: string = "";
  // The peer's, from its a=ssrc / a=ssrc-group:FID / a=msid lines (browsers still write them).
  remoteSsrcs: u32[] = [];
  remoteRtxSsrcs: u32[] = [];
  remoteCname: string = "";
  remoteMsid: string = "";
  rtcpMux: bool = true;
  // RFC 5506: both sides accept reduced-size RTCP.
  rtcpRsize: bool = false;
  // Header extensions both sides use, with the ids the offer gave (RFC 8285 §6).
  extmaps: ExtMap[] = [];
  proto: string = "";

  get kindName(): string {
    return mediaKindName(this.kind);
  }

  get sending(): bool {
    return this.accepted && this.send != null && (this.direction == Direction.SendRecv || this.direction == Direction.SendOnly);
  }

  get receiving(): bool {
    return this.accepted && this.receive.length > 0 && (this.direction == Direction.SendRecv || this.direction == Direction.RecvOnly);
  }

  // The receive codec for an incoming payload type (media or its rtx), or null.
  receiveCodec(pt: i32): NegotiatedCodec | null {
    for (let i = 0; i < this.receive.length; i++) {
      const c = this.receive[i];
      if (c.payloadType == pt || c.rtxPayloadType == pt) return c;
    }
    return null;
  }

  // Reads the peer's SSRCs, cname and msid from its section: SSRCs named second in an
  // ssrc-group:FID are rtx ones (RFC 4588 §8.3, RFC 5576 §4.2).
  readRemoteSsrcs(m: MediaDescription): void {
    const rtx = new Array<u32>();
    for (let i = 0; i < m.ssrcGroups.length; i++) {
      const g = m.ssrcGroups[i];
      if (g.semantics == "FID" && g.ssrcs.length == 2) rtx.push(g.ssrcs[1]);
    }
    for (let i = 0; i < m.ssrcs.length; i++) {
      const s = m.ssrcs[i];
      if (s.attribute == "cname" && this.remoteCname.length == 0) this.remoteCname = s.value;
      const list = rtx.includes(s.ssrc) ? this.remoteRtxSsrcs : this.remoteSsrcs;
      // A section lists a handful of SSRCs; 16 is more than simulcast with rtx needs.
      if (!list.includes(s.ssrc) && list.length < 16) list.push(s.ssrc);
    }
    if (m.msids.length > 0) this.remoteMsid = m.msids[0].toString();
  }
}
