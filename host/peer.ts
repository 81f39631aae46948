// host/peer-api.ts over the Wasm core: a browser-shaped PeerConnection and DataChannel, driven by
// node:dgram sockets (host/udp.ts) and a timer at the core's next deadline. One core instance
// serves many peers (createPeerFactory).
import { performance } from "node:perf_hooks";
import type { Socket } from "node:dgram";
import { isIPv4, isIPv6, type Socket as TcpSocket } from "node:net";
import { lookup } from "node:dns/promises";
import {
  Core, Peer, PollKind, PeerEventKind, SdpRejected, SEND_OK, SEND_ERR_BUFFER_FULL, SEND_ERR_TOO_BIG,
  ICE_SERVER_STUN, ICE_SERVER_TURN_UDP, ICE_SERVER_TURN_TCP,
  encodeAddress, decodeAddress, type Address, type CoreEvent, type LogSink, type Provider, type PeerCoreConfig,
} from "./core.js";
import { bindUdp, localAddresses, addressKey, type BoundSocket } from "./udp.js";
import { parseServerUrl, unsupportedServerUrl, openTurnStream, type TurnStreamOptions } from "./net.js";
import { resolveMdns, type MdnsOptions } from "./mdns.js";
import type {
  DataChannel, DataChannelInit, DataChannelState, IceCandidateInit, MessageEventLike, PeerConfiguration,
  PeerConnection, PeerConnectionState, PeerStats, SessionDescriptionInit, OfferOptions,
  MediaPeer, MediaConfiguration, MediaFrameEvent, MediaTrackDescription,
} from "./peer-api.js";

// PeerConfiguration.media as config_set keys (codec lists become bit masks, in the core's order).
function mediaCoreConfig(m: MediaConfiguration | undefined): PeerCoreConfig {
  if (!m) return {};
  const bits = (list: string[] | undefined, names: string[]) =>
    list === undefined ? undefined : list.reduce((b, c) => b | (names.indexOf(c) >= 0 ? 1 << names.indexOf(c) : 0), 0);
  return {
    mediaEnabled: m.enabled, offerMedia: m.offer,
    videoSendCodecs: bits(m.videoSend, ["H264", "VP8"]), videoReceiveCodecs: bits(m.videoReceive, ["H264", "VP8"]),
    audioSendCodecs: bits(m.audioSend, ["opus", "PCMU", "PCMA"]), audioReceiveCodecs: bits(m.audioReceive, ["opus", "PCMU", "PCMA"]),
    videoHistoryPackets: m.retransmitHistory,
  };
}

// Like browsers (Chromium's 16 MiB), bufferedAmount is bounded: past it send() throws.
export const MAX_BUFFERED_AMOUNT = 16 * 1024 * 1024;

// How long close() lets the core finish its SHUTDOWN / close_notify exchange before the sockets go.
const CLOSE_GRACE_MS = 3000;

// Gathering ends (the null candidate) when every STUN/TURN server answered, or after this long: the
// core's own retransmissions give up later (39.5 s), and a peer waiting for end-of-candidates should not.
const GATHER_TIMEOUT_MS = 10000;
// A TCP connection to a TURN server that does not connect (and finish TLS for turns:) by then is given up.
const TCP_CONNECT_TIMEOUT_MS = 5000;

const now = () => performance.now();

// An address as the core writes it back (IPv6 in RFC 5952 form), so map keys always match.
function normalKey(a: Address): string {
  const b = new Uint8Array(19);
  encodeAddress(a, b, 0);
  return addressKey(decodeAddress(b, 0));
}

function report(where: string, e: unknown): void {
  console.error(`[wasmpeer] exception in ${where}:`, e);
}

// What the TURN client (host/net.ts) plugs in: datagrams whose local address is a relayed
// candidate go through it. Returns false when the address is not one of its allocations.
export type RelaySend = (local: Address, remote: Address, data: Uint8Array) => boolean;

export interface PeerFactoryOptions {
  provider?: Provider; // crypto provider of the core: "pure" (default) or "host"
  log?: LogSink;
  // How remote ".local" candidates are resolved (timeout, and a responder for tests).
  mdns?: MdnsOptions;
}

export interface PeerFactory {
  readonly core: Core;
  createPeerConnection(config?: PeerConfiguration): WasmPeerConnection;
}

// One core module, many peers.
export function createPeerFactory(opts: PeerFactoryOptions = {}): PeerFactory {
  const core = Core.load(opts.provider ?? "pure", opts.log);
  return {
    core,
    createPeerConnection: (config?: PeerConfiguration) => new WasmPeerConnection(core, config ?? {}, opts.mdns),
  };
}

let defaultFactory: PeerFactory | null = null;

// A peer on a shared default core (pure provider).
export function createPeerConnection(config: PeerConfiguration = {}): WasmPeerConnection {
  defaultFactory ??= createPeerFactory();
  return defaultFactory.createPeerConnection(config);
}

export class WasmDataChannel implements DataChannel {
  readyState: DataChannelState = "connecting";
  onopen: (() => void) | null = null;
  onmessage: ((ev: MessageEventLike) => void) | null = null;
  onbufferedamountlow: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: ((err: Error) => void) | null = null;
  id: number | null = null;
  private threshold = 0;
  // Messages the core's SCTP send buffer had no room for yet, oldest first.
  queue: { data: Uint8Array; binary: boolean }[] = [];
  queuedBytes = 0;
  wasAboveThreshold = false;

  constructor(
    private pc: WasmPeerConnection,
    readonly handle: number,
    readonly label: string,
    readonly protocol: string,
    readonly ordered: boolean,
    readonly maxRetransmits: number | null,
    readonly maxPacketLifeTime: number | null,
    readonly negotiated: boolean,
  ) {}

  get bufferedAmount(): number {
    if (this.readyState === "closed") return this.queuedBytes;
    return this.pc.peer.bufferedAmount(this.handle) + this.queuedBytes;
  }

  get bufferedAmountLowThreshold(): number {
    return this.threshold;
  }

  set bufferedAmountLowThreshold(n: number) {
    this.threshold = Math.max(0, Math.floor(n));
    this.pc.peer.setBufferedAmountLowThreshold(this.handle, this.threshold);
  }

  send(data: string | Uint8Array): void {
    if (this.readyState !== "open") {
      throw Object.assign(new Error(`InvalidStateError: data channel "${this.label}" is ${this.readyState}`), { name: "InvalidStateError" });
    }
    const binary = typeof data !== "string";
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const max = this.pc.peer.maxMessageSize;
    if (bytes.length > max) {
      throw new TypeError(`message of ${bytes.length} bytes is over the peer's max-message-size ${max}`);
    }
    if (this.bufferedAmount + bytes.length > MAX_BUFFERED_AMOUNT) {
      throw Object.assign(new Error(`OperationError: bufferedAmount would exceed ${MAX_BUFFERED_AMOUNT} bytes`), { name: "OperationError" });
    }
    // Copy: the caller may reuse its buffer, and the queue holds on to it.
    const copy = new Uint8Array(bytes);
    if (this.queue.length === 0) {
      const r = this.pc.peer.send(this.handle, copy, binary, now());
      if (r === SEND_OK) {
        this.markSent();
        this.pc.kick();
        return;
      }
      if (r === SEND_ERR_TOO_BIG) throw new TypeError(`message of ${bytes.length} bytes is too big for the channel`);
      if (r !== SEND_ERR_BUFFER_FULL) {
        throw Object.assign(new Error(`OperationError: the channel cannot send (code ${r})`), { name: "OperationError" });
      }
    }
    this.queue.push({ data: copy, binary });
    this.queuedBytes += copy.length;
    this.markSent();
  }

  private markSent(): void {
    if (this.bufferedAmount > this.threshold) this.wasAboveThreshold = true;
  }

  // Moves queued messages into the core while its send buffer has room.
  flush(t: number): void {
    while (this.queue.length > 0 && this.readyState === "open") {
      const m = this.queue[0];
      const r = this.pc.peer.send(this.handle, m.data, m.binary, t);
      if (r === SEND_ERR_BUFFER_FULL) return;
      this.queue.shift();
      this.queuedBytes -= m.data.length;
      if (r !== SEND_OK) this.fireError(new Error(`OperationError: a queued message could not be sent (code ${r})`));
    }
  }

  checkLow(): void {
    if (!this.wasAboveThreshold || this.readyState !== "open") return;
    if (this.bufferedAmount <= this.threshold) {
      this.wasAboveThreshold = false;
      try {
        this.onbufferedamountlow?.();
      } catch (e) {
        report("onbufferedamountlow", e);
      }
    }
  }

  close(): void {
    if (this.readyState === "closing" || this.readyState === "closed") return;
    this.readyState = "closing";
    this.pc.peer.closeChannel(this.handle, now());
    this.pc.kick();
  }

  fireOpen(): void {
    if (this.readyState !== "connecting") return;
    this.readyState = "open";
    this.id = this.pc.peer.streamId(this.handle);
    try {
      this.onopen?.();
    } catch (e) {
      report("onopen", e);
    }
  }

  fireMessage(data: Uint8Array, binary: boolean): void {
    if (this.readyState !== "open" && this.readyState !== "closing") return;
    try {
      this.onmessage?.({ data: binary ? data : new TextDecoder().decode(data) });
    } catch (e) {
      report("onmessage", e);
    }
  }

  fireClose(): void {
    if (this.readyState === "closed") return;
    this.readyState = "closed";
    this.queue = [];
    this.queuedBytes = 0;
    try {
      this.onclose?.();
    } catch (e) {
      report("onclose", e);
    }
  }

  fireError(err: Error): void {
    try {
      this.onerror?.(err);
    } catch (e) {
      report("onerror", e);
    }
  }
}

export class WasmPeerConnection implements PeerConnection, MediaPeer {
  onmediaframe: ((ev: MediaFrameEvent) => void) | null = null;
  onkeyframerequest: ((ev: { track: number }) => void) | null = null;
  readonly peer: Peer;
  connectionState: PeerConnectionState = "new";
  iceConnectionState: string = "new";
  localDescription: SessionDescriptionInit | null = null;
  remoteDescription: SessionDescriptionInit | null = null;
  signalingState: "stable" | "have-local-offer" | "have-remote-offer" = "stable";
  onicecandidate: ((ev: { candidate: IceCandidateInit | null }) => void) | null = null;
  ondatachannel: ((ev: { channel: DataChannel }) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  // The TURN hook: transmits from a local address without a socket of ours go here.
  relaySend: RelaySend | null = null;
  // The last error the core reported (DTLS failure reason...), for diagnostics.
  lastError: string | null = null;

  private sockets = new Map<string, BoundSocket>();
  private gathering: Promise<void>;
  private gatherError: Error | null = null;
  private pendingCandidates: string[] = [];
  // restartIce() was called: the next offer restarts ICE. localUfrag: the generation candidates belong to.
  private iceRestartNeeded = false;
  private localUfrag: string | null = null;
  // Candidates are announced once there is a local description; the null one once gathering is done.
  private announced = false;
  private gatherDone = false;
  private endSent = false;
  private serversStarted = false;
  private serverSetups = 0; // DNS lookups and TCP connects under way
  private gatherTimer: NodeJS.Timeout | null = null;
  private tcp = new Map<string, TcpSocket>(); // `${local}|${server}` -> connection to a TURN server
  private mdnsAsked = new Set<string>();
  private channels = new Map<number, WasmDataChannel>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private driving = false;
  private redrive = false;
  private userClosed = false;
  private finished = false;
  private graceTimer: NodeJS.Timeout | null = null;
  private mid = "0";
  private kickPending = false;
  private sendsInFlight = 0;
  private onSendsDone: (() => void) | null = null;

  constructor(private core: Core, readonly config: PeerConfiguration = {}, private mdns: MdnsOptions = {}) {
    this.peer = core.newPeer({
      dtlsPassive: config.dtlsRole === "passive",
      maxMessageSize: config.maxMessageSize,
      ...mediaCoreConfig(config.media),
    });
    if (this.relayOnly) this.peer.setRelayOnly(true);
    this.gathering = this.gather().catch((e) => {
      this.gatherError = e instanceof Error ? e : new Error(String(e));
    });
  }

  // Binds one socket per local address and offers each as a host candidate.
  private async gather(): Promise<void> {
    const ips = this.config.bindAddresses?.length
      ? this.config.bindAddresses
      : localAddresses({ includeLoopback: this.config.includeLoopback });
    const results = await Promise.allSettled(ips.map((ip) => bindUdp(ip)));
    for (const r of results) {
      if (r.status !== "fulfilled") continue;
      const b = r.value;
      if (this.finished) {
        b.socket.close();
        continue;
      }
      this.sockets.set(normalKey(b.address), b);
      b.socket.on("message", (msg, rinfo) => this.onDatagram(b.address, msg, { ip: rinfo.address, port: rinfo.port }));
      b.socket.on("error", (e) => report(`socket ${addressKey(b.address)}`, e));
      // iceTransportPolicy "relay": the sockets only carry TURN traffic, and are not offered.
      if (!this.relayOnly) this.peer.addHostCandidate(b.address);
    }
    if (this.sockets.size === 0 && !this.finished) throw new Error(`no local address could be bound (tried ${ips.join(", ") || "none"})`);
    // STUN/TURN gathering runs on: its candidates trickle out (RFC 8838) as servers answer.
    this.gatherTimer = setTimeout(() => this.endGathering(), GATHER_TIMEOUT_MS);
    this.gatherTimer.unref();
    void this.startServers().catch((e) => report("ICE server setup", e));
    this.drive();
  }

  private get relayOnly(): boolean {
    return this.config.iceTransportPolicy === "relay";
  }

  // Hands every configured STUN/TURN server to the core, once per local socket of the server's
  // family; the core's clients do the protocol, this only provides the sockets.
  private async startServers(): Promise<void> {
    const jobs: Promise<void>[] = [];
    for (const server of this.config.iceServers ?? []) {
      for (const url of [server.urls].flat()) jobs.push(this.addServer(url, server.username ?? "", server.credential ?? "", server.tlsCa));
    }
    await Promise.all(jobs);
    this.serversStarted = true;
    this.drive();
    this.checkGathered();
  }

  private async addServer(url: string, username: string, credential: string, tlsCa?: string | Uint8Array): Promise<void> {
    const u = parseServerUrl(url);
    if (!u) {
      this.lastError = `ICE server URL not understood: ${url}`;
      return;
    }
    const refused = unsupportedServerUrl(u);
    if (refused) {
      this.lastError = `${refused} (${url})`;
      return;
    }
    if (u.scheme === "stun" && this.relayOnly) return;
    this.serverSetups++;
    try {
      let ip = u.host;
      if (!isIPv4(ip) && !isIPv6(ip)) {
        try {
          ip = (await lookup(u.host)).address;
        } catch {
          this.lastError = `ICE server ${u.host} did not resolve`;
          return;
        }
      }
      const server = { ip, port: u.port };
      const setups: Promise<void>[] = [];
      for (const b of this.sockets.values()) {
        if (this.finished || isIPv6(b.address.ip) !== isIPv6(ip)) continue;
        if (u.scheme === "stun") this.peer.addIceServer(ICE_SERVER_STUN, b.address, server, "", "", now());
        else if (u.transport === "udp") this.peer.addIceServer(ICE_SERVER_TURN_UDP, b.address, server, username, credential, now());
        else {
          // turns: (RFC 7065): the certificate is checked against the URL's host name, or its IP
          const tls = u.scheme === "turns" ? { servername: ip === u.host ? undefined : u.host, ca: tlsCa } : undefined;
          setups.push(this.connectTurnStream(b.address, server, tls, username, credential));
        }
      }
      await Promise.all(setups);
    } finally {
      this.serverSetups--;
      this.drive();
    }
  }

  // TURN over TCP or TLS (RFC 8656 §3.1, RFC 7065): a connection from the socket's IP to the server;
  // the core frames the stream. The UDP socket's address names the connection in the core (local of
  // its Transmits). A server whose connection fails is not handed to the core, so gathering still ends.
  private async connectTurnStream(
    local: Address, server: Address, tls: TurnStreamOptions["tls"], username: string, credential: string,
  ): Promise<void> {
    let c: TcpSocket;
    try {
      c = await openTurnStream({ localIp: local.ip, server, tls, timeoutMs: TCP_CONNECT_TIMEOUT_MS });
    } catch (e) {
      this.lastError = `TURN ${(e as Error).message}`;
      return;
    }
    if (this.finished) {
      c.destroy();
      return;
    }
    const key = `${normalKey(local)}|${normalKey(server)}`;
    this.tcp.set(key, c);
    c.on("close", () => {
      if (this.tcp.get(key) === c) this.tcp.delete(key);
    });
    c.on("data", (chunk: Buffer) => {
      if (this.finished) return;
      if (!this.peer.inputStream(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), local, server, now())) c.destroy();
      this.drive();
    });
    this.peer.addIceServer(ICE_SERVER_TURN_TCP, local, server, username, credential, now());
  }

  // Every server answered (or none is configured): no more local candidates will come.
  private checkGathered(): void {
    if (this.gatherDone || this.finished || !this.serversStarted || this.serverSetups > 0) return;
    if (this.peer.gathering > 0) return;
    this.endGathering();
  }

  private endGathering(): void {
    if (this.gatherDone) return;
    this.gatherDone = true;
    if (this.gatherTimer) clearTimeout(this.gatherTimer);
    this.gatherTimer = null;
    this.maybeEndCandidates();
  }

  private maybeEndCandidates(): void {
    if (!this.announced || !this.gatherDone || this.endSent || this.userClosed) return;
    this.endSent = true;
    this.emitCandidate(null);
  }

  private onDatagram(local: Address, msg: Buffer, remote: Address): void {
    if (this.finished) return;
    this.peer.input(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength), local, remote, now());
    this.drive();
  }

  // ---- signaling ----

  // After the first negotiation: { iceRestart: true } (or restartIce() before) makes an ICE restart
  // offer, new credentials for the same session; otherwise a re-offer of the session as it is.
  async createOffer(options?: OfferOptions): Promise<SessionDescriptionInit> {
    await this.ready();
    const negotiated = this.localDescription !== null && this.remoteDescription !== null;
    const restart = negotiated && (options?.iceRestart === true || this.iceRestartNeeded);
    const sdp = this.sdpCall(() => (restart ? this.peer.createRestartOffer() : this.peer.createOffer()));
    if (restart) this.iceRestartNeeded = false;
    this.onLocalSdp(sdp);
    this.kick();
    return { type: "offer", sdp };
  }

  // As the browser's: the next offer restarts ICE (RFC 8445 §9); the connection stays up meanwhile.
  restartIce(): void {
    if (this.localDescription !== null && this.remoteDescription !== null) this.iceRestartNeeded = true;
  }

  async createAnswer(): Promise<SessionDescriptionInit> {
    await this.ready();
    const sdp = this.sdpCall(() => this.peer.createAnswer());
    this.onLocalSdp(sdp);
    this.kick();
    return { type: "answer", sdp };
  }

  // New local credentials (an ICE restart): the core announces the local candidates again for the
  // new generation; they wait for the new local description like the first ones, then end again.
  private onLocalSdp(sdp: string): void {
    const ufrag = /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1] ?? null;
    if (this.localUfrag !== null && ufrag !== null && ufrag !== this.localUfrag) {
      this.announced = false;
      this.endSent = false;
      this.pendingCandidates = [];
    }
    if (ufrag !== null) this.localUfrag = ufrag;
  }

  async setLocalDescription(desc?: SessionDescriptionInit): Promise<void> {
    await this.ready();
    let d = desc;
    if (!d || !d.sdp) d = this.signalingState === "have-remote-offer" ? await this.createAnswer() : await this.createOffer();
    this.localDescription = { type: d.type, sdp: d.sdp };
    this.signalingState = d.type === "offer" ? "have-local-offer" : "stable";
    this.mid = /a=mid:(\S+)/.exec(d.sdp)?.[1] ?? "0";
    // Trickle (RFC 8838): candidates are announced once there is a local description.
    queueMicrotask(() => this.flushCandidates());
    this.kick();
  }

  async setRemoteDescription(desc: SessionDescriptionInit): Promise<void> {
    if (this.userClosed) throw Object.assign(new Error("InvalidStateError: the peer connection is closed"), { name: "InvalidStateError" });
    if (!desc || (desc.type !== "offer" && desc.type !== "answer") || typeof desc.sdp !== "string") {
      throw new TypeError("setRemoteDescription needs {type: 'offer' | 'answer', sdp: string}");
    }
    this.sdpCall(() => this.peer.setRemoteDescription(desc.type, desc.sdp));
    this.remoteDescription = { type: desc.type, sdp: desc.sdp };
    this.signalingState = desc.type === "offer" ? "have-remote-offer" : "stable";
    this.kick();
  }

  async addIceCandidate(candidate: IceCandidateInit | null): Promise<void> {
    if (this.userClosed) return;
    const line = candidate?.candidate ?? "";
    // Unusable candidates (TCP, other components) are ignored, as browsers do.
    this.peer.addRemoteCandidate(line);
    this.kick();
  }

  private sdpCall<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof SdpRejected) throw Object.assign(new Error(e.message), { name: "OperationError", code: e.code });
      throw e;
    }
  }

  private async ready(): Promise<void> {
    if (this.userClosed) throw Object.assign(new Error("InvalidStateError: the peer connection is closed"), { name: "InvalidStateError" });
    await this.gathering;
    if (this.gatherError) throw this.gatherError;
  }

  private flushCandidates(): void {
    if (!this.localDescription || this.userClosed) return;
    const list = this.pendingCandidates;
    this.pendingCandidates = [];
    this.announced = true;
    for (const c of list) this.emitCandidate({ candidate: c, sdpMid: this.mid, sdpMLineIndex: 0, usernameFragment: this.localUfrag });
    this.maybeEndCandidates();
  }

  private emitCandidate(c: IceCandidateInit | null): void {
    try {
      this.onicecandidate?.({ candidate: c });
    } catch (e) {
      report("onicecandidate", e);
    }
  }

  // ---- channels ----

  createDataChannel(label: string, init: DataChannelInit = {}): DataChannel {
    if (this.userClosed) throw Object.assign(new Error("InvalidStateError: the peer connection is closed"), { name: "InvalidStateError" });
    if (init.maxRetransmits != null && init.maxPacketLifeTime != null) {
      throw new TypeError("maxRetransmits and maxPacketLifeTime cannot both be set");
    }
    if (init.negotiated && (init.id == null || init.id < 0 || init.id > 65534)) throw new TypeError("a negotiated channel needs an id 0-65534");
    const h = this.peer.createChannel(label, {
      ordered: init.ordered, maxRetransmits: init.maxRetransmits, maxPacketLifeTime: init.maxPacketLifeTime,
      protocol: init.protocol, id: init.negotiated ? init.id : null,
    }, now());
    if (h < 0) throw Object.assign(new Error("OperationError: no channel could be created (limit reached or id taken)"), { name: "OperationError" });
    const ch = new WasmDataChannel(this, h, label, init.protocol ?? "", init.ordered !== false, init.maxRetransmits ?? null,
      init.maxPacketLifeTime ?? null, !!init.negotiated);
    this.channels.set(h, ch);
    this.kick();
    return ch;
  }

  // ---- the drive loop ----

  // From API calls: drive soon, not inside the call, so that events (onopen...) reach handlers the
  // caller attaches right after it, as in browsers; several sends in a row also batch into one drive.
  kick(): void {
    if (this.kickPending || this.finished) return;
    this.kickPending = true;
    queueMicrotask(() => {
      this.kickPending = false;
      this.drive();
    });
  }

  // Drains the core: datagrams out, events to the callbacks, the timer re-armed. Re-entrant calls
  // (a callback that sends) just ask for one more round.
  drive(): void {
    if (this.finished) return;
    if (this.driving) {
      this.redrive = true;
      return;
    }
    this.driving = true;
    try {
      for (let rounds = 0; rounds < 1000; rounds++) {
        this.redrive = false;
        const t = now();
        for (const ch of this.channels.values()) if (ch.queue.length > 0) ch.flush(t);
        const events: CoreEvent[] = [];
        let done = false;
        for (let n = 0; n < 100000; n++) {
          const r = this.peer.poll(t);
          if (r.kind === PollKind.Transmit) this.transmit(r.local, r.remote, r.data, r.stream);
          else if (r.kind === PollKind.Event) events.push(r.event);
          else if (r.kind === PollKind.Timeout) {
            this.arm(r.deadline);
            break;
          } else {
            done = true;
            break;
          }
        }
        for (const e of events) this.dispatch(e);
        for (const ch of this.channels.values()) ch.checkLow();
        this.checkGathered();
        if (done) {
          this.finish();
          return;
        }
        if (!this.redrive) break;
      }
    } finally {
      this.driving = false;
    }
  }

  private arm(deadline: number | null): void {
    if (deadline === null) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.timerAt = Infinity;
      return;
    }
    if (this.timer && this.timerAt === deadline) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = deadline;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.drive();
    }, Math.max(0, Math.ceil(deadline - now())));
    this.timer.unref();
  }

  private transmit(local: Address, remote: Address, data: Uint8Array, stream = false): void {
    if (stream) {
      // The core's data may be a view of its memory: copy before it is queued.
      this.tcp.get(`${normalKey(local)}|${normalKey(remote)}`)?.write(Buffer.from(data));
      return;
    }
    const s = this.sockets.get(normalKey(local));
    if (s) {
      this.sendsInFlight++;
      s.socket.send(data, remote.port, remote.ip, (err) => {
        // A send error (unreachable network) is a lost datagram; the protocols recover.
        void err;
        if (--this.sendsInFlight === 0 && this.onSendsDone) {
          const f = this.onSendsDone;
          this.onSendsDone = null;
          f();
        }
      });
      return;
    }
    this.relaySend?.(local, remote, data);
  }

  private dispatch(e: CoreEvent): void {
    switch (e.kind) {
      case PeerEventKind.StateChanged: {
        if (this.userClosed) return;
        this.connectionState = e.state;
        try {
          this.onconnectionstatechange?.();
        } catch (err) {
          report("onconnectionstatechange", err);
        }
        return;
      }
      case PeerEventKind.LocalCandidate: {
        if (this.announced) this.emitCandidate({ candidate: e.candidate, sdpMid: this.mid, sdpMLineIndex: 0, usernameFragment: this.localUfrag });
        else this.pendingCandidates.push(e.candidate);
        return;
      }
      case PeerEventKind.IceStateChanged:
        this.iceConnectionState = e.state;
        return;
      case PeerEventKind.ChannelOpen: {
        if (e.remote) {
          const info = this.peer.channelInfo(e.channel);
          const ch = new WasmDataChannel(this, e.channel, info.label, info.protocol, info.ordered, info.maxRetransmits,
            info.maxPacketLifeTime, info.negotiated);
          this.channels.set(e.channel, ch);
          ch.readyState = "connecting";
          try {
            this.ondatachannel?.({ channel: ch });
          } catch (err) {
            report("ondatachannel", err);
          }
          ch.fireOpen();
        } else this.channels.get(e.channel)?.fireOpen();
        return;
      }
      case PeerEventKind.ChannelMessage:
        this.channels.get(e.channel)?.fireMessage(e.data, e.binary);
        return;
      case PeerEventKind.ChannelClosed: {
        const ch = this.channels.get(e.channel);
        this.channels.delete(e.channel);
        ch?.fireClose();
        return;
      }
      case PeerEventKind.Error: {
        this.lastError = e.reason;
        if (e.channel >= 0) this.channels.get(e.channel)?.fireError(new Error(e.reason));
        return;
      }
      case PeerEventKind.ResolveMdns:
        this.resolveName(e.name);
        return;
      case PeerEventKind.MediaFrame: {
        const kind = e.codec === "H264" || e.codec === "VP8" ? "video" : "audio";
        this.onmediaframe?.({ track: e.track, kind, codec: e.codec, data: e.data, rtpTimestamp: e.rtpTimestamp, keyframe: e.keyframe, levelDbfs: e.levelDbfs });
        return;
      }
      case PeerEventKind.KeyframeRequest:
        this.onkeyframerequest?.({ track: e.track });
        return;
      default:
        return; // SelectedPair, BufferedAmountLow: read on demand.
    }
  }

  // A remote ".local" candidate (draft-ietf-mmusic-mdns-ice-candidates): one query with a timeout;
  // unresolved, it stays out (peer-reflexive discovery may still find that peer).
  private resolveName(name: string): void {
    if (this.mdnsAsked.has(name) || this.mdnsAsked.size >= 64) return;
    this.mdnsAsked.add(name);
    resolveMdns(name, { timeoutMs: 3000, ...this.mdns }).then((ip) => {
      if (!ip || this.finished) return;
      this.peer.resolveMdns(name, ip);
      this.drive();
    }, (e) => report("mDNS", e));
  }

  // ---- stats and close ----

  // ---- media (MediaPeer) ----

  mediaTracks(): MediaTrackDescription[] {
    return this.peer.mediaTracks();
  }

  private sendOn(kind: "audio" | "video", frame: Uint8Array, rtpTimestamp: number, keyframe: boolean): number {
    if (this.finished) return -1;
    const t = this.peer.mediaTracks().find((m) => m.kind === kind && m.codec !== "");
    if (!t) return -1;
    const r = this.peer.sendMediaFrame(t.track, frame, rtpTimestamp, keyframe, now());
    this.kick();
    return r;
  }

  sendVideoFrame(frame: Uint8Array, rtpTimestamp: number, keyframe = false): number {
    return this.sendOn("video", frame, rtpTimestamp, keyframe);
  }

  sendAudioFrame(frame: Uint8Array, rtpTimestamp: number): number {
    return this.sendOn("audio", frame, rtpTimestamp, false);
  }

  // A PLI on a receiving track (the first one when none is named).
  requestKeyframe(track?: number): boolean {
    const t = track ?? this.peer.mediaTracks().find((m) => m.direction === "sendrecv" || m.direction === "recvonly")?.track;
    if (t === undefined || this.finished) return false;
    const ok = this.peer.requestKeyframe(t, now());
    this.kick();
    return ok;
  }

  getMediaStats(track: number): Record<string, number> {
    return this.peer.mediaStats(track);
  }

  getStats(): PeerStats {
    const p = this.peer;
    const pair = this.finished ? null : p.selectedPair();
    return {
      rttMs: null,
      bytesSent: p.stat(6),
      bytesReceived: p.stat(7),
      messagesSent: p.stat(4),
      messagesReceived: p.stat(5),
      selectedCandidatePair: pair ? { local: addressKey(pair.local), remote: addressKey(pair.remote) } : null,
      selectedPairGeneration: pair ? p.selectedUfrag() : null,
    };
  }

  // Like RTCPeerConnection.close(): the state is "closed" at once; the core still sends SCTP
  // SHUTDOWN and DTLS close_notify before the sockets close.
  close(): void {
    if (this.userClosed) return;
    this.userClosed = true;
    this.connectionState = "closed";
    if (this.finished) return;
    this.peer.close(now());
    this.graceTimer = setTimeout(() => this.finish(), CLOSE_GRACE_MS);
    this.graceTimer.unref();
    this.kick();
  }

  // The core is done with this peer: free it and the sockets.
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.connectionState = "closed";
    if (this.timer) clearTimeout(this.timer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    if (this.gatherTimer) clearTimeout(this.gatherTimer);
    // TURN over TCP: what was written (a deallocation) is flushed before the FIN.
    for (const c of this.tcp.values()) {
      c.end();
      setTimeout(() => c.destroy(), 200).unref();
    }
    this.tcp.clear();
    for (const ch of this.channels.values()) ch.fireClose();
    this.channels.clear();
    // The last datagrams (SHUTDOWN COMPLETE, close_notify) are still in the sockets' send queues:
    // close once they are out.
    const sockets = [...this.sockets.values()];
    this.sockets.clear();
    const closeAll = () => {
      for (const s of sockets) {
        try {
          s.socket.close();
        } catch {
          // already closed
        }
      }
    };
    if (this.sendsInFlight === 0) closeAll();
    else {
      this.onSendsDone = closeAll;
      setTimeout(closeAll, 200).unref();
    }
    this.peer.free();
  }

  // Local socket addresses, for tests and diagnostics.
  get localAddresses(): Address[] {
    return [...this.sockets.values()].map((s) => s.address);
  }

  // The core has let go of this peer (closed and drained, or the grace period passed).
  get released(): boolean {
    return this.finished;
  }

  get socketsOpen(): number {
    return this.finished ? 0 : this.sockets.size;
  }
}

export type { Socket };
