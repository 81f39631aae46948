// The TURN client and ICE transport against a REAL coturn on loopback (started and stopped here):
// allocate (401 flow), permissions, Send/Data indications, channels, refreshes with shortened
// permission/channel/allocation lifetimes and stale nonces, relay-only ICE between two agents over
// UDP, TCP and TLS (turns:) with data both ways, TLS certificate checks (CA and host name), STUN
// server-reflexive discovery, and hostile input.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createSocket, type Socket } from "node:dgram";
import { startCoturn, type Coturn } from "../helpers/coturn.js";
import { loadEntry, type Entry } from "../helpers/entry.js";
import { buildStun, M, C, A, xorAddr } from "../helpers/turn_sim.js";
import { IceNet, ICE_STATE, encodeAddr, loadTurnEntry, openTurnStream } from "../../host/net.js";
import { pollTurnClient, type RelayedData } from "../helpers/turn_entry.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const TURN = { Allocated: 2, Closed: 4, Failed: 5 };
const S = { notTurn: 0, malformed: 1, badIntegrity: 2, unmatched: 3, unknownChannel: 4, unknownPeer: 5, authRetries: 8, staleNonces: 9, refreshes: 10, permissionRequests: 11, channelBindRequests: 12, sendIndications: 13, channelDataSent: 14, dataIndications: 15, channelDataReceived: 16 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(pred: () => boolean, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function udp(): Promise<Socket> {
  const s = createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
  return s;
}

// A bare TurnClient on a real UDP socket, driven in real time.
class RealTurn {
  h: number;
  events: string[] = [];
  data: RelayedData[] = [];
  private timer: NodeJS.Timeout | null = null;
  private t0 = Date.now();
  constructor(public e: Entry, public sock: Socket, public serverPort: number, user: string, pass: string, cfg: [number, number][] = []) {
    const u = e.put(enc.encode(user)), p = e.put(enc.encode(pass));
    this.h = e.x.turn_new(u, user.length, p, pass.length, 0);
    e.free(u, p);
    for (const [w, v] of cfg) e.x.turn_set_config(this.h, w, BigInt(v));
    sock.on("message", (m, r) => {
      if (r.port != serverPort) return;
      this.input(m);
    });
  }
  now() { return BigInt(Date.now() - this.t0); }
  input(m: Uint8Array) {
    const p = this.e.put(m);
    this.e.x.turn_input(this.h, p, m.length, this.now());
    this.e.free(p);
    this.pump();
  }
  withAddr<T>(key: string, f: (a: number) => T): T {
    const a = this.e.put(encodeAddr(key));
    try { return f(a); } finally { this.e.free(a); }
  }
  allocate() { this.e.x.turn_allocate(this.h, this.now()); this.pump(); }
  permit(peer: string) { this.withAddr(peer, (a) => this.e.x.turn_create_permission(this.h, a, this.now())); this.pump(); }
  bind(peer: string) { this.withAddr(peer, (a) => this.e.x.turn_bind_channel(this.h, a, this.now())); this.pump(); }
  send(peer: string, text: string) {
    const d = enc.encode(text);
    const p = this.e.put(d);
    const r = this.withAddr(peer, (a) => this.e.x.turn_send(this.h, a, p, d.length, this.now()));
    this.e.free(p);
    this.pump();
    return r == 1;
  }
  close() { this.e.x.turn_close(this.h, this.now()); this.pump(); }
  stat(i: number): number { return this.e.x.turn_stat(this.h, i); }
  get state(): number { return this.e.x.turn_state(this.h); }
  relayed(): string { return this.events.find((e) => e.startsWith("allocated "))!.split(" ")[1]; }
  stop() { if (this.timer) clearTimeout(this.timer); this.timer = null; }
  pump() {
    const buf = this.e.alloc(4096);
    for (;;) {
      const n = this.e.x.turn_poll_transmit(this.h, buf, 4096);
      if (n < 0) break;
      this.sock.send(this.e.get(buf, n), this.serverPort, "127.0.0.1");
    }
    this.e.free(buf);
    pollTurnClient(this.e, this.h, this.events, this.data);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const d = this.e.x.turn_next_deadline(this.h) as bigint;
    if (d > BigInt(Number.MAX_SAFE_INTEGER)) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.e.x.turn_handle_timeout(this.h, this.now());
      this.pump();
    }, Math.max(0, Number(d - this.now())));
  }
}

let server: Coturn;
let short: Coturn;
const e = loadEntry("entry_turn", "pure");

before(async () => {
  server = await startCoturn({ users: { alice: "secret", bob: "hunter2" }, tls: true });
  // lifetimes shortened so refreshes happen within seconds (coturn 4.6 options)
  short = await startCoturn({ users: { alice: "secret" }, permissionLifetime: 4, channelLifetime: 5, maxAllocateLifetime: 6, staleNonce: 3 });
  console.log(`# coturn ${server.version}: turnserver ${server.args.join(" ")}`);
  console.log(`# shortened: turnserver ${short.args.join(" ")}`);
});

after(async () => {
  await server?.stop();
  await short?.stop();
});

test("coturn: allocate (401 flow), permission, Send/Data indications, channel bind, ChannelData both ways, deallocate", async () => {
  const sock = await udp(), peerSock = await udp();
  const peer = `127.0.0.1:${peerSock.address().port}`;
  const got: { from: string; text: string }[] = [];
  peerSock.on("message", (m, r) => got.push({ from: `${r.address}:${r.port}`, text: dec.decode(m) }));
  const c = new RealTurn(e, sock, server.port, "alice", "secret", [[4, 0]]);
  try {
    c.allocate();
    await until(() => c.state == TURN.Allocated || c.state == TURN.Failed, 5000, "allocation");
    assert.equal(c.state, TURN.Allocated, JSON.stringify(c.events));
    assert.equal(c.stat(S.authRetries), 1);
    assert.match(c.events[0], /^allocated 127\.0\.0\.1:\d+ 127\.0\.0\.1:\d+ \d+$/);
    const relay = c.relayed();
    assert.ok(c.send(peer, "via send indication"));
    await until(() => got.length == 1, 3000, "the peer to hear the Send indication");
    assert.deepEqual(got[0], { from: relay, text: "via send indication" });
    assert.ok(c.events.includes(`permission ${peer}`));
    peerSock.send("via data indication", +relay.split(":")[1], "127.0.0.1");
    await until(() => c.data.length == 1, 3000, "a Data indication");
    assert.deepEqual(c.data[0], { peer, text: "via data indication", channel: false });
    c.bind(peer);
    await until(() => c.events.some((ev) => ev.startsWith("channel 4000")), 3000, "the channel");
    c.send(peer, "via channel");
    await until(() => got.length == 2, 3000, "ChannelData to the peer");
    assert.equal(got[1].text, "via channel");
    peerSock.send("back via channel", +relay.split(":")[1], "127.0.0.1");
    await until(() => c.data.length == 2, 3000, "ChannelData from coturn");
    assert.deepEqual(c.data[1], { peer, text: "back via channel", channel: true });
    assert.equal(c.stat(S.channelDataSent), 1);
    assert.equal(c.stat(S.channelDataReceived), 1);
    // another port on the permitted IP: coturn relays it (permissions are per IP, RFC 8656 §9), and
    // the client reports it as coming from that address in a Data indication, not on the peer's channel
    const stranger = await udp();
    stranger.send("same IP, other port", +relay.split(":")[1], "127.0.0.1");
    await until(() => c.data.length == 3, 3000, "the other port's packet");
    assert.deepEqual(c.data[2], { peer: `127.0.0.1:${stranger.address().port}`, text: "same IP, other port", channel: false });
    stranger.close();
    c.close();
    await until(() => c.state == TURN.Closed, 3000, "deallocation");
    assert.ok(c.events.includes("closed"));
  } finally {
    c.stop();
    sock.close();
    peerSock.close();
  }
});

test("coturn: wrong password fails with 401; hostile input to a live client is counted and dropped", async () => {
  const s1 = await udp(), s2 = await udp();
  const bad = new RealTurn(e, s1, server.port, "alice", "wrong");
  const c = new RealTurn(e, s2, server.port, "alice", "secret");
  try {
    bad.allocate();
    c.allocate();
    await until(() => bad.state == TURN.Failed && c.state == TURN.Allocated, 5000, "both outcomes");
    assert.ok(bad.events.includes("failed 401"), JSON.stringify(bad.events));
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < 2000; i++) c.input(new Uint8Array(1 + Math.floor(rnd() * 100)).map(() => Math.floor(rnd() * 256)));
    c.input(new Uint8Array([0x4f, 0xff, 0, 1, 9, 0, 0, 0]));
    const tid = Buffer.alloc(12, 1);
    c.input(buildStun(M.Data, C.Indication, tid, [[A.XorPeerAddress, xorAddr("127.0.0.9:9", tid)], [A.Data, Buffer.from("x")]]));
    c.input(buildStun(M.Refresh, C.Success, tid, [[A.Lifetime, Buffer.from([0, 0, 0, 0])]], Buffer.alloc(16)));
    assert.ok(c.stat(S.notTurn) + c.stat(S.malformed) > 1000);
    assert.ok(c.stat(S.unknownChannel) >= 1);
    assert.ok(c.stat(S.unknownPeer) >= 1);
    assert.ok(c.stat(S.unmatched) >= 1);
    // the allocation still works: a permission round trip
    c.permit("127.0.0.1:9");
    await until(() => c.events.some((ev) => ev.startsWith("permission ")), 3000, "a permission after the flood");
    assert.equal(c.state, TURN.Allocated);
    c.close();
    await until(() => c.state == TURN.Closed, 3000, "deallocation");
  } finally {
    bad.stop();
    c.stop();
    s1.close();
    s2.close();
  }
});

test("coturn with shortened lifetimes: permission (4 s), channel (5 s), allocation (6 s) refreshed, stale nonces (3 s) renewed", async () => {
  const sock = await udp(), peerSock = await udp();
  const peer = `127.0.0.1:${peerSock.address().port}`;
  // client side: the permission and channel lifetimes the server uses, so refreshes derive from them
  const c = new RealTurn(e, sock, short.port, "alice", "secret", [[1, 4000], [2, 5000], [4, 0]]);
  try {
    c.allocate();
    await until(() => c.state == TURN.Allocated, 5000, "allocation");
    assert.match(c.events[0], / 6000$/, "coturn granted the 6 s maximum");
    const relay = c.relayed();
    c.permit(peer);
    await until(() => c.events.some((ev) => ev.startsWith("permission ")), 3000, "permission");
    c.bind(peer);
    await until(() => c.events.some((ev) => ev.startsWith("channel ")), 3000, "channel");
    // the peer sends every 250 ms for 12 s: three permission lifetimes, two allocation lifetimes
    let sent = 0;
    const iv = setInterval(() => {
      peerSock.send(`tick ${sent++}`, +relay.split(":")[1], "127.0.0.1");
    }, 250);
    await sleep(12000);
    clearInterval(iv);
    await sleep(200);
    assert.equal(c.state, TURN.Allocated, JSON.stringify(c.events));
    assert.ok(sent >= 40);
    assert.equal(c.data.length, sent, `received ${c.data.length} of ${sent}`);
    assert.ok(c.data.every((d) => d.channel));
    assert.ok(c.stat(S.refreshes) >= 2, `refreshes ${c.stat(S.refreshes)}`);
    assert.ok(c.stat(S.permissionRequests) >= 4, `permission requests ${c.stat(S.permissionRequests)}`);
    assert.ok(c.stat(S.channelBindRequests) >= 3, `channel binds ${c.stat(S.channelBindRequests)}`);
    assert.ok(c.stat(S.staleNonces) >= 1, `stale nonces ${c.stat(S.staleNonces)}`);
    c.close();
    await until(() => c.state == TURN.Closed, 3000, "deallocation");
  } finally {
    c.stop();
    sock.close();
    peerSock.close();
  }
});

test("coturn without the refresh: a client assuming 300 s loses the peer after coturn's 4 s permission lifetime", async () => {
  const sock = await udp(), peerSock = await udp();
  const peer = `127.0.0.1:${peerSock.address().port}`;
  const c = new RealTurn(e, sock, short.port, "alice", "secret", [[4, 0]]);
  try {
    c.allocate();
    await until(() => c.state == TURN.Allocated, 5000, "allocation");
    c.permit(peer);
    await until(() => c.events.some((ev) => ev.startsWith("permission ")), 3000, "permission");
    const relay = c.relayed();
    peerSock.send("early", +relay.split(":")[1], "127.0.0.1");
    await sleep(5500);
    peerSock.send("late", +relay.split(":")[1], "127.0.0.1");
    await sleep(300);
    assert.deepEqual(c.data.map((d) => d.text), ["early"]);
  } finally {
    c.close();
    await sleep(100);
    c.stop();
    sock.close();
    peerSock.close();
  }
});

async function relayOnlyPair(transportB: "udp" | "tcp" | "tls") {
  const core = loadTurnEntry("pure");
  const common = { core, policy: "relay" as const, host: { onlyLoopback: true, ipv6: false } };
  const gotA: string[] = [], gotB: string[] = [];
  const a = new IceNet({ ...common, controlling: true, ufrag: "ufA1", password: "passwordA-0123456789ab", iceServers: [{ urls: `turn:127.0.0.1:${server.port}`, username: "alice", credential: "secret" }] }, { data: (d) => gotA.push(dec.decode(d)) });
  const urlB = transportB === "tls" ? `turns:127.0.0.1:${server.tlsPort}` : `turn:127.0.0.1:${server.port}?transport=${transportB}`;
  const b = new IceNet({ ...common, controlling: false, ufrag: "ufB2", password: "passwordB-0123456789ab", iceServers: [{ urls: urlB, username: "bob", credential: "hunter2", tlsCa: server.tlsCa }] }, { data: (d) => gotB.push(dec.decode(d)) });
  try {
    await a.start();
    await b.start();
    a.setRemoteCredentials("ufB2", "passwordB-0123456789ab");
    b.setRemoteCredentials("ufA1", "passwordA-0123456789ab");
    const candA = () => a.events.filter((ev) => ev.startsWith("local ")).map((ev) => ev.slice(6));
    const candB = () => b.events.filter((ev) => ev.startsWith("local ")).map((ev) => ev.slice(6));
    await until(() => candA().length > 0 && candB().length > 0, 5000, "relay candidates");
    assert.ok(candA().every((c) => c.includes(" typ relay ")), JSON.stringify(candA()));
    assert.ok(candB().every((c) => c.includes(" typ relay ")), JSON.stringify(candB()));
    for (const c of candA()) assert.ok(b.addRemoteCandidate(c));
    for (const c of candB()) assert.ok(a.addRemoteCandidate(c));
    await until(() => a.state == ICE_STATE.Connected && b.state == ICE_STATE.Connected, 10000, "ICE connected through coturn");
    assert.ok(a.send(enc.encode("ping from A")));
    assert.ok(b.send(enc.encode("pong from B")));
    await until(() => gotA.length > 0 && gotB.length > 0, 3000, "data both ways");
    assert.deepEqual(gotB, ["ping from A"]);
    assert.deepEqual(gotA, ["pong from B"]);
    const selA = a.events.find((ev) => ev.startsWith("selected "))!;
    const relayA = candA()[0].split(" ")[4] + ":" + candA()[0].split(" ")[5];
    assert.ok(selA.startsWith(`selected ${relayA} `), selA);
    assert.equal(b.lastError, null);
    if (transportB === "tls") assert.match(server.log(), /session \d+: new, realm=<[^>]*>, username=<bob>.* method=TLSv1\.[23]/, "coturn ran bob's session over TLS");
  } finally {
    await a.close();
    await b.close();
  }
  assert.equal(a.turnState(0), TURN.Closed);
  assert.equal(b.turnState(0), TURN.Closed);
}

test("coturn: two agents connect with a relay-only policy (UDP), data both ways", async () => {
  await relayOnlyPair("udp");
});

test("coturn: relay-only with one agent on TURN over TCP (stream framing), data both ways", async () => {
  await relayOnlyPair("tcp");
});

test("coturn: relay-only with one agent on TURN over TLS (turns:), data both ways", async () => {
  await relayOnlyPair("tls");
});

test("turns: certificate checks: the CA and the host name must match; failures say so and add no server", async () => {
  const to = { ip: "127.0.0.1", port: server.tlsPort! };
  const good = await openTurnStream({ localIp: "127.0.0.1", server: to, tls: { ca: server.tlsCa }, timeoutMs: 5000 });
  good.destroy();
  const named = await openTurnStream({ localIp: "127.0.0.1", server: to, tls: { servername: "localhost", ca: server.tlsCa }, timeoutMs: 5000 });
  named.destroy();
  await assert.rejects(openTurnStream({ localIp: "127.0.0.1", server: to, tls: { servername: "turn.example.com", ca: server.tlsCa }, timeoutMs: 5000 }),
    /^Error: TLS to turn\.example\.com:\d+: certificate rejected: .*(altnames|does not match)/);
  await assert.rejects(openTurnStream({ localIp: "127.0.0.1", server: to, tls: {}, timeoutMs: 5000 }), /certificate rejected: self[- ]signed/);
  // IceNet: an untrusted server is not handed to the core, so no relay candidate and lastError says why
  const n = new IceNet({ core: loadTurnEntry("pure"), controlling: true, ufrag: "ufT1", password: "passwordT-0123456789ab", policy: "relay", host: { onlyLoopback: true, ipv6: false }, iceServers: [{ urls: `turns:127.0.0.1:${server.tlsPort}`, username: "bob", credential: "hunter2" }] });
  try {
    await n.start();
    assert.match(n.lastError ?? "", /^TURN TLS to 127\.0\.0\.1:\d+: certificate rejected/);
    await sleep(200);
    assert.ok(!n.events.some((ev) => ev.startsWith("local ")), JSON.stringify(n.events));
  } finally {
    await n.close(0);
  }
});

test("coturn as a STUN server: a server-reflexive answer for a host socket", async () => {
  const n = new IceNet({ core: loadTurnEntry("pure"), controlling: true, ufrag: "ufS1", password: "passwordS-0123456789ab", host: { onlyLoopback: true, ipv6: false }, iceServers: [{ urls: `stun:127.0.0.1:${server.port}` }] });
  try {
    await n.start();
    await until(() => n.events.some((ev) => ev.startsWith("srflx ")), 3000, "a STUN answer");
    const host = n.events.find((ev) => ev.startsWith("local "))!;
    const srflx = n.events.find((ev) => ev.startsWith("srflx "))!.slice(6);
    // on loopback the mapped address is the socket's own: no separate srflx candidate
    assert.ok(host.includes(` ${srflx.split(":")[0]} ${srflx.split(":")[1]} typ host`), `${host} / ${srflx}`);
  } finally {
    await n.close(0);
  }
});
