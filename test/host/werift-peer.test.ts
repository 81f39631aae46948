// Interop with werift's RTCPeerConnection (npm werift 0.25.2) over real loopback UDP: werift offers
// to us, we offer to werift; data channel echo both ways (DESIGN.md §4.3).
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { RTCPeerConnection } from "werift";
import { createPeerFactory, type WasmPeerConnection } from "../../host/peer.js";
import type { DataChannel } from "../../host/peer-api.js";

const factory = createPeerFactory({ provider: "pure" });

function within<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, rej) => (t = setTimeout(() => rej(new Error(`timed out: ${what}`)), ms)))]).finally(() => clearTimeout(t));
}

function werift(): RTCPeerConnection {
  return new RTCPeerConnection({ iceAdditionalHostAddresses: ["127.0.0.1"], iceUseIpv6: false });
}

function ours(): WasmPeerConnection {
  return factory.createPeerConnection({ bindAddresses: ["127.0.0.1"] });
}

// Our side echoes every message it gets on any channel the remote opens.
function echoIncoming(pc: WasmPeerConnection): Promise<DataChannel> {
  return new Promise((resolve) => {
    pc.ondatachannel = ({ channel }) => {
      channel.onmessage = (ev) => channel.send(ev.data);
      resolve(channel);
    };
  });
}

// Sends text and binary on a werift channel and collects the echoes.
async function pingWerift(dc: any, payloads: (string | Buffer)[]): Promise<(string | Buffer)[]> {
  const got: (string | Buffer)[] = [];
  const done = new Promise<void>((resolve) => {
    dc.onMessage.subscribe((m: string | Buffer) => {
      got.push(m);
      if (got.length === payloads.length) resolve();
    });
  });
  for (const p of payloads) dc.send(p);
  await done;
  return got;
}

// werift writes no a=max-message-size, so 64 KiB is its limit (RFC 8841 §6.1).
const PAYLOADS = () => ["hello", Buffer.from(randomBytes(1)), "x".repeat(60000), Buffer.from(randomBytes(65536))];

function checkEcho(got: (string | Buffer | Uint8Array)[], want: (string | Buffer)[]): void {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => {
    const w = want[i];
    if (typeof w === "string") assert.equal(typeof g === "string" ? g : Buffer.from(g).toString(), w, `message ${i}`);
    else assert.ok(Buffer.from(g as Uint8Array).equals(w), `message ${i}: ${Buffer.from(g as Uint8Array).length} bytes`);
  });
}

test("werift offers, we answer: werift's channel echoes text and binary", { timeout: 60000 }, async () => {
  const w = werift();
  const us = ours();
  try {
    w.onicecandidate = ({ candidate }) => void us.addIceCandidate(candidate ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid } : null);
    us.onicecandidate = ({ candidate }) => {
      if (candidate) void w.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? "0", sdpMLineIndex: 0 });
    };
    const echo = echoIncoming(us);
    const dc = w.createDataChannel("from-werift");
    const open = new Promise<void>((r) => dc.stateChanged.subscribe((s: string) => s === "open" && r()));
    await w.setLocalDescription(await w.createOffer());
    await us.setRemoteDescription({ type: "offer", sdp: w.localDescription!.sdp });
    await us.setLocalDescription(await us.createAnswer());
    await w.setRemoteDescription({ type: "answer", sdp: us.localDescription!.sdp });
    await within("werift channel open", 20000, open);
    const ch = await within("our ondatachannel", 20000, echo);
    assert.equal(ch.label, "from-werift");
    const want = PAYLOADS();
    checkEcho(await within("echo", 20000, pingWerift(dc, want)), want);
    assert.equal(us.connectionState, "connected");
  } finally {
    us.close();
    await w.close();
  }
});

test("we offer, werift answers: our channel and werift's, echoed both ways", { timeout: 60000 }, async () => {
  const w = werift();
  const us = ours();
  try {
    us.onicecandidate = ({ candidate }) => {
      if (candidate) void w.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? "0", sdpMLineIndex: 0 });
    };
    w.onicecandidate = ({ candidate }) => void us.addIceCandidate(candidate ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid } : null);
    // werift echoes on channels we open.
    w.onDataChannel.subscribe((dc: any) => dc.onMessage.subscribe((m: string | Buffer) => dc.send(m)));
    const ch = us.createDataChannel("from-us");
    const opened = new Promise<void>((r) => (ch.onopen = () => r()));
    await us.setLocalDescription(await us.createOffer());
    await w.setRemoteDescription({ type: "offer", sdp: us.localDescription!.sdp });
    await w.setLocalDescription(await w.createAnswer());
    await us.setRemoteDescription({ type: "answer", sdp: w.localDescription!.sdp });
    await within("our channel open", 20000, opened);

    const want = PAYLOADS();
    const got: (string | Uint8Array)[] = [];
    const done = new Promise<void>((r) => (ch.onmessage = (ev) => (got.push(ev.data), got.length === want.length && r())));
    for (const p of want) ch.send(typeof p === "string" ? p : new Uint8Array(p));
    await within("werift echo", 20000, done);
    checkEcho(got, want);

    // And a channel werift opens towards us, echoed by us.
    const echo = echoIncoming(us);
    const dc = w.createDataChannel("from-werift");
    await within("werift channel open", 20000, new Promise<void>((r) => dc.stateChanged.subscribe((s: string) => s === "open" && r())));
    await within("our ondatachannel", 20000, echo);
    const want2 = PAYLOADS();
    checkEcho(await within("echo", 20000, pingWerift(dc, want2)), want2);
  } finally {
    us.close();
    await w.close();
  }
});
