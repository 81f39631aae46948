// Headless Chromium's plain RTCPeerConnection offers to host/peer.ts over loopback UDP: connected,
// a channel echoes text and binary, and 16 MiB of random binary comes back identical under
// bufferedAmountLowThreshold flow control (DESIGN.md §4.3). Signaling goes through page.evaluate.
// Chromium here gathers host candidates on 192.0.2.2 / fd00::2 while its checks reach our
// 127.0.0.1 socket, so our side learns the browser as a peer-reflexive candidate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, type ChromiumSession } from "../helpers/chromium.js";
import { createPeerFactory, type WasmPeerConnection } from "../../host/peer.js";

// The host crypto provider (node:crypto): 32 MiB of AES-GCM each way is the point of this test, not
// the pure provider's speed (bench/ measures that).
const factory = createPeerFactory({ provider: "host" });

async function offerFromPage(s: ChromiumSession): Promise<string> {
  return s.page.evaluate(async () => {
    const w = window as any;
    const pc = new RTCPeerConnection();
    w.pc = pc;
    w.states = [];
    pc.onconnectionstatechange = () => w.states.push(pc.connectionState);
    w.dc = pc.createDataChannel("echo");
    w.dc.binaryType = "arraybuffer";
    const gathered = new Promise<void>((resolve) => {
      pc.onicegatheringstatechange = () => pc.iceGatheringState === "complete" && resolve();
      setTimeout(resolve, 3000);
    });
    await pc.setLocalDescription(await pc.createOffer());
    await gathered;
    return pc.localDescription!.sdp;
  });
}

async function answerFromUs(s: ChromiumSession, us: WasmPeerConnection, offer: string): Promise<void> {
  // Our trickled candidates go to the page once it has our answer.
  let answered!: () => void;
  const pageHasAnswer = new Promise<void>((r) => (answered = r));
  us.onicecandidate = ({ candidate }) => {
    if (!candidate) return;
    const c = { candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? "0", sdpMLineIndex: 0 };
    void pageHasAnswer.then(() => s.page.evaluate((c) => (window as any).pc.addIceCandidate(c), c)).catch(() => {});
  };
  await us.setRemoteDescription({ type: "offer", sdp: offer });
  await us.setLocalDescription(await us.createAnswer());
  await s.page.evaluate((sdp) => (window as any).pc.setRemoteDescription({ type: "answer", sdp }), us.localDescription!.sdp);
  answered();
}

function echo(us: WasmPeerConnection): void {
  us.ondatachannel = ({ channel }) => {
    channel.onmessage = (ev) => channel.send(ev.data);
  };
}

test("chromium offers, host/peer.ts answers: connected, text and binary echo, 16 MiB round trip", { timeout: 60000 }, async (t) => {
  const s = await launchChromium();
  const us = factory.createPeerConnection({ bindAddresses: ["127.0.0.1"] });
  try {
    await s.page.goto("about:blank");
    t.diagnostic(`chromium ${s.version}`);
    echo(us);
    const offer = await offerFromPage(s);
    assert.match(offer, /m=application \d+ UDP\/DTLS\/SCTP webrtc-datachannel/);
    await answerFromUs(s, us, offer);

    const small = await s.page.evaluate(async () => {
      const w = window as any;
      const dc: RTCDataChannel = w.dc;
      if (dc.readyState !== "open") {
        await new Promise<void>((resolve, reject) => {
          dc.onopen = () => resolve();
          setTimeout(() => reject(new Error(`channel not open: pc ${w.pc.connectionState}, ice ${w.pc.iceConnectionState}`)), 20000);
        });
      }
      const replies: any[] = [];
      const want = 3;
      const done = new Promise<void>((resolve) => {
        dc.onmessage = (e) => {
          replies.push(typeof e.data === "string" ? e.data : Array.from(new Uint8Array(e.data)));
          if (replies.length === want) resolve();
        };
      });
      dc.send("hello from chromium");
      dc.send(new Uint8Array([0, 1, 2, 253, 254, 255]));
      dc.send("");
      await done;
      return { replies, state: w.pc.connectionState };
    });
    assert.equal(small.state, "connected");
    assert.deepEqual(small.replies, ["hello from chromium", [0, 1, 2, 253, 254, 255], ""]);
    assert.equal(us.connectionState, "connected");
    t.diagnostic(`selected pair ${JSON.stringify(us.getStats().selectedCandidatePair)}`);

    // 16 MiB of random binary in 64 KiB messages, paced by bufferedAmountLowThreshold, echoed back.
    const big = await s.page.evaluate(async () => {
      const dc: RTCDataChannel = (window as any).dc;
      const TOTAL = 16 * 1024 * 1024, CHUNK = 65536, HIGH = 1024 * 1024;
      const data = new Uint8Array(TOTAL);
      for (let i = 0; i < TOTAL; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
      const back = new Uint8Array(TOTAL);
      let got = 0;
      const t0 = performance.now();
      const received = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${got} of ${TOTAL} bytes came back`)), 35000);
        dc.onmessage = (e) => {
          const b = new Uint8Array(e.data);
          back.set(b, got);
          got += b.length;
          if (got >= TOTAL) {
            clearTimeout(timer);
            resolve();
          }
        };
      });
      dc.bufferedAmountLowThreshold = HIGH / 2;
      let lowEvents = 0;
      for (let off = 0; off < TOTAL; off += CHUNK) {
        if (dc.bufferedAmount > HIGH) {
          await new Promise<void>((resolve) => (dc.onbufferedamountlow = () => (lowEvents++, resolve())));
        }
        dc.send(data.subarray(off, off + CHUNK));
      }
      await received;
      const ms = performance.now() - t0;
      // about:blank is no secure context (no crypto.subtle): compare byte for byte, and an FNV-1a
      // of each side for the report.
      let mismatch = -1;
      for (let i = 0; i < TOTAL; i++) if (data[i] !== back[i]) { mismatch = i; break; }
      const h = (b: Uint8Array) => { let x = 0x811c9dc5; for (let i = 0; i < b.length; i++) x = Math.imul(x ^ b[i], 0x01000193) >>> 0; return x.toString(16); };
      return { sent: h(data), back: h(back), mismatch, got, ms, lowEvents };
    });
    t.diagnostic(`16 MiB round trip in ${Math.round(big.ms)} ms (${(32 / (big.ms / 1000)).toFixed(1)} MiB/s both ways), ${big.lowEvents} bufferedamountlow events`);
    assert.equal(big.got, 16 * 1024 * 1024);
    assert.equal(big.mismatch, -1, `first differing byte at ${big.mismatch}`);
    assert.equal(big.back, big.sent, "the echoed bytes are identical");
    assert.ok(big.lowEvents > 0, "flow control was exercised");

    // The page closes: we see the channel and the connection end.
    const closed = new Promise<void>((resolve) => {
      us.onconnectionstatechange = () => (us.connectionState === "closed" || us.connectionState === "disconnected" || us.connectionState === "failed") && resolve();
    });
    await s.page.evaluate(() => (window as any).pc.close());
    await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))]);
    t.diagnostic(`after the page closed: ${us.connectionState}`);
  } finally {
    us.close();
    // Never let a stuck browser outlive the test (the run must end).
    await Promise.race([s.close(), new Promise((r) => setTimeout(r, 10000).unref())]);
  }
});
