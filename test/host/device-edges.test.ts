// The simulated device at its edges, against each device stack: headless Chromium echoes 16 MiB
// through the device under bufferedAmountLowThreshold flow control, and bad or vanishing viewers are
// answered or cleaned up while one healthy viewer, connected throughout, keeps receiving telemetry.
// Everything stays on loopback; every wait is bounded.
import { test, describe, after, before } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { startDevice, type Device } from "../../host/device/device.js";
import type { DataChannel } from "../../host/peer-api.js";
import { WeriftPeer } from "../../host/werift-peer.js";
import { launchChromium, type ChromiumSession } from "../helpers/chromium.js";
import { LOOPBACK, PEER_STACKS } from "../helpers/peer-stacks.js";
import { postOffer, waitChannel, waitConnected, waitOpen, whepConnect } from "../helpers/whep-viewer.js";

// Short session limits, so a test sees a cleanup in seconds rather than the defaults' 30 s and 10 s.
const CONNECT_TIMEOUT_MS = 3000;
const DISCONNECTED_GRACE_MS = 2000;

async function until(what: string, ms: number, ok: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function postSdp(device: Device, sdp: string): Promise<{ status: number; text: string }> {
  const res = await fetch(new URL("/whep", device.url), { method: "POST", headers: { "Content-Type": "application/sdp" }, body: sdp, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, text: await res.text() };
}

async function statusViewers(device: Device): Promise<number> {
  const res = await fetch(new URL("/status", device.url), { signal: AbortSignal.timeout(5000) });
  return ((await res.json()) as { viewers: number }).viewers;
}

// A real offer from a werift peer with a data channel (gathered, so it carries candidates), to bend
// into the bad offers below. The peer is closed at once: only its text is wanted.
async function sampleOffer(): Promise<string> {
  const peer = new WeriftPeer(LOOPBACK);
  try {
    peer.createDataChannel("control");
    let gathered!: () => void;
    const done = new Promise<void>((r) => (gathered = r));
    peer.onicecandidate = ({ candidate }) => candidate === null && gathered();
    await peer.setLocalDescription(await peer.createOffer());
    await Promise.race([done, new Promise((r) => setTimeout(r, 3000))]);
    return peer.localDescription!.sdp;
  } finally {
    peer.close();
  }
}

// Makes a werift peer fall silent the way a viewer does when its machine drops off the network:
// nothing more leaves or arrives on its UDP sockets, and it sends no SCTP ABORT or SHUTDOWN, no
// DELETE. (Closing the sockets instead would make werift's later sends throw out of its timers.)
function silence(peer: WeriftPeer): void {
  for (const ice of peer.inner.iceTransports) {
    for (const protocol of (ice.connection as unknown as { protocols: Array<{ transport?: { socket?: { removeAllListeners(e: string): void }; send: unknown } }> }).protocols) {
      const transport = protocol.transport;
      if (!transport) continue;
      transport.send = async () => {};
      transport.socket?.removeAllListeners("message");
    }
  }
}

let chromium: ChromiumSession | null = null;
after(async () => {
  // Never let a stuck browser outlive the run.
  if (chromium) await Promise.race([chromium.close(), new Promise((r) => setTimeout(r, 10_000).unref())]);
});

// The 16 MiB echo once stalled under load: the core's SCTP receiver, its buffer full of data
// waiting behind a lost chunk, refused that chunk's retransmission (fixed in
// assembly/sctp/data_receiver.ts, RFC 9260 §6.2; regression test in sctp_bad_input2.test.ts).
// The watcher below still reports both sides' figures if a transfer ever stops again.

// What the werift device stack sits out, to keep the file well under 90 s.
const WERIFT_SKIPS = {
  echo: "about 20 s for 16 MiB on the werift device stack; the Wasm core stack is the one under test",
  consent: "werift's consent expiry is a fixed 30 s (its CONSENT_TIMEOUT), which no option shortens",
};

for (const stack of PEER_STACKS) {
  const onWerift = (reason: string) => ({ skip: stack.name === "werift" ? reason : false });
  const echoOptions = onWerift(WERIFT_SKIPS.echo);
  describe(`the device at its edges (device peer: ${stack.name})`, { timeout: 120_000 }, () => {
    let device: Device;
    const deviceLog: string[] = [];
    const clients: WeriftPeer[] = [];
    // The viewer that stays connected through every test, counting the readings it receives.
    let healthy: WeriftPeer;
    let readings = 0;
    let healthyId = "";
    const healthySession = () => device.whep.sessions.get(healthyId)?.peer;

    const client = () => {
      const c = new WeriftPeer(LOOPBACK);
      clients.push(c);
      return c;
    };

    // Why the device ended a session, from its log ("viewer <first 8 of the id>: ended (<reason>)").
    const endReason = (location: string) => {
      const id = location.split("/").pop()!.slice(0, 8);
      for (const line of deviceLog) {
        const m = new RegExp(`^viewer ${id}: ended \\((.*)\\);`).exec(line);
        if (m) return m[1];
      }
      return null;
    };

    async function healthyStillReceiving(event: string): Promise<void> {
      const start = readings;
      await until(`the healthy viewer's telemetry after ${event}`, 5000, () => readings >= start + 3);
      assert.equal(healthy.connectionState, "connected", `the healthy viewer is still connected after ${event}`);
    }

    before(async () => {
      device = await startDevice({
        peerFactory: stack.factory, port: 0, peerConfig: LOOPBACK,
        connectTimeoutMs: CONNECT_TIMEOUT_MS, disconnectedGraceMs: DISCONNECTED_GRACE_MS,
        log: (l) => deviceLog.push(l),
      });
      healthy = client();
      healthy.createDataChannel("control");
      const telemetry = waitChannel(healthy, "telemetry");
      telemetry.catch(() => {}); // awaited below; a failure before that must not leave it unhandled
      healthyId = (await whepConnect(device.url, healthy)).location!.split("/").pop()!;
      await waitConnected(healthy);
      (await telemetry).onmessage = () => readings++;
      await healthyStillReceiving("connecting");
    });
    after(async () => {
      for (const c of clients) c.close();
      await device?.close();
    });

    test("Chromium echoes 16 MiB of random binary through the device; SHA-256 of both sides equal", echoOptions, async (t) => {
      chromium ??= await launchChromium();
      const page = chromium.page;
      // Any page of the device: http://127.0.0.1 is a secure context (crypto.subtle), and /whep is same-origin.
      await page.goto(new URL("/status", device.url).href);
      // If the echo stalls, what the device's side of the page's session looked like then.
      let stalled = "";
      const watch = setInterval(() => {
        for (const session of device.whep.sessions.values()) {
          if (session.peer === healthySession()) continue;
          const st = session.peer.getStats();
          stalled = `device side: ${session.peer.connectionState}, sent ${st.bytesSent} B / received ${st.bytesReceived} B, rtt ${st.rttMs}`;
        }
      }, 1000);
      const r = await page.evaluate(echoFromPage, { total: 16 * 1024 * 1024 }).finally(() => clearInterval(watch));
      if (r.error) t.diagnostic(`${r.error}; ${stalled}; page: ${r.pageState}`);
      else t.diagnostic(`16 MiB echoed in ${Math.round(r.ms)} ms, ${r.lowEvents} bufferedamountlow events`);
      assert.equal(r.error, "");
      assert.equal(r.got, 16 * 1024 * 1024);
      assert.match(r.sent, /^[0-9a-f]{64}$/);
      assert.equal(r.back, r.sent, "the echoed bytes hash the same as the sent ones");
      assert.ok(r.lowEvents > 0, "flow control was exercised");
      await until("the page's session to end after its DELETE", 5000, () => device.viewerCount() === 1);
      await healthyStillReceiving("the 16 MiB echo");
    });

    test("malformed SDP: 400 with the parser's reason", async () => {
      const offer = await sampleOffer();
      for (const bad of [offer.replace(/^m=application .*$/m, "m=application nine UDP/DTLS/SCTP"), "v=0\r\no=\r\n", offer.slice(0, offer.indexOf("a=ice-ufrag"))]) {
        const r = await postSdp(device, bad);
        assert.equal(r.status, 400, r.text);
        assert.match(r.text, /^bad SDP offer: \S.{5,}/, "the answer says what is wrong");
      }
      assert.equal(await statusViewers(device), 1, "refused offers hold no session");
      await healthyStillReceiving("malformed offers");
    });

    test("an audio-only offer: 400 naming the missing data channel section", async () => {
      // The same offer with its data section turned into an Opus audio section.
      const offer = (await sampleOffer())
        .replace(/^m=application .*$/m, "m=audio 9 UDP/TLS/RTP/SAVPF 111")
        .replace(/^a=(sctp-port|max-message-size):.*\r\n/gm, "")
        .concat("a=rtpmap:111 opus/48000/2\r\na=sendrecv\r\na=rtcp-mux\r\n");
      assert.doesNotMatch(offer, /^m=application/m);
      const r = await postSdp(device, offer);
      assert.equal(r.status, 400, r.text);
      // Whether the peer or the device refuses it first, the reason names the section that is missing.
      assert.match(r.text, /data channel section/);
      assert.match(r.text, /m=application/);
      assert.equal(await statusViewers(device), 1);
      await healthyStillReceiving("an audio-only offer");
    });

    test("an offer whose only fingerprint is sha-1: 400", async () => {
      const sha1 = Array.from(randomBytes(20), (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
      const offer = (await sampleOffer()).replace(/^a=fingerprint:sha-256 .*$/gm, `a=fingerprint:sha-1 ${sha1}`);
      assert.doesNotMatch(offer, /sha-256/);
      const r = await postSdp(device, offer);
      assert.equal(r.status, 400, r.text);
      assert.match(r.text, /sha-1/);
      assert.match(r.text, /sha-256/, "the answer says what the device needs");
      assert.equal(await statusViewers(device), 1);
      await healthyStillReceiving("a sha-1 offer");
    });

    test(`a peer that offers and then never answers checks is gone from /status within connectTimeoutMs (${CONNECT_TIMEOUT_MS} ms)`, async (t) => {
      const peer = client();
      peer.createDataChannel("control");
      const r = await postOffer(device.url, peer);
      // Gone before it reads the answer: its socket closes, the device's checks go unanswered.
      peer.close();
      assert.equal(r.status, 201, r.answer);
      const posted = Date.now();
      assert.equal(await statusViewers(device), 2, "the offer holds a session");
      await until("the silent session to leave /status", CONNECT_TIMEOUT_MS + 5000, async () => (await statusViewers(device)) === 1);
      t.diagnostic(`gone ${Date.now() - posted} ms after its answer: ${endReason(r.location!)}`);
      assert.equal(endReason(r.location!), "did not connect in time");
      await healthyStillReceiving("a silent offer");
    });

    test("a viewer that vanishes mid-transfer into sink is cleaned up by consent loss", onWerift(WERIFT_SKIPS.consent), async (t) => {
      const peer = client();
      const sink = peer.createDataChannel("sink");
      const r = await whepConnect(device.url, peer);
      await waitConnected(peer);
      await waitOpen(sink);
      const sent = stream(sink);
      await until("2 MiB into sink", 15_000, () => sent.bytes >= 2 * 1024 * 1024);
      sent.stop();
      silence(peer);
      const vanished = Date.now();
      assert.equal(device.viewerCount(), 2);
      // Consent checks go unanswered: the connection turns disconnected, then the device's grace runs out.
      await until("the vanished viewer's session to end", 45_000, async () => (await statusViewers(device)) === 1);
      t.diagnostic(`gone ${Date.now() - vanished} ms after it fell silent (${sent.bytes} bytes sent): ${endReason(r.location!)}`);
      assert.notEqual(endReason(r.location!), "deleted by the client");
      await healthyStillReceiving("a viewer vanished mid-transfer");
    });
  });
}

// Keeps a channel full (1 MiB queued at most, refilled at bufferedamountlow) until stopped.
function stream(channel: DataChannel): { bytes: number; stop(): void } {
  const chunk = new Uint8Array(randomBytes(16384));
  const state = { bytes: 0, running: true, stop: () => { state.running = false; } };
  channel.bufferedAmountLowThreshold = 256 * 1024;
  const pump = () => {
    while (state.running && channel.readyState === "open" && channel.bufferedAmount < 1024 * 1024) {
      channel.send(chunk);
      state.bytes += chunk.byteLength;
    }
  };
  channel.onbufferedamountlow = pump;
  pump();
  return state;
}

// Runs inside the page: a plain RTCPeerConnection does WHEP against the device (the offer waits for
// its candidates, so no PATCH), opens `echo`, sends `total` random bytes in 64 KiB messages paced by
// bufferedAmountLowThreshold, and hashes what it sent and what came back. DELETEs the session at the end.
async function echoFromPage({ total }: { total: number }) {
  const out = { sent: "", back: "", got: 0, ms: 0, lowEvents: 0, error: "", pageState: "" };
  const pc = new RTCPeerConnection();
  const fail = (what: string, ms: number) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), ms));
  let session: string | null = null;
  try {
    const dc = pc.createDataChannel("echo");
    (pc as unknown as { dc: RTCDataChannel }).dc = dc; // for the report if something times out
    dc.binaryType = "arraybuffer";
    await pc.setLocalDescription(await pc.createOffer());
    await Promise.race([new Promise<void>((resolve) => {
      if (pc.iceGatheringState === "complete") resolve();
      pc.addEventListener("icegatheringstatechange", () => pc.iceGatheringState === "complete" && resolve());
    }), new Promise((r) => setTimeout(r, 3000))]);
    const res = await fetch("/whep", { method: "POST", headers: { "Content-Type": "application/sdp" }, body: pc.localDescription!.sdp });
    const answer = await res.text();
    if (res.status !== 201) throw new Error(`POST /whep: ${res.status} ${answer}`);
    session = res.headers.get("Location");
    await pc.setRemoteDescription({ type: "answer", sdp: answer });
    if (dc.readyState !== "open") await Promise.race([new Promise((r) => dc.addEventListener("open", r, { once: true })), fail("echo open", 15_000)]);

    const CHUNK = 65536, HIGH = 1024 * 1024;
    const data = new Uint8Array(total);
    for (let i = 0; i < total; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
    const back = new Uint8Array(total);
    const t0 = performance.now();
    const received = new Promise<void>((resolve) => {
      dc.onmessage = (e) => {
        const b = new Uint8Array(e.data as ArrayBuffer);
        back.set(b.subarray(0, total - out.got), out.got);
        out.got += b.length;
        if (out.got >= total) resolve();
      };
    });
    dc.bufferedAmountLowThreshold = HIGH / 2;
    for (let off = 0; off < total; off += CHUNK) {
      if (dc.bufferedAmount > HIGH) {
        await Promise.race([new Promise<void>((resolve) => (dc.onbufferedamountlow = () => (out.lowEvents++, resolve()))), fail(`bufferedamountlow at ${off}`, 20_000)]);
      }
      dc.send(data.subarray(off, off + CHUNK));
    }
    await Promise.race([received, fail("the echo to come back", 40_000)]);
    out.ms = performance.now() - t0;
    const hex = async (b: Uint8Array<ArrayBuffer>) => Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", b)), (x) => x.toString(16).padStart(2, "0")).join("");
    out.sent = await hex(data);
    out.back = await hex(back);
  } catch (e) {
    out.error = String(e);
    const dc = (pc as unknown as { dc?: RTCDataChannel }).dc;
    out.pageState = `${pc.connectionState}, ${out.got} B back, channel ${dc?.readyState} with ${dc?.bufferedAmount} B buffered`;
  } finally {
    if (session) await fetch(session, { method: "DELETE" }).catch(() => {});
    pc.close();
  }
  return out;
}
