// RFC 8445 §6.1.2 (forming pairs, pair priority §6.1.2.3) and §6.1.2.6 (pair states).
import { ClientTransaction } from "../stun/transaction";
import { Candidate } from "./candidate";

export const enum PairState {
  Frozen = 0,
  Waiting = 1,
  InProgress = 2,
  Succeeded = 3,
  Failed = 4,
}

// 2^32 * MIN(G, D) + 2 * MAX(G, D) + (G > D ? 1 : 0), G the controlling agent's candidate priority.
export function pairPriority(controlling: u32, controlled: u32): u64 {
  const lo = controlling < controlled ? controlling : controlled;
  const hi = controlling < controlled ? controlled : controlling;
  return (<u64>lo << 32) + (<u64>hi << 1) + (controlling > controlled ? 1 : 0);
}

export class CandidatePair {
  state: PairState = PairState.Frozen;
  priority: u64 = 0;
  // Set once a check succeeded (the pair is in the valid list).
  valid: bool = false;
  nominated: bool = false;
  // The controlled side saw USE-CANDIDATE before this pair's own check succeeded (§7.3.1.5).
  nominateOnSuccess: bool = false;
  // The check in flight carries USE-CANDIDATE (controlling side, §8.1.1).
  nominating: bool = false;
  tx: ClientTransaction | null = null;
  // Set when the check was queued as a triggered check and not yet sent.
  triggered: bool = false;
  // The peer checks this pair under our previous ufrag (Generation.Bridged): libwebrtc then
  // refuses checks naming our new one on it (the connection keeps the ufrag it was made with),
  // so ours name the previous one too, on this pair only.
  bridged: bool = false;

  constructor(public local: Candidate, public remote: Candidate) {}

  get foundation(): string {
    return this.local.foundation + ":" + this.remote.foundation;
  }

  updatePriority(controlling: bool): void {
    this.priority = controlling ? pairPriority(this.local.priority, this.remote.priority) : pairPriority(this.remote.priority, this.local.priority);
  }
}
