// RFC 8656 §7 (allocation lifetime), §9 (permission lifetime, 300 s), §12 (channel binding lifetime, 600 s): the TURN client's timers and memory bounds.
import { RetransmitConfig } from "../stun/transaction";

export class TurnConfig {
  // Over TCP/TLS (RFC 8656 §3.1): no retransmission (RFC 8489 §6.2.2: the transport is reliable,
  // give up after 39.5 s), ChannelData padded to 4 bytes, bytes framed by StreamFramer.
  stream: bool = false;
  // LIFETIME asked for in Allocate and Refresh, seconds; 0 leaves it to the server (600 s default).
  requestedLifetime: u32 = 600;
  // How long a permission and a channel binding last on the server. RFC 8656 fixes 300 s and
  // 600 s; configurable so a test (and a server configured shorter) can run the refresh path.
  // Refreshes go out at lifetime - min(60 s, lifetime / 5): 240 s and 540 s by default.
  permissionLifetime: i64 = 300000;
  channelLifetime: i64 = 600000;
  // After a refused or unanswered CreatePermission/ChannelBind, when to try again (ms).
  retryAfter: i64 = 5000;
  // Bind a channel to a peer on the first send to it (Send indications until it is bound).
  autoChannelBind: bool = true;
  // Memory bounds: past them new items are dropped and counted (see TurnStats).
  maxPermissions: i32 = 16;
  maxChannels: i32 = 16;
  maxTransmits: i32 = 64;
  maxEvents: i32 = 32;
  maxReceived: i32 = 64;
  // The largest message accepted over a stream transport (bytes buffered per connection).
  maxStreamMessage: i32 = 2048;
  retransmit: RetransmitConfig = new RetransmitConfig(500, 7, 16);
  streamRetransmit: RetransmitConfig = new RetransmitConfig(39500, 1, 1);
}

// When to refresh something that lasts `lifetime` ms: a minute early, or a fifth early when short.
export function refreshDelay(lifetime: i64): i64 {
  const early = lifetime / 5 < 60000 ? lifetime / 5 : 60000;
  return lifetime - early;
}
