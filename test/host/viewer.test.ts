// The viewer page in headless Chromium against the device it is served by: it connects, draws
// telemetry, round-trips a control command, shows link stats, and reconnects after a reload.
// Screenshots land in build/screenshots/ for a human to look at.
import { test, describe, after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { projectRoot } from "../../host/core.js";
import { startDevice, type Device } from "../../host/device/device.js";
import { launchChromium, type ChromiumSession } from "../helpers/chromium.js";
import { LOOPBACK, PEER_STACKS } from "../helpers/peer-stacks.js";

const SHOTS = resolve(projectRoot(), "build", "screenshots");

async function until(what: string, ms: number, ok: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const stack of PEER_STACKS) {
  describe(`the viewer page in Chromium (device peer: ${stack.name})`, { timeout: 180_000 }, () => {
    let device: Device;
    let chromium: ChromiumSession;
    const console: string[] = [];
    const deviceLog: string[] = [];

    before(async () => {
      device = await startDevice({ peerFactory: stack.factory, port: 0, peerConfig: LOOPBACK, log: (l) => deviceLog.push(`${(performance.now() / 1000).toFixed(1)}s ${l}`) });
      chromium = await launchChromium({ onConsole: (t) => console.push(t) });
      mkdirSync(SHOTS, { recursive: true });
    });
    after(async () => {
      await chromium?.close();
      await device?.close();
    });

    const connState = () => chromium.page.textContent("#conn-state");
    const points = async () => Number(await chromium.page.getAttribute("#chart", "data-points"));

    test("connects, draws telemetry, round-trips a command, shows stats", async (t) => {
      const { page } = chromium;
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(device.url);
      try {
        await until("the page to reach connected", 20_000, async () => (await connState()) === "connected");
      } finally {
        t.diagnostic(`page console: ${console.join(" | ") || "(empty)"}`);
      }
      await until("telemetry points on the chart", 10_000, async () => (await points()) >= 10);
      assert.equal(device.viewerCount(), 1);

      await page.click("#led-toggle");
      await page.click('#fan-speeds button[data-speed="2"]');
      await until("two replies", 5000, async () => (await page.locator("#reply-log li.ok").count()) >= 2);
      const replies = await page.locator("#reply-log li").allTextContents();
      assert.ok(replies.some((r) => /"cmd":"led".*→ \{"led":true\}/.test(r)), replies.join("\n"));
      assert.ok(replies.some((r) => /"cmd":"fan".*→ \{"fan":2\}/.test(r)), replies.join("\n"));
      assert.equal(device.sensors.led, true);
      assert.equal(device.sensors.fan, 2);
      // The LED indicator follows the telemetry, which reports the new state.
      await until("the LED indicator", 3000, async () => (await page.getAttribute("#led-indicator", "data-on")) === "true");

      await until("an RTT from getStats", 10_000, async () => /ms$/.test((await page.textContent("#s-rtt")) ?? ""));
      const rtt = await page.textContent("#s-rtt");
      const received = await page.textContent("#s-received");
      const messages = await page.textContent("#s-messages");
      t.diagnostic(`stats: rtt ${rtt}, received ${received}, messages ${messages}, path ${await page.textContent("#s-path")}`);
      assert.match(messages ?? "", /[1-9]\d* received/);
      await page.waitForTimeout(2500); // a fuller chart for the screenshot
      const shot = resolve(SHOTS, `viewer-${stack.name}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      t.diagnostic(`screenshot: ${shot}`);
    });

    test("a reload reconnects, and the old session is gone", async () => {
      const { page } = chromium;
      await page.reload();
      await until("connected again", 20_000, async () => (await connState()) === "connected");
      await until("telemetry after the reload", 10_000, async () => (await points()) >= 3);
      // pagehide sent DELETE for the old session; the device is back to one viewer.
      await until("one viewer on the device", 10_000, () => device.viewerCount() === 1);
      await page.click("#ping");
      await until("the ping reply", 5000, async () => (await page.locator("#reply-log li.ok").count()) >= 1);
    });

    test("browser peers on the same device: echo and sink channels, eight viewers at once", async (t) => {
      const { page } = chromium;
      await page.click("#connect-toggle"); // the page's own viewer steps aside, leaving 8 free slots
      await until("no viewers", 10_000, () => device.viewerCount() === 0);
      const results = await page.evaluate(runBrowserPeers, { count: 8 });
      t.diagnostic(JSON.stringify(results[0]));
      assert.equal(results.length, 8);
      for (const r of results) {
        assert.equal(r.status, 201, r.error);
        assert.equal(r.text, "echo me");
        assert.equal(r.binaryIntact, true);
        assert.equal(r.sink, `DONE ${r.sinkBytes}`);
        assert.equal(r.telemetry, true);
      }
      await until("the eight sessions to end", 10_000, () => device.viewerCount() === 0);
      await page.click("#connect-toggle");
      await until("the page connected again", 20_000, async () => (await connState()) === "connected");
    });

    test("a browser tab that goes away without DELETE leaves no session behind", async (t) => {
      const tab = await chromium.browser.newPage();
      const before = device.viewerCount();
      try {
        await tab.goto(new URL("/status", device.url).href);
        const [r] = await tab.evaluate(runBrowserPeers, { count: 1, keep: true });
        assert.equal(r.error, "");
        assert.equal(device.viewerCount(), before + 1);
      } finally {
        await tab.close();
      }
      t.diagnostic(`tab closed at ${(performance.now() / 1000).toFixed(1)}s`);
      try {
        await until("the vanished viewer's session to end", 60_000, () => device.viewerCount() === before);
      } finally {
        t.diagnostic(deviceLog.slice(-4).join(" | "));
      }
    });

    test("Disconnect ends the session on the device; Connect starts a new one", async () => {
      const { page } = chromium;
      await page.click("#connect-toggle");
      assert.equal(await connState(), "closed");
      await until("no viewers", 10_000, () => device.viewerCount() === 0);
      await page.click("#connect-toggle");
      await until("connected again", 20_000, async () => (await connState()) === "connected");
      assert.equal(device.viewerCount(), 1);
    });
  });
}

// Runs inside the page: `count` plain RTCPeerConnections at once, each doing WHEP without trickle
// (the offer waits for its candidates), then echo (text and 256 KiB binary), sink, and a telemetry
// reading; finally DELETE, unless `keep` (then the peers stay up and the session is never ended).
// Returns what each saw.
async function runBrowserPeers({ count, keep = false }: { count: number; keep?: boolean }) {
  const withTimeout = <T,>(p: Promise<T>, ms: number, what: string) =>
    Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), ms))]);
  const message = (ch: RTCDataChannel) => new Promise<MessageEvent>((resolve) => ch.addEventListener("message", resolve, { once: true }));
  const opened = (ch: RTCDataChannel) => new Promise<void>((resolve) => (ch.readyState === "open" ? resolve() : ch.addEventListener("open", () => resolve(), { once: true })));
  async function one() {
    const pc = new RTCPeerConnection();
    const out = { status: 0, text: "", binaryIntact: false, sink: "", sinkBytes: 0, telemetry: false, error: "" };
    try {
      const echo = pc.createDataChannel("echo");
      echo.binaryType = "arraybuffer";
      const sink = pc.createDataChannel("sink");
      const telemetry = new Promise<void>((resolve) => {
        pc.ondatachannel = ({ channel }) => channel.addEventListener("message", () => resolve(), { once: true });
      });
      await pc.setLocalDescription(await pc.createOffer());
      await withTimeout(new Promise<void>((resolve) => {
        if (pc.iceGatheringState === "complete") resolve();
        pc.addEventListener("icegatheringstatechange", () => pc.iceGatheringState === "complete" && resolve());
      }), 5000, "gathering");
      const res = await fetch("/whep", { method: "POST", headers: { "Content-Type": "application/sdp" }, body: pc.localDescription!.sdp });
      out.status = res.status;
      const answer = await res.text();
      if (res.status !== 201) throw new Error(answer);
      const session = res.headers.get("Location")!;
      await pc.setRemoteDescription({ type: "answer", sdp: answer });
      await withTimeout(Promise.all([opened(echo), opened(sink)]), 15_000, "channels open");
      let reply = message(echo);
      echo.send("echo me");
      out.text = String((await withTimeout(reply, 5000, "echo text")).data);
      const data = new Uint8Array(262144);
      crypto.getRandomValues(data.subarray(0, 65536));
      data.set(data.subarray(0, 65536), 65536 * 3);
      reply = message(echo);
      echo.send(data);
      const back = new Uint8Array((await withTimeout(reply, 10_000, "echo binary")).data as ArrayBuffer);
      out.binaryIntact = back.length === data.length && back.every((b, i) => b === data[i]);
      for (let i = 0; i < 20; i++) {
        sink.send(new Uint8Array(16384));
        out.sinkBytes += 16384;
      }
      const done = message(sink);
      sink.send("END");
      out.sink = String((await withTimeout(done, 10_000, "sink DONE")).data);
      await withTimeout(telemetry, 5000, "a telemetry reading");
      out.telemetry = true;
      if (!keep) await fetch(session, { method: "DELETE" });
    } catch (e) {
      out.error = String(e);
    } finally {
      if (keep) ((window as unknown as { keptPeers: RTCPeerConnection[] }).keptPeers ??= []).push(pc);
      else pc.close();
    }
    return out;
  }
  return Promise.all(Array.from({ length: count }, one));
}
