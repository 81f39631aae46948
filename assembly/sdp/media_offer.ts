// RFC 8829 §5.2.1 (the device's offer with media: video, audio, then data, all in one BUNDLE
// group, a=setup:actpass) and §5.10 (applying the answer: RFC 3264 §6.1 seen from the offerer).
import { CodecCapability, FB_NACK, MediaKind, offeredFormats, OfferedFormat } from "./codec";
import { SdpConfig } from "./config";
import { writeDataSection, writeSessionHead } from "./data_section";
import { Direction } from "./direction";
import { SdpError } from "./error";
import { ExtMap } from "./extmap";
import { DEFAULT_LIMITS, SdpLimits } from "./limits";
import { MediaConfig, MediaKindConfig } from "./media_config";
import { writeMediaSection } from "./media_section";
import { NegotiatedCodec, NegotiatedMedia } from "./negotiated_media";
import { parseSessionDescription, SessionDescription } from "./session_description";
import { Setup } from "./setup";
import { remoteTransport, RemoteTransport } from "./transport";
import { SdpWriter } from "./writer";

export const MEDIA_OFFER_PROTO = "UDP/TLS/RTP/SAVPF";

export class MediaOfferResult {
  error: SdpError = SdpError.None;
  reason: string = "";
  sdp: string = "";
  // What we offered per audio/video section (payload types, directions): applyMediaAnswer needs it.
  media: NegotiatedMedia[] = [];
  dataMid: string = "";

  get ok(): bool {
    return this.error == SdpError.None;
  }

  static fail(e: SdpError, reason: string): MediaOfferResult {
    const r = new MediaOfferResult();
    r.error = e;
    r.reason = reason;
    return r;
  }
}

// Payload types of one offer: each codec keeps its preferred number when free, else takes the
// lowest free dynamic one (RFC 3551 §3: 96-127). Shared by every section, so that a number
// means one codec in the whole BUNDLE group (RFC 9143 §7.5.1).
class PayloadTypes {
  used: StaticArray<bool> = new StaticArray<bool>(128);

  take(preferred: i32): i32 {
    if (preferred >= 0 && preferred < 128 && !this.used[preferred]) {
      this.used[preferred] = true;
      return preferred;
    }
    for (let pt = 96; pt < 128; pt++) {
      if (!this.used[pt]) {
        this.used[pt] = true;
        return pt;
      }
    }
    return -1;
  }

  // The first free number above `codec`'s, else the lowest free one: RTX right after its codec,
  // as browsers number them (a receiver that takes the lowest number for the main codec, as
  // werift does to decide whether to NACK, then finds the codec and not its RTX).
  takeAfter(codec: i32): i32 {
    for (let pt = codec + 1; pt < 128; pt++) if (!this.used[pt]) return this.take(pt);
    return this.take(-1);
  }
}

// Two capabilities describing the same format on the wire (audio lists often repeat send in receive).
function sameFormat(a: CodecCapability, b: CodecCapability): bool {
  return a.name == b.name && a.clockRate == b.clockRate && a.channels == b.channels && a.fmtp == b.fmtp;
}

function offeredCodec(cap: CodecCapability, pt: i32): NegotiatedCodec {
  const c = new NegotiatedCodec();
  c.payloadType = pt;
  c.encoding = cap.encoding;
  c.name = cap.name;
  c.clockRate = cap.clockRate;
  c.channels = cap.channels;
  c.fmtp = cap.fmtp;
  c.feedback = cap.feedback;
  c.capability = cap;
  return c;
}

function offeredSection(kind: MediaKind, kc: MediaKindConfig, mc: MediaConfig, mid: string, pts: PayloadTypes): NegotiatedMedia | null {
  const n = new NegotiatedMedia();
  n.kind = kind;
  n.mid = mid;
  n.proto = MEDIA_OFFER_PROTO;
  const all = kc.send.concat(kc.receive);
  for (let i = 0; i < all.length; i++) {
    const cap = all[i];
    const isSend = i < kc.send.length;
    let c: NegotiatedCodec | null = null;
    for (let j = 0; j < n.codecs.length; j++) if (sameFormat(n.codecs[j].capability!, cap)) c = n.codecs[j];
    if (c == null) {
      const pt = pts.take(cap.preferredPayloadType);
      if (pt < 0) return null;
      c = offeredCodec(cap, pt);
      n.codecs.push(c);
    }
    if (isSend) c.forSend = true;
    else {
      c.forReceive = true;
      n.receive.push(c);
    }
  }
  if (n.codecs.length == 0) return null;
  for (let i = 0; i < n.codecs.length; i++) {
    const c = n.codecs[i];
    if (kc.rtx && (c.feedback & FB_NACK) != 0) c.rtxPayloadType = pts.takeAfter(c.payloadType);
  }
  // The offer's "send" is the codec we would use if the answer took every one: the first.
  for (let i = 0; i < n.codecs.length && n.send == null; i++) if (n.codecs[i].forSend) n.send = n.codecs[i];
  n.direction = kc.canSend && kc.canReceive ? Direction.SendRecv : kc.canSend ? Direction.SendOnly : Direction.RecvOnly;
  n.accepted = true;
  n.rtcpRsize = mc.rtcpRsize;
  n.localSsrc = kc.ssrc;
  n.localRtxSsrc = kc.rtxSsrc;
  n.cname = mc.cname;
  n.streamId = mc.streamId;
  n.trackId = kc.trackId;
  // RFC 8285 §5: one-byte ids 1-14 for the extensions we implement.
  for (let i = 0; i < mc.extensions.length && i < 14; i++) {
    const e = new ExtMap();
    e.id = i + 1;
    e.uri = mc.extensions[i];
    n.extmaps.push(e);
  }
  return n;
}

// Video (if the device sends or receives any), audio (likewise), then the data channel, mids
// "0", "1", "2" in that order.
export function createMediaOffer(cfg: SdpConfig, mc: MediaConfig): MediaOfferResult {
  const bad = cfg.check();
  if (bad != null) return MediaOfferResult.fail(SdpError.BadConfig, bad);
  const badMedia = mc.check();
  if (badMedia != null) return MediaOfferResult.fail(SdpError.BadConfig, badMedia);
  mc.resolve();
  const r = new MediaOfferResult();
  const pts = new PayloadTypes();
  const kinds: MediaKind[] = [MediaKind.Video, MediaKind.Audio];
  const mids = new Array<string>();
  for (let i = 0; i < kinds.length; i++) {
    const kc = mc.config(kinds[i]);
    if (!kc.canSend && !kc.canReceive) continue;
    const mid = mids.length.toString();
    const n = offeredSection(kinds[i], kc, mc, mid, pts);
    if (n == null) return MediaOfferResult.fail(SdpError.BadConfig, "more codecs than free payload types");
    n.index = mids.length;
    mids.push(mid);
    r.media.push(n);
  }
  if (mc.data) {
    r.dataMid = mids.length.toString();
    mids.push(r.dataMid);
  }
  if (mids.length == 0) return MediaOfferResult.fail(SdpError.BadConfig, "nothing to offer: no codecs and no data channel");
  const w = new SdpWriter();
  writeSessionHead(w, cfg);
  w.attr("group", "BUNDLE " + mids.join(" "));
  if (cfg.iceLite) w.attr("ice-lite");
  w.attr("msid-semantic", " WMS " + mc.streamId);
  for (let i = 0; i < r.media.length; i++) writeMediaSection(w, cfg, r.media[i], Setup.ActPass);
  if (mc.data) writeDataSection(w, cfg, "UDP/DTLS/SCTP", r.dataMid, Setup.ActPass);
  if (w.size > cfg.limits.maxSize) {
    return MediaOfferResult.fail(SdpError.TooLarge, "offer would be " + w.size.toString() + " bytes, more than " + cfg.limits.maxSize.toString());
  }
  r.sdp = w.toString();
  return r;
}

export class MediaAppliedAnswer {
  error: SdpError = SdpError.None;
  reason: string = "";
  remote: RemoteTransport | null = null;
  dtlsClient: bool = false;
  dataAccepted: bool = false;
  dataMid: string = "";
  // One per offered audio/video section, in offer order.
  media: NegotiatedMedia[] = [];

  get ok(): bool {
    return this.error == SdpError.None;
  }

  static fail(e: SdpError, reason: string): MediaAppliedAnswer {
    const r = new MediaAppliedAnswer();
    r.error = e;
    r.reason = reason;
    return r;
  }
}

// The codec we offered under this payload type that an answered format still is (same codec;
// for H.264 the same profile and packetization mode: the level may come back lower).
function offeredMatch(o: NegotiatedMedia, f: OfferedFormat): NegotiatedCodec | null {
  for (let i = 0; i < o.codecs.length; i++) {
    const c = o.codecs[i];
    if (c.payloadType == f.payloadType && c.capability != null && c.capability!.match(f) > 0) return c;
  }
  return null;
}

function copyCodec(c: NegotiatedCodec, f: OfferedFormat): NegotiatedCodec {
  const n = new NegotiatedCodec();
  n.payloadType = c.payloadType;
  n.encoding = c.encoding;
  n.name = c.name;
  n.clockRate = c.clockRate;
  n.channels = c.channels;
  n.fmtp = f.fmtp != null ? f.fmtp!.parameters : c.fmtp;
  n.feedback = c.feedback & f.feedback;
  n.capability = c.capability;
  n.forSend = c.forSend;
  n.forReceive = c.forReceive;
  return n;
}

// The answer to our offer, one section at a time (RFC 3264 §6.1, from the offerer's side).
function applySection(answer: SessionDescription, ai: i32, o: NegotiatedMedia): NegotiatedMedia {
  const m = answer.media[ai];
  const n = new NegotiatedMedia();
  n.index = ai;
  n.mid = o.mid;
  n.kind = o.kind;
  n.proto = o.proto;
  n.localSsrc = o.localSsrc;
  n.localRtxSsrc = o.localRtxSsrc;
  n.cname = o.cname;
  n.streamId = o.streamId;
  n.trackId = o.trackId;
  if (m.isRejected) {
    n.reason = "rejected by the answer (port 0)";
    return n;
  }
  if (m.media != n.kindName) {
    n.reason = "the answer's section " + o.mid + " is " + m.media + ", not " + n.kindName;
    return n;
  }
  n.readRemoteSsrcs(m);
  const formats = offeredFormats(m);
  const their = m.direction != Direction.Unspecified ? m.direction : answer.direction != Direction.Unspecified ? answer.direction : Direction.SendRecv;
  const weMaySend = (o.direction == Direction.SendRecv || o.direction == Direction.SendOnly) && (their == Direction.SendRecv || their == Direction.RecvOnly);
  const weMayReceive = (o.direction == Direction.SendRecv || o.direction == Direction.RecvOnly) && (their == Direction.SendRecv || their == Direction.SendOnly);
  for (let i = 0; i < formats.length; i++) {
    const f = formats[i];
    if (f.isRtx) continue;
    const c = offeredMatch(o, f);
    if (c == null) continue;
    const k = copyCodec(c, f);
    // The rtx we offered for it, if the answer kept that payload type bound to it.
    if (c.rtxPayloadType >= 0) {
      for (let j = 0; j < formats.length; j++) {
        if (formats[j].isRtx && formats[j].payloadType == c.rtxPayloadType && formats[j].apt == c.payloadType) k.rtxPayloadType = c.rtxPayloadType;
      }
    }
    n.codecs.push(k);
    // The answer's order is the answerer's preference: we send with its first codec we can send.
    if (weMaySend && k.forSend && n.send == null) n.send = k;
    if (weMayReceive && k.forReceive) n.receive.push(k);
  }
  if (n.codecs.length == 0) {
    n.reason = "the answer kept none of the offered codecs";
    return n;
  }
  const send = n.send != null;
  const recv = n.receive.length > 0;
  n.direction = send && recv ? Direction.SendRecv : send ? Direction.SendOnly : recv ? Direction.RecvOnly : Direction.Inactive;
  n.accepted = true;
  n.rtcpRsize = o.rtcpRsize && m.rtcpRsize;
  for (let i = 0; i < m.extmaps.length; i++) {
    for (let j = 0; j < o.extmaps.length; j++) if (o.extmaps[j].uri == m.extmaps[i].uri) n.extmaps.push(m.extmaps[i]);
  }
  return n;
}

export function applyMediaAnswer(answer: SessionDescription, offer: MediaOfferResult): MediaAppliedAnswer {
  const r = new MediaAppliedAnswer();
  let transportIndex = -1;
  for (let i = 0; i < offer.media.length; i++) {
    const o = offer.media[i];
    const ai = answer.indexOfMid(o.mid);
    if (ai < 0) return MediaAppliedAnswer.fail(SdpError.UnknownMid, "the answer has no section for mid " + o.mid);
    const n = applySection(answer, ai, o);
    if (n.accepted && transportIndex < 0) transportIndex = ai;
    r.media.push(n);
  }
  if (offer.dataMid.length > 0) {
    const di = answer.indexOfMid(offer.dataMid);
    if (di < 0) return MediaAppliedAnswer.fail(SdpError.UnknownMid, "the answer has no section for mid " + offer.dataMid);
    const dm = answer.media[di];
    if (dm.isDataChannel && !dm.isRejected) {
      r.dataAccepted = true;
      r.dataMid = offer.dataMid;
      if (transportIndex < 0) transportIndex = di;
    }
  }
  if (transportIndex < 0) return MediaAppliedAnswer.fail(SdpError.NoAcceptableSection, "the answer rejected every section");
  // The answerer-tagged section carries the transport (RFC 9143 §7.3.1): the first mid of its group.
  const g = answer.bundleGroupOf(answer.media[transportIndex].mid);
  if (g != null && g.mids.length > 0) {
    const t = answer.indexOfMid(g.mids[0]);
    if (t >= 0 && !answer.media[t].isRejected) transportIndex = t;
  }
  const tr = remoteTransport(answer, transportIndex);
  if (!tr.ok) return MediaAppliedAnswer.fail(tr.error, tr.reason);
  const remote = tr.transport!;
  const s = remote.setup;
  if (s != Setup.Active && s != Setup.Passive && s != Setup.Unspecified) {
    return MediaAppliedAnswer.fail(SdpError.BadSetup, "an answer's a=setup must be active or passive");
  }
  r.remote = remote;
  r.dtlsClient = s == Setup.Passive || s == Setup.Unspecified;
  return r;
}

export function applyMediaAnswerBytes(bytes: Uint8Array, offer: MediaOfferResult, limits: SdpLimits = DEFAULT_LIMITS): MediaAppliedAnswer {
  const p = parseSessionDescription(bytes, limits);
  if (!p.ok) return MediaAppliedAnswer.fail(p.error, p.reason);
  return applyMediaAnswer(p.description!, offer);
}
