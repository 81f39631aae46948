// Headless Chromium's RTCPeerConnection offers recvonly video + sendrecv audio + a data channel to
// host/peer.ts, which answers with media and sends H.264 (ffmpeg-made, 320x240@15) at its frame
// rate. The page's getStats() inbound-rtp framesDecoded must keep growing: the browser decodes our
// video. The page's microphone (a WebAudio oscillator) comes back to us as Opus frames.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "../helpers/chromium.js";
import { createPeerFactory } from "../../host/peer.js";
import { haveFfmpeg, FFMPEG_SKIP, h264Stream, accessUnits, annexB } from "../core/rtp_support.js";

const skip = haveFfmpeg() ? false : FFMPEG_SKIP;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("chromium decodes H.264 from host/peer.ts and sends it Opus audio", { timeout: 60000, skip }, async (t) => {
  const frames = accessUnits(h264Stream(6, "320x240", 15)).map((au) => ({ data: annexB(au), key: au.some((n) => (n[0] & 0x1f) === 5) }));
  const factory = createPeerFactory({ provider: "host" });
  const s = await launchChromium();
  const us = factory.createPeerConnection({ bindAddresses: ["127.0.0.1"] });
  let sender: NodeJS.Timeout | null = null;
  try {
    await s.page.goto("about:blank");
    t.diagnostic(`chromium ${s.version}`);
    const offer: string = await s.page.evaluate(async () => {
      const w = window as any;
      const pc = new RTCPeerConnection();
      w.pc = pc;
      pc.addTransceiver("video", { direction: "recvonly" });
      const ctx = new AudioContext();
      const osc = ctx.createOscillator();
      const dest = ctx.createMediaStreamDestination();
      osc.connect(dest);
      osc.start();
      pc.addTransceiver(dest.stream.getAudioTracks()[0], { direction: "sendrecv" });
      w.dc = pc.createDataChannel("control");
      const gathered = new Promise<void>((resolve) => {
        pc.onicegatheringstatechange = () => pc.iceGatheringState === "complete" && resolve();
        setTimeout(resolve, 3000);
      });
      await pc.setLocalDescription(await pc.createOffer());
      await gathered;
      return pc.localDescription!.sdp;
    });
    assert.match(offer, /m=video/);
    assert.match(offer, /m=audio/);

    let keyframeRequests = 0;
    let audioFrames = 0;
    us.onkeyframerequest = () => keyframeRequests++;
    us.onmediaframe = (ev) => {
      if (ev.kind === "audio") audioFrames++;
    };
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

    const tracks = us.mediaTracks();
    t.diagnostic(JSON.stringify(tracks));
    const video = tracks.find((m) => m.kind === "video");
    assert.ok(video && video.codec === "H264" && video.direction === "sendonly", "video answered sendonly H.264");
    assert.ok(tracks.find((m) => m.kind === "audio" && m.direction === "sendrecv"), "audio answered sendrecv");

    for (let i = 0; i < 200 && us.connectionState !== "connected"; i++) await sleep(50);
    assert.equal(us.connectionState, "connected");
    // Until SRTP is keyed a frame is refused (-2): keep the first keyframe until it goes.
    let i = 0;
    sender = setInterval(() => {
      const f = frames[i % frames.length];
      const r = us.sendVideoFrame(f.data, (i * 6000) >>> 0, f.key);
      if (r >= 0 || i > 0) i++;
    }, 1000 / 15);

    const decoded = async () => s.page.evaluate(async () => {
      const stats = await (window as any).pc.getStats();
      let n = 0;
      stats.forEach((r: any) => {
        if (r.type === "inbound-rtp" && r.kind === "video") n = r.framesDecoded ?? 0;
      });
      return n;
    });
    await sleep(1500);
    const first = await decoded();
    await sleep(3000);
    const second = await decoded();
    const stats = us.getMediaStats(video!.track);
    t.diagnostic(`framesDecoded ${first} -> ${second}; sent ${i}; keyframe requests ${keyframeRequests}; audio frames in ${audioFrames}; ${JSON.stringify(stats)}`);
    assert.ok(second - first >= 20, `framesDecoded grew by ${second - first} in 3 s`);
    assert.ok(audioFrames >= 20, `Opus frames from the page: ${audioFrames}`);
  } finally {
    if (sender) clearInterval(sender);
    us.close();
    await s.close();
  }
});
