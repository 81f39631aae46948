// RFC 8840 §9 SDP fragments ("application/trickle-ice-sdpfrag") as WHIP/WHEP PATCH bodies carry them,
// and the other direction: putting gathered candidates into an answer (RFC 8839 §5.1 a=candidate,
// RFC 8840 §8.2 a=end-of-candidates) so a client needs no trickle from the server.
import type { IceCandidateInit } from "../peer-api.js";

export interface SdpFragment {
  ufrag: string | null;
  pwd: string | null;
  // Remote candidates in order; an entry with candidate "" marks end-of-candidates for its m-section.
  candidates: IceCandidateInit[];
}

// Parses a fragment; throws an Error naming the first line that is not SDP ("x=value").
export function parseSdpFragment(text: string): SdpFragment {
  const out: SdpFragment = { ufrag: null, pwd: null, candidates: [] };
  let mLineIndex = -1; // -1: still at session level
  let mid: string | null = null;
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  for (const line of lines) {
    if (!/^[a-z]=/.test(line)) throw new Error(`not an SDP line: ${JSON.stringify(line.slice(0, 80))}`);
    if (line.startsWith("m=")) {
      mLineIndex++;
      mid = null;
    } else if (line.startsWith("a=mid:")) {
      mid = line.slice(6).trim();
    } else if (line.startsWith("a=ice-ufrag:")) {
      out.ufrag = line.slice(12).trim();
    } else if (line.startsWith("a=ice-pwd:")) {
      out.pwd = line.slice(10).trim();
    } else if (line.startsWith("a=candidate:")) {
      out.candidates.push({ candidate: line.slice(2).trim(), sdpMid: mid, sdpMLineIndex: Math.max(mLineIndex, 0) });
    } else if (line === "a=end-of-candidates") {
      out.candidates.push({ candidate: "", sdpMid: mid, sdpMLineIndex: Math.max(mLineIndex, 0) });
    }
  }
  return out;
}

// The first a=ice-ufrag of a description (BUNDLE: every m-section shares it).
export function iceUfrag(sdp: string): string | null {
  const m = /^a=ice-ufrag:(\S+)/m.exec(sdp);
  return m ? m[1] : null;
}

// Adds the candidates the description lacks to its first m-section (the BUNDLE transport), and
// a=end-of-candidates when gathering finished. Descriptions that carry candidates already keep them.
export function withCandidates(sdp: string, candidates: string[], complete: boolean): string {
  const eol = sdp.includes("\r\n") ? "\r\n" : "\n";
  const lines = sdp.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  const firstM = lines.findIndex((l) => l.startsWith("m="));
  if (firstM < 0) return sdp;
  let end = lines.findIndex((l, i) => i > firstM && l.startsWith("m="));
  if (end < 0) end = lines.length;
  const section = lines.slice(firstM, end);
  const have = new Set(section.filter((l) => l.startsWith("a=candidate:")).map((l) => l.slice(2)));
  const added = candidates.map((c) => c.replace(/^a=/, "")).filter((c) => !have.has(c)).map((c) => `a=${c}`);
  if (complete && !section.includes("a=end-of-candidates")) added.push("a=end-of-candidates");
  lines.splice(end, 0, ...added);
  return lines.join(eol) + eol;
}

// The session's offer with new ICE credentials and no candidates: what a WHIP/WHEP ICE restart
// (RFC 9725 §4.3.2) stands for — the client sends only the new ice-ufrag/ice-pwd, and everything
// else negotiated still applies — as a subsequent offer the peer connection can answer.
export function withIceCredentials(sdp: string, ufrag: string, pwd: string): string {
  const eol = sdp.includes("\r\n") ? "\r\n" : "\n";
  const lines = sdp.split(/\r?\n/).filter((l) => l.length > 0 && !l.startsWith("a=candidate:") && l !== "a=end-of-candidates");
  return lines.map((l) => (l.startsWith("a=ice-ufrag:") ? `a=ice-ufrag:${ufrag}` : l.startsWith("a=ice-pwd:") ? `a=ice-pwd:${pwd}` : l)).join(eol) + eol;
}

// An SDP fragment (RFC 8840 §9) with a description's ICE credentials, and its first m-section (the
// BUNDLE transport) with its mid, candidates and end-of-candidates: the body of a 200 to an ICE restart.
export function iceFragment(sdp: string): string {
  const lines = sdp.split(/\r?\n/);
  const ufrag = lines.find((l) => l.startsWith("a=ice-ufrag:"));
  const pwd = lines.find((l) => l.startsWith("a=ice-pwd:"));
  const firstM = lines.findIndex((l) => l.startsWith("m="));
  const out: string[] = [];
  if (ufrag) out.push(ufrag);
  if (pwd) out.push(pwd);
  if (firstM >= 0) {
    let end = lines.findIndex((l, i) => i > firstM && l.startsWith("m="));
    if (end < 0) end = lines.length;
    const section = lines.slice(firstM, end);
    out.push(lines[firstM]);
    out.push(...section.filter((l) => l.startsWith("a=mid:") || l.startsWith("a=candidate:") || l === "a=end-of-candidates"));
  }
  return out.join("\r\n") + "\r\n";
}
