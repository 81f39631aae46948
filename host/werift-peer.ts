// werift's RTCPeerConnection behind host/peer-api.ts's PeerConnection, so the device, its signaling
// and its tests run on a WebRTC stack nobody here wrote. It is the yardstick for the benchmarks
// ("werift→Chromium") and `--peer werift` on the command line.
import { RTCPeerConnection, type RTCDataChannel } from "werift";
import { isIPv4, isIPv6 } from "node:net";
import type {
  DataChannel,
  DataChannelInit,
  DataChannelState,
  IceCandidateInit,
  MessageEventLike,
  PeerConfiguration,
  PeerConnection,
  PeerConnectionState,
  PeerStats,
  SessionDescriptionInit,
} from "./peer-api.js";

const DEFAULT_MAX_MESSAGE_SIZE = 262144;

export type PeerFactory = (config?: PeerConfiguration) => PeerConnection;

export function createWeriftPeerFactory(defaults: PeerConfiguration = {}): PeerFactory {
  return (config = {}) => new WeriftPeer({ ...defaults, ...config });
}

// The peer-api's address choices, in werift's words. werift gathers every non-loopback interface and
// then adds "additional" addresses; to gather only the given ones we turn the interface scan off and
// bind the sockets to them (one address per family is all werift can bind).
function weriftAddressOptions(config: PeerConfiguration) {
  if (config.bindAddresses?.length) {
    const v4 = config.bindAddresses.find((a) => isIPv4(a));
    const v6 = config.bindAddresses.find((a) => isIPv6(a));
    return {
      iceUseIpv4: false,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: [...config.bindAddresses],
      iceInterfaceAddresses: { ...(v4 ? { udp4: v4 } : {}), ...(v6 ? { udp6: v6 } : {}) },
    };
  }
  return config.includeLoopback ? { iceAdditionalHostAddresses: ["127.0.0.1"] } : {};
}

// werift parses almost anything as a session; the API promises a rejection for text that is no SDP.
function checkSdp(desc: SessionDescriptionInit): void {
  if (desc.type !== "offer" && desc.type !== "answer") throw new Error(`unsupported description type "${desc.type}"`);
  if (typeof desc.sdp !== "string" || !/^v=0\r?\n/.test(desc.sdp)) throw new Error("not an SDP session description: it must start with v=0");
  if (!/^m=/m.test(desc.sdp)) throw new Error("the SDP has no media section (m= line)");
  if (!/^a=ice-ufrag:/m.test(desc.sdp) || !/^a=fingerprint:/m.test(desc.sdp)) {
    throw new Error("the SDP lacks ICE credentials or a DTLS fingerprint");
  }
}

function byteLength(data: string | Uint8Array): number {
  return typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
}

class WeriftDataChannel implements DataChannel {
  onopen: (() => void) | null = null;
  onmessage: ((ev: MessageEventLike) => void) | null = null;
  onbufferedamountlow: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: ((err: Error) => void) | null = null;

  constructor(readonly inner: RTCDataChannel, private readonly maxMessageSize: number) {
    inner.stateChanged.subscribe((state) => {
      if (state === "open") this.onopen?.();
      if (state === "closed") this.onclose?.();
    });
    inner.onMessage.subscribe((data) => {
      // Text arrives as a string, binary as a Buffer (already a Uint8Array).
      this.onmessage?.({ data: typeof data === "string" ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    });
    inner.bufferedAmountLow.subscribe(() => this.onbufferedamountlow?.());
    inner.error.subscribe((e) => this.onerror?.(e instanceof Error ? e : new Error(String(e))));
  }

  get label() { return this.inner.label; }
  get protocol() { return this.inner.protocol; }
  get id() { return this.inner.id ?? null; }
  get ordered() { return this.inner.ordered; }
  get maxRetransmits() { return this.inner.maxRetransmits ?? null; }
  get maxPacketLifeTime() { return this.inner.maxPacketLifeTime ?? null; }
  get readyState(): DataChannelState { return this.inner.readyState; }
  get bufferedAmount() { return this.inner.bufferedAmount; }
  get bufferedAmountLowThreshold() { return this.inner.bufferedAmountLowThreshold; }
  set bufferedAmountLowThreshold(v: number) { this.inner.bufferedAmountLowThreshold = v; }

  send(data: string | Uint8Array): void {
    if (this.inner.readyState !== "open") throw new Error(`data channel "${this.label}" is ${this.inner.readyState}, not open`);
    const size = byteLength(data);
    if (size > this.maxMessageSize) throw new Error(`message of ${size} bytes exceeds max-message-size ${this.maxMessageSize}`);
    this.inner.send(typeof data === "string" ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }

  close(): void {
    this.inner.close();
  }
}

export class WeriftPeer implements PeerConnection {
  readonly inner: RTCPeerConnection;
  onicecandidate: ((ev: { candidate: IceCandidateInit | null }) => void) | null = null;
  ondatachannel: ((ev: { channel: DataChannel }) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;

  private readonly channels = new Set<WeriftDataChannel>();
  private readonly maxMessageSize: number;
  private gatheringDone = false;
  // werift's getStats is asynchronous, the API's is not: answer with the last figures and refresh.
  private lastTransportStats: { rttMs: number | null; pair: { local: string; remote: string } | null } = { rttMs: null, pair: null };
  private statsPending = false;

  constructor(config: PeerConfiguration = {}) {
    this.maxMessageSize = config.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.inner = new RTCPeerConnection({
      iceServers: config.iceServers ?? [],
      iceTransportPolicy: config.iceTransportPolicy ?? "all",
      ...weriftAddressOptions(config),
    });
    (this.inner.config as { maxMessageSize: number }).maxMessageSize = this.maxMessageSize;
    this.inner.onIceCandidate.subscribe((c) => {
      if (c) this.onicecandidate?.({ candidate: c.toJSON() as IceCandidateInit });
      else this.endOfCandidates();
    });
    this.inner.iceGatheringStateChange.subscribe((s) => {
      if (s === "complete") this.endOfCandidates();
    });
    this.inner.onDataChannel.subscribe((ch) => this.ondatachannel?.({ channel: this.wrap(ch) }));
    this.inner.connectionStateChange.subscribe(() => this.onconnectionstatechange?.());
  }

  private endOfCandidates() {
    if (this.gatheringDone) return;
    this.gatheringDone = true;
    this.onicecandidate?.({ candidate: null });
  }

  private wrap(ch: RTCDataChannel): WeriftDataChannel {
    const wrapped = new WeriftDataChannel(ch, this.maxMessageSize);
    this.channels.add(wrapped);
    return wrapped;
  }

  get connectionState(): PeerConnectionState { return this.inner.connectionState; }
  get localDescription(): SessionDescriptionInit | null { return this.describe(this.inner.localDescription); }
  get remoteDescription(): SessionDescriptionInit | null { return this.describe(this.inner.remoteDescription); }

  private describe(d: { type: string; sdp: string } | null): SessionDescriptionInit | null {
    return d ? { type: d.type as "offer" | "answer", sdp: d.sdp } : null;
  }

  async setRemoteDescription(desc: SessionDescriptionInit): Promise<void> {
    checkSdp(desc);
    try {
      await this.inner.setRemoteDescription(desc);
    } catch (e) {
      throw new Error(`setRemoteDescription: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async createAnswer(): Promise<SessionDescriptionInit> {
    const d = await this.inner.createAnswer();
    return { type: "answer", sdp: d.sdp };
  }

  async createOffer(): Promise<SessionDescriptionInit> {
    const d = await this.inner.createOffer();
    return { type: "offer", sdp: d.sdp };
  }

  async setLocalDescription(desc?: SessionDescriptionInit): Promise<void> {
    await this.inner.setLocalDescription(desc);
  }

  async addIceCandidate(candidate: IceCandidateInit | null): Promise<void> {
    if (candidate === null || candidate.candidate === "") {
      await this.inner.addIceCandidate(candidate === null ? null : { candidate: "", sdpMid: candidate.sdpMid ?? undefined, sdpMLineIndex: candidate.sdpMLineIndex ?? undefined });
      return;
    }
    await this.inner.addIceCandidate({
      candidate: candidate.candidate,
      sdpMid: candidate.sdpMid ?? undefined,
      sdpMLineIndex: candidate.sdpMLineIndex ?? undefined,
    });
  }

  createDataChannel(label: string, init: DataChannelInit = {}): DataChannel {
    return this.wrap(this.inner.createDataChannel(label, init));
  }

  getStats(): PeerStats {
    this.refreshTransportStats();
    const stats: PeerStats = { rttMs: this.lastTransportStats.rttMs, bytesSent: 0, bytesReceived: 0, messagesSent: 0, messagesReceived: 0, selectedCandidatePair: this.lastTransportStats.pair };
    for (const ch of this.channels) {
      stats.bytesSent += ch.inner.bytesSent;
      stats.bytesReceived += ch.inner.bytesReceived;
      stats.messagesSent += ch.inner.messagesSent;
      stats.messagesReceived += ch.inner.messagesReceived;
    }
    return stats;
  }

  private refreshTransportStats() {
    if (this.statsPending || this.connectionState === "closed") return;
    this.statsPending = true;
    this.inner.getStats().then((report) => {
      const all = [...report.values()] as unknown as Array<Record<string, unknown>>;
      const pair = all.find((s) => s.type === "candidate-pair" && s.nominated) ?? all.find((s) => s.type === "candidate-pair" && s.state === "succeeded");
      if (!pair) return;
      const address = (id: unknown) => {
        const c = all.find((s) => s.id === id);
        return c ? `${c.address}:${c.port}` : "?";
      };
      const rtt = pair.currentRoundTripTime;
      this.lastTransportStats = {
        rttMs: typeof rtt === "number" ? rtt * 1000 : null,
        pair: { local: address(pair.localCandidateId), remote: address(pair.remoteCandidateId) },
      };
    }).catch(() => {
      // the connection went away while asking; keep the last figures
    }).finally(() => { this.statsPending = false; });
  }

  close(): void {
    void this.inner.close();
  }
}
