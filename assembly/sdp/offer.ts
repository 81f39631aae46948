// RFC 8829 §5.2.1 (the device's offer: one data channel section, a=setup:actpass) and §5.10
// (applying the answer to it).
import { SdpConfig } from "./config";
import { SdpError } from "./error";
import { DEFAULT_LIMITS, SdpLimits } from "./limits";
import { parseSessionDescription, SessionDescription } from "./session_description";
import { Setup } from "./setup";
import { remoteTransport, RemoteTransport } from "./transport";
import { SdpWriter } from "./writer";
import { writeDataSection, writeSessionHead } from "./data_section";

export const OFFER_MID = "0";

export class OfferResult {
  error: SdpError = SdpError.None;
  reason: string = "";
  sdp: string = "";
  mid: string = OFFER_MID;

  get ok(): bool {
    return this.error == SdpError.None;
  }
}

export function createOffer(cfg: SdpConfig, mid: string = OFFER_MID): OfferResult {
  const r = new OfferResult();
  const bad = cfg.check();
  if (bad != null || mid.length == 0 || mid.length > 32 || mid.indexOf(" ") >= 0) {
    r.error = SdpError.BadConfig;
    r.reason = bad != null ? bad : "mid must be 1-32 characters without spaces";
    return r;
  }
  const w = new SdpWriter();
  writeSessionHead(w, cfg);
  w.attr("group", "BUNDLE " + mid);
  if (cfg.iceLite) w.attr("ice-lite");
  writeDataSection(w, cfg, "UDP/DTLS/SCTP", mid, Setup.ActPass);
  if (w.size > cfg.limits.maxSize) {
    r.error = SdpError.TooLarge;
    r.reason = "offer would be " + w.size.toString() + " bytes, more than " + cfg.limits.maxSize.toString();
    return r;
  }
  r.sdp = w.toString();
  r.mid = mid;
  return r;
}

export class AppliedAnswer {
  error: SdpError = SdpError.None;
  reason: string = "";
  remote: RemoteTransport | null = null;
  // Our DTLS role: the answerer said passive, so we connect (are the client).
  dtlsClient: bool = false;

  get ok(): bool {
    return this.error == SdpError.None;
  }

  static fail(e: SdpError, reason: string): AppliedAnswer {
    const r = new AppliedAnswer();
    r.error = e;
    r.reason = reason;
    return r;
  }
}

// The answerer's transport for our data channel section (found by mid, else the first data section).
export function applyAnswer(answer: SessionDescription, mid: string = OFFER_MID): AppliedAnswer {
  let index = answer.indexOfMid(mid);
  if (index < 0) index = answer.firstDataChannel();
  if (index < 0) return AppliedAnswer.fail(SdpError.UnknownMid, "the answer has no section for mid " + mid);
  const m = answer.media[index];
  if (!m.isDataChannel) return AppliedAnswer.fail(SdpError.NoApplicationSection, "the answer's section " + mid + " is not a data channel section");
  if (m.isRejected) return AppliedAnswer.fail(SdpError.NoApplicationSection, "the answer rejected the data channel section (port 0)");
  const tr = remoteTransport(answer, index);
  if (!tr.ok) return AppliedAnswer.fail(tr.error, tr.reason);
  const remote = tr.transport!;
  // An answer says active or passive (RFC 8842 §5.3); an absent one defaults to passive (RFC 4145 §4).
  const s = remote.setup;
  if (s != Setup.Active && s != Setup.Passive && s != Setup.Unspecified) {
    return AppliedAnswer.fail(SdpError.BadSetup, "an answer's a=setup must be active or passive");
  }
  const r = new AppliedAnswer();
  r.remote = remote;
  r.dtlsClient = s == Setup.Passive || s == Setup.Unspecified;
  return r;
}

export function applyAnswerBytes(bytes: Uint8Array, mid: string = OFFER_MID, limits: SdpLimits = DEFAULT_LIMITS): AppliedAnswer {
  const p = parseSessionDescription(bytes, limits);
  if (!p.ok) return AppliedAnswer.fail(p.error, p.reason);
  return applyAnswer(p.description!, mid);
}
