// Sending video (the issue "Media"): how many packets per second a sender puts out at 2 Mbit/s
// H.264 and what CPU that costs, for host/peer.ts with both crypto providers and for werift in the
// same run. Figures only; nothing here asserts.
//
// The receiver is werift in a child process (bench/media-receiver.ts), so this process does
// nothing but send and process.cpuUsage() here is the sender's CPU alone (V8, GC and the UDP
// sends included). Each sender answers the child's recvonly offer over loopback UDP, runs the
// real ICE + DTLS-SRTP handshake, then (after a second of warm-up):
//   idle    — connected, sending nothing, for IDLE_MS: the process's floor;
//   paced   — the clip at its own frame rate for PACED_MS (the 2 Mbit/s table);
//   ceiling — frames as fast as the sender takes them for CEILING_MS: one frame per event-loop
//             turn (so the sockets drain), and when wasmpeer answers "dropped" (send queue full)
//             the same frame again on the next turn; the best of CEILING_WINDOWS windows.
// Packets and bytes are counted where they leave: every node:dgram send() of this process
// (RTP, plus the odd RTCP/STUN consent datagram), UDP payload bytes without IP/UDP headers.
import dgram from "node:dgram";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { H264Packetizer, MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters } from "werift";
import { createPeerFactory } from "../host/peer.js";
import type { IceCandidateInit } from "../host/peer-api.js";
import type { Provider } from "../host/core.js";
import { haveFfmpeg, ffmpeg, accessUnits, annexB, FFMPEG_SKIP } from "../test/core/rtp_support.js";
import { H264_CODEC, WERIFT_LOOPBACK } from "./media-receiver.js";
import { printTable } from "./table.js";

const SIZE = "1280x720";
const FPS = 30;
const CLIP_S = 4;
const BITRATE = "2M";
const PACED_MS = 5000;
const CEILING_MS = 2000;
const IDLE_MS = 1000;
const CEILING_WINDOWS = 4;
const CONNECT_LIMIT_MS = 15_000;
const RTP_CLOCK = 90000;

// RFC 5764 §4.1.2 and RFC 7714 §14.2 ids of the profiles werift offers.
const SRTP_PROFILES: Record<number, string> = { 1: "AES128_CM_HMAC_SHA1_80", 7: "AEAD_AES_128_GCM" };

interface Frame {
  data: Uint8Array; // Annex B access unit
  key: boolean;
}

// testsrc2 with moving noise so that x264 needs the whole 2 Mbit/s (a plain test pattern would
// shrink to a fraction of it); a keyframe every 2 s, baseline profile as devices send.
function makeClip(): Frame[] {
  const stream = ffmpeg(["-f", "lavfi", "-i", `testsrc2=size=${SIZE}:rate=${FPS}`, "-t", String(CLIP_S),
    "-vf", "noise=alls=12:allf=t", "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "baseline", "-pix_fmt", "yuv420p",
    "-b:v", BITRATE, "-maxrate", BITRATE, "-bufsize", "1M", "-g", String(2 * FPS),
    "-bsf:v", "h264_mp4toannexb", "-f", "h264"], "clip.h264");
  return accessUnits(stream).map((au) => ({ data: annexB(au), key: au.some((n) => (n[0] & 0x1f) === 5) }));
}

// ---- What leaves this process ----

const wire = { datagrams: 0, bytes: 0 };
let unpatchDgram: (() => void) | null = null;

// Counts every datagram handed to node:dgram (wasmpeer's host/udp.ts and werift both send through it).
function countDatagrams(): void {
  if (unpatchDgram) return;
  const proto = dgram.Socket.prototype as any;
  const original = proto.send;
  proto.send = function (this: dgram.Socket, msg: any, ...rest: any[]) {
    wire.datagrams++;
    wire.bytes += Array.isArray(msg) ? msg.reduce((n: number, b: Uint8Array) => n + b.length, 0) : (msg?.length ?? 0);
    return original.call(this, msg, ...rest);
  };
  unpatchDgram = () => {
    proto.send = original;
    unpatchDgram = null;
  };
}

interface Sample {
  datagrams: number;
  bytes: number;
  cpuUs: number;
  ms: number;
}

function startWindow(): () => Sample {
  const d0 = wire.datagrams;
  const b0 = wire.bytes;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const c = process.cpuUsage(c0);
    return { datagrams: wire.datagrams - d0, bytes: wire.bytes - b0, cpuUs: c.user + c.system, ms: performance.now() - t0 };
  };
}

// ---- The receiver child ----

interface Receiver {
  offer: string;
  send(msg: object): void;
  count(): Promise<{ packets: number; bytes: number; srtpProfile: number | null }>;
  close(): Promise<void>;
}

const receiverScript = join(dirname(fileURLToPath(import.meta.url)), "media-receiver.mjs");

function withTimeout<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout;
  const timeout = new Promise<T>((_, reject) => (t = setTimeout(() => reject(new Error(`${what}: nothing in ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

async function startReceiver(): Promise<Receiver> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [receiverScript], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  child.stdin.on("error", () => {}); // EPIPE once it has exited: the exit is reported below
  const waiting: ((msg: any) => void)[] = [];
  let offer!: (sdp: string) => void;
  let failed!: (e: Error) => void;
  const offered = new Promise<string>((resolve, reject) => ((offer = resolve), (failed = reject)));
  createInterface({ input: child.stdout }).on("line", (line) => {
    let msg: any;
    try {
      msg = JSON.parse(line);
    } catch {
      return; // a stray log line
    }
    if (msg.type === "offer") offer(msg.sdp);
    else if (msg.type === "count") waiting.shift()?.(msg);
    else if (msg.type === "error") failed(new Error(`receiver: ${msg.message}`));
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  void exited.then(() => failed(new Error(`receiver exited ${stderr.trim().slice(0, 200)}`)));
  const send = (msg: object) => {
    if (child.exitCode === null) child.stdin.write(JSON.stringify(msg) + "\n");
  };
  const close = async () => {
    send({ type: "close" });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
    if (child.exitCode === null) child.kill();
  };
  try {
    return {
      offer: await withTimeout("receiver offer", CONNECT_LIMIT_MS, offered),
      send,
      count: () => withTimeout("receiver count", 5000, new Promise((resolve) => {
        waiting.push(resolve);
        send({ type: "count" });
      })),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

// ---- Senders ----

// One connected sender: send(frame) returns the packets it queued, or a negative number when it
// refused the frame (wasmpeer's codes; werift never refuses).
interface Sender {
  name: string;
  send(f: Frame, rtpTimestamp: number): number;
  close(): Promise<void>;
}

// Answers the receiver's offer; our candidates go to it after the answer (it applies lines in order).
async function wasmpeerSender(provider: Provider, rx: Receiver): Promise<Sender> {
  const pc = createPeerFactory({ provider }).createPeerConnection({ bindAddresses: ["127.0.0.1"], media: { videoSend: ["H264"] } });
  try {
    let answered = false;
    const early: (IceCandidateInit | null)[] = [];
    pc.onicecandidate = (e) => (answered ? rx.send({ type: "candidate", candidate: e.candidate }) : early.push(e.candidate));
    await pc.setRemoteDescription({ type: "offer", sdp: rx.offer });
    await pc.setLocalDescription(await pc.createAnswer());
    rx.send({ type: "answer", sdp: pc.localDescription!.sdp });
    answered = true;
    for (const c of early.splice(0)) rx.send({ type: "candidate", candidate: c });
    const video = pc.mediaTracks().find((m) => m.kind === "video" && m.codec === "H264");
    if (!video) throw new Error(`no H.264 sending track: ${JSON.stringify(pc.mediaTracks())}`);
    // SRTP is keyed once DTLS is done: until then a frame is refused with -2.
    const deadline = performance.now() + CONNECT_LIMIT_MS;
    while (pc.sendVideoFrame(new Uint8Array([0, 0, 0, 1, 0x09, 0xf0]), 0, false) === -2) {
      if (performance.now() > deadline) throw new Error(`not keyed after ${CONNECT_LIMIT_MS} ms (${pc.connectionState})`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return {
      name: `wasmpeer (${provider})`,
      send: (f, ts) => pc.sendVideoFrame(f.data, ts, f.key),
      close: async () => pc.close(),
    };
  } catch (e) {
    pc.close();
    throw e;
  }
}

// werift's own RTCPeerConnection and its H264Packetizer (RFC 6184 single NAL / STAP-A / FU-A);
// its sender rewrites SSRC and payload type to the negotiated ones.
async function weriftSender(rx: Receiver): Promise<Sender> {
  const pc = new RTCPeerConnection({ codecs: { video: [new RTCRtpCodecParameters(H264_CODEC)] }, ...WERIFT_LOOPBACK });
  try {
    const track = new MediaStreamTrack({ kind: "video" });
    pc.addTransceiver(track, { direction: "sendonly" });
    let answered = false;
    const early: object[] = [];
    pc.onIceCandidate.subscribe((c) => c && (answered ? rx.send({ type: "candidate", candidate: c.toJSON() }) : early.push(c.toJSON())));
    const connected = new Promise<void>((resolve, reject) => pc.connectionStateChange.subscribe((s) => {
      if (s === "connected") resolve();
      if (s === "failed" || s === "closed") reject(new Error(`werift ${s}`));
    }));
    await pc.setRemoteDescription({ type: "offer", sdp: rx.offer });
    await pc.setLocalDescription(await pc.createAnswer());
    rx.send({ type: "answer", sdp: pc.localDescription!.sdp });
    answered = true;
    for (const c of early.splice(0)) rx.send({ type: "candidate", candidate: c });
    await withTimeout("werift connect", CONNECT_LIMIT_MS, connected);
    // Payloads sized like wasmpeer's: a 1200-byte datagram less the RTP header and the GCM tag.
    const packetizer = new H264Packetizer({ maxPayloadSize: 1200 - 12 - 16, inputFormat: "annexb" });
    return {
      name: "werift",
      send: (f, ts) => {
        const packets = packetizer.packetize(Buffer.from(f.data.buffer, f.data.byteOffset, f.data.length), ts, { isKeyframe: f.key });
        for (const p of packets) track.writeRtp(p);
        return packets.length;
      },
      close: () => pc.close().catch(() => {}),
    };
  } catch (e) {
    await pc.close().catch(() => {});
    throw e;
  }
}

// ---- Runs ----

const turn = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Clip {
  frames: Frame[];
  mbits: number; // the clip's own bitrate (elementary stream)
}

// Frame i of the looped clip, with an RTP timestamp that keeps running across the runs.
interface Stream {
  clip: Clip;
  next: number;
}
const sendNext = (s: Sender, st: Stream) =>
  s.send(st.clip.frames[st.next % st.clip.frames.length], (st.next * (RTP_CLOCK / FPS)) >>> 0);

// The clip at its frame rate, timed against the clock (not setInterval's drift).
async function paced(s: Sender, st: Stream, ms: number): Promise<{ w: Sample; refused: number }> {
  const end = startWindow();
  const t0 = performance.now();
  let refused = 0;
  for (let i = 0; performance.now() - t0 < ms; i++, st.next++) {
    if (sendNext(s, st) < 0) refused++;
    await sleep(Math.max(0, t0 + ((i + 1) * 1000) / FPS - performance.now()));
  }
  return { w: end(), refused };
}

// As fast as the sender takes frames; a refused frame is offered again on the next turn. The
// machine is shared, so the run is cut into CEILING_WINDOWS windows and the least disturbed one
// (most packets per CPU second) is kept, as bench/srtp.ts keeps its best run; `sent` counts all.
async function ceiling(s: Sender, st: Stream, ms: number): Promise<{ w: Sample; refused: number; sent: number }> {
  let best: Sample | null = null;
  let refused = 0;
  let sent = 0;
  for (let k = 0; k < CEILING_WINDOWS; k++) {
    const end = startWindow();
    const t0 = performance.now();
    while (performance.now() - t0 < ms / CEILING_WINDOWS) {
      if (sendNext(s, st) >= 0) st.next++;
      else refused++;
      await turn();
    }
    const w = end();
    sent += w.datagrams;
    if (!best || w.datagrams / w.cpuUs > best.datagrams / best.cpuUs) best = w;
  }
  return { w: best!, refused, sent };
}

interface Row {
  name: string;
  idle?: Sample; // connected, sending nothing: the floor under the paced figures
  paced?: { w: Sample; refused: number };
  received?: number;
  srtpProfile?: number | null;
  ceiling?: { w: Sample; refused: number; sent: number };
  ceilingReceived?: number;
  note: string;
}

async function run(name: string, connect: (rx: Receiver) => Promise<Sender>, clip: Clip): Promise<Row> {
  let rx: Receiver | null = null;
  let s: Sender | null = null;
  const row: Row = { name, note: "" };
  try {
    rx = await startReceiver();
    s = await connect(rx);
    const st: Stream = { clip, next: 0 };
    // Warm-up: a second of video so that the JIT and the receiver are past their start.
    await paced(s, st, 1000);
    const idle = startWindow();
    await sleep(IDLE_MS);
    row.idle = idle();
    const before = (await rx.count()).packets;
    row.paced = await paced(s, st, PACED_MS);
    await sleep(300); // the last packets reach the receiver
    const afterPaced = await rx.count();
    row.received = afterPaced.packets - before;
    row.srtpProfile = afterPaced.srtpProfile;
    row.ceiling = await ceiling(s, st, CEILING_MS);
    await sleep(300);
    row.ceilingReceived = (await rx.count()).packets - afterPaced.packets;
  } catch (e) {
    row.note = `failed: ${(e as Error).message}`;
  } finally {
    await s?.close().catch(() => {});
    await rx?.close();
    await sleep(300); // close's last datagrams go out before the next sender shares the loopback
  }
  return row;
}

export async function benchMedia(): Promise<void> {
  if (!haveFfmpeg()) {
    console.log(`\nMedia send bench not run: ${FFMPEG_SKIP}`);
    return;
  }
  const frames = makeClip();
  const clip: Clip = { frames, mbits: (frames.reduce((n, f) => n + f.data.length, 0) * 8) / (frames.length / FPS) / 1e6 };
  countDatagrams();
  const rows: Row[] = [];
  try {
    for (const provider of ["pure", "host"] as Provider[]) rows.push(await run(`wasmpeer (${provider})`, (rx) => wasmpeerSender(provider, rx), clip));
    rows.push(await run("werift", weriftSender, clip));
  } finally {
    unpatchDgram?.();
  }

  const perS = (n: number, w: Sample) => (n * 1000) / w.ms;
  const mbit = (w: Sample) => (w.bytes * 8) / 1000 / w.ms; // bytes/ms → Mbit/s
  const cpuPct = (w: Sample) => (w.cpuUs / 1000 / w.ms) * 100;
  const usPerPacket = (w: Sample) => w.cpuUs / w.datagrams;
  const failed = (r: Row, cols: number) => [r.name, ...Array(cols - 2).fill("—"), r.note];
  const notes = (r: Row, refused: number | undefined) =>
    [r.srtpProfile != null ? (SRTP_PROFILES[r.srtpProfile] ?? `SRTP profile ${r.srtpProfile}`) : "", refused ? `${refused} frames refused` : "", r.note]
      .filter(Boolean).join("; ");

  printTable(
    `Video send at ${BITRATE.replace("M", "")} Mbit/s: H.264 ${SIZE}@${FPS} (ffmpeg, ${clip.mbits.toFixed(2)} Mbit/s, ` +
    `${CLIP_S} s looped) for ${PACED_MS / 1000} s over loopback UDP + DTLS-SRTP to werift in a child process; CPU of the sender process alone`,
    ["sender", "packets/s", "Mbit/s on the wire", "CPU % of one core", "CPU µs/packet", "idle CPU %", "received by werift", "note"],
    rows.map((r) => r.paced ? [r.name, perS(r.paced.w.datagrams, r.paced.w), mbit(r.paced.w), cpuPct(r.paced.w), usPerPacket(r.paced.w),
      r.idle ? cpuPct(r.idle) : "—", `${r.received} of ${r.paced.w.datagrams}`, notes(r, r.paced.refused)] : failed(r, 8)),
  );
  printTable(
    `Video send ceiling: the same clip with no pacing for ${CEILING_MS / 1000} s (one frame per event-loop turn; a frame ` +
    `wasmpeer refuses as dropped is offered again); per core = packets / CPU seconds of the sender process; figures from ` +
    `the best of ${CEILING_WINDOWS} windows of ${CEILING_MS / CEILING_WINDOWS} ms, received = over all ${CEILING_WINDOWS}`,
    ["sender", "packets/s", "packets/s per core", "Mbit/s per core", "CPU % of one core", "received by werift", "note"],
    rows.map((r) => r.ceiling ? [r.name, perS(r.ceiling.w.datagrams, r.ceiling.w), r.ceiling.w.datagrams / (r.ceiling.w.cpuUs / 1e6),
      (r.ceiling.w.bytes * 8) / r.ceiling.w.cpuUs, cpuPct(r.ceiling.w), `${r.ceilingReceived ?? "—"} of ${r.ceiling.sent}`,
      notes(r, r.ceiling.refused)] : failed(r, 7)),
  );
  console.log(
    "\nPackets are every datagram this process handed to node:dgram in the window (RTP plus the odd RTCP and STUN " +
    "consent check, and any retransmissions werift's NACKs ask for), bytes their UDP payload. CPU µs/packet at 2 Mbit/s " +
    "includes the process's fixed costs (timers, RTCP, consent, GC; idle CPU % is the connected process sending nothing), " +
    "so it is well above the ceiling's 1e6 / (packets/s per core). werift packetizes with its own " +
    "H264Packetizer. In the ceiling run the one-core receiver may fall behind: its count is a sanity check, not the sender's figure. A board running the core " +
    "under wasm3 (boards/linux) sends no media yet: the SRTP table's protect rows (wasm3 columns) give its " +
    "per-packet crypto cost, a lower bound on what sending would cost there. The machine may be shared: figures are noisy.",
  );
}

// Run on its own: node build/js/bench/media.mjs
if (process.argv[1]?.endsWith("/bench/media.mjs")) await benchMedia();
