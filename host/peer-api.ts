// The desktop host's peer API, shaped like the browser's RTCPeerConnection so web developers feel at
// home. host/peer.ts implements it over the Wasm core; the device and signaling code use only this.

export type PeerConnectionState = "new" | "connecting" | "connected" | "disconnected" | "failed" | "closed";
export type DataChannelState = "connecting" | "open" | "closing" | "closed";

export interface SessionDescriptionInit {
  type: "offer" | "answer";
  sdp: string;
}

export interface IceCandidateInit {
  candidate: string; // "candidate:..." as in SDP, or "" for end-of-candidates
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null; // the ICE generation (ufrag) it belongs to; new after an ICE restart
}

// RTCOfferOptions: iceRestart makes an offer with new ICE credentials (RFC 8829 §5.2.3.1).
export interface OfferOptions {
  iceRestart?: boolean;
}

export interface IceServer {
  urls: string | string[]; // stun:host:port, turn:host:port?transport=udp|tcp, turns:host:port (TLS)
  username?: string;
  credential?: string;
  // turns: only (an addition to the browser's shape): a PEM CA certificate trusted besides Node's
  // default roots, e.g. a private TURN server's self-signed one. Host names are checked either way.
  tlsCa?: string | Uint8Array;
}

export interface PeerConfiguration {
  iceServers?: IceServer[];
  iceTransportPolicy?: "all" | "relay";
  // Device-side additions: which local addresses to gather (default: every interface, IPv4 and IPv6).
  includeLoopback?: boolean;
  bindAddresses?: string[];
  dtlsRole?: "active" | "passive"; // our a=setup in answers (default active)
  maxMessageSize?: number; // default 262144
  media?: MediaConfiguration; // audio/video (MediaPeer)
}

export interface DataChannelInit {
  ordered?: boolean;
  maxRetransmits?: number;
  maxPacketLifeTime?: number;
  protocol?: string;
  negotiated?: boolean;
  id?: number;
}

export interface MessageEventLike {
  data: string | Uint8Array; // text messages are strings, binary ones Uint8Array
}

export interface DataChannel {
  readonly label: string;
  readonly protocol: string;
  readonly id: number | null;
  readonly ordered: boolean;
  readonly maxRetransmits: number | null;
  readonly maxPacketLifeTime: number | null;
  readonly readyState: DataChannelState;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  onopen: (() => void) | null;
  onmessage: ((ev: MessageEventLike) => void) | null;
  onbufferedamountlow: (() => void) | null;
  onclose: (() => void) | null;
  onerror: ((err: Error) => void) | null;
  send(data: string | Uint8Array): void; // throws when not open, or when over max-message-size
  close(): void;
}

export interface PeerStats {
  rttMs: number | null; // from ICE consent checks / SCTP, whichever is known
  bytesSent: number;
  bytesReceived: number;
  messagesSent: number;
  messagesReceived: number;
  selectedCandidatePair: { local: string; remote: string } | null;
  // Our ice-ufrag of the generation the selected pair belongs to (it changes once an ICE restart completes).
  selectedPairGeneration?: string | null;
}

export interface PeerConnection {
  readonly connectionState: PeerConnectionState;
  readonly localDescription: SessionDescriptionInit | null;
  readonly remoteDescription: SessionDescriptionInit | null;
  onicecandidate: ((ev: { candidate: IceCandidateInit | null }) => void) | null;
  ondatachannel: ((ev: { channel: DataChannel }) => void) | null;
  onconnectionstatechange: (() => void) | null;
  setRemoteDescription(desc: SessionDescriptionInit): Promise<void>; // rejects with a clear Error on bad SDP
  createAnswer(): Promise<SessionDescriptionInit>;
  createOffer(options?: OfferOptions): Promise<SessionDescriptionInit>;
  // The next offer restarts ICE (as the browser's); optional: not every implementation has it.
  restartIce?(): void;
  setLocalDescription(desc?: SessionDescriptionInit): Promise<void>;
  addIceCandidate(candidate: IceCandidateInit | null): Promise<void>;
  createDataChannel(label: string, init?: DataChannelInit): DataChannel;
  getStats(): PeerStats;
  close(): void;
}

// ---- media (optional extension: a PeerConnection that also carries audio/video) ----

export type VideoCodecName = "H264" | "VP8";
export type AudioCodecName = "opus" | "PCMU" | "PCMA";

// PeerConfiguration.media: which codecs to send and receive, in order of preference. Omitted
// fields keep the core's defaults (H.264 42e01f + VP8 sendonly video; Opus, PCMU, PCMA sendrecv audio).
export interface MediaConfiguration {
  enabled?: boolean; // answer offered audio/video (default true); false rejects them (port 0)
  offer?: boolean; // createOffer offers audio/video too (default false)
  videoSend?: VideoCodecName[];
  videoReceive?: VideoCodecName[];
  audioSend?: AudioCodecName[];
  audioReceive?: AudioCodecName[];
  // Sent video packets kept to answer NACKs (default 128, about 0.5 s at 2 Mbit/s; 16-4096). Each
  // costs an MTU of memory per sending video track; getMediaStats().nackSeqsUnanswered grows when
  // it is too small for the bitrate and round-trip time.
  retransmitHistory?: number;
}

export interface MediaTrackDescription {
  track: number;
  mid: string;
  kind: "audio" | "video";
  direction: "sendrecv" | "sendonly" | "recvonly" | "inactive" | "";
  codec: string; // what we send, "" when we do not
  receiveCodec: string;
  payloadType: number;
  clockRate: number;
}

export interface MediaFrameEvent {
  track: number;
  kind: "audio" | "video";
  codec: string;
  data: Uint8Array; // an H.264 Annex B access unit, a VP8 frame, one Opus or G.711 frame
  rtpTimestamp: number;
  keyframe: boolean;
  levelDbfs: number | null; // G.711 RMS level (<= 0), null for other codecs
}

export interface MediaPeer extends PeerConnection {
  onmediaframe: ((ev: MediaFrameEvent) => void) | null;
  onkeyframerequest: ((ev: { track: number }) => void) | null;
  mediaTracks(): MediaTrackDescription[];
  // Returns the RTP packets queued, or a negative code (no such sending track, not connected yet, dropped).
  sendVideoFrame(frame: Uint8Array, rtpTimestamp: number, keyframe?: boolean): number;
  sendAudioFrame(frame: Uint8Array, rtpTimestamp: number): number;
  requestKeyframe(track?: number): boolean;
  getMediaStats(track: number): Record<string, number>;
}
