// RFC 3551 §6 (static payload types), RFC 6184 §8 (H.264), RFC 7741 §6 (VP8), RFC 7587 §7 (Opus),
// RFC 4588 §8 (rtx), RFC 4585 §4.2 (rtcp-fb): the codecs a device declares and how an offered
// payload type is recognised as one of them.
import { Fmtp } from "./fmtp";
import { MediaDescription } from "./media_description";
import { profileLevelIdOf, ProfileLevelId, sameH264Profile, minLevel } from "./h264_profile_level_id";
import { lower, parseUint } from "./text";

// RTCP feedback a codec can use, as bits (RFC 4585 §4.2, RFC 5104 §7.1; goog-remb is
// draft-alvestrand-rmcat-remb). transport-cc has no bit: nothing here implements it.
export const FB_NACK: i32 = 1;
export const FB_PLI: i32 = 2;
export const FB_FIR: i32 = 4;
export const FB_REMB: i32 = 8;

// The a=rtcp-fb value for one bit.
export function feedbackName(bit: i32): string {
  if (bit == FB_NACK) return "nack";
  if (bit == FB_PLI) return "nack pli";
  if (bit == FB_FIR) return "ccm fir";
  if (bit == FB_REMB) return "goog-remb";
  return "";
}

export const FEEDBACK_BITS: i32[] = [FB_NACK, FB_PLI, FB_FIR, FB_REMB];

// The bit an a=rtcp-fb type and parameter name, 0 for feedback this layer does not implement.
export function feedbackBit(type: string, parameter: string): i32 {
  if (type == "nack") return parameter.length == 0 ? FB_NACK : parameter == "pli" ? FB_PLI : 0;
  if (type == "ccm") return parameter == "fir" ? FB_FIR : 0;
  if (type == "goog-remb" && parameter.length == 0) return FB_REMB;
  return 0;
}

export const enum MediaKind {
  Audio = 0,
  Video = 1,
}

export function mediaKindName(k: MediaKind): string {
  return k == MediaKind.Audio ? "audio" : "video";
}

// One codec the device can send or receive. Names compare case-insensitively (RFC 4855 §3:
// werift writes "OPUS"); the fmtp written is `fmtp`, for H.264 with the negotiated profile.
export class CodecCapability {
  // Lower case, as compared: "h264", "vp8", "opus", "pcmu", "pcma".
  name: string = "";
  // As written in an rtpmap (RFC 3551 and the codecs' RFCs use these spellings).
  encoding: string = "";
  clockRate: u32 = 0;
  // Audio channels in the rtpmap; 0 writes none (meaning 1).
  channels: u32 = 0;
  // The payload type when we offer (a static one for PCMU/PCMA, else a dynamic choice).
  preferredPayloadType: i32 = -1;
  fmtp: string = "";
  feedback: i32 = 0;
  // H.264 only: the profile (and highest level) the encoder produces, packetization-mode 1.
  h264: ProfileLevelId | null = null;
  packetizationMode: i32 = 1;

  static h264(profileLevelId: string = "42e01f", feedback: i32 = FB_NACK | FB_PLI | FB_FIR): CodecCapability {
    const c = CodecCapability.of("H264", 90000, 0, 96, feedback);
    c.h264 = profileLevelIdOf(profileLevelId);
    c.fmtp = h264Fmtp(c.h264 != null ? c.h264!.toString() : profileLevelId, 1);
    return c;
  }

  static vp8(feedback: i32 = FB_NACK | FB_PLI | FB_FIR): CodecCapability {
    return CodecCapability.of("VP8", 90000, 0, 98, feedback);
  }

  // RFC 7587 §7: always opus/48000/2, whatever the stream really carries.
  static opus(fmtp: string = "minptime=10;useinbandfec=1"): CodecCapability {
    const c = CodecCapability.of("opus", 48000, 2, 111, 0);
    c.fmtp = fmtp;
    return c;
  }

  static pcmu(): CodecCapability {
    return CodecCapability.of("PCMU", 8000, 0, 0, 0);
  }

  static pcma(): CodecCapability {
    return CodecCapability.of("PCMA", 8000, 0, 8, 0);
  }

  static of(encoding: string, clockRate: u32, channels: u32, preferredPayloadType: i32, feedback: i32): CodecCapability {
    const c = new CodecCapability();
    c.encoding = encoding;
    c.name = lower(encoding);
    c.clockRate = clockRate;
    c.channels = channels;
    c.preferredPayloadType = preferredPayloadType;
    c.feedback = feedback;
    return c;
  }

  get isH264(): bool {
    return this.name == "h264";
  }

  // How well an offered format fits: 0 not at all, 1 usable, 2 exactly (H.264 at our level or above).
  match(f: OfferedFormat): i32 {
    if (f.name != this.name || f.clockRate != this.clockRate) return 0;
    // An absent channel count means one (RFC 8866 §6.6).
    const want = this.channels == 0 ? 1 : this.channels;
    const got = f.channels == 0 ? 1 : f.channels;
    if (want != got) return 0;
    if (!this.isH264) return 1;
    const ours = this.h264;
    if (ours == null || f.fmtp == null) return 0;
    const fm = f.fmtp!;
    // RFC 6184 §8.1: packetization-mode absent means 0 (single NAL unit), which our FU-A
    // packetizer does not keep to.
    const mode = fm.get("packetization-mode");
    const m = mode == null ? 0 : <i32>parseUint(mode, 2);
    if (m != this.packetizationMode) return 0;
    const theirs = profileLevelIdOf(fm.get("profile-level-id"));
    if (theirs == null || !sameH264Profile(ours, theirs)) return 0;
    return theirs.levelOrder >= ours.levelOrder ? 2 : 1;
  }

  // The fmtp we write for this codec on an offered format: for H.264 the offered profile kept,
  // the level the lower of ours and theirs (RFC 6184 §8.2.2), level asymmetry as offered.
  answerFmtp(f: OfferedFormat): string {
    if (!this.isH264 || this.h264 == null || f.fmtp == null) return this.fmtp;
    const theirs = profileLevelIdOf(f.fmtp!.get("profile-level-id"));
    if (theirs == null) return this.fmtp;
    const level = minLevel(this.h264!, theirs);
    const asym = f.fmtp!.get("level-asymmetry-allowed") == "1";
    const plid = theirs.withLevel(level).toString();
    return asym ? "level-asymmetry-allowed=1;" + h264Fmtp(plid, this.packetizationMode) : h264Fmtp(plid, this.packetizationMode);
  }
}

function h264Fmtp(profileLevelId: string, mode: i32): string {
  return "packetization-mode=" + mode.toString() + ";profile-level-id=" + profileLevelId;
}

// RFC 3551 §6 Table 4: static payload types a peer may offer without an rtpmap line.
function staticFormat(pt: i32, f: OfferedFormat): bool {
  if (pt == 0) { f.name = "pcmu"; f.encoding = "PCMU"; f.clockRate = 8000; return true; }
  if (pt == 8) { f.name = "pcma"; f.encoding = "PCMA"; f.clockRate = 8000; return true; }
  if (pt == 9) { f.name = "g722"; f.encoding = "G722"; f.clockRate = 8000; return true; }
  return false;
}

// One payload type of an offered (or answered) media section, with what its lines say about it.
export class OfferedFormat {
  payloadType: i32 = -1;
  name: string = "";
  encoding: string = "";
  clockRate: u32 = 0;
  channels: u32 = 0;
  fmtp: Fmtp | null = null;
  // Feedback bits offered for it (its own a=rtcp-fb lines and the section's "*" ones).
  feedback: i32 = 0;

  get isRtx(): bool {
    return this.name == "rtx";
  }

  // RFC 4588 §8.6: the payload type an rtx format retransmits (apt=), or -1.
  get apt(): i32 {
    if (this.fmtp == null) return -1;
    const v = this.fmtp!.get("apt");
    return v == null ? -1 : <i32>parseUint(v, 127);
  }
}

// The section's formats in the order of its m= line. A format without an rtpmap that is not a
// static payload type is left out: nothing can be said about it.
export function offeredFormats(m: MediaDescription): OfferedFormat[] {
  const out = new Array<OfferedFormat>();
  for (let i = 0; i < m.formats.length; i++) {
    const pt = <i32>parseUint(m.formats[i], 127);
    if (pt < 0) continue;
    const f = new OfferedFormat();
    f.payloadType = pt;
    const map = m.rtpmap(pt);
    if (map != null) {
      f.encoding = map.encoding;
      f.name = lower(map.encoding);
      f.clockRate = map.clockRate;
      f.channels = map.channels;
    } else if (!staticFormat(pt, f)) continue;
    f.fmtp = m.fmtp(pt);
    for (let j = 0; j < m.rtcpFbs.length; j++) {
      const fb = m.rtcpFbs[j];
      if (fb.payloadType == pt || fb.payloadType < 0) f.feedback |= feedbackBit(fb.type, fb.parameter);
    }
    out.push(f);
  }
  return out;
}

// The rtx format whose apt= names pt with the same clock rate, or null.
export function rtxFor(formats: OfferedFormat[], pt: i32, clockRate: u32): OfferedFormat | null {
  for (let i = 0; i < formats.length; i++) {
    const f = formats[i];
    if (f.isRtx && f.clockRate == clockRate && f.apt == pt) return f;
  }
  return null;
}
