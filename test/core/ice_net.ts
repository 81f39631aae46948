// The ICE tests' virtual world: agents behind the entry_ice handles, a seeded lossy network with
// an optional NAT, and a virtual clock; shared by ice.test.ts and ice_restart.test.ts.
import assert from "node:assert/strict";
import type { Entry } from "../helpers/entry.js";

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

export class Agent {
  h: number;
  events: string[] = [];
  stateLog: [number, number][] = [];
  localCandidates: string[] = [];
  selectedLog: [number, string][] = [];
  constructor(public e: Entry, public name: string, controlling: boolean, public ufrag: string, public pwd: string, tieBreaker: bigint) {
    const u = e.put(enc.encode(ufrag)), p = e.put(enc.encode(pwd));
    this.h = e.x.ice_new(controlling ? 1 : 0, u, ufrag.length, p, pwd.length, tieBreaker);
    e.free(u, p);
  }
  config(which: number, v: number) {
    this.e.x.ice_set_config(this.h, which, BigInt(v));
  }
  setRemote(o: Agent) {
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
      const ev = dec.decode(this.e.get(text, n));
      this.events.push(ev);
      if (ev.startsWith("state ")) this.stateLog.push([now, +ev.slice(6)]);
      if (ev.startsWith("local ")) this.localCandidates.push(ev.slice(6));
      if (ev.startsWith("selected ")) this.selectedLog.push([now, ev]);
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

export interface Packet { at: number; from: string; to: string; data: Uint8Array }

// Application data (not STUN: the first byte has its top bits set, RFC 7983), as the test's
// stand-in for DTLS/SRTP on the selected pair.
export const DATA = 0xda;
export interface Delivery { at: number; from: string; to: string }

// A virtual network: public addresses deliver directly; a NAT maps one private address to a
// public one with endpoint-independent mapping and address-and-port-dependent filtering.
export class Net {
  now = 0;
  queue: Packet[] = [];
  hosts = new Map<string, Agent>();
  nat: { priv: string; pub: string; allowed: Set<string> } | null = null;
  loss = 0;
  cut = false;
  // application data delivered, and a periodic callback (e.g. sending data on the selected pair)
  delivered: Delivery[] = [];
  tick: { every: number; next: number; fn: () => void } | null = null;
  rnd: () => number;
  constructor(seed = 1) {
    this.rnd = prng(seed);
  }
  attach(a: Agent, key: string) {
    this.hosts.set(key, a);
    assert.ok(a.addHost(key));
  }
  send(from: string, to: string, data: Uint8Array) {
    if (this.cut || this.rnd() < this.loss) return;
    if (this.nat && from == this.nat.priv) {
      this.nat.allowed.add(to);
      from = this.nat.pub;
    }
    this.queue.push({ at: this.now + 10 + Math.floor(this.rnd() * 20), from, to, data });
  }
  deliver(p: Packet) {
    let to = p.to;
    if (this.nat && to == this.nat.pub) {
      if (!this.nat.allowed.has(p.from)) return; // filtered
      to = this.nat.priv;
    } else if (this.nat && to == this.nat.priv) return; // private address: unroutable from outside
    const a = this.hosts.get(to);
    if (a && p.data[0] == DATA) this.delivered.push({ at: this.now, from: p.from, to });
    else if (a) a.input(p.data, to, p.from, this.now);
  }
  agents(): Agent[] {
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

// Sends one datagram of application data on the agent's selected pair, if it has one.
export function sendData(net: Net, a: Agent) {
  const p = a.selectedPair();
  if (p) net.send(p[0], p[1], new Uint8Array([DATA, 0, 0, 0]));
}

export function signal(from: Agent, to: Agent) {
  from.drain(0, () => {});
  for (const c of from.localCandidates) assert.ok(to.addRemote(c), c);
}

export const bothConnected = (a: Agent, b: Agent) => () => a.state == STATE.Connected && b.state == STATE.Connected;
