// RFC 8829 §5.2.1 / §5.3.1: what the device declares for audio and video — the codecs it can send
// and receive, feedback, rtx (RFC 4588), the header extensions it implements (RFC 8285), and the
// SSRC, CNAME (RFC 7022) and msid (RFC 8830) of what it sends.
import { randomBytes } from "../crypto/random";
import { CodecCapability, FB_NACK, FB_PLI, FB_FIR, MediaKind } from "./codec";
import { isToken } from "./text";

export class MediaKindConfig {
  // In order of preference; the first one the peer accepts is what we send.
  send: CodecCapability[] = [];
  // Everything we can decode; the peer may send any of those it accepts.
  receive: CodecCapability[] = [];
  // Offer or accept an rtx payload type (RFC 4588) for each sent codec that has NACK.
  rtx: bool = false;
  // Our media SSRC and its rtx SSRC; 0 picks a random one (fixed for the life of this config).
  ssrc: u32 = 0;
  rtxSsrc: u32 = 0;
  // RFC 8830 track id in a=msid; empty picks one.
  trackId: string = "";

  constructor(public kind: MediaKind) {}

  get canSend(): bool {
    return this.send.length > 0;
  }

  get canReceive(): bool {
    return this.receive.length > 0;
  }
}

export class MediaConfig {
  video: MediaKindConfig = new MediaKindConfig(MediaKind.Video);
  audio: MediaKindConfig = new MediaKindConfig(MediaKind.Audio);
  // RFC 8285 URIs the RTP layer implements; offered extmaps with other URIs are left out of
  // the answer. Empty: the RTP layer writes no header extensions yet.
  extensions: string[] = [];
  // Answer (and offer) the data channel section too.
  data: bool = true;
  // Offer a=rtcp-rsize (RFC 5506): the RTCP layer accepts reduced-size packets.
  rtcpRsize: bool = true;
  // RFC 7022 CNAME for every SSRC we send, and the msid stream id; empty picks random ones.
  cname: string = "";
  streamId: string = "";

  config(kind: MediaKind): MediaKindConfig {
    return kind == MediaKind.Audio ? this.audio : this.video;
  }

  // Null when usable, else why not (a host bug, reported rather than written into SDP).
  check(): string | null {
    if (this.cname.length > 0 && !isToken(this.cname, 1, 64)) return "cname must be 1-64 visible characters";
    if (this.streamId.length > 0 && !isToken(this.streamId, 1, 64)) return "msid stream id must be 1-64 visible characters";
    const kinds = [this.video, this.audio];
    for (let k = 0; k < kinds.length; k++) {
      const c = kinds[k];
      if (c.trackId.length > 0 && !isToken(c.trackId, 1, 64)) return "msid track id must be 1-64 visible characters";
      const all = c.send.concat(c.receive);
      for (let i = 0; i < all.length; i++) {
        const codec = all[i];
        if (codec.name.length == 0 || codec.clockRate == 0) return "codec " + i.toString() + " has no name or clock rate";
        if (codec.isH264 && codec.h264 == null) return "H.264 codec needs a six-hex-digit profile-level-id";
        if (codec.preferredPayloadType < 0 || codec.preferredPayloadType > 127) return "codec " + codec.encoding + " payload type must be 0-127";
      }
    }
    return null;
  }

  // Fills in the random SSRCs, CNAME and ids left empty, once.
  resolve(): void {
    if (this.cname.length == 0) this.cname = randomToken(16);
    if (this.streamId.length == 0) this.streamId = randomToken(12);
    const kinds = [this.video, this.audio];
    for (let k = 0; k < kinds.length; k++) {
      const c = kinds[k];
      if (c.ssrc == 0) c.ssrc = randomSsrc();
      if (c.rtxSsrc == 0 || c.rtxSsrc == c.ssrc) c.rtxSsrc = randomSsrc();
      if (c.trackId.length == 0) c.trackId = randomToken(12);
    }
    // Every SSRC of one session distinct (RFC 3550 §8).
    while (this.audio.ssrc == this.video.ssrc || this.audio.ssrc == this.video.rtxSsrc) this.audio.ssrc = randomSsrc();
    while (this.audio.rtxSsrc == this.video.ssrc || this.audio.rtxSsrc == this.video.rtxSsrc || this.audio.rtxSsrc == this.audio.ssrc) this.audio.rtxSsrc = randomSsrc();
  }
}

// The intercom camera: sends H.264 Constrained Baseline (or VP8) video with NACK, PLI, FIR and
// rtx; sends and receives Opus, PCMU and PCMA audio. Video is sendonly, audio sendrecv.
export function defaultMediaConfig(): MediaConfig {
  const c = new MediaConfig();
  c.video.send = [CodecCapability.h264("42e01f", FB_NACK | FB_PLI | FB_FIR), CodecCapability.vp8(FB_NACK | FB_PLI | FB_FIR)];
  c.video.rtx = true;
  c.audio.send = [CodecCapability.opus(), CodecCapability.pcmu(), CodecCapability.pcma()];
  c.audio.receive = [CodecCapability.opus(), CodecCapability.pcmu(), CodecCapability.pcma()];
  return c;
}

function randomSsrc(): u32 {
  const b = randomBytes(4);
  const v = (<u32>b[0] << 24) | (<u32>b[1] << 16) | (<u32>b[2] << 8) | <u32>b[3];
  return v == 0 ? 1 : v;
}

// Letters and digits only: a token for cname, msid ids (RFC 8830 §2 allows more; this is safe).
function randomToken(n: i32): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const b = randomBytes(n);
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet.charAt(<i32>b[i] % 62);
  return s;
}
