// host/peer.ts resolving a remote ".local" candidate (draft-ietf-mmusic-mdns-ice-candidates) through
// host/mdns.ts: the core raises ResolveMdns, the host queries (here a responder on loopback, as in
// mdns.test.ts: multicast on loopback is not dependable in containers) and feeds the answer back
// with peer_resolve_mdns. One peer's only candidate is the mDNS name and the other peer learns
// nothing about us, so the connection can only come up if the name was resolved.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { createPeerFactory } from "../../host/peer.js";

const NAME = "6c1c5d5e-1b7a-4c55-9d0e-3f2b8a6f4e21.local";

function within<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, rej) => (t = setTimeout(() => rej(new Error(`timed out: ${what}`)), ms)))]).finally(() => clearTimeout(t));
}

// Answers A queries for NAME with 127.0.0.1 (answer count 1, the question echoed, name compressed).
async function responder() {
  const s = createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
  const names: string[] = [];
  s.on("message", (q, r) => {
    const qEnd = 12 + q.subarray(12).indexOf(0) + 1 + 4;
    names.push(q.subarray(13, qEnd - 5).toString("latin1"));
    if (!q.includes(Buffer.from(NAME.split(".")[0]))) return;
    const header = Buffer.alloc(12);
    header.writeUInt16BE(0x8400, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(1, 6);
    const rr = Buffer.alloc(10);
    rr.writeUInt16BE(1, 0);
    rr.writeUInt16BE(0x8001, 2);
    rr.writeUInt32BE(120, 4);
    rr.writeUInt16BE(4, 8);
    s.send(Buffer.concat([header, q.subarray(12, qEnd), Buffer.from([0xc0, 12]), rr, Buffer.from([127, 0, 0, 1])]), r.port, r.address);
  });
  return { port: s.address().port, names, close: () => s.close() };
}

const noCandidates = (sdp: string) => sdp.split("\r\n").filter((l) => !l.startsWith("a=candidate") && !l.startsWith("a=end-of-candidates")).join("\r\n");

test("a remote .local candidate is resolved by the host's mDNS query and the peers connect on it", { timeout: 30000 }, async () => {
  const r = await responder();
  const a = createPeerFactory({ provider: "pure" }).createPeerConnection({ bindAddresses: ["127.0.0.1"] });
  const b = createPeerFactory({ provider: "pure", mdns: { server: { address: "127.0.0.1", port: r.port }, timeoutMs: 2000 } })
    .createPeerConnection({ bindAddresses: ["127.0.0.1"] });
  try {
    // a's candidates reach b with the IP hidden behind NAME; b's reach a not at all.
    a.onicecandidate = ({ candidate }) => {
      if (candidate) void b.addIceCandidate({ candidate: candidate.candidate.replace(" 127.0.0.1 ", ` ${NAME} `), sdpMid: candidate.sdpMid });
    };
    const ch = a.createDataChannel("mdns");
    const opened = new Promise<void>((res) => (ch.onopen = () => res()));
    b.ondatachannel = ({ channel }) => (channel.onmessage = (ev) => channel.send(ev.data));
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription({ type: "offer", sdp: noCandidates(a.localDescription!.sdp) });
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription({ type: "answer", sdp: noCandidates(b.localDescription!.sdp) });
    await within("channel open", 15000, opened);
    const echoed = new Promise<string>((res) => (ch.onmessage = (ev) => res(String(ev.data))));
    ch.send("resolved");
    assert.equal(await within("echo", 10000, echoed), "resolved");
    assert.ok(r.names.length >= 1, "the responder was asked");
    assert.equal(b.getStats().selectedCandidatePair!.remote, `127.0.0.1:${a.localAddresses[0].port}`);
  } finally {
    a.close();
    b.close();
    r.close();
  }
});

test("an mDNS name nobody answers times out without harm; the peer stays usable", { timeout: 30000 }, async () => {
  const silent = createSocket("udp4");
  await new Promise<void>((res) => silent.bind(0, "127.0.0.1", () => res()));
  const pc = createPeerFactory({ provider: "pure", mdns: { server: { address: "127.0.0.1", port: silent.address().port }, timeoutMs: 300 } })
    .createPeerConnection({ bindAddresses: ["127.0.0.1"] });
  try {
    pc.createDataChannel("x");
    await pc.setLocalDescription(await pc.createOffer());
    await pc.addIceCandidate({ candidate: `candidate:1 1 udp 2122260223 ${NAME} 50000 typ host`, sdpMid: "0" });
    await new Promise((res) => setTimeout(res, 600));
    assert.notEqual(pc.connectionState, "failed");
  } finally {
    pc.close();
    silent.close();
  }
});
