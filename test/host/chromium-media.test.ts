// Headless Chromium's RTCPeerConnection offers recvonly video + sendrecv audio + a data channel to
// host/peer.ts, which answers with media and sends an ffmpeg-made clip (H.264 or VP8, 320x240@15,
// one keyframe per loop) at its frame rate. The page's getStats() inbound-rtp video, sampled every
// 250 ms, must show frames decoded at about the rate we send them, without a stall:
//  - no loss: >= 80% of the source rate, no flat stretch over 1 s, and no Chromium freeze that our
//    own sender's timing does not explain;
//  - 5% of our RTP lost on the way (test/helpers/udp-impair.ts) once the browser decodes: it NACKs,
//    we retransmit (RTX), and it still decodes >= 70% of the source rate without a 1 s stall.
//    Keyframe requests are not answered, so only retransmission can keep the decoder going, from
//    the first keyframe on. (Chromium 156 never decoded a first keyframe whose lone SEI packet
//    came late by retransmission; the packetizer now aggregates SPS, PPS and SEI in one STAP-A.)
// The page's microphone (a WebAudio oscillator) comes back to us as Opus frames.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { launchChromium, type ChromiumSession } from "../helpers/chromium.js";
import { UdpImpair, withoutCandidates } from "../helpers/udp-impair.js";
import { createPeerFactory } from "../../host/peer.js";
import type { VideoCodecName } from "../../host/peer-api.js";
import { haveFfmpeg, FFMPEG_SKIP, h264Stream, vp8Frames, vp8IsKeyframe, accessUnits, annexB } from "../core/rtp_support.js";

const skip = haveFfmpeg() ? false : FFMPEG_SKIP;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const FPS = 15;
const CLIP_SECONDS = 6;
const SAMPLE_MS = 250;
const WINDOW_MS = 5000;
const WARMUP_MS = 1500; // after the first decoded frame, before sampling
const MAX_FLAT_MS = 1000; // longest stretch without a decoded frame
// A send gap longer than this is a stall of our own (the 2-core machine is shared): Chromium
// counts a freeze when a frame lasts over max(3 x average, average + 150 ms) (webrtc-stats freezeCount).
const STALL_MS = 3 * (1000 / FPS);

// Noise makes frames of several packets (about 5 KB each at 800 kb/s), so 5% loss hits many of
// them; a capped rate keeps keyframes near 20 KB, so our 128-packet retransmission history spans
// over a second of video; -g keeps one keyframe per loop, so decoding past a loss depends on the
// retransmission.
const ENCODE = ["-vf", "noise=alls=30:allf=t", "-b:v", "800k", "-maxrate", "800k", "-bufsize", "200k", "-g", "300"];
const VP8_ENCODE = ["-minrate", "800k", "-max-intra-rate", "300", "-deadline", "realtime", "-cpu-used", "8"];
type Frame = { data: Uint8Array; key: boolean };
const clips = new Map<VideoCodecName, Frame[]>();
function clip(codec: VideoCodecName): Frame[] {
  let frames = clips.get(codec);
  if (!frames) {
    frames = codec === "H264"
      ? accessUnits(h264Stream(CLIP_SECONDS, "320x240", FPS, ENCODE)).map((au) => ({ data: annexB(au), key: au.some((n) => (n[0] & 0x1f) === 5) }))
      : vp8Frames(CLIP_SECONDS, "320x240", FPS, [...ENCODE, ...VP8_ENCODE]).map((f) => ({ data: f, key: vp8IsKeyframe(f) }));
    clips.set(codec, frames);
  }
  return frames;
}

let session: ChromiumSession | null = null;
async function browser(): Promise<ChromiumSession> {
  session ??= await launchChromium();
  return session;
}
after(async () => {
  await session?.close();
});

// What the page's getStats() says about the video it receives (undefined: Chromium lacks the stat).
interface VideoSample {
  t: number;
  framesDecoded: number;
  framesReceived?: number;
  framesDropped?: number;
  freezeCount?: number;
  totalFreezesDuration?: number;
  nackCount?: number;
  pliCount?: number;
  packetsReceived?: number;
  packetsLost?: number;
  retransmittedPacketsReceived?: number;
  mimeType?: string;
}

interface Case {
  codec: VideoCodecName;
  loss: number; // fraction of our RTP lost on the way to the browser
  seed: number;
  minRate: number; // decoded frames per second, as a fraction of FPS
}

const cases: Case[] = [
  { codec: "H264", loss: 0, seed: 0, minRate: 0.8 },
  { codec: "VP8", loss: 0, seed: 0, minRate: 0.8 },
  { codec: "H264", loss: 0.05, seed: 7, minRate: 0.7 },
  { codec: "VP8", loss: 0.05, seed: 7, minRate: 0.7 },
];

for (const c of cases) {
  const name = c.loss === 0
    ? `chromium decodes our ${c.codec} at the source frame rate without freezes, and sends us Opus`
    : `chromium decodes our ${c.codec} with ${c.loss * 100}% of it lost: NACK and retransmission recover`;
  test(name, { timeout: 90000, skip }, async (t) => runCase(t, c));
}

async function runCase(t: { diagnostic(m: string): void }, c: Case): Promise<void> {
  const frames = clip(c.codec);
  const factory = createPeerFactory({ provider: "host" });
  const s = await browser();
  const page = await s.browser.newPage();
  const us = factory.createPeerConnection({ bindAddresses: ["127.0.0.1"], media: { videoSend: [c.codec] } });
  let relay: UdpImpair | null = null;
  let sender: NodeJS.Timeout | null = null;
  try {
    t.diagnostic(`chromium ${s.version}; clip ${frames.length} frames, ${frames.filter((f) => f.key).length} keyframe(s), ` +
      `${Math.round(frames.reduce((n, f) => n + f.data.length, 0) / frames.length)} bytes per frame, largest ${Math.max(...frames.map((f) => f.data.length))}`);
    const offer: string = await page.evaluate(async () => {
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
      const line = relay ? relay.advertise(candidate.candidate) : candidate.candidate;
      const init = { candidate: line, sdpMid: candidate.sdpMid ?? "0", sdpMLineIndex: 0 };
      void pageHasAnswer.then(() => page.evaluate((ci) => (window as any).pc.addIceCandidate(ci), init)).catch(() => {});
    };
    // Through the relay, our peer must not know the browser's own addresses (it would reach them directly).
    await us.setRemoteDescription({ type: "offer", sdp: c.loss > 0 ? withoutCandidates(offer) : offer });
    const answer = await us.createAnswer();
    if (c.loss > 0) {
      relay = await UdpImpair.start({ peer: us.localAddresses[0], seed: c.seed });
      relay.loss.toBrowser = c.loss; // from the first packet: the first keyframe must survive it too
    }
    await us.setLocalDescription(answer);
    const answerSdp = relay ? answer.sdp.replace(/a=candidate:[^\r\n]*/g, (l) => "a=" + relay!.advertise(l.slice(2))) : answer.sdp;
    await page.evaluate((sdp) => (window as any).pc.setRemoteDescription({ type: "answer", sdp }), answerSdp);
    answered();

    const tracks = us.mediaTracks();
    const video = tracks.find((m) => m.kind === "video");
    assert.ok(video && video.codec === c.codec && video.direction === "sendonly", `video answered sendonly ${c.codec}: ${JSON.stringify(tracks)}`);
    assert.ok(tracks.find((m) => m.kind === "audio" && m.direction === "sendrecv"), "audio answered sendrecv");

    for (let i = 0; i < 200 && us.connectionState !== "connected"; i++) await sleep(50);
    assert.equal(us.connectionState, "connected");
    if (relay) t.diagnostic(`our peer's pair ${JSON.stringify(us.getStats().selectedCandidatePair)}; relay faces the browser at ${relay.address.ip}:${relay.address.port}`);

    // Paced by the wall clock: after a stall of the event loop the late frames go out at once, so
    // the average rate stays FPS; stalls are counted to tell our timing from the browser's.
    let sent = 0;
    let clockStart = 0;
    let lastSend = 0;
    let longestSendGap = 0;
    let sendStalls = 0;
    const sendDue = () => {
      const at = performance.now();
      const due = clockStart === 0 ? 1 : Math.floor(((at - clockStart) * FPS) / 1000) + 1;
      if (sent > 0 && sent < due) {
        const gap = at - lastSend;
        longestSendGap = Math.max(longestSendGap, gap);
        if (gap > STALL_MS) sendStalls++;
      }
      while (sent < due) {
        const f = frames[sent % frames.length];
        const r = us.sendVideoFrame(f.data, (sent * (90000 / FPS)) >>> 0, f.key);
        // Until SRTP is keyed a frame is refused (-2): the first keyframe is offered until it goes.
        if (r < 0 && sent === 0) return;
        if (sent === 0) clockStart = at;
        sent++;
        lastSend = at;
      }
    };
    sender = setInterval(sendDue, 1000 / FPS / 2);

    const sample = async (): Promise<VideoSample> => {
      const r: Omit<VideoSample, "t"> = await page.evaluate(async () => {
        const stats = await (window as any).pc.getStats();
        let v: any = null;
        stats.forEach((r: any) => {
          if (r.type === "inbound-rtp" && r.kind === "video") v = r;
        });
        if (!v) return { framesDecoded: 0 };
        return {
          framesDecoded: v.framesDecoded ?? 0, framesReceived: v.framesReceived, framesDropped: v.framesDropped,
          freezeCount: v.freezeCount, totalFreezesDuration: v.totalFreezesDuration, nackCount: v.nackCount,
          pliCount: v.pliCount, packetsReceived: v.packetsReceived, packetsLost: v.packetsLost,
          retransmittedPacketsReceived: v.retransmittedPacketsReceived,
          mimeType: v.codecId ? stats.get(v.codecId)?.mimeType : undefined,
        };
      });
      return { t: performance.now(), ...r };
    };

    for (let i = 0; i < 100 && (await sample()).framesDecoded === 0; i++) await sleep(100);
    await sleep(WARMUP_MS);
    const samples: VideoSample[] = [await sample()];
    const sentAtStart = sent;
    while (samples[samples.length - 1].t - samples[0].t < WINDOW_MS) {
      await sleep(SAMPLE_MS);
      samples.push(await sample());
    }
    const first = samples[0];
    const last = samples[samples.length - 1];
    const seconds = (last.t - first.t) / 1000;
    const decodedFps = (last.framesDecoded - first.framesDecoded) / seconds;
    const sentFps = (sent - sentAtStart) / seconds;
    // The longest run of samples with the same framesDecoded.
    let flatMs = 0;
    for (let i = 0, from = 0; i < samples.length; i++) {
      if (samples[i].framesDecoded !== samples[from].framesDecoded) from = i;
      flatMs = Math.max(flatMs, samples[i].t - samples[from].t);
    }
    const freezes = last.freezeCount === undefined || first.freezeCount === undefined ? undefined : last.freezeCount - first.freezeCount;
    const ours = us.getMediaStats(video!.track);
    const sampleGaps = samples.slice(1).map((s, i) => s.t - samples[i].t);

    t.diagnostic(`${c.codec} loss ${c.loss * 100}%: decoded ${decodedFps.toFixed(1)} fps (sent ${sentFps.toFixed(1)}, source ${FPS}) ` +
      `over ${seconds.toFixed(1)} s in ${samples.length} samples (longest sampling gap ${Math.round(Math.max(...sampleGaps))} ms); ` +
      `longest stretch without a decoded frame ${Math.round(flatMs)} ms; our longest send gap ${Math.round(longestSendGap)} ms, ${sendStalls} stall(s)`);
    t.diagnostic(`chromium at the end: ${JSON.stringify(last)}; freezes in the window ${freezes ?? "n/a"}`);
    t.diagnostic(`ours: nacksReceived ${ours.nacksReceived}, retransmissions ${ours.retransmissions}, plisReceived ${ours.plisReceived}, ` +
      `keyframe requests ${keyframeRequests}, packetsSent ${ours.packetsSent}, framesSent ${ours.framesSent}; audio frames in ${audioFrames}`);
    if (relay) t.diagnostic(`relay to browser ${JSON.stringify(relay.toBrowser)}, to us ${JSON.stringify(relay.toPeer)}`);

    if (last.mimeType !== undefined) assert.equal(last.mimeType.toLowerCase(), `video/${c.codec.toLowerCase()}`, "the codec chromium decodes");
    assert.ok(decodedFps >= c.minRate * FPS, `decoded ${decodedFps.toFixed(1)} fps, under ${c.minRate * 100}% of ${FPS}`);
    // A stall of our own sender (shared CPU) delays frames; it is not the decoder's fault.
    const flatLimit = MAX_FLAT_MS + Math.max(0, longestSendGap - 1000 / FPS);
    assert.ok(flatMs <= flatLimit, `no frame decoded for ${Math.round(flatMs)} ms (limit ${Math.round(flatLimit)} ms)`);
    assert.ok(audioFrames >= 20, `Opus frames from the page: ${audioFrames}`);
    if (c.loss === 0) {
      if (freezes !== undefined) assert.ok(freezes <= sendStalls, `chromium counted ${freezes} freeze(s); our sender stalled ${sendStalls} time(s)`);
    } else {
      assert.ok(relay!.toBrowser.dropped > 0, "the relay dropped some of our RTP");
      assert.ok((last.nackCount ?? 0) > 0, `chromium sent NACKs (nackCount ${last.nackCount})`);
      assert.ok(ours.nacksReceived > 0, `we received NACKs (${ours.nacksReceived})`);
      assert.ok(ours.retransmissions > 0, `we retransmitted (${ours.retransmissions})`);
    }
  } finally {
    if (sender) clearInterval(sender);
    us.close();
    relay?.close();
    await page.close();
  }
}
