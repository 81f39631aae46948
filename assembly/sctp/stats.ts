// Counters of one association: why packets were dropped, for tests and diagnostics.

export class SctpStats {
  packetsIn: i32 = 0;
  packetsOut: i32 = 0;
  malformed: i32 = 0; // short, bad checksum, lying lengths
  badTag: i32 = 0;
  badCookie: i32 = 0;
  staleCookie: i32 = 0;
  outOfWindow: i32 = 0; // DATA far outside the receive window
  noRoom: i32 = 0; // DATA dropped for lack of receive buffer
  unexpected: i32 = 0; // a chunk that makes no sense in this state
  restarts: i32 = 0; // the peer restarted (§5.2.4 case A)
}
