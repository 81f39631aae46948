// RFC 8656 §7-§12: what the TURN client reports upward (allocation, permissions, channels), relayed data, and its counters.
import { TransportAddress } from "../stun/transport_address";

export const enum TurnState {
  Idle = 0,
  Allocating = 1,
  Allocated = 2,
  Closing = 3,
  Closed = 4,
  Failed = 5,
}

export const enum TurnEventKind {
  // The allocation exists: relayed and mapped addresses known.
  Allocated = 1,
  // Allocate refused (code: the error, 0 for a timeout) or the allocation was lost (refresh failed).
  Failed = 2,
  PermissionCreated = 3,
  PermissionFailed = 4,
  ChannelBound = 5,
  ChannelBindFailed = 6,
  // Deallocated (or given up on) after close().
  Closed = 7,
}

export class TurnEvent {
  code: i32 = 0;
  peer: TransportAddress | null = null;
  channel: u16 = 0;
  constructor(public kind: TurnEventKind) {}
}

// Application data a peer sent through the relay.
export class RelayedData {
  constructor(public peer: TransportAddress, public data: Uint8Array, public viaChannel: bool) {}
}

// Bad input is counted and dropped, never trapped on.
export class TurnStats {
  notTurn: u32 = 0; // neither STUN nor ChannelData
  malformed: u32 = 0;
  badIntegrity: u32 = 0; // a success response whose MESSAGE-INTEGRITY did not verify
  unmatchedResponses: u32 = 0;
  unknownChannel: u32 = 0; // ChannelData for a channel we never bound
  unknownPeer: u32 = 0; // a Data indication from a peer we gave no permission
  droppedReceived: u32 = 0;
  droppedSends: u32 = 0; // no allocation, no permission possible, or past a bound
  droppedTransmits: u32 = 0;
  droppedEvents: u32 = 0;
  authRetries: u32 = 0; // 401/438 answered with new credentials or nonce
  staleNonces: u32 = 0;
  refreshes: u32 = 0;
  permissionRequests: u32 = 0;
  channelBindRequests: u32 = 0;
  sendIndications: u32 = 0;
  channelDataSent: u32 = 0;
  dataIndications: u32 = 0;
  channelDataReceived: u32 = 0;
  streamBroken: u32 = 0;
}
