// The ICE tests' virtual world: agents behind the entry_ice handles (or entry_turn's IceTransport,
// which gathers through STUN), a seeded lossy network with an optional NAT and STUN servers, and a
// virtual clock; shared by ice.test.ts, ice_restart.test.ts and ice_srflx.test.ts.
import assert from "node:assert/strict";
import type { Entry } from "../helpers/entry.js";
import { A as ATTR, C as CLASS, M as METHOD, buildStun, parseStun, xorAddr } from "../helpers/turn_sim.js";

export const enc = new TextEncoder();
export const dec = new TextDecoder();
export const STATE = { New: 0, Checking: 1, Connected: 2, Completed: 3, Disconnected: 4, Failed: 5, Closed: 6 };

export function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

// "a.b.c.d:port" <-> the entry's 19-byte form (IPv4 only in these tests, plus "[v6]:port").
export function addrBytes(key: string): Uint8Array {
  const out = new Uint8Array(19);
  const m6 = /^\[(.*)\]:(\d+)$/.exec(key);
  if (m6) {
    out[0] = 2;
    const port = +m6[2];
    out[1] = port >> 8; out[2] = port & 255;
    const halves = m6[1].split("::");
    const expand = (s: string) => (s ? s.split(":") : []);
    const head = expand(halves[0]), tail = halves.length > 1 ? expand(halves[1]) : [];
    const groups = [...head, ...Array(8 - head.length - tail.length).fill("0"), ...tail];
    groups.forEach((g, i) => { const v = parseInt(g, 16); out[3 + 2 * i] = v >> 8; out[4 + 2 * i] = v & 255; });
    return out;
  }
  const [ip, port] = key.split(":");
  out[0] = 1;
  out[1] = +port >> 8; out[2] = +port & 255;
  ip.split(".").forEach((o, i) => (out[3 + i] = +o));
  return out;
}

export function addrKey(b: Uint8Array): string {
  const port = (b[1] << 8) | b[2];
  if (b[0] == 1) return `${b[3]}.${b[4]}.${b[5]}.${b[6]}:${port}`;
  const g: string[] = [];
  for (let i = 0; i < 8; i++) g.push(((b[3 + 2 * i] << 8) | b[4 + 2 * i]).toString(16));
  return `[${g.join(":")}]:${port}`;
}

// What an agent told the test through its events, whichever entry drives it.
export class EventLog {
  events: string[] = [];
  stateLog: [number, number][] = [];
  localCandidates: string[] = [];
  selectedLog: [number, string][] = [];
  record(ev: string, now: number) {
    this.events.push(ev);
    if (ev.startsWith("state ")) this.stateLog.push([now, +ev.slice(6)]);
    if (ev.startsWith("local ")) this.localCandidates.push(ev.slice(6));
    if (ev.startsWith("selected ")) this.selectedLog.push([now, ev]);
  }
  // "local remote" of the selected pair, and when it was selected last.
  selectedPair(): [string, string] | undefined {
    const s = this.selected();
    if (!s) return undefined;
    const [, l, r] = s.split(" ");
    return [l, r];
  }
  selected(): string | undefined {
    return this.events.filter((e) => e.startsWith("selected ")).pop();
  }
}

// What the network needs of an agent at an address.
export interface NetAgent {
  addHost(key: string): boolean;
  input(data: Uint8Array, local: string, remote: string, now: number): void;
  drain(now: number, send: (from: string, to: string, data: Uint8Array) => void): void;
  deadline(): number;
  timeout(now: number): void;
}

// An agent the tests can signal to: it trickles its local candidates and takes the peer's.
export type Peer = NetAgent & EventLog & { ufrag: string; pwd: string; addRemote(line: string): boolean; readonly state: number };

export class Agent extends EventLog implements NetAgent {
  h: number;
  constructor(public e: Entry, public name: string, controlling: boolean, public ufrag: string, public pwd: string, tieBreaker: bigint) {
    super();
    const u = e.put(enc.encode(ufrag)), p = e.put(enc.encode(pwd));
    this.h = e.x.ice_new(controlling ? 1 : 0, u, ufrag.length, p, pwd.length, tieBreaker);
    e.free(u, p);
  }
  config(which: number, v: number) {
    this.e.x.ice_set_config(this.h, which, BigInt(v));
  }
  setRemote(o: { ufrag: string; pwd: string }) {
    const u = this.e.put(enc.encode(o.ufrag)), p = this.e.put(enc.encode(o.pwd));
    this.e.x.ice_set_remote(this.h, u, o.ufrag.length, p, o.pwd.length);
    this.e.free(u, p);
  }
  addHost(key: string): boolean {
    const a = this.e.put(addrBytes(key));
    const r = this.e.x.ice_add_host(this.h, a);
    this.e.free(a);
    return r == 1;
  }
  addRemote(line: string): boolean {
    const b = enc.encode(line);
    const p = this.e.put(b);
    const r = this.e.x.ice_add_remote(this.h, p, b.length);
    this.e.free(p);
    return r == 1;
  }
  resolve(name: string, key: string): boolean {
    const b = enc.encode(name);
    const p = this.e.put(b), a = this.e.put(addrBytes(key));
    const r = this.e.x.ice_resolve(this.h, p, b.length, a);
    this.e.free(p, a);
    return r == 1;
  }
  input(data: Uint8Array, local: string, remote: string, now: number) {
    const d = this.e.put(data), l = this.e.put(addrBytes(local)), r = this.e.put(addrBytes(remote));
    this.e.x.ice_input(this.h, d, data.length, l, r, BigInt(now));
    this.e.free(d, l, r);
  }
  deadline(): number {
    const d = this.e.x.ice_next_deadline(this.h) as bigint;
    return d > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(d);
  }
  timeout(now: number) {
    this.e.x.ice_handle_timeout(this.h, BigInt(now));
  }
  drain(now: number, send: (from: string, to: string, data: Uint8Array) => void) {
    const addrs = this.e.alloc(38), data = this.e.alloc(2048), text = this.e.alloc(1024);
    for (;;) {
      const n = this.e.x.ice_poll_transmit(this.h, addrs, data, 2048);
      if (n < 0) break;
      const a = this.e.get(addrs, 38);
      send(addrKey(a.subarray(0, 19)), addrKey(a.subarray(19, 38)), this.e.get(data, n));
    }
    for (;;) {
      const n = this.e.x.ice_poll_event(this.h, text, 1024);
      if (n < 0) break;
      this.record(dec.decode(this.e.get(text, n)), now);
    }
    this.e.free(addrs, data, text);
  }
  get state(): number {
    return this.e.x.ice_state(this.h);
  }
  get controlling(): boolean {
    return this.e.x.ice_controlling(this.h) == 1;
  }
  stat(i: number): number {
    return this.e.x.ice_stat(this.h, i);
  }
  // ICE restart with new local credentials (what the next offer or answer carries).
  restart(ufrag: string, pwd: string, now: number): boolean {
    const u = this.e.put(enc.encode(ufrag)), p = this.e.put(enc.encode(pwd));
    const r = this.e.x.ice_restart(this.h, u, enc.encode(ufrag).length, p, enc.encode(pwd).length, BigInt(now));
    this.e.free(u, p);
    if (r == 1) {
      this.ufrag = ufrag;
      this.pwd = pwd;
    }
    return r == 1;
  }
  // The peer's credentials as signalled at `now` (new ones: the peer restarted).
  setRemoteAt(o: { ufrag: string; pwd: string }, now: number): boolean {
    const u = this.e.put(enc.encode(o.ufrag)), p = this.e.put(enc.encode(o.pwd));
    const r = this.e.x.ice_set_remote_at(this.h, u, enc.encode(o.ufrag).length, p, enc.encode(o.pwd).length, BigInt(now));
    this.e.free(u, p);
    return r == 1;
  }
  get restarting(): boolean {
    return this.e.x.ice_restarting(this.h) == 1;
  }
  // The selected pair's local and remote candidates as SDP (with their types), if one is selected.
  selectedCandidates(): [string, string] | undefined {
    const out = this.e.alloc(2048);
    const n = this.e.x.ice_selected_candidates(this.h, out, 2048);
    const s = n < 0 ? undefined : dec.decode(this.e.get(out, n));
    this.e.free(out);
    if (s === undefined) return undefined;
    const [l, r] = s.split("\n");
    return [l, r];
  }
}

// An agent inside entry_turn's IceTransport: the same agent, plus STUN (and TURN) clients that
// gather server-reflexive candidates; their events ("srflx <addr>", "stun-failed <server>") land
// in events too.
export class GatheringAgent extends EventLog implements NetAgent {
  h: number;
  constructor(public e: Entry, public name: string, controlling: boolean, public ufrag: string, public pwd: string, tieBreaker: bigint) {
    super();
    const u = e.put(enc.encode(ufrag)), p = e.put(enc.encode(pwd));
    this.h = e.x.it_new(controlling ? 1 : 0, u, ufrag.length, p, pwd.length, tieBreaker);
    e.free(u, p);
  }
  setRemote(o: { ufrag: string; pwd: string }) {
    const u = this.e.put(enc.encode(o.ufrag)), p = this.e.put(enc.encode(o.pwd));
    this.e.x.it_set_remote(this.h, u, o.ufrag.length, p, o.pwd.length);
    this.e.free(u, p);
  }
  addHost(key: string): boolean {
    const a = this.e.put(addrBytes(key));
    const r = this.e.x.it_add_host(this.h, a);
    this.e.free(a);
    return r == 1;
  }
  // A Binding request from the host socket at local to a STUN server (RFC 8445 §5.1.1.2).
  addStun(local: string, server: string, now: number) {
    const l = this.e.put(addrBytes(local)), s = this.e.put(addrBytes(server));
    this.e.x.it_add_stun(this.h, l, s, BigInt(now));
    this.e.free(l, s);
  }
  addRemote(line: string): boolean {
    const b = enc.encode(line);
    const p = this.e.put(b);
    const r = this.e.x.it_add_remote(this.h, p, b.length);
    this.e.free(p);
    return r == 1;
  }
  input(data: Uint8Array, local: string, remote: string, now: number) {
    const d = this.e.put(data), l = this.e.put(addrBytes(local)), r = this.e.put(addrBytes(remote));
    this.e.x.it_input(this.h, d, data.length, l, r, BigInt(now));
    this.e.free(d, l, r);
  }
  deadline(): number {
    const d = this.e.x.it_next_deadline(this.h) as bigint;
    return d > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(d);
  }
  timeout(now: number) {
    this.e.x.it_handle_timeout(this.h, BigInt(now));
  }
  drain(now: number, send: (from: string, to: string, data: Uint8Array) => void) {
    const addrs = this.e.alloc(39), data = this.e.alloc(2048), text = this.e.alloc(1024);
    for (;;) {
      const n = this.e.x.it_poll_transmit(this.h, addrs, data, 2048);
      if (n < 0) break;
      const a = this.e.get(addrs, 39);
      send(addrKey(a.subarray(0, 19)), addrKey(a.subarray(19, 38)), this.e.get(data, n));
    }
    for (;;) {
      const n = this.e.x.it_poll_event(this.h, text, 1024);
      if (n < 0) break;
      this.record(dec.decode(this.e.get(text, n)), now);
    }
    this.e.free(addrs, data, text);
  }
  get state(): number {
    return this.e.x.it_state(this.h);
  }
  // entry_turn's it_ice_stat: the numbering of ice_stat, fewer of them
  stat(i: number): number {
    return this.e.x.it_ice_stat(this.h, i);
  }
}

export interface Packet { at: number; from: string; to: string; data: Uint8Array }

// Application data (not STUN: the first byte has its top bits set, RFC 7983), as the test's
// stand-in for DTLS/SRTP on the selected pair.
export const DATA = 0xda;
export interface Delivery { at: number; from: string; to: string }

// NAT behaviour (RFC 4787): how mappings are reused (§4.1) and what may come in through them (§5).
export type NatBehaviour = "endpoint-independent" | "address-and-port-dependent";

// A NAT in front of one private address. Without mapping/filtering it has endpoint-independent
// mapping and address-and-port-dependent filtering ("port-restricted cone").
export interface Nat {
  priv: string;
  // The public address of the mapping (with address-and-port-dependent mapping: of the first one;
  // each further destination gets the next port).
  pub: string;
  // Where the private host sent to: what address-and-port-dependent filtering lets in.
  allowed: Set<string>;
  mapping?: NatBehaviour;
  filtering?: NatBehaviour;
  // Address-and-port-dependent mapping: destination -> public address.
  bindings?: Map<string, string>;
  // Packets from outside dropped by the filter.
  filtered?: number;
}

export function makeNat(priv: string, pub: string, mapping: NatBehaviour, filtering: NatBehaviour): Nat {
  return { priv, pub, allowed: new Set(), mapping, filtering, bindings: new Map(), filtered: 0 };
}

// A STUN server (RFC 8489 §6.3.1 without authentication): answers each Binding request with the
// source it saw, after any NAT, as XOR-MAPPED-ADDRESS.
export class StunServer {
  served = 0;
  constructor(public addr: string) {}
  answer(from: string, data: Uint8Array): Uint8Array | null {
    const m = parseStun(data);
    if (!m || m.method != METHOD.Binding || m.cls != CLASS.Request) return null;
    this.served++;
    return buildStun(METHOD.Binding, CLASS.Success, m.tid, [[ATTR.XorMappedAddress, xorAddr(from, m.tid)]]);
  }
}

// A virtual network: public addresses deliver directly; a NAT maps one private address to
// public ones (see Nat); STUN servers answer at their addresses.
export class Net {
  now = 0;
  queue: Packet[] = [];
  hosts = new Map<string, NetAgent>();
  nat: Nat | null = null;
  stunServers = new Map<string, StunServer>();
  loss = 0;
  cut = false;
  // application data delivered, and a periodic callback (e.g. sending data on the selected pair)
  delivered: Delivery[] = [];
  tick: { every: number; next: number; fn: () => void } | null = null;
  rnd: () => number;
  constructor(seed = 1) {
    this.rnd = prng(seed);
  }
  attach(a: NetAgent, key: string) {
    this.hosts.set(key, a);
    assert.ok(a.addHost(key));
  }
  addStunServer(addr: string): StunServer {
    const s = new StunServer(addr);
    this.stunServers.set(addr, s);
    return s;
  }
  send(from: string, to: string, data: Uint8Array) {
    if (this.cut || this.rnd() < this.loss) return;
    if (this.nat && from == this.nat.priv) from = this.outbound(this.nat, to);
    this.queue.push({ at: this.now + 10 + Math.floor(this.rnd() * 20), from, to, data });
  }
  // The public source of what the private host sends to `to` (creating the mapping).
  private outbound(nat: Nat, to: string): string {
    nat.allowed.add(to);
    if (nat.mapping != "address-and-port-dependent") return nat.pub;
    const bindings = (nat.bindings ??= new Map());
    let pub = bindings.get(to);
    if (pub === undefined) {
      const [ip, port] = nat.pub.split(":");
      pub = `${ip}:${+port + bindings.size}`;
      bindings.set(to, pub);
    }
    return pub;
  }
  // Whether the NAT owns public address `to`, and lets in a packet from `from` there.
  private inbound(nat: Nat, to: string, from: string): "not-ours" | "filtered" | "in" {
    let owned: boolean;
    let opened: boolean; // the private host sent to `from` through this mapping
    if (nat.mapping == "address-and-port-dependent") {
      const bindings = [...(nat.bindings ?? new Map<string, string>()).entries()];
      owned = bindings.some(([, pub]) => pub == to);
      opened = bindings.some(([dest, pub]) => pub == to && dest == from);
    } else {
      owned = to == nat.pub;
      opened = nat.allowed.has(from);
    }
    if (!owned) return "not-ours";
    if (nat.filtering == "endpoint-independent" || opened) return "in";
    nat.filtered = (nat.filtered ?? 0) + 1;
    return "filtered";
  }
  deliver(p: Packet) {
    let to = p.to;
    if (this.nat) {
      if (to == this.nat.priv) return; // private address: unroutable from outside
      const verdict = this.inbound(this.nat, to, p.from);
      if (verdict == "filtered") return;
      if (verdict == "in") to = this.nat.priv;
    }
    const stun = this.stunServers.get(to);
    if (stun) {
      const answer = stun.answer(p.from, p.data);
      if (answer) this.send(to, p.from, answer);
      return;
    }
    const a = this.hosts.get(to);
    if (a && p.data[0] == DATA) this.delivered.push({ at: this.now, from: p.from, to });
    else if (a) a.input(p.data, to, p.from, this.now);
  }
  agents(): NetAgent[] {
    return [...new Set(this.hosts.values())];
  }
  run(until: number, stop?: () => boolean) {
    const agents = this.agents();
    for (let guard = 0; guard < 200000; guard++) {
      for (const a of agents) a.drain(this.now, (f, t, d) => this.send(f, t, d));
      if (stop && stop()) return;
      let next = Infinity;
      for (const a of agents) next = Math.min(next, a.deadline());
      for (const p of this.queue) next = Math.min(next, p.at);
      if (this.tick) next = Math.min(next, this.tick.next);
      if (next > until) {
        this.now = until;
        return;
      }
      // a deadline already passed means "now" (API calls without a time, e.g. resolve(), can do that)
      this.now = Math.max(this.now, next);
      const due = this.queue.filter((p) => p.at <= this.now);
      this.queue = this.queue.filter((p) => p.at > this.now);
      for (const p of due) this.deliver(p);
      if (this.tick && this.tick.next <= this.now) {
        this.tick.next = this.now + this.tick.every;
        this.tick.fn();
      }
      for (const a of agents) if (a.deadline() <= this.now) a.timeout(this.now);
    }
    assert.fail("simulation did not settle (busy loop?)");
  }
}

export function pair(e: Entry, tbA = 10n, tbB = 20n, ctlA = true, ctlB = false) {
  const a = new Agent(e, "A", ctlA, "ufA1", "passwordA-0123456789ab", tbA);
  const b = new Agent(e, "B", ctlB, "ufB2", "passwordB-0123456789ab", tbB);
  a.setRemote(b);
  b.setRemote(a);
  return { a, b };
}

// Two agents (as pair() makes them) on a fresh network at 192.0.2.1:1000 and 192.0.2.2:2000,
// their host candidates signalled both ways; nothing has run yet.
export function signalledPair(e: Entry, seed: number, tbA = 10n, tbB = 20n, ctlA = true, ctlB = false) {
  const net = new Net(seed);
  const { a, b } = pair(e, tbA, tbB, ctlA, ctlB);
  net.attach(a, "192.0.2.1:1000");
  net.attach(b, "192.0.2.2:2000");
  signal(a, b);
  signal(b, a);
  return { net, a, b };
}

// Sends one datagram of application data on the agent's selected pair, if it has one.
export function sendData(net: Net, a: EventLog) {
  const p = a.selectedPair();
  if (p) net.send(p[0], p[1], new Uint8Array([DATA, 0, 0, 0]));
}

export function signal(from: Peer, to: Peer) {
  from.drain(0, () => {});
  for (const c of from.localCandidates) assert.ok(to.addRemote(c), c);
}

export const bothConnected = (a: { state: number }, b: { state: number }) => () => a.state == STATE.Connected && b.state == STATE.Connected;
