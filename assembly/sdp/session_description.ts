// RFC 8866 §5: a session description — session-level lines, then media sections (§5.14).
import { Attribute } from "./attribute";
import { TransportAttributes } from "./transport_attributes";
import { Connection } from "./connection";
import { Direction, directionFromName } from "./direction";
import { SdpError } from "./error";
import { ExtMap } from "./extmap";
import { Group } from "./group";
import { DEFAULT_LIMITS, SdpLimits } from "./limits";
import { LineScanner } from "./line";
import { MediaDescription } from "./media_description";
import { Origin } from "./origin";

const V: i32 = 118, O: i32 = 111, S: i32 = 115, T: i32 = 116, C: i32 = 99, M: i32 = 109, A: i32 = 97, B: i32 = 98;

export class SessionDescription extends TransportAttributes {
  version: i32 = 0;
  origin: Origin = new Origin();
  sessionName: string = "-";
  timing: string = "0 0";
  connection: Connection | null = null;

  groups: Group[] = [];
  // Session-level transport attributes; a media section's own value wins (RFC 8839 §5.4).
  iceLite: bool = false;
  direction: Direction = Direction.Unspecified;
  extmapAllowMixed: bool = false;
  msidSemantic: string = "";
  extmaps: ExtMap[] = [];
  other: Attribute[] = [];

  media: MediaDescription[] = [];

  // The BUNDLE group naming mid, or null.
  bundleGroupOf(mid: string): Group | null {
    if (mid.length == 0) return null;
    for (let i = 0; i < this.groups.length; i++) {
      const g = this.groups[i];
      if (g.isBundle && g.has(mid)) return g;
    }
    return null;
  }

  // Index of the section with this mid, or -1.
  indexOfMid(mid: string): i32 {
    for (let i = 0; i < this.media.length; i++) if (this.media[i].mid == mid) return i;
    return -1;
  }

  // Index of the first data channel section that is not rejected, or -1.
  firstDataChannel(): i32 {
    for (let i = 0; i < this.media.length; i++) {
      const m = this.media[i];
      if (m.isDataChannel && !m.isRejected) return i;
    }
    return -1;
  }

  // Applies one session-level a= line; a reason when malformed, else null.
  applyAttribute(a: Attribute, maxMids: i32): string | null {
    const name = a.name;
    const v = a.value;
    if (name == "group") {
      const g = Group.parse(v, maxMids);
      if (g == null) return "a=group must be <semantics> <mid>... (at most " + maxMids.toString() + " mids)";
      this.groups.push(g);
    } else if (TransportAttributes.has(name)) {
      return this.applyTransportAttribute(name, v);
    } else if (name == "ice-lite") {
      this.iceLite = true;
    } else if (name == "extmap-allow-mixed") {
      this.extmapAllowMixed = true;
    } else if (name == "msid-semantic") {
      this.msidSemantic = v;
    } else if (name == "extmap") {
      const e = ExtMap.parse(v);
      if (e == null) this.other.push(a);
      else this.extmaps.push(e);
    } else if (!a.hasValue && directionFromName(name) != Direction.Unspecified) {
      this.direction = directionFromName(name);
    } else {
      this.other.push(a);
    }
    return null;
  }
}

export class SdpParseResult {
  error: SdpError = SdpError.None;
  reason: string = "";
  description: SessionDescription | null = null;

  get ok(): bool {
    return this.error == SdpError.None;
  }

  static fail(e: SdpError, reason: string): SdpParseResult {
    const r = new SdpParseResult();
    r.error = e;
    r.reason = reason;
    return r;
  }
}

// Parses a session description held as UTF-8 bytes (CRLF or LF line ends). Never traps: bad
// input gives an error and a reason naming the line.
export function parseSessionDescription(bytes: Uint8Array, limits: SdpLimits = DEFAULT_LIMITS): SdpParseResult {
  if (bytes.length > limits.maxSize) {
    return SdpParseResult.fail(SdpError.TooLarge, "session description is " + bytes.length.toString() + " bytes, more than " + limits.maxSize.toString());
  }
  const lines = new LineScanner(bytes, limits.maxLineLength);
  const d = new SessionDescription();
  let sawOrigin = false;
  let sessionAttrs = 0;
  let cur: MediaDescription | null = null;
  let first = true;
  while (lines.next()) {
    const t = lines.type;
    const v = lines.value;
    const at = lines.number;
    if (first) {
      if (t != V || v != "0") return SdpParseResult.fail(SdpError.Malformed, where(at) + "a session description starts with v=0");
      first = false;
      continue;
    }
    if (t == M) {
      if (d.media.length >= limits.maxMediaSections) {
        return SdpParseResult.fail(SdpError.TooManyMediaSections, where(at) + "more than " + limits.maxMediaSections.toString() + " media sections");
      }
      const m = MediaDescription.parseMLine(v);
      if (m == null) return SdpParseResult.fail(SdpError.Malformed, where(at) + "m= must be <media> <port> <proto> <fmt>...");
      d.media.push(m);
      cur = m;
      continue;
    }
    if (cur != null) {
      if (++cur.lineCount > limits.maxAttributesPerMedia) {
        return SdpParseResult.fail(SdpError.TooManyAttributes, where(at) + "more than " + limits.maxAttributesPerMedia.toString() + " lines in media section " + d.media.length.toString());
      }
      if (t == A) {
        const why = cur.applyAttribute(Attribute.parse(v), limits.maxCandidates);
        if (why != null) return SdpParseResult.fail(SdpError.Malformed, where(at) + why);
      } else if (t == C) {
        const c = Connection.parse(v);
        if (c == null) return SdpParseResult.fail(SdpError.Malformed, where(at) + "c= must be <nettype> <addrtype> <address>");
        cur.connection = c;
      } else if (t == B) {
        cur.bandwidths.push(v);
      }
      // i=, k= and other media-level lines carry nothing a device uses.
      continue;
    }
    if (++sessionAttrs > limits.maxSessionAttributes) {
      return SdpParseResult.fail(SdpError.TooManyAttributes, where(at) + "more than " + limits.maxSessionAttributes.toString() + " session-level lines");
    }
    if (t == O) {
      const o = Origin.parse(v);
      if (o == null) return SdpParseResult.fail(SdpError.Malformed, where(at) + "o= must be <username> <sess-id> <sess-version> <nettype> <addrtype> <address>");
      d.origin = o;
      sawOrigin = true;
    } else if (t == S) {
      d.sessionName = v;
    } else if (t == T) {
      d.timing = v;
    } else if (t == C) {
      const c = Connection.parse(v);
      if (c == null) return SdpParseResult.fail(SdpError.Malformed, where(at) + "c= must be <nettype> <addrtype> <address>");
      d.connection = c;
    } else if (t == A) {
      const why = d.applyAttribute(Attribute.parse(v), limits.maxMediaSections);
      if (why != null) return SdpParseResult.fail(SdpError.Malformed, where(at) + why);
    }
    // b=, i=, u=, e=, p=, z=, k=, r= at session level: nothing a device uses.
  }
  if (lines.error != SdpError.None) return SdpParseResult.fail(lines.error, lines.reason);
  if (first) return SdpParseResult.fail(SdpError.Malformed, "empty session description");
  if (!sawOrigin) return SdpParseResult.fail(SdpError.Malformed, "no o= line");
  const r = new SdpParseResult();
  r.description = d;
  return r;
}

// The same, from a string (tests, and hosts that already hold text).
export function parseSessionDescriptionString(s: string, limits: SdpLimits = DEFAULT_LIMITS): SdpParseResult {
  return parseSessionDescription(Uint8Array.wrap(String.UTF8.encode(s)), limits);
}

function where(line: i32): string {
  return "line " + line.toString() + ": ";
}
