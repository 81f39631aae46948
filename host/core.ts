// Loads the core module and owns the typed wrapper of its ABI; the rest of the host uses this.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";
import { webcrypto } from "node:crypto";
import { nodeCryptoImports } from "./crypto-node.js";

export type Provider = "pure" | "host";

const here = dirname(fileURLToPath(import.meta.url));

// The project's root: host files run bundled from build/js/<dir>/, or as sources from host/.
export function projectRoot(): string {
  let dir = here;
  for (let i = 0; i < 5; i++) {
    try {
      readFileSync(resolve(dir, "asconfig.json"));
      return dir;
    } catch {
      dir = resolve(dir, "..");
    }
  }
  throw new Error("cannot find the project root (asconfig.json) above " + here);
}

export function corePath(provider: Provider): string {
  return resolve(projectRoot(), "build", `core-${provider}.wasm`);
}

// Views of the core's linear memory; re-made on each use because memory.grow detaches them.
export class CoreMemory {
  memory: WebAssembly.Memory | null = null;

  bytes(): Uint8Array {
    if (!this.memory) throw new Error("core memory not bound yet");
    return new Uint8Array(this.memory.buffer);
  }

  read(ptr: number, len: number): Uint8Array {
    return this.bytes().slice(ptr, ptr + len);
  }

  write(ptr: number, data: Uint8Array): void {
    this.bytes().set(data, ptr);
  }

  // An AssemblyScript string: UTF-16LE, its byte length stored just before it.
  asString(ptr: number): string {
    if (!ptr) return "";
    const m = this.bytes();
    const len = new DataView(m.buffer).getUint32(ptr - 4, true);
    return new TextDecoder("utf-16le").decode(m.subarray(ptr, ptr + len));
  }

  utf8(ptr: number, len: number): string {
    return new TextDecoder().decode(this.bytes().subarray(ptr, ptr + len));
  }
}

export type LogSink = (level: number, message: string) => void;

const defaultLog: LogSink = (level, message) => {
  if (level <= 1) console.error(`[core] ${message}`);
};

export class CoreTrap extends Error {}

// The imports every build needs, plus the crypto provider's when it is the host build.
export function coreImports(mem: CoreMemory, log: LogSink = defaultLog): WebAssembly.Imports {
  return {
    wasmpeer: {
      random_fill(ptr: number, len: number) {
        webcrypto.getRandomValues(mem.bytes().subarray(ptr, ptr + len));
      },
      log(level: number, ptr: number, len: number) {
        log(level, mem.utf8(ptr, len));
      },
      abort(msg: number, file: number, line: number, column: number) {
        throw new CoreTrap(`core abort: ${mem.asString(msg)} at ${mem.asString(file)}:${line}:${column}`);
      },
      ...nodeCryptoImports(mem),
    },
  };
}

export interface LoadedCore {
  instance: WebAssembly.Instance;
  exports: Record<string, any>;
  memory: CoreMemory;
}

// Instantiates a core (or test entry) module and runs its start function.
export function instantiate(wasm: Uint8Array | string, log?: LogSink): LoadedCore {
  const bytes = typeof wasm === "string" ? readFileSync(wasm) : wasm;
  const memory = new CoreMemory();
  const module = new WebAssembly.Module(new Uint8Array(bytes));
  const instance = new WebAssembly.Instance(module, coreImports(memory, log));
  const exports = instance.exports as Record<string, any>;
  memory.memory = exports.memory as WebAssembly.Memory;
  exports._initialize?.();
  return { instance, exports, memory };
}

export function loadCore(provider: Provider = "pure", log?: LogSink): LoadedCore {
  return instantiate(corePath(provider), log);
}

// ---- The typed wrapper of the peer ABI (assembly/index.ts; table in docs/architecture.md) ----

export const ABI_VERSION = 2;

// peer_poll's answers.
export const enum PollKind {
  None = 0,
  Transmit = 1,
  Event = 2,
  Timeout = 3,
}

// out_event's kinds (assembly/peer/event.ts).
export const enum PeerEventKind {
  StateChanged = 1,
  LocalCandidate = 2,
  ResolveMdns = 3,
  ChannelOpen = 4,
  ChannelMessage = 5,
  ChannelClosed = 6,
  BufferedAmountLow = 7,
  IceStateChanged = 8,
  SelectedPair = 9,
  Error = 10,
  MediaFrame = 11,
  KeyframeRequest = 12,
}

// Media codecs as the ABI numbers them (media_track_info, MEDIA_FRAME's value).
export const MEDIA_CODECS = ["", "H264", "VP8", "opus", "PCMU", "PCMA"] as const;
export type MediaCodec = (typeof MEDIA_CODECS)[number];
export const MEDIA_DIRECTIONS = ["", "sendrecv", "sendonly", "recvonly", "inactive"] as const;

// One negotiated audio/video section (media_track_info).
export interface MediaTrackInfo {
  track: number;
  mid: string;
  kind: "audio" | "video";
  direction: (typeof MEDIA_DIRECTIONS)[number];
  codec: MediaCodec; // what we send ("" when we do not send)
  receiveCodec: MediaCodec; // the first codec the peer may send us
  payloadType: number;
  clockRate: number;
  rtxPayloadType: number | null;
  ssrc: number;
  remoteSsrc: number;
  channels: number;
}

// media_stat's keys, in order.
export const MEDIA_STATS = [
  "packetsSent", "bytesSent", "framesSent", "packetsReceived", "bytesReceived", "framesReceived", "nacksReceived",
  "nacksSent", "retransmissions", "plisReceived", "firsReceived", "plisSent", "jitterMs", "packetsLost", "rttMs",
  "rembBps", "remoteFractionLost", "remotePacketsLost", "audioLevelDbfs", "framesDropped", "keyframeRequests",
  "keyframesSent", "nackSeqsUnanswered",
] as const;
export type MediaStats = Record<(typeof MEDIA_STATS)[number], number>;

export const PEER_STATES = ["new", "connecting", "connected", "disconnected", "failed", "closed"] as const;
export const ICE_STATES = ["new", "checking", "connected", "completed", "disconnected", "failed", "closed"] as const;
export const CHANNEL_STATES = ["connecting", "open", "closing", "closed"] as const;
export const TURN_STATES = ["idle", "allocating", "allocated", "closing", "closed", "failed"] as const;

// peer_add_ice_server's kinds.
export const ICE_SERVER_STUN = 0;
export const ICE_SERVER_TURN_UDP = 1;
export const ICE_SERVER_TURN_TCP = 2;

// channel_send's answers.
export const SEND_OK = 0;
export const SEND_ERR_STATE = 1;
export const SEND_ERR_TOO_BIG = 2;
export const SEND_ERR_BUFFER_FULL = 3;
export const SEND_ERR_STREAM = 4;

// config_set keys.
export interface PeerCoreConfig {
  dtlsPassive?: boolean; // 1
  maxMessageSize?: number; // 2
  sendBufferSize?: number; // 3
  receiveBufferSize?: number; // 4
  mtu?: number; // 5
  maxChannels?: number; // 6
  ownCertificate?: boolean; // 7
  closeTimeoutMs?: number; // 8
  consentTimeoutMs?: number; // 9
  disconnectedAfterMs?: number; // 10
  checkingTimeoutMs?: number; // 11
  maxRemoteCandidates?: number; // 12
  maxLocalCandidates?: number; // 13
  sctpClientInitDelayMs?: number; // 14
  mediaEnabled?: boolean; // 20: answer offered audio/video (default true)
  offerMedia?: boolean; // 21: createOffer offers audio/video too
  videoSendCodecs?: number; // 22: bits 1 H.264, 2 VP8
  videoReceiveCodecs?: number; // 23
  audioSendCodecs?: number; // 24: bits 1 Opus, 2 PCMU, 4 PCMA
  audioReceiveCodecs?: number; // 25
  maxVideoFrameSize?: number; // 26
  videoHistoryPackets?: number; // 27: sent video packets kept for NACKs (16-4096, default 128)
}

const CONFIG_KEYS: [keyof PeerCoreConfig, number][] = [
  ["dtlsPassive", 1], ["maxMessageSize", 2], ["sendBufferSize", 3], ["receiveBufferSize", 4], ["mtu", 5],
  ["maxChannels", 6], ["ownCertificate", 7], ["closeTimeoutMs", 8], ["consentTimeoutMs", 9],
  ["disconnectedAfterMs", 10], ["checkingTimeoutMs", 11], ["maxRemoteCandidates", 12], ["maxLocalCandidates", 13],
  ["sctpClientInitDelayMs", 14],
  ["mediaEnabled", 20], ["offerMedia", 21], ["videoSendCodecs", 22], ["videoReceiveCodecs", 23], ["audioSendCodecs", 24],
  ["audioReceiveCodecs", 25], ["maxVideoFrameSize", 26], ["videoHistoryPackets", 27],
];

// A transport address as the host sees it; family from the IP's syntax.
export interface Address {
  ip: string;
  port: number;
}

const ADDR_LEN = 19;

function ipv6Bytes(ip: string): number[] {
  let s = ip.split("%")[0];
  const tail: number[] = [];
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    tail.push(+v4[1], +v4[2], +v4[3], +v4[4]);
    s = s.slice(0, s.length - v4[0].length);
    if (s.endsWith(":") && !s.endsWith("::")) s = s.slice(0, -1);
  }
  const [a, b] = s.split("::");
  const groups = (x: string | undefined) => (x ? x.split(":").filter((g) => g.length > 0).map((g) => parseInt(g, 16)) : []);
  const head = groups(a);
  const rest = b === undefined ? [] : groups(b);
  const fill = 8 - tail.length / 2 - head.length - rest.length;
  const all = [...head, ...Array(Math.max(0, fill)).fill(0), ...rest];
  const out: number[] = [];
  for (const g of all) out.push((g >> 8) & 255, g & 255);
  return [...out, ...tail].slice(0, 16);
}

export function encodeAddress(a: Address, out: Uint8Array, off: number): void {
  out.fill(0, off, off + ADDR_LEN);
  out[off + 1] = (a.port >> 8) & 255;
  out[off + 2] = a.port & 255;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(a.ip)) {
    out[off] = 1;
    a.ip.split(".").forEach((o, i) => (out[off + 3 + i] = +o & 255));
  } else {
    out[off] = 2;
    ipv6Bytes(a.ip).forEach((b, i) => (out[off + 3 + i] = b));
  }
}

export function decodeAddress(m: Uint8Array, off: number): Address {
  const port = (m[off + 1] << 8) | m[off + 2];
  if (m[off] === 1) return { ip: Array.from(m.subarray(off + 3, off + 7)).join("."), port };
  const g: string[] = [];
  for (let i = 0; i < 8; i++) g.push(((m[off + 3 + 2 * i] << 8) | m[off + 4 + 2 * i]).toString(16));
  // Shortest form: the longest run of zero groups becomes "::" (RFC 5952).
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== "0") { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === "0") j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  const ip = best < 0 ? g.join(":") : `${g.slice(0, best).join(":")}::${g.slice(best + bestLen).join(":")}`;
  return { ip, port };
}

export type CoreEvent =
  | { kind: PeerEventKind.StateChanged; state: (typeof PEER_STATES)[number] }
  | { kind: PeerEventKind.LocalCandidate; candidate: string }
  | { kind: PeerEventKind.ResolveMdns; name: string }
  | { kind: PeerEventKind.ChannelOpen; channel: number; remote: boolean }
  | { kind: PeerEventKind.ChannelMessage; channel: number; binary: boolean; data: Uint8Array }
  | { kind: PeerEventKind.ChannelClosed; channel: number }
  | { kind: PeerEventKind.BufferedAmountLow; channel: number }
  | { kind: PeerEventKind.IceStateChanged; state: (typeof ICE_STATES)[number] }
  | { kind: PeerEventKind.SelectedPair; local: Address; remote: Address }
  | { kind: PeerEventKind.Error; channel: number; reason: string }
  // levelDbfs: RMS level of a G.711 frame (<= 0), null for other codecs.
  | { kind: PeerEventKind.MediaFrame; track: number; codec: MediaCodec; data: Uint8Array; rtpTimestamp: number; payloadType: number; keyframe: boolean; levelDbfs: number | null }
  | { kind: PeerEventKind.KeyframeRequest; track: number; fir: boolean };

export type PollResult =
  | { kind: PollKind.None }
  // stream: bytes for the TCP connection local -> remote (TURN over TCP), not a datagram.
  | { kind: PollKind.Transmit; local: Address; remote: Address; data: Uint8Array; stream: boolean }
  | { kind: PollKind.Event; event: CoreEvent }
  | { kind: PollKind.Timeout; deadline: number | null };

export class SdpRejected extends Error {
  constructor(public code: number, reason: string) {
    super(reason);
    this.name = "SdpRejected";
  }
}

// One core module instance; serves many peers.
export class Core {
  readonly x: Record<string, any>;
  readonly memory: CoreMemory;
  private peers = 0;

  constructor(public loaded: LoadedCore) {
    this.x = loaded.exports;
    this.memory = loaded.memory;
    const v = this.x.abi_version?.();
    if (v !== ABI_VERSION) throw new Error(`core ABI version ${v}, this host speaks ${ABI_VERSION}`);
  }

  static load(provider: Provider = "pure", log?: LogSink): Core {
    return new Core(loadCore(provider, log));
  }

  // Copies bytes into the io buffer (grown as needed); throws when over the core's bound.
  putIo(data: Uint8Array): void {
    const ptr = this.x.io_reserve(data.length) as number;
    if (!ptr && data.length > 0) throw new RangeError(`${data.length} bytes exceed the core's io buffer bound`);
    this.memory.write(this.x.io_buffer() as number, data);
  }

  readIo(len: number): Uint8Array {
    return this.memory.read(this.x.io_buffer() as number, len);
  }

  ioText(len: number): string {
    return new TextDecoder().decode(this.readIo(len));
  }

  putAddresses(...addrs: (Address | null)[]): void {
    const b = new Uint8Array(ADDR_LEN * 3);
    addrs.forEach((a, i) => a && encodeAddress(a, b, i * ADDR_LEN));
    this.memory.write(this.x.addr_buffer() as number, b);
  }

  address(slot: number): Address {
    return decodeAddress(this.memory.bytes(), (this.x.addr_buffer() as number) + slot * ADDR_LEN);
  }

  newPeer(config: PeerCoreConfig = {}): Peer {
    this.x.config_reset();
    for (const [name, key] of CONFIG_KEYS) {
      const v = config[name];
      if (v === undefined) continue;
      if (!this.x.config_set(key, typeof v === "boolean" ? (v ? 1 : 0) : v)) throw new RangeError(`bad peer config ${name}=${v}`);
    }
    const id = this.x.peer_new() as number;
    if (id < 0) throw new Error("the core could not create a peer");
    this.peers++;
    return new Peer(this, id);
  }

  get livePeers(): number {
    return this.peers;
  }

  // Internal: a Peer was freed.
  released(): void {
    this.peers--;
  }
}

// One peer connection inside a Core: its id and the ABI's calls, typed.
export class Peer {
  private freed = false;

  constructor(readonly core: Core, readonly id: number) {}

  private get x() {
    return this.core.x;
  }

  get fingerprint(): string {
    return this.core.ioText(this.x.peer_fingerprint(this.id));
  }

  private sdpResult(r: number): string {
    if (r >= 0) return this.core.ioText(r);
    throw new SdpRejected(-r, this.core.ioText(this.x.out_len()));
  }

  createOffer(): string {
    return this.sdpResult(this.x.peer_create_offer(this.id));
  }

  // An ICE restart offer after the first negotiation: the same session with new local credentials.
  createRestartOffer(): string {
    return this.sdpResult(this.x.peer_create_restart_offer(this.id));
  }

  createAnswer(): string {
    return this.sdpResult(this.x.peer_create_answer(this.id));
  }

  // Throws SdpRejected with the core's reason.
  setRemoteDescription(type: "offer" | "answer", sdp: string): void {
    const bytes = new TextEncoder().encode(sdp);
    this.core.putIo(bytes);
    const r = this.x.peer_set_remote_description(this.id, type === "offer" ? 0 : 1, bytes.length) as number;
    if (r !== 0) throw new SdpRejected(r, this.core.ioText(this.x.out_len()));
  }

  addHostCandidate(addr: Address): boolean {
    this.core.putAddresses(addr);
    return this.x.peer_add_local_candidate(this.id, 0) === 1;
  }

  addServerReflexiveCandidate(mapped: Address, base: Address, server: Address): boolean {
    this.core.putAddresses(mapped, base, server);
    return this.x.peer_add_local_candidate(this.id, 1) === 1;
  }

  // For the TURN client: transmits from `relayed` must then go through it.
  addRelayedCandidate(relayed: Address, mapped: Address | null, server: Address): boolean {
    this.core.putAddresses(relayed, mapped, server);
    return this.x.peer_add_local_candidate(this.id, 2) === 1;
  }

  addRemoteCandidate(line: string): boolean {
    const b = new TextEncoder().encode(line);
    if (b.length > 1100) return false;
    this.core.putIo(b);
    return this.x.peer_add_remote_candidate(this.id, b.length) === 1;
  }

  resolveMdns(name: string, ip: string): boolean {
    const b = new TextEncoder().encode(name);
    this.core.putIo(b);
    this.core.putAddresses({ ip, port: 0 });
    return this.x.peer_resolve_mdns(this.id, b.length) === 1;
  }

  // A STUN/TURN server reached from the host socket at local: ICE_SERVER_* kind; the server's index
  // or -1. For TURN over TCP, connect first and feed the connection's bytes to inputStream.
  addIceServer(kind: number, local: Address, server: Address, username: string, password: string, now: number): number {
    const u = new TextEncoder().encode(username);
    const p = new TextEncoder().encode(password);
    if (u.length > 512 || p.length > 512) return -1;
    const b = new Uint8Array(u.length + p.length);
    b.set(u);
    b.set(p, u.length);
    this.core.putIo(b);
    this.core.putAddresses(local, server);
    return this.x.peer_add_ice_server(this.id, kind, u.length, p.length, now);
  }

  // Bytes from the TCP connection local -> server; false when the host should close it.
  inputStream(data: Uint8Array, local: Address, server: Address, now: number): boolean {
    this.core.putIo(data);
    this.core.putAddresses(local, server);
    return this.x.peer_input_stream(this.id, data.length, now) === 1;
  }

  // iceTransportPolicy "relay": TURN-mapped addresses are not offered as candidates.
  setRelayOnly(on: boolean): void {
    this.x.peer_set_relay_only(this.id, on ? 1 : 0);
  }

  // STUN queries and TURN allocations still unanswered.
  get gathering(): number {
    return this.x.peer_gathering(this.id);
  }

  // TURN_STATES[...] of server index i, null for a STUN server or an unknown index.
  turnState(i: number): (typeof TURN_STATES)[number] | null {
    return TURN_STATES[this.x.peer_turn_state(this.id, i)] ?? null;
  }

  input(data: Uint8Array, local: Address, remote: Address, now: number): void {
    this.core.putIo(data);
    this.core.putAddresses(local, remote);
    this.x.peer_input(this.id, data.length, now);
  }

  poll(now: number): PollResult {
    const k = this.x.peer_poll(this.id, now) as number;
    switch (k) {
      case PollKind.Transmit:
        return {
          kind: k, local: this.core.address(0), remote: this.core.address(1), data: this.core.readIo(this.x.out_len()),
          stream: this.x.peer_out_stream(this.id) === 1,
        };
      case PollKind.Event:
        return { kind: k, event: this.readEvent() };
      case PollKind.Timeout: {
        const d = this.x.out_deadline() as number;
        return { kind: k, deadline: d < 0 ? null : d };
      }
    }
    return { kind: PollKind.None };
  }

  private readEvent(): CoreEvent {
    const x = this.x;
    const kind = x.out_event() as PeerEventKind;
    const channel = x.out_channel() as number;
    const value = x.out_value() as number;
    const len = x.out_len() as number;
    switch (kind) {
      case PeerEventKind.StateChanged: return { kind, state: PEER_STATES[value] ?? "failed" };
      case PeerEventKind.LocalCandidate: return { kind, candidate: this.core.ioText(len) };
      case PeerEventKind.ResolveMdns: return { kind, name: this.core.ioText(len) };
      case PeerEventKind.ChannelOpen: return { kind, channel, remote: value === 1 };
      case PeerEventKind.ChannelMessage: return { kind, channel, binary: value === 1, data: this.core.readIo(len) };
      case PeerEventKind.ChannelClosed: return { kind, channel };
      case PeerEventKind.BufferedAmountLow: return { kind, channel };
      case PeerEventKind.IceStateChanged: return { kind, state: ICE_STATES[value] ?? "failed" };
      case PeerEventKind.SelectedPair: return { kind, local: this.core.address(0), remote: this.core.address(1) };
      case PeerEventKind.MediaFrame: {
        const level = x.out_media(3) as number;
        return { kind, track: channel, codec: MEDIA_CODECS[value] ?? "", data: this.core.readIo(len), rtpTimestamp: x.out_media(0) as number,
          payloadType: x.out_media(1) as number, keyframe: x.out_media(2) === 1, levelDbfs: level > 0 ? null : level };
      }
      case PeerEventKind.KeyframeRequest: return { kind, track: channel, fir: value === 2 };
      default: return { kind: PeerEventKind.Error, channel, reason: this.core.ioText(len) };
    }
  }

  get state(): (typeof PEER_STATES)[number] {
    return PEER_STATES[this.x.peer_state(this.id)] ?? "closed";
  }

  get iceState(): (typeof ICE_STATES)[number] {
    return ICE_STATES[this.x.peer_ice_state(this.id)] ?? "closed";
  }

  selectedPair(): { local: Address; remote: Address } | null {
    if (this.x.peer_selected_pair(this.id) !== 1) return null;
    return { local: this.core.address(0), remote: this.core.address(1) };
  }

  // Our ice-ufrag of the selected pair's generation (the previous one during an ICE restart), or null.
  selectedUfrag(): string | null {
    const n = this.x.peer_selected_ufrag(this.id) as number;
    return n < 0 ? null : this.core.ioText(n);
  }

  get maxMessageSize(): number {
    return this.x.peer_max_message_size(this.id);
  }

  stat(which: number): number {
    return this.x.peer_stat(this.id, which);
  }

  // ---- media ----

  mediaTracks(): MediaTrackInfo[] {
    const x = this.x;
    const out: MediaTrackInfo[] = [];
    const n = x.media_track_count(this.id) as number;
    for (let t = 0; t < n; t++) {
      const info = (w: number) => x.media_track_info(this.id, t, w) as number;
      const mid = this.core.ioText(x.media_track_mid(this.id, t));
      const rtx = info(5);
      out.push({ track: t, mid, kind: info(0) === 0 ? "audio" : "video", direction: MEDIA_DIRECTIONS[info(1)] ?? "inactive",
        codec: MEDIA_CODECS[info(2)] ?? "", receiveCodec: MEDIA_CODECS[info(10)] ?? "", payloadType: info(3), clockRate: info(4),
        rtxPayloadType: rtx < 0 ? null : rtx, ssrc: info(6), remoteSsrc: info(7), channels: info(8) });
    }
    return out;
  }

  // Packets queued (>= 0), or -1 not a sending track, -2 SRTP not keyed yet, -3 dropped.
  sendMediaFrame(track: number, frame: Uint8Array, rtpTimestamp: number, keyframe: boolean, now: number): number {
    this.core.putIo(frame);
    return this.x.media_send_frame(this.id, track, frame.length, rtpTimestamp >>> 0, keyframe ? 1 : 0, now) as number;
  }

  requestKeyframe(track: number, now: number): boolean {
    return this.x.media_request_keyframe(this.id, track, now) === 1;
  }

  mediaStats(track: number): MediaStats {
    const s = {} as MediaStats;
    MEDIA_STATS.forEach((k, i) => (s[k] = this.x.media_stat(this.id, track, i) as number));
    return s;
  }

  createChannel(label: string, opts: { ordered?: boolean; maxRetransmits?: number | null; maxPacketLifeTime?: number | null; protocol?: string; id?: number | null }, now: number): number {
    const l = new TextEncoder().encode(label);
    const p = new TextEncoder().encode(opts.protocol ?? "");
    const b = new Uint8Array(l.length + p.length);
    b.set(l);
    b.set(p, l.length);
    this.core.putIo(b);
    return this.x.channel_create(this.id, l.length, p.length, opts.ordered === false ? 0 : 1, opts.maxRetransmits ?? -1,
      opts.maxPacketLifeTime ?? -1, opts.id ?? -1, now);
  }

  // SEND_OK or SEND_ERR_*.
  send(channel: number, data: Uint8Array, binary: boolean, now: number): number {
    this.core.putIo(data);
    return this.x.channel_send(this.id, channel, data.length, binary ? 1 : 0, now);
  }

  closeChannel(channel: number, now: number): void {
    this.x.channel_close(this.id, channel, now);
  }

  bufferedAmount(channel: number): number {
    return this.x.channel_buffered_amount(this.id, channel);
  }

  setBufferedAmountLowThreshold(channel: number, n: number): void {
    this.x.channel_set_buffered_amount_low_threshold(this.id, channel, Math.max(0, Math.min(n, 0x7fffffff)));
  }

  channelState(channel: number): (typeof CHANNEL_STATES)[number] {
    return CHANNEL_STATES[this.x.channel_state(this.id, channel)] ?? "closed";
  }

  channelInfo(channel: number): { label: string; protocol: string; streamId: number | null; ordered: boolean; maxRetransmits: number | null; maxPacketLifeTime: number | null; negotiated: boolean } {
    const x = this.x;
    const ll = x.channel_label(this.id, channel);
    const label = ll >= 0 ? this.core.ioText(ll) : "";
    const pl = x.channel_protocol(this.id, channel);
    const protocol = pl >= 0 ? this.core.ioText(pl) : "";
    const sid = x.channel_stream_id(this.id, channel);
    const rt = x.channel_option(this.id, channel, 1);
    const lt = x.channel_option(this.id, channel, 2);
    return {
      label, protocol, streamId: sid >= 0 ? sid : null, ordered: x.channel_option(this.id, channel, 0) === 1,
      maxRetransmits: rt >= 0 ? rt : null, maxPacketLifeTime: lt >= 0 ? lt : null, negotiated: x.channel_option(this.id, channel, 3) === 1,
    };
  }

  streamId(channel: number): number | null {
    const s = this.x.channel_stream_id(this.id, channel);
    return s >= 0 ? s : null;
  }

  close(now: number): void {
    this.x.peer_close(this.id, now);
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.x.peer_free(this.id);
    this.core.released();
  }
}
