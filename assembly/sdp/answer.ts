// RFC 8829 §5.3.1: the device's answer — the first data channel section accepted, every other
// section rejected with port 0 and taken out of BUNDLE (RFC 9143 §7.3.3).
import { SdpConfig } from "./config";
import { SdpError } from "./error";
import { DEFAULT_LIMITS, SdpLimits } from "./limits";
import { MediaDescription } from "./media_description";
import { parseSessionDescription, SessionDescription } from "./session_description";
import { Setup } from "./setup";
import { remoteTransport, RemoteTransport } from "./transport";
import { SdpWriter } from "./writer";
import { writeDataSection, writeSessionHead } from "./data_section";

export class AnswerResult {
  error: SdpError = SdpError.None;
  reason: string = "";
  sdp: string = "";
  // Index and mid of the accepted data channel section.
  acceptedIndex: i32 = -1;
  mid: string = "";
  // The offerer's transport parameters, for ICE, DTLS and SCTP.
  remote: RemoteTransport | null = null;
  // Our DTLS role: true when we are the client (we wrote a=setup:active).
  dtlsClient: bool = false;

  get ok(): bool {
    return this.error == SdpError.None;
  }

  static fail(e: SdpError, reason: string): AnswerResult {
    const r = new AnswerResult();
    r.error = e;
    r.reason = reason;
    return r;
  }
}

// Our a=setup given the offer's (RFC 8842 §5.2); Unspecified when the offer's cannot be answered.
// An offer without a=setup means active (RFC 4145 §4).
export function answerSetup(offered: Setup, preferred: Setup): Setup {
  if (offered == Setup.ActPass) return preferred;
  if (offered == Setup.Active || offered == Setup.Unspecified) return Setup.Passive;
  if (offered == Setup.Passive) return Setup.Active;
  return Setup.Unspecified;
}

// A rejected section keeps the offer's media, proto, formats and mid (RFC 8829 §5.3.1, RFC 3264 §6).
export function writeRejected(w: SdpWriter, m: MediaDescription): void {
  w.line("m", m.media + " 0 " + m.proto + " " + m.formatList());
  w.line("c", "IN IP4 0.0.0.0");
  if (m.mid.length > 0) w.attr("mid", m.mid);
  if (m.proto.indexOf("RTP/") >= 0) w.attr("inactive");
}

export function createAnswer(offer: SessionDescription, cfg: SdpConfig): AnswerResult {
  const bad = cfg.check();
  if (bad != null) return AnswerResult.fail(SdpError.BadConfig, bad);
  const index = offer.firstDataChannel();
  if (index < 0) {
    return AnswerResult.fail(SdpError.NoApplicationSection, "no data channel section (m=application <port> UDP/DTLS/SCTP webrtc-datachannel) in the offer");
  }
  const tr = remoteTransport(offer, index);
  if (!tr.ok) return AnswerResult.fail(tr.error, tr.reason);
  const remote = tr.transport!;
  const setup = answerSetup(remote.setup, cfg.setup);
  if (setup == Setup.Unspecified) return AnswerResult.fail(SdpError.BadSetup, "a=setup:holdconn cannot be answered");

  const accepted = offer.media[index];
  const w = new SdpWriter();
  writeSessionHead(w, cfg);
  // Our answer's BUNDLE group holds only the accepted section, and only if the offer bundled it.
  if (offer.bundleGroupOf(accepted.mid) != null) w.attr("group", "BUNDLE " + accepted.mid);
  if (cfg.iceLite) w.attr("ice-lite");
  for (let i = 0; i < offer.media.length; i++) {
    if (i == index) writeDataSection(w, cfg, accepted.proto, accepted.mid, setup);
    else writeRejected(w, offer.media[i]);
  }
  const limit = cfg.limits.maxSize;
  if (w.size > limit) {
    return AnswerResult.fail(SdpError.TooLarge, "answer would be " + w.size.toString() + " bytes, more than " + limit.toString());
  }
  const r = new AnswerResult();
  r.sdp = w.toString();
  r.acceptedIndex = index;
  r.mid = accepted.mid;
  r.remote = remote;
  r.dtlsClient = setup == Setup.Active;
  return r;
}

// Parse and answer in one step, as the HTTP endpoint does: an error for bad input, never a trap.
export function answerOffer(offerBytes: Uint8Array, cfg: SdpConfig, limits: SdpLimits = DEFAULT_LIMITS): AnswerResult {
  const p = parseSessionDescription(offerBytes, limits);
  if (!p.ok) return AnswerResult.fail(p.error, p.reason);
  return createAnswer(p.description!, cfg);
}
