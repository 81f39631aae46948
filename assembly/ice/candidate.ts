// RFC 8445 §5.1 (candidate types, priority §5.1.2, foundation §5.1.1.3) and RFC 8839 §5.1 (the SDP "candidate" attribute).
import { TransportAddress } from "../stun/transport_address";

export const enum CandidateType {
  Host = 0,
  ServerReflexive = 1,
  PeerReflexive = 2,
  Relayed = 3,
}

// RFC 8445 §5.1.2.2 recommended type preferences.
export function typePreference(t: CandidateType): u32 {
  switch (t) {
    case CandidateType.Host: return 126;
    case CandidateType.PeerReflexive: return 110;
    case CandidateType.ServerReflexive: return 100;
  }
  return 0;
}

export function typeName(t: CandidateType): string {
  switch (t) {
    case CandidateType.Host: return "host";
    case CandidateType.ServerReflexive: return "srflx";
    case CandidateType.PeerReflexive: return "prflx";
  }
  return "relay";
}

// -1 for an unknown name.
function typeFromName(s: string): i32 {
  if (s == "host") return CandidateType.Host;
  if (s == "srflx") return CandidateType.ServerReflexive;
  if (s == "prflx") return CandidateType.PeerReflexive;
  if (s == "relay") return CandidateType.Relayed;
  return -1;
}

// priority = 2^24 * type preference + 2^8 * local preference + (256 - component id)
export function candidatePriority(t: CandidateType, localPreference: u32, component: u32 = 1): u32 {
  return (typePreference(t) << 24) | ((localPreference & 0xffff) << 8) | ((256 - (component & 0xff)) & 0xff);
}

// Same type, base IP and server give the same foundation (§5.1.1.3); it is a short token, here
// a 32-bit FNV-1a of those in decimal.
export function computeFoundation(t: CandidateType, base: TransportAddress, server: TransportAddress | null = null): string {
  let h: u32 = 0x811c9dc5;
  h = fnv(h, <u32>t);
  h = fnv(h, base.family);
  for (let i = 0; i < 16; i++) h = fnv(h, base.byteAt(i));
  if (server != null) {
    for (let i = 0; i < 16; i++) h = fnv(h, server.byteAt(i));
    h = fnv(h, <u32>server.port);
  }
  return h.toString();
}

// @ts-ignore: decorator
@inline function fnv(h: u32, b: u32): u32 {
  return (h ^ (b & 0xff)) * 0x01000193;
}

// Longest SDP candidate line accepted, a bound on parsing work.
export const MAX_CANDIDATE_LINE: i32 = 1024;

export class Candidate {
  foundation: string = "";
  component: u16 = 1;
  // Only "udp" candidates are checked by this agent; others parse but are ignored.
  transport: string = "udp";
  priority: u32 = 0;
  type: CandidateType = CandidateType.Host;
  address: TransportAddress = new TransportAddress();
  // An mDNS name (RFC 8839 §5.1, draft-ietf-mmusic-mdns-ice-candidates) in place of the address;
  // empty once resolved or when the address was given.
  hostname: string = "";
  related: TransportAddress | null = null;
  // For local candidates: the address checks are sent from (itself for host candidates).
  base: TransportAddress = new TransportAddress();
  // Chromium's extension attributes; -1 / "" when absent.
  generation: i32 = -1;
  networkId: i32 = -1;
  networkCost: i32 = -1;
  ufrag: string = "";
  tcpType: string = "";

  static host(addr: TransportAddress, localPreference: u32 = 65535): Candidate {
    const c = new Candidate();
    c.type = CandidateType.Host;
    c.address = addr.clone();
    c.base = addr.clone();
    c.priority = candidatePriority(CandidateType.Host, localPreference);
    c.foundation = computeFoundation(CandidateType.Host, addr);
    return c;
  }

  get isResolved(): bool {
    return this.hostname.length == 0 && this.address.isValid;
  }

  get isUdp(): bool {
    return this.transport == "udp" || this.transport == "UDP";
  }

  // The "candidate:..." form (without "a="), as RFC 8839 §5.1 and JSEP's ICE candidate strings use.
  toSdp(): string {
    let s = "candidate:" + this.foundation + " " + this.component.toString() + " " + this.transport + " " + this.priority.toString() + " ";
    s += this.hostname.length > 0 ? this.hostname : this.address.ipString();
    s += " " + this.address.port.toString() + " typ " + typeName(this.type);
    const r = this.related;
    if (r != null) s += " raddr " + r.ipString() + " rport " + r.port.toString();
    if (this.tcpType.length > 0) s += " tcptype " + this.tcpType;
    if (this.generation >= 0) s += " generation " + this.generation.toString();
    if (this.ufrag.length > 0) s += " ufrag " + this.ufrag;
    if (this.networkId >= 0) s += " network-id " + this.networkId.toString();
    if (this.networkCost >= 0) s += " network-cost " + this.networkCost.toString();
    return s;
  }

  // Parses "candidate:..." or "a=candidate:..."; null when malformed. An address that is not an
  // IP (a ".local" mDNS name) leaves `hostname` set and `address` holding only the port.
  static parse(line: string): Candidate | null {
    if (line.length > MAX_CANDIDATE_LINE) return null;
    let s = line.trim();
    if (s.startsWith("a=")) s = s.substring(2);
    if (!s.startsWith("candidate:")) return null;
    const f = splitSpaces(s.substring(10));
    if (f.length < 8 || f[6] != "typ") return null;
    const c = new Candidate();
    c.foundation = f[0];
    if (!isIceChars(c.foundation, 1, 32)) return null;
    const comp = parseDecimal(f[1], 256);
    if (comp < 1) return null;
    c.component = <u16>comp;
    c.transport = f[2].toLowerCase();
    if (!isIceChars(c.transport, 1, 16)) return null;
    const prio = parseDecimal(f[3], 0xffffffff);
    if (prio < 1) return null;
    c.priority = <u32>prio;
    const port = parseDecimal(f[5], 65535);
    if (port < 0) return null;
    const t = typeFromName(f[7]);
    if (t < 0) return null;
    c.type = <CandidateType>t;
    const ip = TransportAddress.parseIp(f[4], <u16>port);
    if (ip != null) c.address = ip;
    else {
      if (!f[4].toLowerCase().endsWith(".local") || f[4].length > 255 || f[4].length < 7) return null;
      c.hostname = f[4];
      c.address.port = <u16>port;
    }
    // extension attributes come as name/value pairs
    let raddr: TransportAddress | null = null;
    let rport: i64 = -1;
    for (let i = 8; i + 1 < f.length; i += 2) {
      const k = f[i], v = f[i + 1];
      if (k == "raddr") raddr = TransportAddress.parseIp(v);
      else if (k == "rport") rport = parseDecimal(v, 65535);
      else if (k == "generation") c.generation = <i32>parseDecimal(v, 0x7fffffff);
      else if (k == "network-id") c.networkId = <i32>parseDecimal(v, 0x7fffffff);
      else if (k == "network-cost") c.networkCost = <i32>parseDecimal(v, 0x7fffffff);
      else if (k == "ufrag") c.ufrag = v.length <= 256 ? v : "";
      else if (k == "tcptype") c.tcpType = v;
    }
    if (raddr != null && rport >= 0) {
      raddr.port = <u16>rport;
      c.related = raddr;
    }
    return c;
  }
}

function splitSpaces(s: string): string[] {
  const out = new Array<string>();
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    const space = c == 32 || c == 9;
    if (space && start >= 0) {
      out.push(s.substring(start, i));
      start = -1;
      if (out.length > 64) break;
    } else if (!space && start < 0) start = i;
  }
  return out;
}

// A non-negative decimal up to max, or -1.
function parseDecimal(s: string, max: i64): i64 {
  if (s.length == 0 || s.length > 10) return -1;
  let v: i64 = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + <i64>(c - 48);
  }
  return v <= max ? v : -1;
}

// RFC 8839 ice-char: ALPHA / DIGIT / "+" / "/"
function isIceChars(s: string, min: i32, max: i32): bool {
  if (s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 43 || c == 47;
    if (!ok) return false;
  }
  return true;
}
