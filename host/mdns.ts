// RFC 6762 (Multicast DNS) §5.1: a one-shot query for a ".local" name (A and AAAA, QU bit set so the
// answer may come unicast), over node:dgram, with a timeout. Enough to resolve the mDNS host
// candidates browsers put in SDP (draft-ietf-mmusic-mdns-ice-candidates); not a responder.
import { createSocket } from "node:dgram";

export const MDNS_GROUP = "224.0.0.251";
export const MDNS_PORT = 5353;
const TYPE_A = 1;
const TYPE_AAAA = 28;

export interface MdnsOptions {
  timeoutMs?: number;
  // Where the query goes (tests point it at a responder on loopback); default the mDNS group.
  server?: { address: string; port: number };
  // The local interface for multicast (default: the system's choice).
  interfaceAddress?: string;
}

function encodeName(name: string): Buffer | null {
  const labels = name.replace(/\.$/, "").split(".");
  const parts: Buffer[] = [];
  for (const l of labels) {
    const b = Buffer.from(l, "utf8");
    if (b.length == 0 || b.length > 63) return null;
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  const out = Buffer.concat(parts);
  return out.length <= 255 ? out : null;
}

// The query: id 0, no flags (§18), one question per type, class IN with the QU bit (0x8001).
export function buildMdnsQuery(name: string): Buffer | null {
  const qname = encodeName(name);
  if (!qname) return null;
  const header = Buffer.alloc(12);
  header.writeUInt16BE(2, 4); // QDCOUNT
  const q = (type: number) => {
    const t = Buffer.alloc(4);
    t.writeUInt16BE(type, 0);
    t.writeUInt16BE(0x8001, 2);
    return Buffer.concat([qname, t]);
  };
  return Buffer.concat([header, q(TYPE_A), q(TYPE_AAAA)]);
}

// Reads a (possibly compressed) name at off; returns it and the offset after it, or null.
function readName(b: Buffer, off: number): { name: string; end: number } | null {
  const labels: string[] = [];
  let end = -1;
  for (let hops = 0; hops < 32; hops++) {
    if (off >= b.length) return null;
    const len = b[off];
    if (len == 0) {
      if (end < 0) end = off + 1;
      return { name: labels.join("."), end };
    }
    if ((len & 0xc0) == 0xc0) {
      if (off + 1 >= b.length) return null;
      if (end < 0) end = off + 2;
      off = ((len & 0x3f) << 8) | b[off + 1];
      continue;
    }
    if ((len & 0xc0) != 0 || off + 1 + len > b.length) return null;
    labels.push(b.toString("utf8", off + 1, off + 1 + len));
    off += 1 + len;
  }
  return null;
}

// The first A or AAAA record for name in a response, as text; null when none (or malformed).
export function parseMdnsAnswer(msg: Buffer, name: string): string | null {
  if (msg.length < 12 || (msg[2] & 0x80) == 0) return null; // not a response
  const qd = msg.readUInt16BE(4), an = msg.readUInt16BE(6), ns = msg.readUInt16BE(8), ar = msg.readUInt16BE(10);
  let off = 12;
  for (let i = 0; i < qd; i++) {
    const n = readName(msg, off);
    if (!n) return null;
    off = n.end + 4;
  }
  const want = name.replace(/\.$/, "").toLowerCase();
  for (let i = 0; i < an + ns + ar; i++) {
    const n = readName(msg, off);
    if (!n || n.end + 10 > msg.length) return null;
    const type = msg.readUInt16BE(n.end);
    const rdlen = msg.readUInt16BE(n.end + 8);
    const rd = n.end + 10;
    if (rd + rdlen > msg.length) return null;
    if (n.name.toLowerCase() == want) {
      if (type == TYPE_A && rdlen == 4) return `${msg[rd]}.${msg[rd + 1]}.${msg[rd + 2]}.${msg[rd + 3]}`;
      if (type == TYPE_AAAA && rdlen == 16) {
        const g: string[] = [];
        for (let k = 0; k < 8; k++) g.push(msg.readUInt16BE(rd + 2 * k).toString(16));
        return new URL(`http://[${g.join(":")}]/`).hostname.slice(1, -1);
      }
    }
    off = rd + rdlen;
  }
  return null;
}

// Resolves a ".local" name with one query (re-sent once halfway through the timeout); null on
// timeout. The socket binds an ephemeral port (a "one-shot" querier, §5.1), so no port-5353 sharing.
export function resolveMdns(name: string, opts: MdnsOptions = {}): Promise<string | null> {
  const query = buildMdnsQuery(name);
  if (!query || !name.toLowerCase().replace(/\.$/, "").endsWith(".local")) return Promise.resolve(null);
  const timeoutMs = opts.timeoutMs ?? 3000;
  const to = opts.server ?? { address: MDNS_GROUP, port: MDNS_PORT };
  return new Promise((resolveP) => {
    const sock = createSocket({ type: "udp4", reuseAddr: true });
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (ip: string | null) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      try {
        sock.close();
      } catch {}
      resolveP(ip);
    };
    sock.on("error", () => finish(null));
    sock.on("message", (msg) => {
      const ip = parseMdnsAnswer(msg, name);
      if (ip) finish(ip);
    });
    sock.bind(0, () => {
      try {
        if (opts.interfaceAddress) sock.setMulticastInterface(opts.interfaceAddress);
        sock.setMulticastTTL(255);
      } catch {}
      const send = () => sock.send(query, to.port, to.address, () => {});
      send();
      timers.push(setTimeout(send, timeoutMs / 2));
      timers.push(setTimeout(() => finish(null), timeoutMs));
    });
  });
}
