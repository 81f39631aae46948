// RFC 8829 §5.2.1 / §5.3.1 and RFC 8841 §5-6: the lines of the device's data channel section.
import { SdpConfig } from "./config";
import { candidateAttributeValue } from "./ice_attributes";
import { Setup, setupName } from "./setup";
import { SdpWriter } from "./writer";

// Session lines every description of ours starts with.
export function writeSessionHead(w: SdpWriter, cfg: SdpConfig): void {
  w.line("v", "0");
  w.line("o", "- " + cfg.resolvedSessionId() + " " + cfg.sessionVersion.toString() + " IN IP4 0.0.0.0");
  w.line("s", "-");
  w.line("t", "0 0");
}

// Port 9 and 0.0.0.0 (the "discard" placeholder, RFC 8829 §5.2.1): candidates carry the addresses.
export function writeDataSection(w: SdpWriter, cfg: SdpConfig, proto: string, mid: string, setup: Setup): void {
  w.line("m", "application 9 " + proto + " webrtc-datachannel");
  w.line("c", "IN IP4 0.0.0.0");
  if (mid.length > 0) w.attr("mid", mid);
  w.attr("ice-ufrag", cfg.iceUfrag);
  w.attr("ice-pwd", cfg.icePwd);
  w.attr("ice-options", "trickle");
  w.attr("fingerprint", cfg.fingerprint.toString());
  w.attr("setup", setupName(setup));
  w.attr("sctp-port", cfg.sctpPort.toString());
  w.attr("max-message-size", cfg.maxMessageSize.toString());
  for (let i = 0; i < cfg.candidates.length; i++) {
    const v = candidateAttributeValue(cfg.candidates[i]);
    if (v != null) w.attr("candidate", v);
  }
  if (cfg.endOfCandidates) w.attr("end-of-candidates");
}
