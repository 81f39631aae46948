// RFC 8656 §9: a permission, per peer IP address (the port is ignored), lasting 300 s unless refreshed.
import { TransportAddress } from "../stun/transport_address";

export const enum PermissionState {
  Pending = 0, // CreatePermission sent, no answer yet
  Installed = 1,
  Failed = 2, // refused or unanswered; retried at refreshAt
}

export class Permission {
  state: PermissionState = PermissionState.Pending;
  // When the next CreatePermission goes (refresh, or retry after a failure); i64.MAX while one is in flight.
  refreshAt: i64 = i64.MAX_VALUE;
  // One packet waiting for the permission to be installed (the latest one wins).
  pendingPeer: TransportAddress | null = null;
  pending: Uint8Array | null = null;
  reported: bool = false;

  // peer keeps the port of the first address it was made for; only the IP matters.
  constructor(public peer: TransportAddress) {}

  covers(a: TransportAddress): bool {
    return this.peer.sameIp(a);
  }
}
