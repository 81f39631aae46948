// The TURN client (RFC 8656) against a simulated TURN server on a virtual network and clock: allocate with
// the 401 flow, stale nonces, permissions, channels, refresh timers (with a shortened permission lifetime),
// deallocation, TCP framing, relay-only ICE between two agents, and hostile input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadEntry, PROVIDERS, type Entry } from "../helpers/entry.js";
import { TurnSim, buildStun, parseStun, M, C, A, xorAddr } from "../helpers/turn_sim.js";
import { encodeAddr, decodeAddrKey } from "../../host/net.js";
import { pollTurnClient, type RelayedData } from "../helpers/turn_entry.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const STATE = { Connected: 2 };
const TURN = { Idle: 0, Allocating: 1, Allocated: 2, Closing: 3, Closed: 4, Failed: 5 };
// turn_stat numbering (test/core/entry_turn.ts)
const S = { notTurn: 0, malformed: 1, badIntegrity: 2, unmatched: 3, unknownChannel: 4, unknownPeer: 5, droppedReceived: 6, droppedSends: 7, authRetries: 8, staleNonces: 9, refreshes: 10, permissionRequests: 11, channelBindRequests: 12, sendIndications: 13, channelDataSent: 14, dataIndications: 15, channelDataReceived: 16, streamBroken: 17 };
const CFG = { requestedLifetime: 0, permissionLifetime: 1, channelLifetime: 2, retryAfter: 3, autoChannelBind: 4, maxReceived: 5, maxStreamMessage: 8 };

interface Actor {
  deadline(): number;
  timeout(now: number): void;
  drain(now: number): void;
}

interface Packet { at: number; from: string; to: string; data: Uint8Array }

class Net {
  now = 0;
  queue: Packet[] = [];
  endpoints = new Map<string, (data: Uint8Array, to: string, from: string) => void>();
  actors: Actor[] = [];
  sims: TurnSim[] = [];
  delivered = 0;
  send(from: string, to: string, data: Uint8Array) {
    this.queue.push({ at: this.now + 5, from, to, data: data.slice() });
  }
  private deliver(p: Packet) {
    this.delivered++;
    for (const s of this.sims) {
      if (s.owns(p.to)) {
        s.now = this.now;
        s.receive(p.to, p.from, p.data);
        return;
      }
    }
    this.endpoints.get(p.to)?.(p.data, p.to, p.from);
  }
  run(until: number, stop?: () => boolean) {
    for (let guard = 0; guard < 500000; guard++) {
      for (const a of this.actors) a.drain(this.now);
      if (stop && stop()) return;
      let next = Infinity;
      for (const a of this.actors) next = Math.min(next, a.deadline());
      for (const p of this.queue) next = Math.min(next, p.at);
      if (next > until) {
        this.now = until;
        return;
      }
      this.now = Math.max(this.now, next);
      const due = this.queue.filter((p) => p.at <= this.now);
      this.queue = this.queue.filter((p) => p.at > this.now);
      for (const p of due) this.deliver(p);
      for (const a of this.actors) if (a.deadline() <= this.now) a.timeout(this.now);
    }
    assert.fail("simulation did not settle");
  }
}

const big = (d: bigint) => (d > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(d));

// A bare TurnClient at `addr` talking to `server`.
class Client implements Actor {
  h: number;
  events: string[] = [];
  data: RelayedData[] = [];
  out: Uint8Array[] = [];
  constructor(public e: Entry, public net: Net, public addr: string, public server: string, user = "alice", pass = "secret", stream = false) {
    const u = e.put(enc.encode(user)), p = e.put(enc.encode(pass));
    this.h = e.x.turn_new(u, user.length, p, pass.length, stream ? 1 : 0);
    e.free(u, p);
    net.actors.push(this);
    net.endpoints.set(addr, (d) => this.input(d, net.now));
  }
  config(which: number, v: number) {
    this.e.x.turn_set_config(this.h, which, BigInt(v));
  }
  input(d: Uint8Array, now: number) {
    const p = this.e.put(d);
    this.e.x.turn_input(this.h, p, d.length, BigInt(now));
    this.e.free(p);
  }
  inputStream(d: Uint8Array, now: number): boolean {
    const p = this.e.put(d);
    const r = this.e.x.turn_input_stream(this.h, p, d.length, BigInt(now));
    this.e.free(p);
    return r == 1;
  }
  withAddr<T>(key: string, f: (a: number) => T): T {
    const a = this.e.put(encodeAddr(key));
    try { return f(a); } finally { this.e.free(a); }
  }
  allocate() { this.e.x.turn_allocate(this.h, BigInt(this.net.now)); }
  permit(peer: string) { return this.withAddr(peer, (a) => this.e.x.turn_create_permission(this.h, a, BigInt(this.net.now)) == 1); }
  bind(peer: string) { return this.withAddr(peer, (a) => this.e.x.turn_bind_channel(this.h, a, BigInt(this.net.now)) == 1); }
  send(peer: string, text: string | Uint8Array) {
    const d = typeof text == "string" ? enc.encode(text) : text;
    const p = this.e.put(d);
    const r = this.withAddr(peer, (a) => this.e.x.turn_send(this.h, a, p, d.length, BigInt(this.net.now)));
    this.e.free(p);
    return r == 1;
  }
  close() { this.e.x.turn_close(this.h, BigInt(this.net.now)); }
  deadline() { return big(this.e.x.turn_next_deadline(this.h)); }
  timeout(now: number) { this.e.x.turn_handle_timeout(this.h, BigInt(now)); }
  stat(i: number): number { return this.e.x.turn_stat(this.h, i); }
  get state(): number { return this.e.x.turn_state(this.h); }
  drain(now: number) {
    const buf = this.e.alloc(4096);
    for (;;) {
      const n = this.e.x.turn_poll_transmit(this.h, buf, 4096);
      if (n < 0) break;
      const d = this.e.get(buf, n);
      this.out.push(d);
      this.net.send(this.addr, this.server, d);
    }
    this.e.free(buf);
    pollTurnClient(this.e, this.h, this.events, this.data);
  }
  relayed(): string {
    const ev = this.events.find((e) => e.startsWith("allocated "));
    assert.ok(ev, JSON.stringify(this.events));
    return ev.split(" ")[1];
  }
}

// A plain UDP peer on the virtual network: records what reaches it, can send.
class Peer {
  got: { from: string; text: string; at: number }[] = [];
  constructor(public net: Net, public addr: string) {
    net.endpoints.set(addr, (d, _to, from) => this.got.push({ from, text: dec.decode(d), at: net.now }));
  }
  send(to: string, text: string) {
    this.net.send(this.addr, to, enc.encode(text));
  }
}

// An IceTransport (agent + TURN client) with host sockets on the virtual network.
class Ice implements Actor {
  h: number;
  events: string[] = [];
  app: { local: string; remote: string; text: string }[] = [];
  constructor(public e: Entry, public net: Net, controlling: boolean, public ufrag: string, public pwd: string, tb: bigint) {
    const u = e.put(enc.encode(ufrag)), p = e.put(enc.encode(pwd));
    this.h = e.x.it_new(controlling ? 1 : 0, u, ufrag.length, p, pwd.length, tb);
    e.free(u, p);
    net.actors.push(this);
  }
  socket(addr: string) {
    this.net.endpoints.set(addr, (d, to, from) => {
      const p = this.e.put(d), l = this.e.put(encodeAddr(to)), r = this.e.put(encodeAddr(from));
      this.e.x.it_input(this.h, p, d.length, l, r, BigInt(this.net.now));
      this.e.free(p, l, r);
    });
  }
  addHost(addr: string) {
    this.socket(addr);
    const a = this.e.put(encodeAddr(addr));
    this.e.x.it_add_host(this.h, a);
    this.e.free(a);
  }
  addTurn(local: string, server: string, user: string, pass: string, cfg: [number, number][] = []) {
    for (const [w, v] of cfg) this.e.x.it_turn_config(w, BigInt(v));
    const l = this.e.put(encodeAddr(local)), s = this.e.put(encodeAddr(server));
    const u = this.e.put(enc.encode(user)), p = this.e.put(enc.encode(pass));
    const i = this.e.x.it_add_turn(this.h, l, s, u, user.length, p, pass.length, BigInt(this.net.now));
    this.e.free(l, s, u, p);
    return i;
  }
  setRemote(o: Ice) {
    const u = this.e.put(enc.encode(o.ufrag)), p = this.e.put(enc.encode(o.pwd));
    this.e.x.it_set_remote(this.h, u, o.ufrag.length, p, o.pwd.length);
    this.e.free(u, p);
  }
  addRemote(line: string) {
    const b = enc.encode(line);
    const p = this.e.put(b);
    const r = this.e.x.it_add_remote(this.h, p, b.length);
    this.e.free(p);
    return r == 1;
  }
  send(text: string) {
    const d = enc.encode(text);
    const p = this.e.put(d);
    const r = this.e.x.it_send(this.h, p, d.length, BigInt(this.net.now));
    this.e.free(p);
    return r == 1;
  }
  close() { this.e.x.it_close(this.h, BigInt(this.net.now)); }
  deadline() { return big(this.e.x.it_next_deadline(this.h)); }
  timeout(now: number) { this.e.x.it_handle_timeout(this.h, BigInt(now)); }
  get state(): number { return this.e.x.it_state(this.h); }
  turnStat(i: number, which: number): number { return this.e.x.it_turn_stat(this.h, i, which); }
  drain(_now: number) {
    const addrs = this.e.alloc(39), buf = this.e.alloc(4096);
    for (;;) {
      const n = this.e.x.it_poll_transmit(this.h, addrs, buf, 4096);
      if (n < 0) break;
      const a = this.e.get(addrs, 39);
      this.net.send(decodeAddrKey(a.subarray(0, 19)), decodeAddrKey(a.subarray(19, 38)), this.e.get(buf, n));
    }
    for (;;) {
      const n = this.e.x.it_poll_event(this.h, buf, 4096);
      if (n < 0) break;
      this.events.push(dec.decode(this.e.get(buf, n)));
    }
    for (;;) {
      const n = this.e.x.it_poll_app(this.h, addrs, buf, 4096);
      if (n < 0) break;
      const a = this.e.get(addrs, 38);
      this.app.push({ local: decodeAddrKey(a.subarray(0, 19)), remote: decodeAddrKey(a.subarray(19, 38)), text: dec.decode(this.e.get(buf, n)) });
    }
    this.e.free(addrs, buf);
  }
  candidates(): string[] {
    return this.events.filter((e) => e.startsWith("local ")).map((e) => e.slice(6));
  }
}

const SERVER = "198.51.100.1:3478";
const CLIENT = "10.0.0.1:5000";
const PEER = "192.0.2.7:7000";

function setup(e: Entry) {
  const net = new Net();
  const sim = new TurnSim(SERVER, "198.51.100.1", "example.org", { alice: "secret", bob: "hunter2" }, (f, t, d) => net.send(f, t, d));
  net.sims.push(sim);
  const c = new Client(e, net, CLIENT, SERVER);
  return { net, sim, c };
}

for (const provider of PROVIDERS) {
  const e = loadEntry("entry_turn", provider);

  test(`[${provider}] allocate: 401 with REALM/NONCE, retried with long-term credentials; relayed and mapped addresses`, () => {
    const { net, sim, c } = setup(e);
    c.allocate();
    net.run(2000, () => c.state == TURN.Allocated);
    assert.equal(c.state, TURN.Allocated);
    assert.deepEqual(sim.log, ["Allocate 401", "Allocate"]);
    assert.equal(c.events[0], `allocated 198.51.100.1:50000 ${CLIENT} 600000`);
    assert.equal(c.stat(S.authRetries), 1);
    // the first request carried REQUESTED-TRANSPORT UDP and no credentials; the retry was signed
    const first = parseStun(c.out[0])!, second = parseStun(c.out[1])!;
    assert.equal(first.method, M.Allocate);
    assert.equal(first.attrs.find((a) => a.type == A.RequestedTransport)!.value[0], 17);
    assert.ok(!first.attrs.some((a) => a.type == A.MessageIntegrity));
    assert.ok(second.attrs.some((a) => a.type == A.MessageIntegrity));
    assert.equal(second.attrs.find((a) => a.type == A.Username)!.value.toString(), "alice");
  });

  test(`[${provider}] allocate with a wrong password fails with 401; a silent server times out`, () => {
    const { net, sim } = setup(e);
    const bad = new Client(e, net, "10.0.0.9:5000", SERVER, "alice", "wrong");
    bad.allocate();
    net.run(5000);
    assert.equal(bad.state, TURN.Failed);
    assert.ok(bad.events.includes("failed 401"), JSON.stringify(bad.events));
    assert.equal(sim.stats.badIntegrity, 1);
    const lost = new Client(e, net, "10.0.0.8:5000", "198.51.100.99:3478");
    lost.allocate();
    net.run(net.now + 60000);
    assert.equal(lost.state, TURN.Failed);
    assert.ok(lost.events.includes("failed 0"));
    assert.equal(lost.out.length, 7, "Rc = 7 transmissions");
  });

  test(`[${provider}] permission, Send/Data indications, then a channel: ChannelData both ways`, () => {
    const { net, sim, c } = setup(e);
    const peer = new Peer(net, PEER);
    c.config(CFG.autoChannelBind, 0);
    c.allocate();
    net.run(1000, () => c.state == TURN.Allocated);
    const relay = c.relayed();
    // before the permission exists the packet waits; it goes once the permission is installed
    assert.ok(c.send(PEER, "hello via send indication"));
    net.run(net.now + 500);
    assert.ok(c.events.includes(`permission ${PEER}`));
    assert.deepEqual(peer.got.map((g) => [g.from, g.text]), [[relay, "hello via send indication"]]);
    peer.send(relay, "hello back via data indication");
    net.run(net.now + 500);
    assert.deepEqual(c.data, [{ peer: PEER, text: "hello back via data indication", channel: false }]);
    assert.equal(c.stat(S.sendIndications), 1);
    assert.equal(c.stat(S.dataIndications), 1);
    // a channel
    assert.ok(c.bind(PEER));
    net.run(net.now + 500);
    assert.ok(c.events.includes(`channel 4000 ${PEER}`), JSON.stringify(c.events));
    c.send(PEER, "abc"); // 3 bytes: over UDP no padding
    net.run(net.now + 100);
    assert.equal(peer.got.at(-1)!.text, "abc");
    assert.equal(c.out.at(-1)!.length, 7);
    assert.deepEqual([...c.out.at(-1)!.subarray(0, 4)], [0x40, 0x00, 0x00, 0x03]);
    peer.send(relay, "over the channel");
    net.run(net.now + 100);
    assert.deepEqual(c.data.at(-1), { peer: PEER, text: "over the channel", channel: true });
    assert.ok(sim.log.includes("ChannelData"));
    assert.equal(c.stat(S.channelDataSent), 1);
    assert.equal(c.stat(S.channelDataReceived), 1);
  });

  test(`[${provider}] a peer without a permission is not heard (the server drops it)`, () => {
    const { net, sim, c } = setup(e);
    c.allocate();
    net.run(1000, () => c.state == TURN.Allocated);
    const stranger = new Peer(net, "192.0.2.66:6666");
    stranger.send(c.relayed(), "let me in");
    net.run(net.now + 200);
    assert.equal(c.data.length, 0);
    assert.equal(sim.stats.droppedNoPermission, 1);
  });

  test(`[${provider}] refresh timers on a virtual clock: allocation, a shortened permission lifetime, channels`, () => {
    const { net, sim, c } = setup(e);
    sim.permissionLifetime = 10000;
    sim.channelLifetime = 20000;
    c.config(CFG.requestedLifetime, 60);
    c.config(CFG.permissionLifetime, 10000);
    c.config(CFG.channelLifetime, 20000);
    c.config(CFG.autoChannelBind, 0);
    const peer = new Peer(net, PEER);
    c.allocate();
    net.run(1000, () => c.state == TURN.Allocated);
    const relay = c.relayed();
    c.permit(PEER);
    net.run(net.now + 200);
    // the peer talks once a second for 5 minutes: not one packet may meet an expired permission
    const start = net.now;
    for (let t = 1000; t <= 300000; t += 1000) {
      net.run(start + t);
      peer.send(relay, `tick ${t}`);
    }
    net.run(net.now + 100);
    assert.equal(c.data.length, 300);
    assert.equal(sim.stats.droppedNoPermission, 0);
    // allocation: 60 s, refreshed 12 s early -> every 48 s; permission: 10 s -> every 8 s
    assert.ok(c.stat(S.refreshes) >= 6, `refreshes ${c.stat(S.refreshes)}`);
    assert.ok(c.stat(S.permissionRequests) >= 37, `permission requests ${c.stat(S.permissionRequests)}`);
    assert.equal(sim.log.filter((l) => l == "Refresh").length, c.stat(S.refreshes));
    assert.equal(c.state, TURN.Allocated);
    // channel: 20 s lifetime, re-bound every 16 s, data keeps flowing on it
    c.bind(PEER);
    net.run(net.now + 100000);
    peer.send(relay, "still bound");
    net.run(net.now + 100);
    assert.deepEqual(c.data.at(-1), { peer: PEER, text: "still bound", channel: true });
    assert.ok(c.stat(S.channelBindRequests) >= 6, `bind requests ${c.stat(S.channelBindRequests)}`);
  });

  test(`[${provider}] the embedded-stack bug this guards against: a client assuming 300 s while the server uses 10 s loses the peer`, () => {
    const { net, sim, c } = setup(e);
    sim.permissionLifetime = 10000;
    const peer = new Peer(net, PEER);
    c.allocate();
    net.run(1000, () => c.state == TURN.Allocated);
    c.permit(PEER);
    net.run(net.now + 200);
    const relay = c.relayed();
    for (let i = 0; i < 30; i++) {
      net.run(net.now + 1000);
      peer.send(relay, "tick");
    }
    net.run(net.now + 100);
    assert.ok(sim.stats.droppedNoPermission > 0);
    assert.ok(c.data.length < 30);
  });

  test(`[${provider}] stale nonce (438) on a refresh: retried with the new nonce, allocation kept`, () => {
    const { net, sim, c } = setup(e);
    c.config(CFG.requestedLifetime, 30);
    c.allocate();
    net.run(1000, () => c.state == TURN.Allocated);
    sim.staleNonce();
    net.run(net.now + 30000);
    assert.equal(c.state, TURN.Allocated);
    assert.equal(c.stat(S.staleNonces), 1);
    assert.ok(sim.log.includes("Refresh 438"));
    assert.equal(sim.log.at(-1), "Refresh");
    assert.equal(sim.allocations.size, 1);
  });

  test(`[${provider}] close: Refresh with LIFETIME 0 deallocates, every timer stops`, () => {
    const { net, sim, c } = setup(e);
    c.allocate();
    net.run(1000, () => c.state == TURN.Allocated);
    c.permit(PEER);
    c.bind(PEER);
    net.run(net.now + 200);
    assert.equal(sim.allocations.size, 1);
    c.close();
    net.run(net.now + 1000);
    assert.equal(c.state, TURN.Closed);
    assert.ok(c.events.includes("closed"));
    assert.equal(sim.allocations.size, 0);
    const last = parseStun(c.out.at(-1)!)!;
    assert.equal(last.method, M.Refresh);
    assert.equal(last.attrs.find((a) => a.type == A.Lifetime)!.value.readUInt32BE(0), 0);
    assert.equal(c.deadline(), Infinity);
  });

  test(`[${provider}] TURN over TCP: messages split across reads and several per read; ChannelData padded to 4`, () => {
    const net = new Net();
    const sim = new TurnSim(SERVER, "198.51.100.1", "example.org", { alice: "secret" }, (f, t, d) => {
      if (t == CLIENT) stream.push(d);
      else net.send(f, t, d);
    });
    const stream: Uint8Array[] = [];
    net.sims.push(sim);
    const c = new Client(e, net, CLIENT, SERVER, "alice", "secret", true);
    const peer = new Peer(net, PEER);
    // the server's bytes reach the client in odd-sized pieces: 1, 2, 3, ... 17 bytes, then again
    let size = 1;
    const feed = () => {
      const all = Buffer.concat(stream.splice(0));
      for (let at = 0; at < all.length; ) {
        const n = Math.min(size, all.length - at);
        assert.ok(c.inputStream(all.subarray(at, at + n), net.now));
        at += n;
        size = size >= 17 ? 1 : size + 1;
      }
    };
    net.actors.push({ deadline: () => (stream.length ? net.now : Infinity), timeout: () => feed(), drain: () => feed() });
    c.allocate();
    net.run(2000, () => c.state == TURN.Allocated);
    assert.equal(c.state, TURN.Allocated);
    const relay = c.relayed();
    c.bind(PEER);
    net.run(net.now + 200);
    c.send(PEER, "abcde"); // 5 bytes -> 4 + 5 + 3 padding
    net.run(net.now + 100);
    assert.equal(peer.got.at(-1)!.text, "abcde");
    const cd = c.out.at(-1)!;
    assert.equal(cd.length, 12);
    assert.deepEqual([...cd.subarray(9)], [0, 0, 0]);
    // several messages in one read: the server coalesces three Data indications (no channel yet for
    // this peer) and a ChannelData, fed in one piece
    const other = new Peer(net, "198.51.100.200:9000");
    c.permit("198.51.100.200:9000");
    net.run(net.now + 100);
    size = 100000;
    for (const t of ["one", "two", "three"]) other.send(relay, t);
    peer.send(relay, "four");
    net.run(net.now + 100);
    assert.deepEqual(c.data.slice(-4).map((d) => d.text), ["one", "two", "three", "four"]);
    assert.equal(c.stat(S.streamBroken), 0);
    // no retransmissions over a reliable transport
    assert.equal(c.out.filter((o) => parseStun(o)?.method == M.Allocate).length, 2);
  });

  test(`[${provider}] stream framer: partial headers, coalesced frames, oversized messages skipped, garbage breaks the stream`, () => {
    const h = e.x.framer_new(128);
    const out = e.alloc(256);
    const push = (b: Uint8Array) => { const p = e.put(b); const n = e.x.framer_push(h, p, b.length); e.free(p); return n; };
    const next = () => { const n = e.x.framer_next(h, out, 256); return n < 0 ? n : e.get(out, n); };
    const stun = buildStun(M.Binding, C.Success, Buffer.alloc(12, 1), [[A.XorMappedAddress, xorAddr("1.2.3.4:5", Buffer.alloc(12))]]);
    const chan = Buffer.from([0x40, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0]);
    const all = Buffer.concat([stun, chan, stun]);
    for (let i = 0; i < all.length; i++) assert.equal(push(all.subarray(i, i + 1)), 1);
    assert.deepEqual(next(), new Uint8Array(stun));
    assert.deepEqual(next(), new Uint8Array(chan.subarray(0, 9)));
    assert.deepEqual(next(), new Uint8Array(stun));
    assert.equal(next(), -1);
    // a 1000-byte ChannelData does not fit 128 bytes: skipped, and what follows still frames
    const huge = Buffer.alloc(1004);
    huge.writeUInt16BE(0x4002, 0);
    huge.writeUInt16BE(1000, 2);
    let rest = Buffer.concat([huge, chan]);
    while (rest.length) {
      const n = push(rest);
      rest = rest.subarray(n);
      while (next() instanceof Uint8Array);
    }
    assert.equal(e.x.framer_oversized(h), 1);
    push(chan);
    assert.deepEqual(next(), new Uint8Array(chan.subarray(0, 9)));
    push(Buffer.from([0x99, 0, 0, 0, 1, 2, 3, 4]));
    assert.equal(next(), -3);
    e.free(out);
  });

  test(`[${provider}] relay-only ICE: two agents connect through the TURN server, data passes both ways`, () => {
    const net = new Net();
    const sim = new TurnSim(SERVER, "198.51.100.1", "example.org", { alice: "secret", bob: "hunter2" }, (f, t, d) => net.send(f, t, d));
    net.sims.push(sim);
    const a = new Ice(e, net, true, "ufA1", "passwordA-0123456789ab", 10n);
    const b = new Ice(e, net, false, "ufB2", "passwordB-0123456789ab", 20n);
    a.setRemote(b);
    b.setRemote(a);
    // host sockets exist (the TURN traffic uses them) but are not offered: relay-only policy
    a.socket("10.0.0.1:5000");
    b.socket("10.0.0.2:6000");
    a.addTurn("10.0.0.1:5000", SERVER, "alice", "secret");
    b.addTurn("10.0.0.2:6000", SERVER, "bob", "hunter2");
    net.run(2000, () => a.candidates().some((c) => c.includes("typ relay")) && b.candidates().some((c) => c.includes("typ relay")));
    const relayA = a.candidates().find((c) => c.includes("typ relay"))!;
    const relayB = b.candidates().find((c) => c.includes("typ relay"))!;
    assert.match(relayA, /^candidate:\d+ 1 udp \d+ 198\.51\.100\.1 5000\d typ relay raddr 10\.0\.0\.1 rport 5000$/);
    for (const c of a.candidates()) assert.ok(b.addRemote(c));
    for (const c of b.candidates()) assert.ok(a.addRemote(c));
    net.run(net.now + 10000, () => a.state == STATE.Connected && b.state == STATE.Connected);
    assert.equal(a.state, STATE.Connected);
    assert.equal(b.state, STATE.Connected);
    const addrA = relayA.split(" ")[4] + ":" + relayA.split(" ")[5];
    const addrB = relayB.split(" ")[4] + ":" + relayB.split(" ")[5];
    assert.ok(a.events.includes(`selected ${addrA} ${addrB}`), JSON.stringify(a.events));
    // data both ways, through the relay
    assert.ok(a.send("ping from A"));
    assert.ok(b.send("pong from B"));
    net.run(net.now + 500);
    assert.deepEqual(b.app, [{ local: addrB, remote: addrA, text: "ping from A" }]);
    assert.deepEqual(a.app, [{ local: addrA, remote: addrB, text: "pong from B" }]);
    assert.ok(sim.stats.relayedToPeer >= 4);
    // consent checks keep going through the relay; channels got bound on the way
    net.run(net.now + 60000);
    assert.equal(a.state, STATE.Connected);
    assert.ok(sim.log.includes("ChannelBind") && sim.log.includes("ChannelData"));
    assert.ok(a.turnStat(0, S.channelDataSent) > 0);
    // closing deallocates
    a.close();
    b.close();
    net.run(net.now + 2000);
    assert.equal(sim.allocations.size, 0);
  });

  test(`[${provider}] hostile input: garbage floods, wrong integrity, unbound channels, unknown peers — counted and dropped`, () => {
    const { net, sim, c } = setup(e);
    c.config(CFG.maxReceived, 16);
    c.allocate();
    net.run(1000, () => c.state == TURN.Allocated);
    // a forged success response to the CreatePermission, signed with the wrong key
    c.permit(PEER);
    c.drain(net.now);
    const req = parseStun(c.out.at(-1)!)!;
    assert.equal(req.method, M.CreatePermission);
    c.input(buildStun(M.CreatePermission, C.Success, req.tid, [], Buffer.alloc(16, 9)), net.now);
    assert.equal(c.stat(S.badIntegrity), 1);
    net.run(net.now + 200);
    assert.ok(c.events.includes(`permission ${PEER}`), "the real response still counts");
    // garbage
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < 3000; i++) {
      const d = new Uint8Array(1 + Math.floor(rnd() * 80)).map(() => Math.floor(rnd() * 256));
      if (i % 3 == 0) d[0] = 0x40 + (i % 16); // ChannelData-looking
      c.input(d, net.now);
    }
    assert.ok(c.stat(S.notTurn) + c.stat(S.malformed) + c.stat(S.unknownChannel) > 2000);
    // ChannelData on a channel never bound
    c.input(new Uint8Array([0x4a, 0xbc, 0, 2, 1, 2]), net.now);
    assert.ok(c.stat(S.unknownChannel) >= 1);
    // a Data indication from a peer without a permission
    const tid = Buffer.alloc(12, 3);
    const before = c.data.length;
    c.input(buildStun(M.Data, C.Indication, tid, [[A.XorPeerAddress, xorAddr("203.0.113.5:1", tid)], [A.Data, Buffer.from("x")]]), net.now);
    assert.equal(c.data.length, before);
    assert.ok(c.stat(S.unknownPeer) >= 1);
    // a flood of genuine Data indications: the receive queue is bounded
    for (let i = 0; i < 1000; i++) c.input(buildStun(M.Data, C.Indication, tid, [[A.XorPeerAddress, xorAddr(PEER, tid)], [A.Data, Buffer.from("flood")]]), net.now);
    assert.ok(c.stat(S.droppedReceived) >= 1000 - 16);
    c.drain(net.now);
    // responses to nothing
    c.input(buildStun(M.Refresh, C.Success, Buffer.alloc(12, 5), []), net.now);
    assert.ok(c.stat(S.unmatched) >= 1);
    // still working
    net.run(net.now + 100000);
    assert.equal(c.state, TURN.Allocated);
    assert.equal(sim.allocations.size, 1);
  });
}
