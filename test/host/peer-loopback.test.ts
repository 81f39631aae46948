// Two host/peer.ts peers in one process over real loopback UDP: offer/answer with trickle, channels
// both ways, text and binary messages of 0 B to 256 KiB, close (DESIGN.md §4.2-4.3).
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createPeerFactory, type WasmPeerConnection } from "../../host/peer.js";
import type { DataChannel, MessageEventLike } from "../../host/peer-api.js";

const factory = createPeerFactory({ provider: "pure" });

function waitFor<T>(what: string, ms: number, setup: (resolve: (v: T) => void, reject: (e: Error) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    setup((v) => {
      clearTimeout(t);
      resolve(v);
    }, (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
}

function connected(pc: WasmPeerConnection): Promise<void> {
  return waitFor("connected", 15000, (resolve, reject) => {
    if (pc.connectionState === "connected") return resolve();
    const prev = pc.onconnectionstatechange;
    pc.onconnectionstatechange = () => {
      prev?.();
      if (pc.connectionState === "connected") resolve();
      if (pc.connectionState === "failed") reject(new Error(`failed: ${pc.lastError}`));
    };
  });
}

async function pair(): Promise<[WasmPeerConnection, WasmPeerConnection]> {
  const a = factory.createPeerConnection({ bindAddresses: ["127.0.0.1"] });
  const b = factory.createPeerConnection({ bindAddresses: ["127.0.0.1"] });
  a.onicecandidate = (e) => void b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => void a.addIceCandidate(e.candidate);
  return [a, b];
}

function collect(ch: DataChannel, n: number, ms = 20000): Promise<MessageEventLike["data"][]> {
  const got: MessageEventLike["data"][] = [];
  return waitFor(`${n} messages on ${ch.label}`, ms, (resolve) => {
    ch.onmessage = (ev) => {
      got.push(ev.data);
      if (got.length === n) resolve(got);
    };
  });
}

test("two peers connect over loopback UDP and exchange text and binary of 0 B to 256 KiB both ways", { timeout: 60000 }, async () => {
  const [a, b] = await pair();
  try {
    const chA = a.createDataChannel("a-to-b");
    assert.equal(chA.readyState, "connecting");
    const remoteOnB = waitFor<DataChannel>("b.ondatachannel", 15000, (resolve) => (b.ondatachannel = (e) => resolve(e.channel)));
    const aOpen = waitFor<void>("a's channel open", 15000, (resolve) => (chA.onopen = () => resolve()));

    await a.setLocalDescription(await a.createOffer());
    assert.match(a.localDescription!.sdp, /a=setup:actpass/);
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription(await b.createAnswer());
    assert.match(b.localDescription!.sdp, /a=setup:active/);
    await a.setRemoteDescription(b.localDescription!);

    await Promise.all([connected(a), connected(b), aOpen]);
    const chB = await remoteOnB;
    assert.equal(chB.label, "a-to-b");
    assert.equal(chB.readyState, "open");
    assert.ok(chA.id !== null && chA.id === chB.id, `stream ids ${chA.id} / ${chB.id}`);

    const sizes = [0, 1, 65536, 262144];
    const payloads: (string | Uint8Array)[] = [];
    for (const n of sizes) {
      payloads.push("x".repeat(n));
      payloads.push(new Uint8Array(randomBytes(n)));
    }
    // a -> b
    const gotB = collect(chB, payloads.length);
    for (const p of payloads) chA.send(p);
    const rb = await gotB;
    rb.forEach((d, i) => {
      const want = payloads[i];
      assert.equal(typeof d, typeof want, `message ${i} kind`);
      if (typeof want === "string") assert.equal(d, want);
      else assert.deepEqual(Buffer.from(d as Uint8Array), Buffer.from(want));
    });

    // A channel the answerer opens, b -> a, and replies on it.
    const remoteOnA = waitFor<DataChannel>("a.ondatachannel", 15000, (resolve) => (a.ondatachannel = (e) => resolve(e.channel)));
    const chB2 = b.createDataChannel("b-to-a", { protocol: "echo" });
    await waitFor<void>("b's channel open", 15000, (resolve) => (chB2.onopen = () => resolve()));
    const chA2 = await remoteOnA;
    assert.equal(chA2.protocol, "echo");
    assert.notEqual(chA2.id! % 2, chA.id! % 2, "DTLS client and server use ids of different parity");
    const gotA = collect(chA2, payloads.length);
    for (const p of payloads) chB2.send(p);
    const ra = await gotA;
    ra.forEach((d, i) => {
      const want = payloads[i];
      if (typeof want === "string") assert.equal(d, want);
      else assert.deepEqual(Buffer.from(d as Uint8Array), Buffer.from(want));
    });

    // Over max-message-size: refused before anything is queued.
    assert.throws(() => chA.send(new Uint8Array(262145)), TypeError);

    const st = a.getStats();
    assert.ok(st.messagesSent >= payloads.length && st.messagesReceived >= payloads.length, JSON.stringify(st));
    assert.ok(st.selectedCandidatePair?.local.startsWith("127.0.0.1:"));

    // Closing a channel closes it on both sides (stream reset).
    const closedB2 = waitFor<void>("b2 closed", 10000, (resolve) => (chB2.onclose = () => resolve()));
    const closedA2 = waitFor<void>("a2 closed", 10000, (resolve) => (chA2.onclose = () => resolve()));
    chA2.close();
    await Promise.all([closedA2, closedB2]);

    // Closing the peer: b sees its channel close and its connection end (SHUTDOWN, close_notify).
    const bClosed = waitFor<void>("b closed", 10000, (resolve) => {
      b.onconnectionstatechange = () => b.connectionState === "closed" && resolve();
    });
    const chBClosed = waitFor<void>("chB closed", 10000, (resolve) => (chB.onclose = () => resolve()));
    a.close();
    assert.equal(a.connectionState, "closed");
    await Promise.all([bClosed, chBClosed]);
  } finally {
    a.close();
    b.close();
  }
});

test("one core serves many peers; a closed peer releases its slot and sockets", { timeout: 30000 }, async () => {
  const [a, b] = await pair();
  a.createDataChannel("x");
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
  await Promise.all([connected(a), connected(b)]);
  assert.ok(factory.core.livePeers >= 2);
  a.close();
  b.close();
  await waitFor<void>("peers released", 8000, (resolve) => {
    const iv = setInterval(() => {
      if (a.released && b.released && a.socketsOpen === 0 && b.socketsOpen === 0) {
        clearInterval(iv);
        resolve();
      }
    }, 50);
  });
});

test("bad remote descriptions are refused with a clear reason", { timeout: 20000 }, async () => {
  const pc = factory.createPeerConnection({ bindAddresses: ["127.0.0.1"] });
  const offerer = factory.createPeerConnection({ bindAddresses: ["127.0.0.1"] });
  try {
    await assert.rejects(pc.setRemoteDescription({ type: "offer", sdp: "this is not sdp" }), /malformed|v=/i);
    const good = (await offerer.createOffer()).sdp;
    const noData = good.replace(/m=application [^\r\n]*/, "m=audio 9 UDP/TLS/RTP/SAVPF 111");
    await assert.rejects(pc.setRemoteDescription({ type: "offer", sdp: noData }), /no data channel section/);
    const sha1 = good.replace(/a=fingerprint:sha-256 [0-9A-F:]+/, "a=fingerprint:sha-1 " + Array(20).fill("AB").join(":"));
    await assert.rejects(pc.setRemoteDescription({ type: "offer", sdp: sha1 }), /unsupported fingerprint|sha-256 is required/);
    const noPwd = good.replace(/a=ice-pwd:[^\r\n]*\r?\n/, "");
    await assert.rejects(pc.setRemoteDescription({ type: "offer", sdp: noPwd }), /ice-pwd/);
    // Still usable after the refusals.
    await pc.setRemoteDescription({ type: "offer", sdp: good });
    const ans = await pc.createAnswer();
    assert.match(ans.sdp, /a=fingerprint:sha-256 /);
  } finally {
    pc.close();
    offerer.close();
  }
});

test("every peer of these tests was released by the core", { timeout: 10000 }, async () => {
  const deadline = Date.now() + 8000;
  while (factory.core.livePeers > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(factory.core.livePeers, 0);
});
