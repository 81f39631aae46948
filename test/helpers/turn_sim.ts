// A small TURN server (RFC 8656) for the virtual-network tests, written from the RFC in TypeScript
// and independent of the core's codec: long-term credentials (401, nonces that can go stale: 438),
// allocations with lifetimes, permissions and channel bindings with configurable lifetimes, Send
// and Data indications, ChannelData. Addresses are "a.b.c.d:port" strings (IPv4 only).
import { createHash, createHmac } from "node:crypto";

const COOKIE = 0x2112a442;
export const M = { Binding: 1, Allocate: 3, Refresh: 4, Send: 6, Data: 7, CreatePermission: 8, ChannelBind: 9 };
export const C = { Request: 0, Indication: 1, Success: 2, Error: 3 };
export const A = {
  MappedAddress: 0x0001, Username: 0x0006, MessageIntegrity: 0x0008, ErrorCode: 0x0009, ChannelNumber: 0x000c,
  Lifetime: 0x000d, XorPeerAddress: 0x0012, Data: 0x0013, Realm: 0x0014, Nonce: 0x0015, XorRelayedAddress: 0x0016,
  RequestedTransport: 0x0019, XorMappedAddress: 0x0020, Fingerprint: 0x8028,
};

export interface StunMsg {
  method: number;
  cls: number;
  tid: Buffer;
  attrs: { type: number; value: Buffer; at: number }[];
  raw: Buffer;
}

export function parseStun(buf: Uint8Array): StunMsg | null {
  const b = Buffer.from(buf);
  if (b.length < 20 || (b[0] & 0xc0) != 0 || b.readUInt32BE(4) != COOKIE) return null;
  const len = b.readUInt16BE(2);
  if (len + 20 != b.length) return null;
  const type = b.readUInt16BE(0);
  const method = (type & 0x000f) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0f80);
  const cls = ((type >> 4) & 1) | ((type >> 7) & 2);
  const attrs: StunMsg["attrs"] = [];
  for (let p = 20; p + 4 <= b.length; ) {
    const t = b.readUInt16BE(p), l = b.readUInt16BE(p + 2);
    if (p + 4 + l > b.length) return null;
    attrs.push({ type: t, value: b.subarray(p + 4, p + 4 + l), at: p });
    p += 4 + ((l + 3) & ~3);
  }
  return { method, cls, tid: b.subarray(8, 20), attrs, raw: b };
}

export const attr = (m: StunMsg, t: number) => m.attrs.find((a) => a.type == t)?.value;

function typeOf(method: number, cls: number): number {
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((cls & 1) << 4) | ((cls & 2) << 7);
}

export function buildStun(method: number, cls: number, tid: Buffer, attrs: [number, Buffer][], key?: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (const [t, v] of attrs) {
    const h = Buffer.alloc(4);
    h.writeUInt16BE(t, 0);
    h.writeUInt16BE(v.length, 2);
    parts.push(h, v, Buffer.alloc((4 - (v.length % 4)) % 4));
  }
  let body = Buffer.concat(parts);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(typeOf(method, cls), 0);
  header.writeUInt32BE(COOKIE, 4);
  tid.copy(header, 8);
  if (key) {
    header.writeUInt16BE(body.length + 24, 2);
    const mac = createHmac("sha1", key).update(Buffer.concat([header, body])).digest();
    const h = Buffer.alloc(4);
    h.writeUInt16BE(A.MessageIntegrity, 0);
    h.writeUInt16BE(20, 2);
    body = Buffer.concat([body, h, mac]);
  }
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

// Checks MESSAGE-INTEGRITY: the HMAC over everything before it, with the length field ending there.
export function checkIntegrity(m: StunMsg, key: Buffer): boolean {
  const mi = m.attrs.find((a) => a.type == A.MessageIntegrity);
  if (!mi || mi.value.length != 20) return false;
  const head = Buffer.from(m.raw.subarray(0, mi.at));
  head.writeUInt16BE(mi.at + 24 - 20, 2);
  return createHmac("sha1", key).update(head).digest().equals(mi.value);
}

export function xorAddr(key: string, tid: Buffer): Buffer {
  const [ip, port] = key.split(":");
  const v = Buffer.alloc(8);
  v[1] = 1;
  v.writeUInt16BE(+port ^ (COOKIE >>> 16), 2);
  const o = ip.split(".").map(Number);
  v.writeUInt32BE((((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) ^ COOKIE) >>> 0, 4);
  return v;
}

export function unxorAddr(v: Buffer | undefined): string | null {
  if (!v || v.length != 8 || v[1] != 1) return null;
  const port = v.readUInt16BE(2) ^ (COOKIE >>> 16);
  const ip = (v.readUInt32BE(4) ^ COOKIE) >>> 0;
  return `${ip >>> 24}.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}:${port}`;
}

const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(v >>> 0); return b; };
const errorCode = (code: number, reason: string) => Buffer.concat([Buffer.from([0, 0, Math.floor(code / 100), code % 100]), Buffer.from(reason)]);
const ipOf = (k: string) => k.slice(0, k.lastIndexOf(":"));

interface Allocation {
  client: string;
  relay: string;
  user: string;
  expires: number;
  perms: Map<string, number>; // peer IP -> expiry
  channels: Map<number, { peer: string; expires: number }>;
}

export class TurnSim {
  now = 0;
  nonce = "nonce-1";
  private nonceN = 1;
  permissionLifetime = 300000;
  channelLifetime = 600000;
  maxLifetime = 3600;
  allocations = new Map<string, Allocation>(); // by client address
  byRelay = new Map<string, Allocation>();
  private nextPort = 50000;
  // What the server saw, for the tests to look at.
  log: string[] = [];
  stats = { relayedToPeer: 0, relayedToClient: 0, droppedNoPermission: 0, droppedNoChannel: 0, badIntegrity: 0 };

  constructor(
    public addr: string,
    public relayIp: string,
    public realm: string,
    public users: Record<string, string>,
    public send: (from: string, to: string, data: Uint8Array) => void,
  ) {}

  staleNonce() {
    this.nonce = `nonce-${++this.nonceN}`;
  }

  owns(addr: string): boolean {
    return addr == this.addr || this.byRelay.has(addr);
  }

  // A packet addressed to the server itself or to one of its relayed addresses.
  receive(to: string, from: string, data: Uint8Array) {
    this.expire();
    if (to == this.addr) this.fromClient(from, Buffer.from(data));
    else this.fromPeer(to, from, Buffer.from(data));
  }

  private expire() {
    for (const a of [...this.allocations.values()]) {
      if (a.expires <= this.now) this.drop(a);
      for (const [ip, t] of [...a.perms]) if (t <= this.now) a.perms.delete(ip);
      for (const [n, c] of [...a.channels]) if (c.expires <= this.now) a.channels.delete(n);
    }
  }

  private drop(a: Allocation) {
    this.allocations.delete(a.client);
    this.byRelay.delete(a.relay);
  }

  private fromPeer(relay: string, peer: string, data: Buffer) {
    const a = this.byRelay.get(relay);
    if (!a) return;
    if (!a.perms.has(ipOf(peer))) {
      this.stats.droppedNoPermission++;
      return;
    }
    this.stats.relayedToClient++;
    for (const [n, c] of a.channels) {
      if (c.peer == peer) {
        const h = Buffer.alloc(4);
        h.writeUInt16BE(n, 0);
        h.writeUInt16BE(data.length, 2);
        this.send(this.addr, a.client, Buffer.concat([h, data]));
        return;
      }
    }
    const tid = Buffer.alloc(12, 7);
    this.send(this.addr, a.client, buildStun(M.Data, C.Indication, tid, [[A.XorPeerAddress, xorAddr(peer, tid)], [A.Data, data]]));
  }

  private fromClient(from: string, b: Buffer) {
    if (b.length >= 4 && b[0] >= 0x40 && b[0] <= 0x4f) {
      const n = b.readUInt16BE(0), len = b.readUInt16BE(2);
      const a = this.allocations.get(from);
      const c = a?.channels.get(n);
      if (!a || !c || 4 + len > b.length) {
        this.stats.droppedNoChannel++;
        return;
      }
      this.log.push("ChannelData");
      this.toPeer(a, c.peer, b.subarray(4, 4 + len));
      return;
    }
    const m = parseStun(b);
    if (!m) return;
    if (m.cls == C.Indication && m.method == M.Send) {
      const a = this.allocations.get(from);
      const peer = unxorAddr(attr(m, A.XorPeerAddress));
      const data = attr(m, A.Data);
      this.log.push("Send");
      if (a && peer && data) this.toPeer(a, peer, data);
      return;
    }
    if (m.cls != C.Request) return;
    const name = Object.keys(M).find((k) => (M as any)[k] == m.method) ?? String(m.method);
    // Long-term credentials (RFC 8489 §9.2.4).
    const user = attr(m, A.Username)?.toString();
    const nonce = attr(m, A.Nonce)?.toString();
    const challenge = (code: number, reason: string) =>
      this.reply(from, m, C.Error, [[A.ErrorCode, errorCode(code, reason)], [A.Realm, Buffer.from(this.realm)], [A.Nonce, Buffer.from(this.nonce)]]);
    if (!user || !m.attrs.some((a) => a.type == A.MessageIntegrity)) {
      this.log.push(`${name} 401`);
      return challenge(401, "Unauthenticated");
    }
    const pass = this.users[user];
    const key = createHash("md5").update(`${user}:${this.realm}:${pass ?? ""}`).digest();
    if (pass === undefined || !checkIntegrity(m, key)) {
      this.stats.badIntegrity++;
      this.log.push(`${name} 401`);
      return challenge(401, "Unauthenticated");
    }
    if (nonce != this.nonce) {
      this.log.push(`${name} 438`);
      return challenge(438, "Stale Nonce");
    }
    this.log.push(name);
    const a = this.allocations.get(from);
    const err = (code: number, reason: string) => this.reply(from, m, C.Error, [[A.ErrorCode, errorCode(code, reason)]], key);
    if (m.method == M.Allocate) {
      if (a) return err(437, "Allocation Mismatch");
      const rt = attr(m, A.RequestedTransport);
      if (!rt || rt[0] != 17) return err(400, "Bad Request");
      const lt = Math.min(attr(m, A.Lifetime)?.readUInt32BE(0) ?? 600, this.maxLifetime);
      const alloc: Allocation = { client: from, relay: `${this.relayIp}:${this.nextPort++}`, user, expires: this.now + lt * 1000, perms: new Map(), channels: new Map() };
      this.allocations.set(from, alloc);
      this.byRelay.set(alloc.relay, alloc);
      return this.reply(from, m, C.Success, [[A.XorRelayedAddress, xorAddr(alloc.relay, m.tid)], [A.XorMappedAddress, xorAddr(from, m.tid)], [A.Lifetime, u32(lt)]], key);
    }
    if (!a) return err(437, "Allocation Mismatch");
    if (m.method == M.Refresh) {
      const lt = Math.min(attr(m, A.Lifetime)?.readUInt32BE(0) ?? 600, this.maxLifetime);
      if (lt == 0) this.drop(a);
      else a.expires = this.now + lt * 1000;
      return this.reply(from, m, C.Success, [[A.Lifetime, u32(lt)]], key);
    }
    if (m.method == M.CreatePermission) {
      const peers = m.attrs.filter((x) => x.type == A.XorPeerAddress).map((x) => unxorAddr(x.value));
      if (peers.length == 0 || peers.some((p) => !p)) return err(400, "Bad Request");
      for (const p of peers) a.perms.set(ipOf(p!), this.now + this.permissionLifetime);
      return this.reply(from, m, C.Success, [], key);
    }
    if (m.method == M.ChannelBind) {
      const cn = attr(m, A.ChannelNumber);
      const peer = unxorAddr(attr(m, A.XorPeerAddress));
      const n = cn && cn.length == 4 ? cn.readUInt16BE(0) : 0;
      if (!peer || n < 0x4000 || n > 0x4fff) return err(400, "Bad Request");
      const cur = a.channels.get(n);
      if (cur && cur.peer != peer) return err(400, "Bad Request");
      for (const [k, c] of a.channels) if (k != n && c.peer == peer) return err(400, "Bad Request");
      a.channels.set(n, { peer, expires: this.now + this.channelLifetime });
      a.perms.set(ipOf(peer), this.now + this.permissionLifetime);
      return this.reply(from, m, C.Success, [], key);
    }
    return err(400, "Bad Request");
  }

  private toPeer(a: Allocation, peer: string, data: Buffer) {
    if (!a.perms.has(ipOf(peer))) {
      this.stats.droppedNoPermission++;
      return;
    }
    this.stats.relayedToPeer++;
    this.send(a.relay, peer, Buffer.from(data));
  }

  private reply(to: string, m: StunMsg, cls: number, attrs: [number, Buffer][], key?: Buffer) {
    this.send(this.addr, to, buildStun(m.method, cls, m.tid, attrs, key));
  }
}
