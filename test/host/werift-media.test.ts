// werift (npm 0.25.2, an independent TypeScript WebRTC stack) as the receiving media peer of
// host/peer.ts: werift offers recvonly video + audio + a data channel and we answer (or we offer
// and werift answers recvonly); we send an ffmpeg-made clip at its frame rate plus audio frames.
// werift's side keeps every RTP packet it hands its track and reassembles the frames with werift's
// own depacketizers (H264RtpPayload, Vp8RtpPayload, OpusRtpPayload); they must equal what we sent,
// byte for byte. RTCP both ways: werift's RRs give us an RTT, our SRs reach werift's receiver.
// With 5% of our RTP dropped by a relay, werift NACKs (video only) and our RTX fills every gap;
// audio losses stay (counted). One session werift does not NACK at all: see the last test.
// H.264 frames are compared as NAL unit lists (see assertSameFrame), VP8 and audio frames whole.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  RTCPeerConnection, RTCRtpCodecParameters, useH264, useVP8, usePCMU, useOPUS,
  H264RtpPayload, Vp8RtpPayload, OpusRtpPayload, type RtpPacket, type RTCRtpTransceiver,
} from "werift";
import { createPeerFactory, type WasmPeerConnection } from "../../host/peer.js";
import type { MediaTrackInfo } from "../../host/core.js";
import {
  haveFfmpeg, FFMPEG_SKIP, ffmpeg, h264Stream, parseIvf, opusFrames, accessUnits, annexB, splitNals,
} from "../core/rtp_support.js";
import { UdpImpair, withoutCandidates } from "../helpers/udp-impair.js";

const skip = haveFfmpeg() ? false : FFMPEG_SKIP;
const factory = createPeerFactory({ provider: "pure" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FPS = 15;
const VIDEO_TICKS = 90000 / FPS;

type VideoCodec = "H264" | "VP8";
type AudioCodec = "PCMU" | "opus";
interface SentFrame { data: Uint8Array; ts: number; key: boolean }

// ---- the clips (made once per codec) ----

// Noise makes every frame several packets (about 1 Mbit/s, 7 packets a frame), so 5% loss hits
// many frames, and several keyframes (every 30 frames) come with parameter sets.
const NOISE = "noise=alls=10:allf=t";
const clips = new Map<string, { frames: Uint8Array[]; keys: boolean[] }>();
function videoClip(codec: VideoCodec): { frames: Uint8Array[]; keys: boolean[] } {
  let c = clips.get(codec);
  if (!c) {
    if (codec === "H264") {
      const aus = accessUnits(h264Stream(4, "320x240", FPS, ["-g", "30", "-vf", NOISE]));
      c = { frames: aus.map((au) => annexB(au)), keys: aus.map((au) => au.some((n) => (n[0] & 0x1f) === 5)) };
    } else {
      const f = parseIvf(ffmpeg(["-f", "lavfi", "-i", `testsrc=size=320x240:rate=${FPS}`, "-t", "4", "-vf", NOISE, "-c:v", "libvpx",
        "-g", "30", "-b:v", "1M", "-f", "ivf"], "out.ivf"));
      c = { frames: f, keys: f.map((x) => (x[0] & 1) === 0) };
    }
    clips.set(codec, c);
  }
  return c;
}

// G.711 µ-law of a 440 Hz tone in 20 ms frames (160 samples), or ffmpeg's Opus frames (20 ms, 960 ticks).
function audioClip(codec: AudioCodec): { frames: Uint8Array[]; ticks: number } {
  if (codec === "opus") return { frames: opusFrames(4), ticks: 960 };
  const ulaw = ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000", "-t", "4", "-c:a", "pcm_mulaw", "-f", "mulaw"], "out.ul");
  const frames: Uint8Array[] = [];
  for (let i = 0; i + 160 <= ulaw.length; i += 160) frames.push(ulaw.slice(i, i + 160));
  return { frames, ticks: 160 };
}

// ---- werift's side ----

interface Received { seq: number; ts: number; marker: boolean; ssrc: number; pt: number; payload: Buffer }

function weriftCodecs(video: VideoCodec, audio: AudioCodec, rtx: boolean) {
  const v = video === "H264" ? useH264() : useVP8();
  // werift gives an rtx codec the payload type after its media codec and apt= that one.
  const rtxCodec = new RTCRtpCodecParameters({ mimeType: "video/rtx", clockRate: 90000 });
  return { video: rtx ? [v, rtxCodec] : [v], audio: [audio === "PCMU" ? usePCMU() : useOPUS()] };
}

// Everything werift's tracks and receivers report, collected as it happens.
class WeriftSink {
  rtp = { video: [] as Received[], audio: [] as Received[] };
  senderReports = new Map<number, { count: number; packetCount: number }>();
  nacks = 0;
  nackedSeqs = new Set<number>();
  private seen = new Set<RTCRtpTransceiver>();

  constructor(readonly pc: RTCPeerConnection) {
    pc.onTrack.subscribe((track) => {
      const list = track.kind === "video" ? this.rtp.video : this.rtp.audio;
      track.onReceiveRtp.subscribe((p: RtpPacket) => {
        const h = p.header;
        list.push({ seq: h.sequenceNumber, ts: h.timestamp, marker: h.marker, ssrc: h.ssrc, pt: h.payloadType, payload: Buffer.from(p.payload) });
      });
    });
  }

  // Call once the transceivers exist (after addTransceiver or setRemoteDescription).
  watchReceivers(): void {
    for (const t of this.pc.getTransceivers()) {
      if (this.seen.has(t)) continue;
      this.seen.add(t);
      t.receiver.onRtcp.subscribe((pkt: any) => {
        if (pkt.type !== 200) return; // SR
        const s = this.senderReports.get(pkt.ssrc) ?? { count: 0, packetCount: 0 };
        s.count++;
        s.packetCount = pkt.senderInfo.packetCount;
        this.senderReports.set(pkt.ssrc, s);
      });
      t.receiver.onPacketLost.subscribe((nack: any) => {
        this.nacks++;
        for (const s of nack.lost as number[]) this.nackedSeqs.add(s);
      });
    }
  }
}

// ---- reassembly and comparison ----

// Unique packets in sequence order; sequence numbers are unwrapped against the previous arrival
// (retransmissions arrive late but never 32768 packets late).
function inSequence(pkts: Received[]): (Received & { ext: number })[] {
  const bySeq = new Map<number, Received & { ext: number }>();
  let prev = -1;
  for (const p of pkts) {
    const ext = prev < 0 ? p.seq : prev + ((((p.seq - prev) & 0xffff) ^ 0x8000) - 0x8000);
    if (!bySeq.has(ext)) bySeq.set(ext, { ...p, ext });
    if (ext > prev) prev = ext;
  }
  return [...bySeq.values()].sort((a, b) => a.ext - b.ext);
}

function gaps(pkts: { ext: number }[]): number {
  let n = 0;
  for (let i = 1; i < pkts.length; i++) n += pkts[i].ext - pkts[i - 1].ext - 1;
  return n;
}

// werift's depacketizer over packets in sequence order; a frame ends at a marker bit. Packets of a
// frame must share its timestamp.
function reassemble(codec: VideoCodec, pkts: Received[]): { data: Buffer; ts: number }[] {
  const frames: { data: Buffer; ts: number }[] = [];
  let parts: Buffer[] = [];
  let fragment: Buffer | undefined;
  let ts: number | null = null;
  for (const p of pkts) {
    if (ts !== null) assert.equal(p.ts, ts, `packet ${p.seq} inside a frame changes the timestamp`);
    ts = p.ts;
    if (codec === "H264") {
      const d = H264RtpPayload.deSerialize(p.payload, fragment);
      fragment = d.fragment;
      if (d.payload) parts.push(d.payload);
    } else {
      const d = Vp8RtpPayload.deSerialize(p.payload);
      if (d.payload) parts.push(d.payload);
    }
    if (p.marker) {
      frames.push({ data: Buffer.concat(parts), ts: p.ts });
      parts = [];
      fragment = undefined;
      ts = null;
    }
  }
  assert.equal(parts.length, 0, "packets after the last marker bit");
  return frames;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

const candidateLines = (sdp: string) => sdp.split(/\r?\n/).filter((l) => l.startsWith("a=candidate:")).map((l) => l.slice(2));

// H.264: the access unit's NAL units must come out byte-equal and in order. The packetizer may put
// SPS/PPS (types 7, 8) ahead of a keyframe; those extra units must be byte-equal to one of the
// clip's own parameter sets, and are otherwise ignored. VP8: the frame must be byte-equal.
function assertSameFrame(codec: VideoCodec, got: Uint8Array, sent: Uint8Array, paramSets: Set<string>, what: string): void {
  if (codec === "VP8") {
    assert.ok(Buffer.from(got).equals(Buffer.from(sent)), `${what}: VP8 frame differs (${got.length} vs ${sent.length} bytes)`);
    return;
  }
  const isPs = (n: Uint8Array) => (n[0] & 0x1f) === 7 || (n[0] & 0x1f) === 8;
  const gotNals = splitNals(got);
  for (const n of gotNals.filter(isPs)) assert.ok(paramSets.has(hex(n)), `${what}: unknown parameter set ${hex(n).slice(0, 16)}…`);
  const a = gotNals.filter((n) => !isPs(n)).map(hex);
  const b = splitNals(sent).filter((n) => !isPs(n)).map(hex);
  assert.equal(a.length, b.length, `${what}: ${a.length} NAL units, sent ${b.length}`);
  a.forEach((x, i) => assert.ok(x === b[i], `${what}: NAL unit ${i} differs`));
  // Each sent parameter set is there too (a keyframe's SPS/PPS must not be lost).
  const gotPs = new Set(gotNals.filter(isPs).map(hex));
  for (const n of splitNals(sent).filter(isPs)) assert.ok(gotPs.has(hex(n)), `${what}: a sent parameter set is missing`);
}

// ---- the session ----

interface Case {
  video: VideoCodec;
  audio: AudioCodec;
  weriftOffers: boolean;
  loss?: number; // drop probability of our RTP packets on the way to werift
}

function within<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, rej) => (t = setTimeout(() => rej(new Error(`timed out: ${what}`)), ms)))]).finally(() => clearTimeout(t));
}

async function until(what: string, ms: number, ok: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(50);
  }
}

async function runCase(t: { diagnostic(s: string): void }, c: Case): Promise<void> {
  const clip = videoClip(c.video);
  const audio = audioClip(c.audio);
  const paramSets = new Set<string>();
  if (c.video === "H264") for (const f of clip.frames) for (const n of splitNals(f)) if ((n[0] & 0x1f) === 7 || (n[0] & 0x1f) === 8) paramSets.add(hex(n));

  // Loopback only, as host/werift-peer.ts binds it; max-bundle because with the default policy
  // werift opens an ICE transport per m-line and close() leaves the unbundled ones' sockets open.
  const w = new RTCPeerConnection({
    codecs: weriftCodecs(c.video, c.audio, true), bundlePolicy: "max-bundle",
    iceUseIpv4: false, iceUseIpv6: false, iceAdditionalHostAddresses: ["127.0.0.1"], iceInterfaceAddresses: { udp4: "127.0.0.1" },
  });
  const us: WasmPeerConnection = factory.createPeerConnection({
    bindAddresses: ["127.0.0.1"],
    media: { offer: !c.weriftOffers, videoSend: [c.video], audioSend: [c.audio] },
  });
  const sink = new WeriftSink(w);
  // With loss, everything we send goes through the relay in front of werift's first loopback
  // candidate: werift learns our address only as the relay's (peer-reflexive), so our candidates
  // are kept from it, and werift's others are kept from us.
  let relay = null as UdpImpair | null;
  let relayStarting: Promise<UdpImpair> | null = null;
  let sender: NodeJS.Timeout | null = null;
  try {
    // werift's loopback candidate, pointed at the relay when there is one.
    const passed = new Set<string>();
    const toUs = async (line: string) => {
      if (!line.includes(" 127.0.0.1 ") || passed.has(line)) return;
      passed.add(line);
      let cand = line;
      if (c.loss !== undefined) {
        const f = line.split(" ");
        relayStarting ??= UdpImpair.start({ peer: { ip: f[4], port: Number(f[5]) }, seed: 0x5eed });
        relay = await relayStarting;
        cand = relay.advertise(line);
        if (cand === line) return; // another werift candidate: it would bypass the relay
      }
      await us.addIceCandidate({ candidate: cand, sdpMid: "0", sdpMLineIndex: 0 });
    };
    const weriftCandidates: string[] = [];
    let weriftReady = false;
    w.onicecandidate = ({ candidate }) => {
      if (!candidate) return;
      if (weriftReady) void toUs(candidate.candidate);
      else weriftCandidates.push(candidate.candidate);
    };
    us.onicecandidate = ({ candidate }) => {
      if (!candidate || c.loss !== undefined) return;
      void w.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? "0", sdpMLineIndex: 0 });
    };
    let keyframeRequests = 0;
    us.onkeyframerequest = () => keyframeRequests++;
    const ourChannel = new Promise<string>((resolve) => {
      us.ondatachannel = ({ channel }) => (channel.onmessage = (ev) => resolve(String(ev.data)));
    });

    let dc: any;
    if (c.weriftOffers) {
      w.addTransceiver("video", { direction: "recvonly" });
      w.addTransceiver("audio", { direction: "sendrecv" });
      dc = w.createDataChannel("control");
      sink.watchReceivers();
      await w.setLocalDescription(await w.createOffer());
      const offer = w.localDescription!.sdp;
      await us.setRemoteDescription({ type: "offer", sdp: withoutCandidates(offer) });
      await us.setLocalDescription(await us.createAnswer());
      const answer = us.localDescription!.sdp;
      await w.setRemoteDescription({ type: "answer", sdp: c.loss !== undefined ? withoutCandidates(answer) : answer });
      weriftCandidates.push(...candidateLines(offer));
    } else {
      dc = w.createDataChannel("control");
      await us.setLocalDescription(await us.createOffer());
      const offer = us.localDescription!.sdp;
      assert.match(offer, /m=video/);
      await w.setRemoteDescription({ type: "offer", sdp: c.loss !== undefined ? withoutCandidates(offer) : offer });
      for (const tr of w.getTransceivers()) tr.setDirection("recvonly");
      sink.watchReceivers();
      await w.setLocalDescription(await w.createAnswer());
      const answer = w.localDescription!.sdp;
      assert.match(answer, /a=recvonly/);
      await us.setRemoteDescription({ type: "answer", sdp: withoutCandidates(answer) });
      weriftCandidates.push(...candidateLines(answer));
    }
    weriftReady = true;
    for (const line of weriftCandidates) await toUs(line);

    // host/peer.ts hands out the core's track records, which also carry SSRCs and the rtx type.
    const tracks = us.mediaTracks() as MediaTrackInfo[];
    t.diagnostic(JSON.stringify(tracks));
    const video = tracks.find((m) => m.kind === "video" && m.codec !== "");
    const aud = tracks.find((m) => m.kind === "audio" && m.codec !== "");
    assert.ok(video && video.codec === c.video && video.direction === "sendonly", `video sendonly ${c.video}`);
    assert.ok(aud && aud.codec === c.audio, `audio ${c.audio}`);
    assert.notEqual(video.rtxPayloadType, null, "RTX negotiated for video");

    const dcOpen = new Promise<void>((r) => (dc.readyState === "open" ? r() : dc.stateChanged.subscribe((s: string) => s === "open" && r())));
    await until("connected", 20000, () => us.connectionState === "connected");
    await within("werift's data channel open", 20000, dcOpen);
    dc.send("hello from werift");
    assert.equal(await within("message on our side", 10000, ourChannel), "hello from werift");

    // Until SRTP is keyed a frame is refused (-2): retry the first one.
    await until("first video frame accepted", 10000, () => us.sendVideoFrame(clip.frames[0], 0, clip.keys[0]) >= 0);
    const sentVideo: SentFrame[] = [{ data: clip.frames[0], ts: 0, key: clip.keys[0] }];
    const sentAudio: { data: Uint8Array; ts: number }[] = [];
    // Loss once werift has the first packet and off for the last three frames: werift only NACKs
    // packets after the first it saw, and notices a loss only from a later packet.
    await until("the first video packet at werift", 10000, () => sink.rtp.video.length > 0);
    if (relay) relay.loss.toPeer = c.loss!;
    const start = Date.now();
    const finished = new Promise<void>((resolve, reject) => {
      sender = setInterval(() => {
        try {
          sendDue();
        } catch (e) {
          reject(e);
        }
        if (sentVideo.length === clip.frames.length && sentAudio.length === audio.frames.length) resolve();
      }, 10);
      // Every frame whose time has come (the timer is late under load; the clip keeps its rate).
      const sendDue = () => {
        const elapsed = Date.now() - start;
        while (sentAudio.length < audio.frames.length && sentAudio.length * 20 <= elapsed) {
          const ts = sentAudio.length * audio.ticks;
          const f = audio.frames[sentAudio.length];
          assert.ok(us.sendAudioFrame(f, ts) >= 0, "audio frame queued");
          sentAudio.push({ data: f, ts });
        }
        while (sentVideo.length < clip.frames.length && (sentVideo.length * 1000) / FPS <= elapsed) {
          const i = sentVideo.length;
          if (relay && i === clip.frames.length - 3) relay.loss.toPeer = 0;
          const ts = i * VIDEO_TICKS;
          assert.ok(us.sendVideoFrame(clip.frames[i], ts, clip.keys[i]) >= 0, `video frame ${i} queued`);
          sentVideo.push({ data: clip.frames[i], ts, key: clip.keys[i] });
        }
      };
    });
    await within("clip sent", 30000, finished);
    clearInterval(sender!);
    sender = null;

    // The whole clip at werift (retransmissions included), then RTCP both ways.
    const ourStats = () => us.getMediaStats(video.track);
    await until("every video packet at werift", 15000, () => inSequence(sink.rtp.video).length >= ourStats().packetsSent).catch((e) => {
      const got = inSequence(sink.rtp.video);
      throw new Error(`${e.message}: ${got.length} of ${ourStats().packetsSent}, ${gaps(got)} gaps; ${JSON.stringify(ourStats())}; ` +
        `werift NACKs ${sink.nacks} for ${sink.nackedSeqs.size}; relay ${relay ? JSON.stringify(relay.toPeer) : "none"}`);
    });
    await until("every audio packet at werift", 15000, () =>
      inSequence(sink.rtp.audio).length + (relay ? relay.droppedOf(aud.ssrc) : 0) >= sentAudio.length);
    await until("werift's receiver report with our SR's time (rttMs)", 15000, () => ourStats().rttMs >= 0);
    if (relay) await until("werift's report counts losses", 15000, () => ourStats().remotePacketsLost > 0);
    await until("werift got our SR", 10000, () => sink.senderReports.has(video.ssrc));
    const vs = ourStats();
    const as = us.getMediaStats(aud.track);
    t.diagnostic(`video ${JSON.stringify(vs)}`);
    t.diagnostic(`audio ${JSON.stringify(as)}`);
    t.diagnostic(`werift: ${sink.rtp.video.length} video packets, ${sink.rtp.audio.length} audio packets, ${sink.nacks} NACKs for ` +
      `${sink.nackedSeqs.size} seqs, SRs ${JSON.stringify([...sink.senderReports])}; relay ${relay ? JSON.stringify(relay.toPeer) : "none"}; keyframe requests ${keyframeRequests}`);

    // Video: every packet, contiguous, one SSRC and payload type, reassembled bit-exactly.
    const vpkts = inSequence(sink.rtp.video);
    assert.deepEqual([...new Set(vpkts.map((p) => p.ssrc))], [video.ssrc], "werift's track sees our video SSRC");
    assert.deepEqual([...new Set(vpkts.map((p) => p.pt))], [video.payloadType]);
    assert.equal(gaps(vpkts), 0, "video sequence numbers contiguous after repair");
    assert.equal(vpkts.length, vs.packetsSent, "werift has as many video packets as we sent");
    const frames = reassemble(c.video, vpkts);
    assert.equal(frames.length, sentVideo.length, "frames reassembled by werift");
    frames.forEach((f, i) => {
      assert.equal(f.ts, sentVideo[i].ts >>> 0, `frame ${i} timestamp`);
      assertSameFrame(c.video, f.data, sentVideo[i].data, paramSets, `frame ${i}`);
    });
    assert.equal(vs.framesSent, sentVideo.length);

    // Audio: one frame per packet, byte-equal to the frame of its timestamp; lost ones are counted
    // (werift NACKs video only, so dropped audio stays dropped).
    const apkts = inSequence(sink.rtp.audio);
    const droppedAudio = relay ? relay.droppedOf(aud.ssrc) : 0;
    assert.equal(apkts.length + droppedAudio, sentAudio.length, `audio packets ${apkts.length} + dropped ${droppedAudio}`);
    assert.equal(gaps(apkts), droppedAudio, "audio gaps are exactly the dropped packets");
    assert.ok(apkts.filter((p) => p.marker).length <= 1, "at most the first audio packet has a marker");
    for (const p of apkts) {
      const k = p.ts / audio.ticks;
      assert.ok(Number.isInteger(k) && k < sentAudio.length, `audio timestamp ${p.ts}`);
      const data = c.audio === "opus" ? OpusRtpPayload.deSerialize(p.payload).payload : p.payload;
      assert.ok(Buffer.from(data).equals(Buffer.from(sentAudio[k].data)), `audio frame ${k} differs`);
      assert.equal(p.pt, aud.payloadType);
    }

    // RTCP: werift's SRs from us count our packets; werift's RRs gave us an RTT and loss figures.
    const sr = sink.senderReports.get(video.ssrc)!;
    assert.ok(sr.packetCount > 0 && sr.packetCount <= vs.packetsSent, `SR packet count ${sr.packetCount}`);
    assert.ok(vs.rttMs >= 0, "RTT from werift's RR");
    if (relay) {
      const droppedVideo = relay.droppedOf(video.ssrc);
      assert.ok(droppedVideo > 0, "the relay dropped video");
      assert.ok(sink.nacks > 0 && vs.nacksReceived > 0, `werift NACKed (${sink.nacks}), we saw ${vs.nacksReceived}`);
      assert.ok(vs.retransmissions >= droppedVideo, `retransmissions ${vs.retransmissions} >= dropped ${droppedVideo}`);
      assert.ok(vs.remotePacketsLost <= droppedVideo, `werift reports ${vs.remotePacketsLost} lost of ${droppedVideo} dropped`);
    } else {
      assert.equal(vs.remotePacketsLost, 0);
      assert.equal(vs.retransmissions, 0);
    }
  } finally {
    if (sender) clearInterval(sender);
    us.close();
    await w.close().catch(() => {});
    relay?.close();
  }
}

test("werift offers recvonly H.264 + sendrecv PCMU + data channel; we send a clip it reassembles bit-exactly", { timeout: 90000, skip }, async (t) => {
  await runCase(t, { video: "H264", audio: "PCMU", weriftOffers: true });
});

test("werift offers recvonly VP8 + Opus; we send a clip it reassembles bit-exactly", { timeout: 90000, skip }, async (t) => {
  await runCase(t, { video: "VP8", audio: "opus", weriftOffers: true });
});

test("we offer H.264 + PCMU (media.offer), werift answers recvonly and reassembles bit-exactly", { timeout: 90000, skip }, async (t) => {
  await runCase(t, { video: "H264", audio: "PCMU", weriftOffers: false });
});

test("5% of our RTP dropped on the way to werift: werift NACKs, RTX repairs every H.264 frame", { timeout: 90000, skip }, async (t) => {
  await runCase(t, { video: "H264", audio: "PCMU", weriftOffers: true, loss: 0.05 });
});

test("5% loss, we offer H.264 + Opus: werift NACKs, RTX repairs every H.264 frame", { timeout: 90000, skip }, async (t) => {
  await runCase(t, { video: "H264", audio: "opus", weriftOffers: false, loss: 0.05 });
});

test("5% loss, werift offers VP8: werift NACKs, RTX repairs every VP8 frame", { timeout: 90000, skip }, async (t) => {
  await runCase(t, { video: "VP8", audio: "opus", weriftOffers: true, loss: 0.05 });
});

// werift 0.25.2 decides whether to NACK from the receive codec with the LOWEST payload type
// (RTCRtpReceiver.nackEnabled reads codecArray[0], sorted by payload type). Our offers number RTX
// right after its codec (VP8 96, rtx 97), as browsers do, so VP8 comes first and werift NACKs.
test("5% loss, we offer VP8 alone: werift NACKs, RTX repairs every VP8 frame", { timeout: 90000, skip }, async (t) => {
  await runCase(t, { video: "VP8", audio: "opus", weriftOffers: false, loss: 0.05 });
});
