// RFC 8829 §5.2.1 / §5.3.1: the lines of one audio or video m= section the device writes, in an
// offer or an answer (RFC 8866 rtpmap/fmtp, RFC 4585 rtcp-fb, RFC 4588 rtx, RFC 5576 ssrc,
// RFC 8830 msid, RFC 8285 extmap, RFC 5761 rtcp-mux, RFC 5506 rtcp-rsize).
import { FEEDBACK_BITS, feedbackName } from "./codec";
import { SdpConfig } from "./config";
import { directionName } from "./direction";
import { candidateAttributeValue } from "./ice_attributes";
import { NegotiatedCodec, NegotiatedMedia } from "./negotiated_media";
import { Setup, setupName } from "./setup";
import { SdpWriter } from "./writer";

// DTLS-SRTP profiles only (RFC 5764 §8): plain RTP/AVP or SDES-keyed RTP/SAVP are not WebRTC.
export function isDtlsSrtpProto(proto: string): bool {
  return proto == "UDP/TLS/RTP/SAVPF" || proto == "UDP/TLS/RTP/SAVP" || proto == "TCP/TLS/RTP/SAVPF" || proto == "TCP/TLS/RTP/SAVP";
}

// The AVPF profiles carry RTCP feedback (RFC 4585 §4); plain SAVP gets no a=rtcp-fb lines.
export function hasFeedbackProfile(proto: string): bool {
  return proto.endsWith("SAVPF");
}

// The m= line's formats: each codec then its rtx, in the section's order.
function formatList(n: NegotiatedMedia): string {
  let s = "";
  for (let i = 0; i < n.codecs.length; i++) {
    const c = n.codecs[i];
    s += " " + c.payloadType.toString();
    if (c.rtxPayloadType >= 0) s += " " + c.rtxPayloadType.toString();
  }
  return s;
}

function writeCodec(w: SdpWriter, c: NegotiatedCodec, feedback: bool): void {
  let map = c.payloadType.toString() + " " + c.encoding + "/" + c.clockRate.toString();
  if (c.channels > 0) map += "/" + c.channels.toString();
  w.attr("rtpmap", map);
  if (feedback) {
    for (let i = 0; i < FEEDBACK_BITS.length; i++) {
      const bit = FEEDBACK_BITS[i];
      if ((c.feedback & bit) != 0) w.attr("rtcp-fb", c.payloadType.toString() + " " + feedbackName(bit));
    }
  }
  if (c.fmtp.length > 0) w.attr("fmtp", c.payloadType.toString() + " " + c.fmtp);
  if (c.rtxPayloadType >= 0) {
    w.attr("rtpmap", c.rtxPayloadType.toString() + " rtx/" + c.clockRate.toString());
    w.attr("fmtp", c.rtxPayloadType.toString() + " apt=" + c.payloadType.toString());
  }
}

// Every accepted section carries the same ICE and DTLS attributes: with BUNDLE they are
// identical (RFC 8843 §7.1.3 category TRANSPORT), and browsers check them per section.
export function writeMediaSection(w: SdpWriter, cfg: SdpConfig, n: NegotiatedMedia, setup: Setup): void {
  w.line("m", n.kindName + " 9 " + n.proto + formatList(n));
  w.line("c", "IN IP4 0.0.0.0");
  w.attr("rtcp", "9 IN IP4 0.0.0.0");
  w.attr("ice-ufrag", cfg.iceUfrag);
  w.attr("ice-pwd", cfg.icePwd);
  w.attr("ice-options", "trickle");
  w.attr("fingerprint", cfg.fingerprint.toString());
  w.attr("setup", setupName(setup));
  if (n.mid.length > 0) w.attr("mid", n.mid);
  for (let i = 0; i < n.extmaps.length; i++) w.attr("extmap", n.extmaps[i].id.toString() + " " + n.extmaps[i].uri);
  w.attr(directionName(n.direction));
  const sending = n.send != null && n.sending;
  if (sending) w.attr("msid", n.streamId + " " + n.trackId);
  w.attr("rtcp-mux");
  if (n.rtcpRsize) w.attr("rtcp-rsize");
  const fb = hasFeedbackProfile(n.proto);
  for (let i = 0; i < n.codecs.length; i++) writeCodec(w, n.codecs[i], fb);
  if (sending) {
    const rtx = n.send!.rtxPayloadType >= 0;
    if (rtx) w.attr("ssrc-group", "FID " + n.localSsrc.toString() + " " + n.localRtxSsrc.toString());
    writeSsrc(w, n, n.localSsrc);
    if (rtx) writeSsrc(w, n, n.localRtxSsrc);
  }
  for (let i = 0; i < cfg.candidates.length; i++) {
    const v = candidateAttributeValue(cfg.candidates[i]);
    if (v != null) w.attr("candidate", v);
  }
  if (cfg.endOfCandidates) w.attr("end-of-candidates");
}

function writeSsrc(w: SdpWriter, n: NegotiatedMedia, ssrc: u32): void {
  w.attr("ssrc", ssrc.toString() + " cname:" + n.cname);
  w.attr("ssrc", ssrc.toString() + " msid:" + n.streamId + " " + n.trackId);
}
