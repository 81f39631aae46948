/// <reference lib="dom.iterable" />
// The viewer page: connects to the device with a plain RTCPeerConnection over WHEP, draws its
// telemetry, sends control commands, shows its camera, talks to it, and shows the link's figures.
// No framework: a handful of elements, updated by id.
import { LiveChart } from "./chart.js";
import { Intercom } from "./intercom.js";
import { formatBytes, readLinkStats } from "./link-stats.js";
import { readVideoStats, resetVideoStats } from "./video-stats.js";
import { WhepClient, WhepError } from "./whep-client.js";

interface DeviceConfig {
  name: string;
  iceServers: RTCIceServer[];
  telemetryHz: number;
  whep: string;
}

interface Reading {
  seq: number;
  t: number;
  uptimeS: number;
  state: string;
  temperatureC: number;
  humidityPct: number;
  pressureHpa: number;
  led: boolean;
  fan: number;
  micLevel?: number | null; // dBFS of this page's (or another viewer's) microphone, null when silent
}

interface Reply {
  id: number | null;
  ok: boolean;
  result?: unknown;
  error?: string;
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const text = (id: string, value: string) => ($(id).textContent = value);

const chart = new LiveChart($<HTMLCanvasElement>("chart"), [
  { label: "Temperature", unit: "°C", color: "#e4572e" },
  { label: "Humidity", unit: "%", color: "#2a9d8f" },
]);

// One connection at a time; `connect` replaces whatever was there.
let pc: RTCPeerConnection | null = null;
let whep: WhepClient | null = null;
let control: RTCDataChannel | null = null;
let statsTimer: number | undefined;
let nextCommandId = 1;
const pendingCommands = new Map<number, { summary: string; sentAt: number }>();
let readingTimes: number[] = [];
const intercom = new Intercom($<HTMLButtonElement>("talk"), (talking, error) => {
  const b = $("talk");
  b.setAttribute("aria-pressed", String(talking));
  b.textContent = talking ? "Talking…" : "Talk";
  if (error) showNotice(`Microphone: ${error}`);
});
// For the browser console and tests: the connection in use.
(window as unknown as { viewer: { pc: () => RTCPeerConnection | null } }).viewer = { pc: () => pc };

function showState(state: string): void {
  const pill = $("conn-state");
  pill.textContent = state;
  pill.dataset.state = state;
  const connected = state === "connected";
  for (const b of document.querySelectorAll<HTMLButtonElement>("[data-cmd]")) b.disabled = !connected || control?.readyState !== "open";
  $("connect-toggle").textContent = pc && state !== "failed" && state !== "closed" ? "Disconnect" : "Connect";
}

function showNotice(message: string | null): void {
  const el = $("notice");
  el.hidden = message === null;
  el.textContent = message ?? "";
}

function showReading(r: Reading): void {
  chart.push(r.t, [r.temperatureC, r.humidityPct]);
  text("r-temperature", `${r.temperatureC.toFixed(1)} °C`);
  text("r-humidity", `${r.humidityPct.toFixed(1)} %`);
  text("r-pressure", `${r.pressureHpa.toFixed(0)} hPa`);
  text("r-uptime", `${Math.floor(r.uptimeS)} s`);
  text("device-state", r.state);
  $("led-indicator").dataset.on = String(r.led);
  for (const b of document.querySelectorAll<HTMLButtonElement>("#fan-speeds button")) {
    b.setAttribute("aria-pressed", String(Number(b.dataset.speed) === r.fan));
  }
  const mic = $("mic-level");
  mic.dataset.level = r.micLevel == null ? "" : String(r.micLevel);
  mic.textContent = r.micLevel == null ? "device hears: silence" : `device hears: ${r.micLevel.toFixed(1)} dBFS`;
  const now = performance.now();
  readingTimes.push(now);
  readingTimes = readingTimes.filter((t) => now - t < 2000);
  text("telemetry-rate", `${(readingTimes.length / 2).toFixed(1)} readings/s · #${r.seq}`);
}

function logReply(line: string, ok: boolean, ms: number | null): void {
  const li = document.createElement("li");
  li.className = ok ? "ok" : "err";
  li.textContent = line;
  if (ms !== null) {
    const span = document.createElement("span");
    span.className = "ms";
    span.textContent = `  ${ms.toFixed(1)} ms`;
    li.append(span);
  }
  const log = $("reply-log");
  log.prepend(li);
  while (log.children.length > 30) log.lastElementChild!.remove();
}

function sendCommand(command: Record<string, unknown>): void {
  if (!control || control.readyState !== "open") return;
  const id = nextCommandId++;
  pendingCommands.set(id, { summary: JSON.stringify(command), sentAt: performance.now() });
  control.send(JSON.stringify({ id, ...command }));
}

function onReply(data: string): void {
  let reply: Reply;
  try {
    reply = JSON.parse(data) as Reply;
  } catch {
    logReply(`unreadable reply: ${data}`, false, null);
    return;
  }
  const sent = typeof reply.id === "number" ? pendingCommands.get(reply.id) : undefined;
  if (sent && typeof reply.id === "number") pendingCommands.delete(reply.id);
  const outcome = reply.ok ? JSON.stringify(reply.result) : reply.error ?? "failed";
  logReply(`${sent?.summary ?? "?"} → ${outcome}`, reply.ok, sent ? performance.now() - sent.sentAt : null);
}

async function refreshStats(): Promise<void> {
  if (!pc) return;
  const s = await readLinkStats(pc);
  text("s-rtt", s.rttMs === null ? "–" : `${s.rttMs.toFixed(1)} ms`);
  text("s-sent", formatBytes(s.bytesSent));
  text("s-received", formatBytes(s.bytesReceived));
  text("s-messages", `${s.messagesSent} sent · ${s.messagesReceived} received`);
  text("s-path", s.path ?? "–");
  const v = await readVideoStats(pc);
  if (!v) return;
  const size = v.width && v.height ? `${v.width}×${v.height}` : "–";
  text("v-frames", `${v.framesDecoded} decoded${v.fps === null ? "" : ` · ${v.fps.toFixed(1)} fps`}`);
  text("v-size", `${size}${v.codec ? ` · ${v.codec}` : ""}`);
  text("v-lost", `${v.packetsLost} / ${v.nackCount}`);
  text("v-jitter", v.jitterMs === null ? "–" : `${v.jitterMs.toFixed(1)} ms`);
  text("v-summary", v.framesDecoded > 0 ? `${v.codec ?? "video"} ${size}` : "waiting for video…");
}

function disconnect(): void {
  window.clearInterval(statsTimer);
  whep?.close();
  intercom.attach(null);
  $<HTMLVideoElement>("camera").srcObject = null;
  pc?.close();
  pc = null;
  whep = null;
  control = null;
  pendingCommands.clear();
  showState("closed");
}

async function connect(config: DeviceConfig): Promise<void> {
  disconnect();
  showNotice(null);
  chart.clear();
  const peer = new RTCPeerConnection({ iceServers: config.iceServers });
  pc = peer;
  showState("connecting");
  peer.addEventListener("connectionstatechange", () => {
    if (pc === peer) showState(peer.connectionState);
    // A path that broke may come back on other candidates: restart ICE over WHEP (RFC 9725 §4.3.2).
    if (pc === peer && (peer.connectionState === "disconnected" || peer.connectionState === "failed")) {
      whep?.restartIce(peer).catch((e) => showNotice(`ICE restart failed: ${String(e)}`));
    }
  });
  // The device opens telemetry; we open control, which also puts a data section in the offer.
  peer.addEventListener("datachannel", ({ channel }) => {
    if (channel.label === "telemetry") channel.onmessage = (e) => showReading(JSON.parse(e.data as string) as Reading);
  });
  const channel = peer.createDataChannel("control");
  control = channel;
  channel.onopen = () => showState(peer.connectionState);
  channel.onmessage = (e) => onReply(e.data as string);
  // The camera (receive only) and the intercom: the audio sender has no track until Talk gives it
  // the microphone, so the offer needs no renegotiation later.
  const stream = new MediaStream();
  $<HTMLVideoElement>("camera").srcObject = stream;
  peer.addEventListener("track", ({ track }) => stream.addTrack(track));
  const video = peer.addTransceiver("video", { direction: "recvonly" });
  const audio = peer.addTransceiver("audio", { direction: "sendrecv" });
  intercom.attach(audio.sender);
  resetVideoStats();
  text("v-summary", "waiting for video…");

  const client = new WhepClient(config.whep);
  whep = client;
  try {
    await client.connect(peer);
    text("s-session", client.sessionUrl ? new URL(client.sessionUrl).pathname : "–");
    // A device (or device stack) without a camera or intercom says so in its answer: those
    // sections come back rejected or inactive.
    const flows = (t: RTCRtpTransceiver, dir: "send" | "recv") => (t.currentDirection ?? "").includes(dir);
    if (!flows(video, "recv")) text("v-summary", "this device sends no video");
    if (!flows(audio, "send")) intercom.attach(null);
  } catch (e) {
    if (pc === peer) {
      disconnect();
      showState("error");
      showNotice(e instanceof WhepError ? `The device refused the connection: ${e.message}` : `Could not connect: ${String(e)}`);
    }
    return;
  }
  statsTimer = window.setInterval(() => void refreshStats(), 1000);
}

async function main(): Promise<void> {
  const config = (await (await fetch("/config.json")).json()) as DeviceConfig;
  text("device-name", config.name);
  document.title = config.name;

  $("led-toggle").addEventListener("click", () => sendCommand({ cmd: "led" }));
  for (const b of document.querySelectorAll<HTMLButtonElement>("#fan-speeds button")) {
    b.addEventListener("click", () => sendCommand({ cmd: "fan", speed: Number(b.dataset.speed) }));
  }
  $("ping").addEventListener("click", () => sendCommand({ cmd: "ping" }));
  $("reboot").addEventListener("click", () => sendCommand({ cmd: "reboot" }));
  $("connect-toggle").addEventListener("click", () => (pc && pc.connectionState !== "failed" ? disconnect() : void connect(config)));
  // Leaving the page ends the session on the device at once instead of after a timeout.
  window.addEventListener("pagehide", () => disconnect());

  showState("new");
  await connect(config);
}

void main();
