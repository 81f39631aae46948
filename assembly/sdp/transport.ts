// RFC 8829 §5.10: what a device takes from a remote description — ICE credentials, the DTLS
// fingerprint and role, the SCTP parameters — for the one data channel section it uses.
import { SdpError } from "./error";
import { Fingerprint } from "./fingerprint";
import { hasOption } from "./ice_attributes";
import { MediaDescription } from "./media_description";
import { DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_SCTP_PORT } from "./sctp";
import { SessionDescription } from "./session_description";
import { Setup } from "./setup";

export class RemoteTransport {
  mediaIndex: i32 = -1;
  mid: string = "";
  iceUfrag: string = "";
  icePwd: string = "";
  iceLite: bool = false;
  trickle: bool = false;
  // The SHA-256 fingerprint the DTLS layer checks the peer's certificate against.
  fingerprint: Fingerprint = new Fingerprint();
  // Hash names offered besides (or instead of) sha-256, for diagnostics.
  otherFingerprintAlgorithms: string[] = [];
  // The peer's a=setup, as written.
  setup: Setup = Setup.Unspecified;
  sctpPort: i32 = DEFAULT_SCTP_PORT;
  // What the peer can receive (0 = no limit).
  maxMessageSize: i64 = DEFAULT_MAX_MESSAGE_SIZE;
  candidates: string[] = [];
  endOfCandidates: bool = false;
}

export class TransportResult {
  error: SdpError = SdpError.None;
  reason: string = "";
  transport: RemoteTransport | null = null;

  get ok(): bool {
    return this.error == SdpError.None;
  }

  static fail(e: SdpError, reason: string): TransportResult {
    const r = new TransportResult();
    r.error = e;
    r.reason = reason;
    return r;
  }
}

// A bundled section may leave transport attributes to the group's first (tagged) section
// (RFC 9143 §7.1.3); browsers repeat them, but a lean peer may not.
function taggedSection(d: SessionDescription, m: MediaDescription): MediaDescription | null {
  const g = d.bundleGroupOf(m.mid);
  if (g == null || g.mids.length == 0) return null;
  const i = d.indexOfMid(g.mids[0]);
  return i < 0 ? null : d.media[i];
}

// Transport parameters of section `index`, from the section, its BUNDLE-tagged section, then
// session level, with a reason when one the device needs is missing.
export function remoteTransport(d: SessionDescription, index: i32): TransportResult {
  if (index < 0 || index >= d.media.length) return TransportResult.fail(SdpError.NoApplicationSection, "no data channel section");
  const m = d.media[index];
  const tag = taggedSection(d, m);
  const t = new RemoteTransport();
  t.mediaIndex = index;
  t.mid = m.mid;
  const label = m.mid.length > 0 ? "mid " + m.mid : "media section " + index.toString();

  t.iceUfrag = m.iceUfrag.length > 0 ? m.iceUfrag : tag != null && tag.iceUfrag.length > 0 ? tag.iceUfrag : d.iceUfrag;
  t.icePwd = m.icePwd.length > 0 ? m.icePwd : tag != null && tag.icePwd.length > 0 ? tag.icePwd : d.icePwd;
  if (t.iceUfrag.length == 0 || t.icePwd.length == 0) {
    const which = t.iceUfrag.length == 0 && t.icePwd.length == 0 ? "a=ice-ufrag and a=ice-pwd" : t.iceUfrag.length == 0 ? "a=ice-ufrag" : "a=ice-pwd";
    return TransportResult.fail(SdpError.MissingIceCredentials, "no " + which + " for " + label + " (media or session level)");
  }
  const options = m.iceOptions.length > 0 ? m.iceOptions : tag != null && tag.iceOptions.length > 0 ? tag.iceOptions : d.iceOptions;
  t.trickle = hasOption(options, "trickle");
  t.iceLite = d.iceLite;

  const fps = m.fingerprints.length > 0 ? m.fingerprints : tag != null && tag.fingerprints.length > 0 ? tag.fingerprints : d.fingerprints;
  if (fps.length == 0) return TransportResult.fail(SdpError.MissingFingerprint, "no a=fingerprint for " + label + " (media or session level)");
  let found = false;
  for (let i = 0; i < fps.length; i++) {
    const fp = fps[i];
    if (!found && fp.isSha256) {
      t.fingerprint = fp;
      found = true;
    } else if (!fp.isSha256) t.otherFingerprintAlgorithms.push(fp.algorithm);
  }
  if (!found) {
    return TransportResult.fail(SdpError.UnsupportedFingerprint, "only unsupported fingerprint hash algorithms (" + t.otherFingerprintAlgorithms.join(", ") + "); sha-256 is required");
  }

  t.setup = m.setup != Setup.Unspecified ? m.setup : tag != null && tag.setup != Setup.Unspecified ? tag.setup : d.setup;
  if (m.sctpPort > 0) t.sctpPort = m.sctpPort;
  if (m.maxMessageSize >= 0) t.maxMessageSize = m.maxMessageSize;
  t.candidates = m.candidates;
  t.endOfCandidates = m.endOfCandidates;
  // With BUNDLE, candidates gathered for the tagged section serve every section of the group.
  if (tag != null && tag !== m && t.candidates.length == 0) {
    t.candidates = tag.candidates;
    t.endOfCandidates = tag.endOfCandidates;
  }
  const r = new TransportResult();
  r.transport = t;
  return r;
}
