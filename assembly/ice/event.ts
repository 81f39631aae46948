// RFC 8445 §6.1.3/§8 states and what the agent reports upward; the datagram type it emits.
import { TransportAddress } from "../stun/transport_address";
import { Candidate } from "./candidate";
import { CandidatePair } from "./candidate_pair";

// The JSEP RTCIceConnectionState subset this agent reaches.
export const enum IceState {
  New = 0,
  Checking = 1,
  Connected = 2,
  Completed = 3,
  Disconnected = 4,
  Failed = 5,
  Closed = 6,
}

export const enum IceEventKind {
  StateChanged = 1,
  // A local candidate to signal to the peer (trickle).
  LocalCandidate = 2,
  SelectedPairChanged = 3,
  // A remote candidate named an mDNS host ("<uuid>.local"): the host resolves it and calls resolveMdns().
  ResolveMdns = 4,
  RoleChanged = 5,
}

export class IceEvent {
  state: IceState = IceState.New;
  candidate: Candidate | null = null;
  pair: CandidatePair | null = null;
  name: string = "";
  controlling: bool = false;

  constructor(public kind: IceEventKind) {}
}

// One datagram to send from `local` (a local candidate's base) to `remote`.
export class Transmit {
  constructor(public local: TransportAddress, public remote: TransportAddress, public data: Uint8Array) {}
}

// Counters of what was dropped and why: bad input is counted, never trapped on.
export class IceStats {
  notStun: u32 = 0;
  malformed: u32 = 0;
  badIntegrity: u32 = 0;
  badRequest: u32 = 0;
  unmatchedResponses: u32 = 0;
  unknownAttributes: u32 = 0;
  roleConflicts: u32 = 0;
  droppedCandidates: u32 = 0;
  droppedPairs: u32 = 0;
  droppedTransmits: u32 = 0;
  droppedEvents: u32 = 0;
  checksSent: u32 = 0;
  prflxRemote: u32 = 0;
  prflxLocal: u32 = 0;
  // ICE restart: trickled candidates of an earlier generation (another ufrag), and checks
  // answered under the previous credentials while a restart was pending.
  staleCandidates: u32 = 0;
  previousGenerationChecks: u32 = 0;
  // requests of the peer's current generation under our previous credentials (Generation.Bridged)
  bridgedChecks: u32 = 0;
}
