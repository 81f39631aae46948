// The device's side of a negotiation: what it writes into its answers and offers.
import { randomBytes } from "../crypto/random";
import { Fingerprint } from "./fingerprint";
import { isPwd, isUfrag, candidateAttributeValue } from "./ice_attributes";
import { DEFAULT_LIMITS, SdpLimits } from "./limits";
import { DEFAULT_SCTP_PORT } from "./sctp";
import { Setup } from "./setup";

export class SdpConfig {
  iceUfrag: string = "";
  icePwd: string = "";
  // SHA-256 of our DTLS certificate.
  fingerprint: Fingerprint = new Fingerprint();
  // Our role when the offer says actpass: active (DTLS client, JSEP's recommendation) or passive.
  setup: Setup = Setup.Active;
  iceLite: bool = false;
  sctpPort: i32 = DEFAULT_SCTP_PORT;
  // The largest message we accept (RFC 8841 §6); 0 would mean "any size", which a device cannot promise.
  maxMessageSize: i64 = 262144;
  // Our candidates as "candidate:..." (or "a=candidate:...") strings, from the ICE agent.
  candidates: string[] = [];
  // Gathering is complete: write a=end-of-candidates.
  endOfCandidates: bool = false;
  // Decimal, below 2^63 (RFC 8829 §5.2.1); empty picks a random one.
  sessionId: string = "";
  sessionVersion: u64 = 2;
  limits: SdpLimits = DEFAULT_LIMITS;

  // Null when usable, else why not (a host bug, reported rather than written into SDP).
  check(): string | null {
    if (!isUfrag(this.iceUfrag)) return "local ice-ufrag must be 4-256 ice-chars";
    if (!isPwd(this.icePwd)) return "local ice-pwd must be 22-256 ice-chars";
    if (!this.fingerprint.isSha256) return "local fingerprint must be a 32-byte sha-256";
    if (this.setup != Setup.Active && this.setup != Setup.Passive) return "local setup must be active or passive";
    if (this.sctpPort < 1 || this.sctpPort > 65535) return "local sctp-port must be 1-65535";
    if (this.maxMessageSize < 0) return "local max-message-size must not be negative";
    for (let i = 0; i < this.candidates.length; i++) {
      if (candidateAttributeValue(this.candidates[i]) == null) return "local candidate " + i.toString() + " is not one candidate line";
    }
    const id = this.sessionId;
    if (id.length > 0) {
      if (id.length > 19) return "session id must be at most 19 digits";
      for (let i = 0; i < id.length; i++) {
        const c = id.charCodeAt(i);
        if (c < 48 || c > 57) return "session id must be decimal";
      }
    }
    return null;
  }

  // The configured session id, or a random 63-bit one (fixed for the life of this config).
  resolvedSessionId(): string {
    if (this.sessionId.length == 0) {
      const b = randomBytes(8);
      let v: u64 = 0;
      for (let i = 0; i < 8; i++) v = (v << 8) | <u64>b[i];
      this.sessionId = (v & 0x7fffffffffffffff).toString();
    }
    return this.sessionId;
  }
}
