// The viewer page's camera and intercom in headless Chromium against the device on the Wasm core:
// the device's clip plays without freezing at about its frame rate, and the page's microphone
// (Chromium's fake device) raises micLevel in the device's telemetry while Talk is on.
// The screenshot lands in build/screenshots/viewer-media.png for a human to look at.
import { test, describe, after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { projectRoot } from "../../host/core.js";
import { startDevice, type Device } from "../../host/device/device.js";
import { CLIP, loadClip } from "../../host/device/media-files.js";
import { ViewerMedia } from "../../host/device/camera.js";
import type { MediaPeer } from "../../host/peer-api.js";
import { launchChromium, type ChromiumSession } from "../helpers/chromium.js";
import { LOOPBACK, PEER_STACKS } from "../helpers/peer-stacks.js";
import { haveFfmpeg, FFMPEG_SKIP } from "../core/rtp_support.js";

const SHOTS = resolve(projectRoot(), "build", "screenshots");
const wasmpeer = PEER_STACKS.find((s) => s.name === "wasmpeer");
const skip = !haveFfmpeg() ? FFMPEG_SKIP : !wasmpeer ? "the wasmpeer stack is not in WASMPEER_DEVICE_STACKS" : false;

async function until(what: string, ms: number, ok: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the viewer page's camera and intercom (device peer: wasmpeer)", { timeout: 180_000, skip }, () => {
  let device: Device;
  let chromium: ChromiumSession;
  const console: string[] = [];

  before(async () => {
    device = await startDevice({ peerFactory: wasmpeer!.factory, port: 0, peerConfig: LOOPBACK });
    // A fake camera and microphone, granted without a prompt: the page only ever uses the microphone.
    chromium = await launchChromium({ args: ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required"], onConsole: (t) => console.push(t) });
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await chromium?.close();
    await device?.close();
  });

  // The page's video inbound-rtp framesDecoded, straight from its RTCPeerConnection.
  const framesDecoded = () => chromium.page.evaluate(async () => {
    const pc = (window as unknown as { viewer: { pc: () => RTCPeerConnection | null } }).viewer.pc();
    if (!pc) return 0;
    let n = 0;
    (await pc.getStats()).forEach((r: any) => {
      if (r.type === "inbound-rtp" && r.kind === "video") n = r.framesDecoded ?? 0;
    });
    return n;
  });
  const status = async () => (await fetch(new URL("/status", device.url))).json() as Promise<any>;

  test("the camera plays at about its frame rate for 5 s without a freeze", async (t) => {
    const { page } = chromium;
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(device.url);
    try {
      await until("the page to reach connected", 20_000, async () => (await page.textContent("#conn-state")) === "connected");
      // The first viewer may wait for ffmpeg to make the clip.
      await until("the first decoded frames", 30_000, async () => (await framesDecoded()) >= 5);
    } finally {
      t.diagnostic(`page console: ${console.join(" | ") || "(empty)"}; device: ${JSON.stringify((await status()).media)}`);
    }
    const samples: { at: number; frames: number }[] = [];
    const start = performance.now();
    while (performance.now() - start < 5000) {
      samples.push({ at: performance.now(), frames: await framesDecoded() });
      await new Promise((r) => setTimeout(r, 200));
    }
    samples.push({ at: performance.now(), frames: await framesDecoded() });
    const first = samples[0];
    const last = samples[samples.length - 1];
    const fps = ((last.frames - first.frames) * 1000) / (last.at - first.at);
    t.diagnostic(`${last.frames - first.frames} frames in ${((last.at - first.at) / 1000).toFixed(1)} s: ${fps.toFixed(1)} fps (source ${CLIP.fps})`);
    assert.ok(fps >= CLIP.fps * 0.6 && fps <= CLIP.fps * 1.5, `decoded ${fps.toFixed(1)} fps`);
    // No second without a new frame: every sample is passed by one at most 1 s later.
    for (const s of samples) {
      const later = samples.find((x) => x.at - s.at >= 1000);
      if (later) assert.ok(later.frames > s.frames, `no new frame between ${(s.at - start).toFixed(0)} and ${(later.at - start).toFixed(0)} ms`);
    }
    const media = (await status()).media;
    t.diagnostic(`device: ${JSON.stringify(media)}`);
    assert.equal(media.length, 1);
    assert.ok(["H264", "VP8"].includes(media[0].videoCodec));
    assert.ok(media[0].audioFramesSent > 100, "the device's chirp goes out");

    await until("the Camera card's figures", 5000, async () => /fps/.test((await page.textContent("#v-frames")) ?? ""));
    t.diagnostic(`card: ${await page.textContent("#v-frames")}; ${await page.textContent("#v-size")}; lost/nack ${await page.textContent("#v-lost")}; jitter ${await page.textContent("#v-jitter")}`);
    await page.waitForTimeout(1500); // a fuller telemetry chart for the screenshot
    const shot = resolve(SHOTS, "viewer-media.png");
    await page.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}`);
  });

  test("a device that sends VP8 only: the page decodes that too", async (t) => {
    const vp8 = await startDevice({ peerFactory: wasmpeer!.factory, port: 0, peerConfig: { ...LOOPBACK, media: { videoSend: ["VP8"], audioSend: ["PCMU"], audioReceive: ["PCMU"] } } });
    const tab = await chromium.browser.newPage();
    try {
      await tab.goto(vp8.url);
      await until("the VP8 camera on the card", 30_000, async () => /VP8/.test((await tab.textContent("#v-size")) ?? ""));
      const decoded = async () => Number(/^(\d+)/.exec((await tab.textContent("#v-frames")) ?? "")?.[1] ?? 0);
      const before = await decoded();
      await tab.waitForTimeout(3000);
      const after = await decoded();
      t.diagnostic(`VP8: ${after - before} frames decoded in about 3 s; ${await tab.textContent("#v-size")}`);
      assert.ok(after - before >= CLIP.fps * 3 * 0.5, `VP8 frames decoded: ${after - before}`);
    } finally {
      await tab.close();
      await vp8.close();
    }
  });

  test("Talk sends the microphone: micLevel in telemetry rises above silence, and falls back after", async (t) => {
    const { page } = chromium;
    const level = async () => {
      const v = await page.getAttribute("#mic-level", "data-level");
      return v === null || v === "" ? null : Number(v);
    };
    await until("a telemetry reading without microphone", 5000, async () => (await page.getAttribute("#mic-level", "data-level")) === "");
    await page.click("#talk"); // a click latches talking on, once the microphone has started
    await until("Talk to show it is on", 10_000, async () => (await page.getAttribute("#talk", "aria-pressed")) === "true");
    let peak = -Infinity;
    await until("micLevel above silence", 15_000, async () => {
      const l = await level();
      if (l !== null) peak = Math.max(peak, l);
      return peak > -50;
    });
    t.diagnostic(`micLevel peak ${peak} dBFS; device: ${JSON.stringify((await status()).media)}`);
    await page.click("#talk");
    await until("Talk to show it is off", 5000, async () => (await page.getAttribute("#talk", "aria-pressed")) === "false");
    await until("micLevel back to silence", 10_000, async () => (await level()) === null);
  });
});

// The camera's pacing without a browser: a stand-in peer records what the device sends.
test("a keyframe request puts the current group of pictures' keyframe next; timestamps follow the clocks", { skip: haveFfmpeg() ? false : FFMPEG_SKIP }, async () => {
  const sent: { kind: string; ts: number; key: boolean; bytes: number }[] = [];
  const peer = {
    connectionState: "connected",
    onkeyframerequest: null,
    onmediaframe: null,
    mediaTracks: () => [
      { track: 0, mid: "1", kind: "video", direction: "sendonly", codec: "H264", receiveCodec: "", payloadType: 102, clockRate: 90000 },
      { track: 1, mid: "2", kind: "audio", direction: "sendrecv", codec: "PCMU", receiveCodec: "PCMU", payloadType: 0, clockRate: 8000 },
    ],
    sendVideoFrame: (f: Uint8Array, ts: number, key?: boolean) => (sent.push({ kind: "video", ts, key: !!key, bytes: f.length }), 1),
    sendAudioFrame: (f: Uint8Array, ts: number) => (sent.push({ kind: "audio", ts, key: false, bytes: f.length }), 1),
  } as unknown as MediaPeer;
  const m = new ViewerMedia(peer, () => {});
  m.sendVideo(0, CLIP.fps); // learns the codec and starts loading the clip
  const clip = await loadClip("H264");
  for (let n = 1; n <= 20; n++) m.sendVideo(n, CLIP.fps);
  for (let n = 0; n < 3; n++) m.sendAudio(n, new Uint8Array(160));
  const video = sent.filter((s) => s.kind === "video");
  assert.equal(video.length, 20);
  assert.equal(video[0].key, true, "a viewer starts at a keyframe");
  for (let i = 1; i < video.length; i++) assert.equal((video[i].ts - video[i - 1].ts) >>> 0, 90000 / CLIP.fps);
  const audio = sent.filter((s) => s.kind === "audio");
  assert.deepEqual(audio.map((a) => (a.ts - audio[0].ts) >>> 0), [0, 160, 320]);
  assert.equal(audio[0].bytes, 160);
  // Clip frames 0-19 went out (frame 0 of the device clock came before the clip was loaded); the
  // clip's second keyframe is frame 15, so a request goes back to it.
  assert.equal(video.filter((v) => v.key).length, 2);
  peer.onkeyframerequest!({ track: 0 });
  m.sendVideo(21, CLIP.fps);
  const answer = sent[sent.length - 1];
  assert.equal(answer.key, true, "the next frame after a keyframe request is a keyframe");
  assert.equal(answer.bytes, clip.frames[CLIP.gop].data.length);
  assert.equal((answer.ts - video[video.length - 1].ts) >>> 0, 90000 / CLIP.fps, "time keeps going forward");
  m.detach();
});
