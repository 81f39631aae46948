// host/peer.ts with iceTransportPolicy "relay" through a REAL coturn on loopback (started here): the
// core's TURN clients (assembly/turn via assembly/peer/relay.ts) allocate, only relay candidates are
// offered, and a data channel echoes over relayed pairs: UDP both sides, TURN over TCP on one side,
// TURN over TLS (turns:, RFC 7065) on one and both sides, TLS failures (untrusted certificate, a
// server that does not speak TLS) ending gathering cleanly, and werift offering to a relay-only wasmpeer.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { RTCPeerConnection } from "werift";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCoturn, makeSelfSignedCert, type Coturn } from "../helpers/coturn.js";
import { createPeerFactory, type WasmPeerConnection } from "../../host/peer.js";
import type { DataChannel, IceCandidateInit, PeerConfiguration } from "../../host/peer-api.js";

const factory = createPeerFactory({ provider: "pure" });
let turn: Coturn;

before(async () => {
  turn = await startCoturn({ users: { alice: "secret" }, tls: true });
});

after(async () => {
  await turn?.stop();
});

function within<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, rej) => (t = setTimeout(() => rej(new Error(`timed out: ${what}`)), ms)))]).finally(() => clearTimeout(t));
}

type Transport = "udp" | "tcp" | "tls";

// "tls" is turns: to coturn's TLS port, trusting its self-signed certificate (or `ca` / `port` when given).
function relayPeer(transport: Transport, tls: { ca?: string; port?: number } = { ca: turn.tlsCa }): WasmPeerConnection {
  const url = transport === "tls"
    ? `turns:127.0.0.1:${tls.port ?? turn.tlsPort}`
    : `turn:127.0.0.1:${turn.port}?transport=${transport}`;
  const config: PeerConfiguration = {
    bindAddresses: ["127.0.0.1"],
    iceTransportPolicy: "relay",
    iceServers: [{ urls: url, username: "alice", credential: "secret", tlsCa: transport === "tls" ? tls.ca : undefined }],
  };
  return factory.createPeerConnection(config);
}

// Every candidate a peer announces, and a promise for its end (the null candidate).
function record(pc: WasmPeerConnection, forward: (c: IceCandidateInit | null) => void) {
  const list: string[] = [];
  let endResolve!: () => void;
  const ended = new Promise<void>((r) => (endResolve = r));
  pc.onicecandidate = ({ candidate }) => {
    if (candidate) list.push(candidate.candidate);
    else endResolve();
    forward(candidate);
  };
  return { list, ended };
}

function connected(pc: WasmPeerConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    if (pc.connectionState === "connected") return resolve();
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "connected") resolve();
      if (pc.connectionState === "failed") reject(new Error(`failed: ${pc.lastError}`));
    };
  });
}

// The relayed address of a candidate line ("... typ relay raddr ...") as "ip:port".
function candAddr(line: string): string {
  const f = line.split(" ");
  return `${f[4]}:${f[5]}`;
}

async function relayPair(ta: Transport, tb: Transport) {
  const a = relayPeer(ta);
  const b = relayPeer(tb);
  const ca = record(a, (c) => void b.addIceCandidate(c));
  const cb = record(b, (c) => void a.addIceCandidate(c));
  const chA = a.createDataChannel("echo");
  const opened = new Promise<void>((r) => (chA.onopen = () => r()));
  b.ondatachannel = ({ channel }) => (channel.onmessage = (ev) => channel.send(ev.data));
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
  await within("gathering", 15000, Promise.all([ca.ended, cb.ended]));
  await within("connected", 20000, Promise.all([connected(a), connected(b), opened]));
  return { a, b, ca, cb, chA };
}

async function echo(ch: DataChannel, payloads: (string | Uint8Array)[]): Promise<(string | Uint8Array)[]> {
  const got: (string | Uint8Array)[] = [];
  const done = new Promise<void>((r) => (ch.onmessage = (ev) => (got.push(ev.data), got.length === payloads.length && r())));
  for (const p of payloads) ch.send(p);
  await within("echo", 20000, done);
  return got;
}

function checkRelayOnly(name: string, pc: WasmPeerConnection, cands: string[]): void {
  assert.ok(cands.length >= 1, `${name} announced a candidate`);
  for (const c of cands) assert.match(c, / typ relay /, `${name}: only relay candidates (${c})`);
  const pair = pc.getStats().selectedCandidatePair;
  assert.ok(pair, `${name} has a selected pair`);
  const relayed = cands.map(candAddr);
  assert.ok(relayed.includes(pair!.local), `${name}'s selected local ${pair!.local} is one of its relayed addresses ${relayed}`);
  const own = pc.localAddresses.map((x) => `${x.ip}:${x.port}`);
  assert.ok(!own.includes(pair!.local), `${name}'s pair is not on its host socket`);
}

test("two relay-only peers connect through coturn over UDP; a data channel echoes text and binary", { timeout: 60000 }, async () => {
  const { a, b, ca, cb, chA } = await relayPair("udp", "udp");
  try {
    const bin = new Uint8Array(randomBytes(20000));
    const got = await echo(chA, ["hello over TURN", bin, "x".repeat(3000)]);
    assert.equal(got[0], "hello over TURN");
    assert.deepEqual(new Uint8Array(got[1] as Uint8Array), bin);
    assert.equal(got[2], "x".repeat(3000));
    checkRelayOnly("a", a, ca.list);
    checkRelayOnly("b", b, cb.list);
    assert.equal(a.peer.turnState(0), "allocated");
  } finally {
    a.close();
    b.close();
  }
});

test("TURN over TCP on one side, UDP on the other: relayed data channel echo", { timeout: 60000 }, async () => {
  const { a, b, ca, cb, chA } = await relayPair("tcp", "udp");
  try {
    const bin = new Uint8Array(randomBytes(50000));
    const got = await echo(chA, ["over a TCP allocation", bin]);
    assert.equal(got[0], "over a TCP allocation");
    assert.deepEqual(new Uint8Array(got[1] as Uint8Array), bin);
    checkRelayOnly("a (tcp)", a, ca.list);
    checkRelayOnly("b (udp)", b, cb.list);
    assert.equal(a.peer.turnState(0), "allocated");
  } finally {
    a.close();
    b.close();
  }
  // The TCP allocation is released on close (Refresh with LIFETIME 0), then the connection ends.
  await within("a released", 5000, new Promise<void>((r) => {
    const iv = setInterval(() => a.released && (clearInterval(iv), r()), 20);
  }));
});

// coturn's log lines for new sessions over TLS ("session N: new, ..., cipher=..., method=TLSv1.2").
function tlsSessionLines(): string[] {
  return turn.log().split("\n").filter((l) => /session \d+: new,.* method=TLSv1\.[23]/.test(l));
}

test("TURN over TLS (turns:) on one side, UDP on the other: relayed data channel echo", { timeout: 60000 }, async () => {
  const tlsBefore = tlsSessionLines().length;
  const { a, b, ca, cb, chA } = await relayPair("tls", "udp");
  try {
    const bin = new Uint8Array(randomBytes(50000));
    const got = await echo(chA, ["over a TLS allocation", bin]);
    assert.equal(got[0], "over a TLS allocation");
    assert.deepEqual(new Uint8Array(got[1] as Uint8Array), bin);
    checkRelayOnly("a (tls)", a, ca.list);
    checkRelayOnly("b (udp)", b, cb.list);
    assert.equal(a.peer.turnState(0), "allocated");
    assert.equal(a.lastError, null);
    // coturn really ran a TLS session (so this cannot have passed over plain TCP)
    assert.ok(tlsSessionLines().length > tlsBefore, `coturn logged a TLS session:\n${turn.log().slice(-3000)}`);
  } finally {
    a.close();
    b.close();
  }
  await within("a released", 5000, new Promise<void>((r) => {
    const iv = setInterval(() => a.released && (clearInterval(iv), r()), 20);
  }));
});

test("TURN over TLS on both sides: relayed data channel echoes both ways", { timeout: 60000 }, async () => {
  const tlsBefore = tlsSessionLines().length;
  const { a, b, ca, cb, chA } = await relayPair("tls", "tls");
  try {
    const got = await echo(chA, ["a -> b -> a", new Uint8Array(randomBytes(20000))]);
    assert.equal(got[0], "a -> b -> a");
    // and the other way: b opens a channel, a echoes
    a.ondatachannel = ({ channel }) => (channel.onmessage = (ev) => channel.send(ev.data));
    const chB = b.createDataChannel("back");
    await within("b's channel open", 20000, new Promise<void>((r) => (chB.onopen = () => r())));
    const back = await echo(chB, ["b -> a -> b"]);
    assert.equal(back[0], "b -> a -> b");
    checkRelayOnly("a (tls)", a, ca.list);
    checkRelayOnly("b (tls)", b, cb.list);
    assert.ok(tlsSessionLines().length >= tlsBefore + 2, `coturn logged two TLS sessions:\n${turn.log().slice(-3000)}`);
  } finally {
    a.close();
    b.close();
  }
});

// A peer whose only server fails: gathering must still end, with no candidate and a lastError.
async function failedGathering(pc: WasmPeerConnection): Promise<string> {
  try {
    const cands = record(pc, () => {});
    pc.createDataChannel("x");
    await pc.setLocalDescription(await pc.createOffer());
    await within("gathering ends", 20000, cands.ended);
    assert.deepEqual(cands.list, [], "no candidate without a server");
    assert.equal(pc.peer.gathering, 0);
    assert.ok(pc.lastError, "lastError says why");
    return pc.lastError!;
  } finally {
    pc.close();
  }
}

test("turns: with an untrusted certificate: no relay candidate, gathering ends, lastError names the certificate", { timeout: 60000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "wasmpeer-otherca-"));
  try {
    const otherCa = makeSelfSignedCert(dir, "other").pem; // same names, another key: not coturn's
    const wrongCa = await failedGathering(relayPeer("tls", { ca: otherCa }));
    assert.match(wrongCa, /^TURN TLS to 127\.0\.0\.1:\d+: certificate rejected: /);
    assert.match(wrongCa, /self[- ]signed/i);
    const noCa = await failedGathering(relayPeer("tls", {})); // Node's roots only
    assert.match(noCa, /certificate rejected/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("turns: at a server that does not speak TLS: the handshake fails cleanly", { timeout: 60000 }, async () => {
  const plain = await startCoturn({ users: { alice: "secret" } }); // --no-tls: its TCP port is plain
  try {
    // coturn waits for STUN, so the handshake times out
    const why = await failedGathering(relayPeer("tls", { ca: turn.tlsCa, port: plain.port }));
    assert.match(why, /^TURN TLS to 127\.0\.0\.1:\d+: (TLS handshake failed|connection (closed|reset) during the TLS handshake|no TLS handshake within)/);
  } finally {
    await plain.stop();
  }
  // a server that answers the ClientHello with plain text: the TLS record layer rejects it
  const http = createServer((c) => c.once("data", () => c.end("HTTP/1.1 400 Bad Request\r\n\r\n")));
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", () => r()));
  try {
    const port = (http.address() as AddressInfo).port;
    const why = await failedGathering(relayPeer("tls", { ca: turn.tlsCa, port }));
    assert.match(why, /^TURN TLS to 127\.0\.0\.1:\d+: (TLS handshake failed|connection (closed|reset) during the TLS handshake)/);
  } finally {
    http.close();
  }
});

test("werift offers to a relay-only wasmpeer: werift's channel echoes through coturn", { timeout: 60000 }, async () => {
  const w = new RTCPeerConnection({ iceAdditionalHostAddresses: ["127.0.0.1"], iceUseIpv6: false });
  const us = relayPeer("udp");
  try {
    w.onicecandidate = ({ candidate }) => void us.addIceCandidate(candidate ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid } : null);
    const ours = record(us, (c) => {
      if (c) void w.addIceCandidate({ candidate: c.candidate, sdpMid: c.sdpMid ?? "0", sdpMLineIndex: 0 });
    });
    us.ondatachannel = ({ channel }) => (channel.onmessage = (ev) => channel.send(ev.data));
    const dc = w.createDataChannel("from-werift");
    const open = new Promise<void>((r) => dc.stateChanged.subscribe((s: string) => s === "open" && r()));
    await w.setLocalDescription(await w.createOffer());
    await us.setRemoteDescription({ type: "offer", sdp: w.localDescription!.sdp });
    await us.setLocalDescription(await us.createAnswer());
    await w.setRemoteDescription({ type: "answer", sdp: us.localDescription!.sdp });
    await within("werift channel open", 20000, open);
    const got: (string | Buffer)[] = [];
    const want = ["hello werift", Buffer.from(randomBytes(30000))];
    const done = new Promise<void>((r) => dc.onMessage.subscribe((m: string | Buffer) => (got.push(m), got.length === want.length && r())));
    for (const p of want) dc.send(p);
    await within("echo", 20000, done);
    assert.equal(got[0].toString(), "hello werift");
    assert.ok(Buffer.from(got[1] as Buffer).equals(want[1] as Buffer));
    await within("gathering", 15000, ours.ended);
    checkRelayOnly("wasmpeer", us, ours.list);
    assert.ok(!/a=candidate:.* typ host/.test(us.localDescription!.sdp), "no host candidate in our answer");
  } finally {
    us.close();
    await w.close();
  }
});
