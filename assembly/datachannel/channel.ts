// RFC 8831 §6: one data channel: an SCTP stream pair and how messages on it are sent.

export const enum ChannelState {
  CONNECTING = 0, // OPEN sent, ACK not yet received
  OPEN = 1,
  CLOSING = 2, // stream reset under way
  CLOSED = 3,
}

export class DataChannel {
  state: ChannelState = ChannelState.CONNECTING;
  label: string = "";
  protocol: string = "";
  ordered: bool = true;
  maxRetransmits: i32 = -1; // < 0: not limited
  maxLifetimeMs: i32 = -1; // < 0: not limited
  priority: u16 = 0;
  negotiated: bool = false;
  acked: bool = false; // until the peer's ACK arrives, messages go ordered (RFC 8832 §6)
  outgoingReset: bool = false;
  incomingReset: bool = false;
  constructor(public id: u16) {}
}
