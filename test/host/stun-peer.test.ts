// host/peer.ts with a STUN server (a REAL coturn on loopback, started here) and a remote mDNS
// candidate. On loopback a STUN server maps a socket to itself (a redundant candidate, not offered),
// so a tiny UDP "NAT" in front of coturn gives the peer a different mapped address. The mDNS test
// hides one peer's address behind a ".local" name that only a test responder resolves.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createSocket, type Socket } from "node:dgram";
import { startCoturn, type Coturn } from "../helpers/coturn.js";
import { createPeerFactory, type WasmPeerConnection } from "../../host/peer.js";

const factory = createPeerFactory({ provider: "pure" });
let turn: Coturn;

before(async () => {
  turn = await startCoturn();
});

after(async () => {
  await turn?.stop();
});

function within<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, rej) => (t = setTimeout(() => rej(new Error(`timed out: ${what}`)), ms)))]).finally(() => clearTimeout(t));
}

async function udp(): Promise<Socket> {
  const s = createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
  return s;
}

// A one-client NAT: what the client sends to `front` leaves from `outside` toward coturn, and the
// answers come back; coturn therefore reports outside's port as the client's mapped address.
async function nat(serverPort: number) {
  const front = await udp(), outside = await udp();
  let client: { address: string; port: number } | null = null;
  front.on("message", (m, r) => {
    client = { address: r.address, port: r.port };
    outside.send(m, serverPort, "127.0.0.1");
  });
  outside.on("message", (m) => client && front.send(m, client.port, client.address));
  return { port: front.address().port, outside: outside.address().port, close: () => (front.close(), outside.close()) };
}

// Every candidate and the end of gathering.
function gather(pc: WasmPeerConnection): { list: string[]; ended: Promise<void> } {
  const list: string[] = [];
  const ended = new Promise<void>((r) => (pc.onicecandidate = ({ candidate }) => (candidate ? list.push(candidate.candidate) : r())));
  return { list, ended };
}

test("a server-reflexive candidate from coturn as STUN server (through a NAT) appears in onicecandidate", { timeout: 30000 }, async () => {
  const n = await nat(turn.port);
  const pc = factory.createPeerConnection({ bindAddresses: ["127.0.0.1"], iceServers: [{ urls: `stun:127.0.0.1:${n.port}` }] });
  try {
    const g = gather(pc);
    pc.createDataChannel("x");
    await pc.setLocalDescription(await pc.createOffer());
    await within("end of candidates", 10000, g.ended);
    const host = pc.localAddresses[0];
    const srflx = g.list.filter((c) => / typ srflx /.test(c));
    assert.equal(srflx.length, 1, `one srflx candidate in ${JSON.stringify(g.list)}`);
    const f = srflx[0].split(" ");
    assert.equal(f[4], "127.0.0.1");
    assert.equal(+f[5], n.outside, "the mapped address coturn saw");
    assert.match(srflx[0], new RegExp(`raddr 127\\.0\\.0\\.1 rport ${host.port}`), "its base is the host socket");
    assert.ok(g.list.some((c) => / typ host\b/.test(c)), "the host candidate too");
    assert.equal(pc.peer.gathering, 0);
  } finally {
    pc.close();
    n.close();
  }
});

test("a STUN server reached directly on loopback maps to the socket itself: no redundant srflx, gathering ends", { timeout: 30000 }, async () => {
  const pc = factory.createPeerConnection({ bindAddresses: ["127.0.0.1"], iceServers: [{ urls: [`stun:127.0.0.1:${turn.port}`] }] });
  try {
    const g = gather(pc);
    pc.createDataChannel("x");
    await pc.setLocalDescription(await pc.createOffer());
    await within("end of candidates", 10000, g.ended);
    assert.deepEqual(g.list.filter((c) => !/ typ host\b/.test(c)), []);
  } finally {
    pc.close();
  }
});

test("iceTransportPolicy relay with only a STUN server: nothing is offered, gathering still ends", { timeout: 30000 }, async () => {
  const pc = factory.createPeerConnection({ bindAddresses: ["127.0.0.1"], iceTransportPolicy: "relay", iceServers: [{ urls: `stun:127.0.0.1:${turn.port}` }] });
  try {
    const g = gather(pc);
    pc.createDataChannel("x");
    await pc.setLocalDescription(await pc.createOffer());
    await within("end of candidates", 10000, g.ended);
    assert.deepEqual(g.list, []);
    assert.ok(!/a=candidate/.test(pc.localDescription!.sdp));
  } finally {
    pc.close();
  }
});

test("unusable server URLs are reported, not thrown", { timeout: 30000 }, async () => {
  const pc = factory.createPeerConnection({ bindAddresses: ["127.0.0.1"], iceServers: [{ urls: ["stuns:127.0.0.1:1", "bogus:x", "stun:[::1]:3478"] }] });
  try {
    const g = gather(pc);
    await pc.setLocalDescription(await pc.createOffer());
    await within("end of candidates", 10000, g.ended);
    assert.ok(pc.lastError && /not supported|not understood/.test(pc.lastError), String(pc.lastError));
  } finally {
    pc.close();
  }
});
