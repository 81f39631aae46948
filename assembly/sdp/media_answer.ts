// RFC 8829 §5.3.1 (JSEP answer) with media: each offered audio/video section answered from the
// device's MediaConfig (RFC 3264 §6.1 directions and formats, payload types kept from the offer),
// the data channel section as createAnswer writes it, the rest rejected; one BUNDLE transport.
import { answerSetup, writeRejected } from "./answer";
import { CodecCapability, MediaKind, OfferedFormat, offeredFormats, rtxFor, FB_NACK } from "./codec";
import { SdpConfig } from "./config";
import { writeDataSection, writeSessionHead } from "./data_section";
import { answerDirection, Direction } from "./direction";
import { SdpError } from "./error";
import { ExtMap } from "./extmap";
import { Group } from "./group";
import { DEFAULT_LIMITS, SdpLimits } from "./limits";
import { MediaConfig, MediaKindConfig } from "./media_config";
import { MediaDescription } from "./media_description";
import { hasFeedbackProfile, isDtlsSrtpProto, writeMediaSection } from "./media_section";
import { NegotiatedCodec, NegotiatedMedia } from "./negotiated_media";
import { parseSessionDescription, SessionDescription } from "./session_description";
import { Setup } from "./setup";
import { remoteTransport, RemoteTransport } from "./transport";
import { SdpWriter } from "./writer";

export class MediaAnswerResult {
  error: SdpError = SdpError.None;
  reason: string = "";
  sdp: string = "";
  // The offerer's transport (ICE, DTLS, SCTP) from the section the BUNDLE group rides on.
  remote: RemoteTransport | null = null;
  dtlsClient: bool = false;
  // The accepted data channel section, or -1 / "".
  dataIndex: i32 = -1;
  dataMid: string = "";
  // One entry per offered audio or video section, accepted or not, in offer order.
  media: NegotiatedMedia[] = [];
  // Our BUNDLE group's mids; the first is the answerer-tagged section (RFC 9143 §7.3.1).
  bundle: string[] = [];

  get ok(): bool {
    return this.error == SdpError.None;
  }

  static fail(e: SdpError, reason: string): MediaAnswerResult {
    const r = new MediaAnswerResult();
    r.error = e;
    r.reason = reason;
    return r;
  }
}

function kindOf(m: MediaDescription): i32 {
  if (m.media == "audio") return MediaKind.Audio;
  if (m.media == "video") return MediaKind.Video;
  return -1;
}

function reject(n: NegotiatedMedia, why: string): NegotiatedMedia {
  n.accepted = false;
  n.reason = why;
  n.direction = Direction.Inactive;
  return n;
}

function codecFor(f: OfferedFormat, cap: CodecCapability, feedbackOk: bool): NegotiatedCodec {
  const c = new NegotiatedCodec();
  c.payloadType = f.payloadType;
  c.encoding = f.encoding;
  c.name = f.name;
  c.clockRate = f.clockRate;
  c.channels = cap.channels == 0 ? 0 : f.channels;
  c.fmtp = cap.answerFmtp(f);
  c.feedback = feedbackOk ? cap.feedback & f.feedback : 0;
  c.capability = cap;
  return c;
}

// The best offered format for one of our codecs: highest match, then first in the offer.
function bestFormat(formats: OfferedFormat[], cap: CodecCapability): OfferedFormat | null {
  let best: OfferedFormat | null = null;
  let rank = 0;
  for (let i = 0; i < formats.length; i++) {
    const r = cap.match(formats[i]);
    if (r > rank) {
      rank = r;
      best = formats[i];
    }
  }
  return best;
}

function findCodec(list: NegotiatedCodec[], pt: i32): NegotiatedCodec | null {
  for (let i = 0; i < list.length; i++) if (list[i].payloadType == pt) return list[i];
  return null;
}

// RFC 4588 §8.6: an rtx format is kept for a codec that uses NACK, when both sides want rtx.
function bindRtx(c: NegotiatedCodec, formats: OfferedFormat[], kc: MediaKindConfig): void {
  if (!kc.rtx || (c.feedback & FB_NACK) == 0) return;
  const r = rtxFor(formats, c.payloadType, c.clockRate);
  if (r != null) c.rtxPayloadType = r.payloadType;
}

// One offered audio/video section against what the device does for that kind.
export function negotiateOffered(offer: SessionDescription, index: i32, mc: MediaConfig): NegotiatedMedia {
  const m = offer.media[index];
  const n = new NegotiatedMedia();
  n.index = index;
  n.mid = m.mid;
  n.proto = m.proto;
  const k = kindOf(m);
  if (k < 0) return reject(n, "media " + m.media + " is not audio or video");
  n.kind = <MediaKind>k;
  if (m.port == 0 && !m.bundleOnly) return reject(n, "rejected in the offer (port 0)");
  if (!isDtlsSrtpProto(m.proto)) return reject(n, "proto " + m.proto + " is not DTLS-SRTP");
  if (!m.rtcpMux) return reject(n, "no a=rtcp-mux: the device multiplexes RTP and RTCP on one port");
  n.readRemoteSsrcs(m);
  const kc = mc.config(n.kind);
  const feedbackOk = hasFeedbackProfile(m.proto);
  const formats = offeredFormats(m);

  let offered = m.direction != Direction.Unspecified ? m.direction : offer.direction;
  if (offered == Direction.Unspecified) offered = Direction.SendRecv;
  const peerReceives = offered == Direction.SendRecv || offered == Direction.RecvOnly;
  const peerSends = offered == Direction.SendRecv || offered == Direction.SendOnly;

  // What we send: our most preferred codec the offer has (RFC 3264 §6.1: the answer's first
  // format is what the offerer should expect).
  if (peerReceives) {
    for (let i = 0; i < kc.send.length && n.send == null; i++) {
      const f = bestFormat(formats, kc.send[i]);
      if (f != null) {
        const c = codecFor(f, kc.send[i], feedbackOk);
        c.forSend = true;
        n.send = c;
        n.codecs.push(c);
      }
    }
  }
  // What the peer may send us: every offered format we can decode, in the offer's order.
  if (peerSends) {
    for (let i = 0; i < formats.length; i++) {
      const f = formats[i];
      if (f.isRtx) continue;
      for (let j = 0; j < kc.receive.length; j++) {
        if (kc.receive[j].match(f) == 0) continue;
        let c = findCodec(n.codecs, f.payloadType);
        if (c == null) {
          c = codecFor(f, kc.receive[j], feedbackOk);
          n.codecs.push(c);
        }
        c.forReceive = true;
        n.receive.push(c);
        break;
      }
    }
  }
  if (n.codecs.length == 0) {
    // Nothing to send or receive in the directions offered: still answer (inactive) when a
    // format is one we know, so the section can come alive in a later offer (RFC 3264 §6.1).
    const all = kc.send.concat(kc.receive);
    for (let i = 0; i < all.length && n.codecs.length == 0; i++) {
      const f = bestFormat(formats, all[i]);
      if (f != null) n.codecs.push(codecFor(f, all[i], feedbackOk));
    }
    if (n.codecs.length == 0) return reject(n, "no offered " + n.kindName + " codec matches the device's");
  }
  for (let i = 0; i < n.codecs.length; i++) bindRtx(n.codecs[i], formats, kc);

  n.direction = answerDirection(offered, n.send != null, n.receive.length > 0);
  n.accepted = true;
  n.rtcpRsize = m.rtcpRsize;
  n.localSsrc = kc.ssrc;
  n.localRtxSsrc = kc.rtxSsrc;
  n.cname = mc.cname;
  n.streamId = mc.streamId;
  n.trackId = kc.trackId;
  // RFC 8285 §6: only extensions we implement, with the offer's ids (section level, then session).
  const exts = m.extmaps.length > 0 ? m.extmaps : offer.extmaps;
  for (let i = 0; i < exts.length; i++) {
    if (mc.extensions.includes(exts[i].uri)) {
      const e = new ExtMap();
      e.id = exts[i].id;
      e.uri = exts[i].uri;
      n.extmaps.push(e);
    }
  }
  return n;
}

// The offer's BUNDLE group holding mid, or null.
function groupOf(offer: SessionDescription, mid: string): Group | null {
  return offer.bundleGroupOf(mid);
}

export function createMediaAnswer(offer: SessionDescription, cfg: SdpConfig, mc: MediaConfig): MediaAnswerResult {
  const bad = cfg.check();
  if (bad != null) return MediaAnswerResult.fail(SdpError.BadConfig, bad);
  const badMedia = mc.check();
  if (badMedia != null) return MediaAnswerResult.fail(SdpError.BadConfig, badMedia);
  mc.resolve();

  const count = offer.media.length;
  // What each section would be on its own: 1 data, 2 media, 0 rejected.
  const role = new Array<i32>(count);
  const negotiated = new Array<NegotiatedMedia | null>(count);
  const dataIndex = mc.data ? offer.firstDataChannel() : -1;
  for (let i = 0; i < count; i++) {
    negotiated[i] = null;
    role[i] = 0;
    if (i == dataIndex) role[i] = 1;
    else if (kindOf(offer.media[i]) >= 0) {
      const n = negotiateOffered(offer, i, mc);
      negotiated[i] = n;
      if (n.accepted) role[i] = 2;
    }
  }

  // The device runs one ICE/DTLS transport: the sections it keeps must share one BUNDLE group,
  // the one holding the first section it accepts (RFC 9143 §7.3). Without BUNDLE only one stays.
  let first = -1;
  for (let i = 0; i < count && first < 0; i++) if (role[i] != 0) first = i;
  if (first < 0) {
    let why = "no section the device can accept:";
    for (let i = 0; i < count; i++) {
      const n = negotiated[i];
      why += " [" + i.toString() + "] " + (n != null ? n.reason : offer.media[i].media + " not supported") + ";";
    }
    return MediaAnswerResult.fail(SdpError.NoAcceptableSection, why);
  }
  const group = groupOf(offer, offer.media[first].mid);
  for (let i = first + 1; i < count; i++) {
    if (role[i] == 0) continue;
    if (group == null || !group.has(offer.media[i].mid)) {
      role[i] = 0;
      const n = negotiated[i];
      if (n != null) reject(n, "not in the BUNDLE group of mid " + offer.media[first].mid + ": the device runs one transport");
    }
  }
  // The transport comes from the offerer-tagged section when we keep it, else the first kept.
  let tagged = first;
  if (group != null && group.mids.length > 0) {
    const t = offer.indexOfMid(group.mids[0]);
    if (t >= 0 && role[t] != 0) tagged = t;
  }
  const tr = remoteTransport(offer, tagged);
  if (!tr.ok) return MediaAnswerResult.fail(tr.error, tr.reason);
  const remote = tr.transport!;
  const setup = answerSetup(remote.setup, cfg.setup);
  if (setup == Setup.Unspecified) return MediaAnswerResult.fail(SdpError.BadSetup, "a=setup:holdconn cannot be answered");

  const r = new MediaAnswerResult();
  // Our group lists the kept sections in the offer's group order, the tagged one first.
  if (group != null) {
    if (role[tagged] != 0) r.bundle.push(offer.media[tagged].mid);
    for (let j = 0; j < group.mids.length; j++) {
      const i = offer.indexOfMid(group.mids[j]);
      if (i >= 0 && i != tagged && role[i] != 0) r.bundle.push(group.mids[j]);
    }
  }
  const w = new SdpWriter();
  writeSessionHead(w, cfg);
  if (r.bundle.length > 0) w.attr("group", "BUNDLE " + r.bundle.join(" "));
  if (cfg.iceLite) w.attr("ice-lite");
  w.attr("msid-semantic", " WMS " + mc.streamId);
  for (let i = 0; i < count; i++) {
    const m = offer.media[i];
    if (role[i] == 1) writeDataSection(w, cfg, m.proto, m.mid, setup);
    else if (role[i] == 2) writeMediaSection(w, cfg, negotiated[i]!, setup);
    else writeRejected(w, m);
    const n = negotiated[i];
    if (n != null) r.media.push(n);
  }
  const limit = cfg.limits.maxSize;
  if (w.size > limit) {
    return MediaAnswerResult.fail(SdpError.TooLarge, "answer would be " + w.size.toString() + " bytes, more than " + limit.toString());
  }
  r.sdp = w.toString();
  r.remote = remote;
  r.dtlsClient = setup == Setup.Active;
  if (dataIndex >= 0 && role[dataIndex] == 1) {
    r.dataIndex = dataIndex;
    r.dataMid = offer.media[dataIndex].mid;
  }
  return r;
}

// Parse and answer in one step, never a trap.
export function answerMediaOffer(offerBytes: Uint8Array, cfg: SdpConfig, mc: MediaConfig, limits: SdpLimits = DEFAULT_LIMITS): MediaAnswerResult {
  const p = parseSessionDescription(offerBytes, limits);
  if (!p.ok) return MediaAnswerResult.fail(p.error, p.reason);
  return createMediaAnswer(p.description!, cfg, mc);
}
