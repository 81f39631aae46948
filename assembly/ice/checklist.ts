// RFC 8445 §6.1.2-§6.1.4 and §7.2: the checklist — pairs, pruning, unfreezing, paced and triggered checks, their responses.
import { messageType, StunMessage, METHOD_BINDING, CLASS_REQUEST, CLASS_ERROR } from "../stun/message";
import { newTransactionId } from "../stun/builder";
import { ATTR_USERNAME, ATTR_XOR_MAPPED_ADDRESS } from "../stun/attr_types";
import { checkMessageIntegrity, Integrity } from "../stun/attr_integrity";
import { getXorAddress } from "../stun/attr_xor_address";
import { getErrorCode, ERR_ROLE_CONFLICT } from "../stun/attr_error_code";
import { addPriority, addUseCandidate, addIceControlling, addIceControlled } from "../stun/attr_ice";
import { ClientTransaction, TransactionState } from "../stun/transaction";
import { TransportAddress } from "../stun/transport_address";
import { Candidate, CandidateType, candidatePriority } from "./candidate";
import { CandidatePair, PairState } from "./candidate_pair";
import { IceEvent, IceEventKind, IceState } from "./event";
import { IceAgent } from "./agent";

const NEVER: i64 = i64.MAX_VALUE;

export class Checklist {
  private triggered: CandidatePair[] = []; // the triggered-check queue (§6.1.4.1)
  private lastCheckAt: i64 = i64.MIN_VALUE;

  constructor(private agent: IceAgent) {}

  addPair(local: Candidate, remote: Candidate): CandidatePair | null {
    const a = this.agent;
    const pairs = a.pairs;
    if (local.base.family != remote.address.family) return null;
    for (let i = 0; i < pairs.length; i++) {
      const q = pairs[i];
      // Pruning (§6.1.2.4): same base and remote address means the same pair.
      if (q.local.base.equals(local.base) && q.remote.address.equals(remote.address)) return q;
    }
    const p = new CandidatePair(local, remote);
    p.updatePriority(a.controlling);
    if (pairs.length >= a.config.maxPairs) {
      // Keep the best: evict the lowest-priority pair that is idle, if the new one beats it.
      let victim = -1;
      for (let i = pairs.length - 1; i >= 0; i--) {
        const q = pairs[i];
        if (q.state != PairState.InProgress && q != a.selected && !q.valid) {
          victim = i;
          break;
        }
      }
      a.stats.droppedPairs++;
      if (victim < 0 || pairs[victim].priority >= p.priority) return null;
      this.removeTriggered(pairs[victim]);
      pairs.splice(victim, 1);
    }
    // insert keeping the list sorted, highest priority first
    pairs.push(p);
    let at = pairs.length - 1;
    while (at > 0 && pairs[at - 1].priority < p.priority) {
      pairs[at] = pairs[at - 1];
      at--;
    }
    pairs[at] = p;
    this.unfreeze();
    return p;
  }

  // §6.1.2.6: for each foundation with nothing Waiting or In-Progress, its best Frozen pair waits.
  private unfreeze(): void {
    const pairs = this.agent.pairs;
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i];
      if (p.state != PairState.Frozen) continue;
      const f = p.foundation;
      let busy = false;
      for (let k = 0; k < pairs.length; k++) {
        const q = pairs[k];
        if ((q.state == PairState.Waiting || q.state == PairState.InProgress) && q.foundation == f) {
          busy = true;
          break;
        }
      }
      if (!busy) p.state = PairState.Waiting;
    }
  }

  private hasCheckWork(): bool {
    if (this.triggered.length > 0) return true;
    const pairs = this.agent.pairs;
    for (let i = 0; i < pairs.length; i++) if (pairs[i].state == PairState.Waiting) return true;
    return false;
  }

  private nextCheck(): CandidatePair | null {
    const pairs = this.agent.pairs;
    while (this.triggered.length > 0) {
      const p = this.triggered.shift();
      p.triggered = false;
      if (pairs.indexOf(p) >= 0) return p;
    }
    for (let i = 0; i < pairs.length; i++) if (pairs[i].state == PairState.Waiting) return pairs[i];
    return null;
  }

  trigger(p: CandidatePair): void {
    if (p.triggered) return;
    if (this.triggered.length >= this.agent.config.maxTriggered) return;
    p.triggered = true;
    if (p.state != PairState.InProgress && p.state != PairState.Succeeded) p.state = PairState.Waiting;
    this.triggered.push(p);
  }

  private removeTriggered(p: CandidatePair): void {
    const i = this.triggered.indexOf(p);
    if (i >= 0) this.triggered.splice(i, 1);
  }

  get hasTriggered(): bool {
    return this.triggered.length > 0;
  }

  clearTriggered(): void {
    this.triggered.length = 0;
  }

  // ICE restart (RFC 8445 §9): the new generation starts from an empty checklist. Checks in
  // flight are dropped, so late responses to them count as unmatched.
  reset(): void {
    const pairs = this.agent.pairs;
    for (let i = 0; i < pairs.length; i++) {
      const tx = pairs[i].tx;
      if (tx) tx.cancel();
    }
    pairs.length = 0;
    this.triggered.length = 0;
    this.lastCheckAt = i64.MIN_VALUE;
  }

  // The PRIORITY a check carries: what a peer-reflexive candidate learned from it would have (§7.1.1).
  private prflxPriority(local: Candidate): u32 {
    return candidatePriority(CandidateType.PeerReflexive, (local.priority >> 8) & 0xffff, 1);
  }

  // A Binding request for a check (§7.1), or for consent freshness (no USE-CANDIDATE). Checks on
  // the selected pair use its credentials, the old ones while a restart is pending.
  // bridged: name our previous ufrag (CandidatePair.bridged).
  buildCheck(tid: Uint8Array, local: Candidate, useCandidate: bool, onSelected: bool = false, bridged: bool = false): Uint8Array | null {
    const a = this.agent;
    const r = a.restarter;
    const key = onSelected ? r.selectedRemoteKey : a.remoteKey;
    if (key == null) return null;
    const b = a.out;
    b.begin(messageType(METHOD_BINDING, CLASS_REQUEST), tid);
    if (onSelected) b.addString(ATTR_USERNAME, r.selectedRemoteUfrag + ":" + r.selectedLocalUfrag);
    else b.addString(ATTR_USERNAME, a.remoteUfrag + ":" + (bridged ? r.bridgeLocalUfrag : a.localUfrag));
    addPriority(b, this.prflxPriority(local));
    if (a.controlling) {
      addIceControlling(b, a.tieBreaker);
      if (useCandidate || a.config.aggressiveNomination) addUseCandidate(b);
    } else addIceControlled(b, a.tieBreaker);
    b.addMessageIntegrity(key).addFingerprint();
    return b.finish();
  }

  private sendCheck(p: CandidatePair, now: i64): void {
    const a = this.agent;
    if (p.tx != null && !p.tx!.done) return; // already in flight
    const req = this.buildCheck(newTransactionId(), p.local, p.nominating, false, p.bridged);
    if (req == null) return;
    const tx = new ClientTransaction(a.config.checkRetransmit);
    tx.start(req, now);
    p.tx = tx;
    p.state = PairState.InProgress;
    a.stats.checksSent++;
    const bytes = tx.pollTransmit();
    if (bytes != null) a.send(p.local.base, p.remote.address, bytes);
    if (a.state == IceState.New) a.setState(IceState.Checking);
  }

  // Retransmissions and timeouts of checks in flight.
  retransmit(now: i64): void {
    const a = this.agent;
    const pairs = a.pairs;
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i];
      const tx = p.tx;
      if (tx == null || tx.done) continue;
      tx.handleTimeout(now);
      const bytes = tx.pollTransmit();
      if (bytes != null) a.send(p.local.base, p.remote.address, bytes);
      if (tx.state == TransactionState.TimedOut) this.onCheckTimeout(p);
    }
  }

  // Paced checks: one every Ta, triggered ones first (RFC 8445 §6.1.4.2).
  pace(now: i64): void {
    const a = this.agent;
    if (a.remoteKey != null && now >= this.lastCheckAt + a.config.ta) {
      const p = this.nextCheck();
      if (p != null) {
        this.sendCheck(p, now);
        this.lastCheckAt = now;
      }
    }
  }

  nextDeadline(): i64 {
    const a = this.agent;
    let d = NEVER;
    for (let i = 0; i < a.pairs.length; i++) {
      const tx = a.pairs[i].tx;
      if (tx != null && !tx.done) d = min(d, tx.nextDeadline());
    }
    if (a.remoteKey != null && this.hasCheckWork()) d = min(d, this.lastCheckAt == i64.MIN_VALUE ? a.lastNow : this.lastCheckAt + a.config.ta);
    return d;
  }

  private onCheckTimeout(p: CandidatePair): void {
    p.tx = null;
    p.nominating = false;
    p.valid = false;
    p.state = PairState.Failed;
    if (p == this.agent.selected) return; // consent freshness decides about the selected pair
    this.unfreeze();
  }

  findLocal(base: TransportAddress): Candidate | null {
    const locals = this.agent.locals;
    for (let i = 0; i < locals.length; i++) if (locals[i].base.equals(base)) return locals[i];
    return null;
  }

  findPair(base: TransportAddress, remote: TransportAddress): CandidatePair | null {
    const pairs = this.agent.pairs;
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i];
      if (p.local.base.equals(base) && p.remote.address.equals(remote)) return p;
    }
    return null;
  }

  // Role conflict (§7.3.1.1, §7.2.5.1): pair priorities depend on the role, so the list is re-sorted.
  switchRole(controlling: bool): void {
    const a = this.agent;
    const pairs = a.pairs;
    a.controlling = controlling;
    for (let i = 0; i < pairs.length; i++) pairs[i].updatePriority(controlling);
    // keep the list sorted, highest priority first (insertion sort: lists are short)
    for (let i = 1; i < pairs.length; i++) {
      const p = pairs[i];
      let k = i;
      while (k > 0 && pairs[k - 1].priority < p.priority) {
        pairs[k] = pairs[k - 1];
        k--;
      }
      pairs[k] = p;
    }
    const ev = new IceEvent(IceEventKind.RoleChanged);
    ev.controlling = controlling;
    a.emit(ev);
  }

  // ---- responses to our checks (RFC 8445 §7.2.5), and to consent checks ----

  onResponse(m: StunMessage, local: TransportAddress, remote: TransportAddress, now: i64): void {
    const a = this.agent;
    const consent = a.consent;
    const isConsent = consent.isResponse(m);
    let p: CandidatePair | null = null;
    if (isConsent) p = a.selected;
    else {
      for (let i = 0; i < a.pairs.length; i++) {
        const tx = a.pairs[i].tx;
        if (tx != null && !tx.done && m.tidEquals(tx.tid)) {
          p = a.pairs[i];
          break;
        }
      }
    }
    if (p == null) {
      a.stats.unmatchedResponses++;
      return;
    }
    // Nothing in a response is acted on before its integrity is proven (with the old password
    // for consent on the old pair during a restart).
    const key = isConsent ? a.restarter.selectedRemoteKey : a.remoteKey;
    if (key == null || checkMessageIntegrity(m, key) != Integrity.Ok) {
      a.stats.badIntegrity++;
      return;
    }
    const tx = isConsent ? consent.tx! : p.tx!;
    tx.onResponse(m);
    // Non-symmetric addresses fail the check (§7.2.5.2.1).
    const symmetric = remote.equals(p.remote.address) && local.equals(p.local.base);
    if (m.cls == CLASS_ERROR) {
      if (getErrorCode(m) == ERR_ROLE_CONFLICT && !isConsent) {
        // §7.2.5.1: take the other role and check again.
        a.stats.roleConflicts++;
        this.switchRole(!a.controlling);
        p.tx = null;
        p.state = PairState.Waiting;
        this.trigger(p);
        return;
      }
      if (!isConsent) this.onCheckTimeout(p);
      return;
    }
    if (!symmetric) {
      if (!isConsent) this.onCheckTimeout(p);
      return;
    }
    // Consent is per pair (RFC 7675): only a success on the selected pair renews it.
    if (isConsent || p == a.selected) consent.lastConsentAt = now;
    if (isConsent) {
      if (a.state == IceState.Disconnected) a.setState(IceState.Connected);
      return;
    }
    // A mapped address we do not know is a peer-reflexive local candidate (§7.2.5.3.1). Checks
    // are sent from its base either way, so it is counted, not paired separately.
    const mapped = getXorAddress(m, ATTR_XOR_MAPPED_ADDRESS);
    if (mapped != null) {
      let known = false;
      for (let i = 0; i < a.locals.length; i++) if (a.locals[i].address.equals(mapped)) known = true;
      if (!known) a.stats.prflxLocal++;
    }
    p.tx = null;
    p.state = PairState.Succeeded;
    p.valid = true;
    const nomination = a.nomination;
    if (nomination.firstValidAt < 0) nomination.firstValidAt = now;
    // §7.2.5.3.3: pairs of the same foundation may go now.
    const f = p.foundation;
    for (let i = 0; i < a.pairs.length; i++) {
      const q = a.pairs[i];
      if (q.state == PairState.Frozen && q.foundation == f) q.state = PairState.Waiting;
    }
    if (a.controlling && (p.nominating || a.config.aggressiveNomination)) {
      p.nominating = false;
      nomination.nominated(p, now);
    } else if (!a.controlling && p.nominateOnSuccess) {
      nomination.nominated(p, now);
    }
    this.unfreeze();
  }
}
