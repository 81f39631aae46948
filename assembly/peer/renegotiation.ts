// RFC 8829 §5.2.1/§5.3.1 and RFC 8839 §4.4.1.1.1: subsequent offers that change only ICE (a restart) or nothing.
import { SessionDescription } from "../sdp/session_description";
import { MediaDescription } from "../sdp/media_description";
import { Fingerprint } from "../sdp/fingerprint";
import { Setup } from "../sdp/setup";

function sameBytes(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
  return true;
}

export function sameFingerprint(a: Fingerprint, b: Fingerprint): bool {
  return a.algorithm == b.algorithm && sameBytes(a.value, b.value);
}

function sameCodecs(a: MediaDescription, b: MediaDescription): bool {
  if (a.rtpmaps.length != b.rtpmaps.length || a.fmtps.length != b.fmtps.length) return false;
  for (let i = 0; i < a.rtpmaps.length; i++) {
    const x = a.rtpmaps[i], y = b.rtpmaps[i];
    if (x.payloadType != y.payloadType || x.encoding.toLowerCase() != y.encoding.toLowerCase() || x.clockRate != y.clockRate || x.channels != y.channels) return false;
  }
  for (let i = 0; i < a.fmtps.length; i++) {
    if (a.fmtps[i].format != b.fmtps[i].format || a.fmtps[i].parameters != b.fmtps[i].parameters) return false;
  }
  return true;
}

// Null when `next` describes the same session as `prev` (same sections, mids, protocols, formats,
// codecs and, when `directions`, directions), else what changed. Transport attributes (ICE
// credentials, candidates, ports of live sections) are not compared: those may change.
export function sessionChange(prev: SessionDescription, next: SessionDescription, directions: bool): string | null {
  if (prev.media.length != next.media.length) {
    return "the offer has " + next.media.length.toString() + " media sections, the session " + prev.media.length.toString() + " (adding or removing sections is not supported)";
  }
  for (let i = 0; i < prev.media.length; i++) {
    const a = prev.media[i], b = next.media[i];
    const at = "media section " + i.toString();
    if (a.media != b.media || a.proto != b.proto) return at + " changed its m= line (" + a.media + " " + a.proto + " -> " + b.media + " " + b.proto + ")";
    if (a.mid != b.mid) return at + " changed its mid (" + a.mid + " -> " + b.mid + ")";
    if ((a.port == 0) != (b.port == 0)) return at + (b.port == 0 ? " was rejected/stopped" : " was re-enabled");
    if (!directions) continue;
    if (a.formatList() != b.formatList()) return at + " changed its formats";
    if (!sameCodecs(a, b)) return at + " changed its codecs";
    if (a.direction != b.direction) return at + " changed its direction";
  }
  return null;
}

// Whether an a=setup in a subsequent description keeps the DTLS roles we run with (RFC 8842 §5.5:
// a new role would mean a new DTLS association, which is not supported here).
export function keepsDtlsRole(remote: Setup, weAreClient: bool): bool {
  if (remote == Setup.ActPass || remote == Setup.Unspecified) return true;
  if (remote == Setup.Active) return !weAreClient;
  if (remote == Setup.Passive) return weAreClient;
  return false;
}

// Our previous local description with new transport parameters: ice-ufrag/ice-pwd, the given
// candidates (in the first section carrying ICE, the BUNDLE transport), a=end-of-candidates when
// `ended`, the session version, and a=setup when `setup` is not empty. Everything else (media,
// data, directions, codecs) stays as negotiated.
export function rewriteTransport(sdp: string, ufrag: string, pwd: string, candidates: string[], ended: bool, version: u64, setup: string): string {
  const eol = sdp.indexOf("\r\n") >= 0 ? "\r\n" : "\n";
  const lines = sdp.split(eol);
  const out = new Array<string>();
  let placed = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.length == 0) continue;
    if (l.startsWith("a=candidate:") || l == "a=end-of-candidates") continue;
    if (l.startsWith("o=")) {
      const f = l.split(" ");
      if (f.length >= 6) {
        f[2] = version.toString();
        out.push(f.join(" "));
        continue;
      }
    }
    if (l.startsWith("a=ice-ufrag:")) {
      out.push("a=ice-ufrag:" + ufrag);
      continue;
    }
    if (l.startsWith("a=setup:") && setup.length > 0) {
      out.push("a=setup:" + setup);
      continue;
    }
    if (l.startsWith("a=ice-pwd:")) {
      out.push("a=ice-pwd:" + pwd);
      if (!placed) {
        placed = true;
        for (let j = 0; j < candidates.length; j++) {
          const c = candidates[j];
          out.push(c.startsWith("a=") ? c : "a=" + c);
        }
        if (ended) out.push("a=end-of-candidates");
      }
      continue;
    }
    out.push(l);
  }
  return out.join(eol) + eol;
}

export function setupName(weAreClient: bool): string {
  return weAreClient ? "active" : "passive";
}
