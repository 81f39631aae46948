// RFC 8656 §12: a channel binding (a number 0x4000-0x4FFF for one peer transport address), lasting 600 s unless re-bound.
import { TransportAddress } from "../stun/transport_address";

export const enum ChannelState {
  Pending = 0,
  Bound = 1,
  Failed = 2,
}

export class ChannelBinding {
  state: ChannelState = ChannelState.Pending;
  refreshAt: i64 = i64.MAX_VALUE;
  // Whether the server ever confirmed it: ChannelData is only sent on a confirmed channel.
  confirmed: bool = false;

  constructor(public channel: u16, public peer: TransportAddress) {}
}
