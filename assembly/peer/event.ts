// What a peer connection reports to its host, and its RTCPeerConnection-like state (W3C webrtc-pc §4.3.3).
import { TransportAddress } from "../stun/transport_address";

// RTCPeerConnectionState, in the order the ABI numbers it.
export const enum PeerState {
  New = 0,
  Connecting = 1,
  Connected = 2,
  Disconnected = 3,
  Failed = 4,
  Closed = 5,
}

export const enum PeerEventKind {
  // value: the new PeerState.
  StateChanged = 1,
  // text: "candidate:..." to signal to the remote peer (trickle).
  LocalCandidate = 2,
  // text: an mDNS name ("<uuid>.local") from a remote candidate; the host may resolve it.
  ResolveMdns = 3,
  // channel: handle; value 1 when the peer opened it (ondatachannel), 0 for one of ours.
  ChannelOpen = 4,
  // channel: handle; value 1 binary, 0 text; data: the message.
  ChannelMessage = 5,
  ChannelClosed = 6,
  ChannelBufferedAmountLow = 7,
  // value: the ICE agent's IceState.
  IceStateChanged = 8,
  // local, remote: the selected candidate pair's addresses.
  SelectedPair = 9,
  // text: why the connection failed or a channel could not be opened (channel >= 0 then).
  Error = 10,
  // channel: media track; value: codec (media_session.ts CODEC_*); data: the frame; media: details.
  MediaFrame = 11,
  // channel: media track the peer wants a keyframe on; value 1 PLI, 2 FIR.
  KeyframeRequest = 12,
}

// What a MediaFrame event carries besides its bytes.
export class MediaFrameInfo {
  timestamp: u32 = 0;
  payloadType: i32 = -1;
  codec: i32 = 0;
  keyframe: bool = false;
  // G.711 only: RMS level in -dBov (0 loudest, 127 silence or not measured), RFC 6464's scale.
  level: i32 = 127;
}

export class PeerEvent {
  channel: i32 = -1;
  value: i32 = 0;
  data: Uint8Array | null = null;
  text: string = "";
  local: TransportAddress | null = null;
  remote: TransportAddress | null = null;
  media: MediaFrameInfo | null = null;

  constructor(public kind: PeerEventKind) {}
}

// Counters for getStats and diagnostics; bad input is counted here, never trapped on.
export class PeerStats {
  datagramsIn: u64 = 0;
  datagramsOut: u64 = 0;
  bytesIn: u64 = 0;
  bytesOut: u64 = 0;
  messagesSent: u64 = 0;
  messagesReceived: u64 = 0;
  messageBytesSent: u64 = 0;
  messageBytesReceived: u64 = 0;
  rtpDropped: u32 = 0;
  unknownDropped: u32 = 0;
  earlyDtlsDropped: u32 = 0;
  noRouteDropped: u32 = 0;
  eventsDropped: u32 = 0;
}
