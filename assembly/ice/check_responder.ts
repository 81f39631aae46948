// RFC 8445 §7.3: incoming Binding requests — authentication, role conflict, the response, peer-reflexive candidates, triggered checks, nomination.
import { StunMessage } from "../stun/message";
import { ATTR_USERNAME, ATTR_XOR_MAPPED_ADDRESS } from "../stun/attr_types";
import { addXorAddress } from "../stun/attr_xor_address";
import { ERR_BAD_REQUEST, ERR_ROLE_CONFLICT, ERR_UNAUTHENTICATED } from "../stun/attr_error_code";
import { getPriority, hasUseCandidate, getIceControlling, getIceControlled } from "../stun/attr_ice";
import { beginError, beginSuccess, beginUnknownAttributes } from "../stun/response";
import { TransportAddress } from "../stun/transport_address";
import { Candidate, CandidateType, candidatePriority, computeFoundation } from "./candidate";
import { PairState } from "./candidate_pair";
import { IceState } from "./event";
import { IceAgent } from "./agent";
import { Generation } from "./restart";

export class CheckResponder {
  constructor(private agent: IceAgent) {}

  onRequest(m: StunMessage, local: TransportAddress, remote: TransportAddress, now: i64): void {
    const a = this.agent;
    // USERNAME must start with our ufrag and the message must be signed with our password.
    const user = m.value(ATTR_USERNAME);
    if (user == null || m.integrityAt < 0) {
      a.stats.badRequest++;
      this.respondError(m, local, remote, ERR_BAD_REQUEST, null);
      return;
    }
    const gen = a.restarter.classify(m);
    if (gen == Generation.None) {
      a.stats.badIntegrity++;
      this.respondError(m, local, remote, ERR_UNAUTHENTICATED, null);
      return;
    }
    // Signed with the password the request was checked against.
    const key = a.restarter.keyFor(gen);
    if (beginUnknownAttributes(a.out, m)) {
      a.stats.unknownAttributes++;
      this.finishAndSend(local, remote, key);
      return;
    }
    if (gen == Generation.Bridged) a.stats.bridgedChecks++;
    if (gen == Generation.Previous) {
      // The peer has not switched yet (RFC 8445 §9): answer, so its consent on the old pair holds,
      // but the old generation learns nothing new — no candidates, checks or nominations.
      a.stats.previousGenerationChecks++;
      beginSuccess(a.out, m);
      addXorAddress(a.out, ATTR_XOR_MAPPED_ADDRESS, remote);
      this.finishAndSend(local, remote, key);
      return;
    }
    // Role conflict (§7.3.1.1).
    const theirsControlling = getIceControlling(m);
    const theirsControlled = getIceControlled(m);
    const checklist = a.checklist;
    if (a.controlling && theirsControlling.ok) {
      a.stats.roleConflicts++;
      if (a.tieBreaker >= theirsControlling.value) {
        this.respondError(m, local, remote, ERR_ROLE_CONFLICT, key);
        return;
      }
      checklist.switchRole(false);
    } else if (!a.controlling && theirsControlled.ok) {
      a.stats.roleConflicts++;
      if (a.tieBreaker >= theirsControlled.value) checklist.switchRole(true);
      else {
        this.respondError(m, local, remote, ERR_ROLE_CONFLICT, key);
        return;
      }
    }
    // Success response with the source as XOR-MAPPED-ADDRESS (§7.3.1.2).
    const b = a.out;
    beginSuccess(b, m);
    addXorAddress(b, ATTR_XOR_MAPPED_ADDRESS, remote);
    this.finishAndSend(local, remote, key);
    if (a.state == IceState.Failed || a.state == IceState.Closed) return;

    const lc = checklist.findLocal(local);
    if (lc == null) return;
    // Peer-reflexive remote candidate (§7.3.1.3).
    let rc: Candidate | null = null;
    for (let i = 0; i < a.remotes.length; i++) if (a.remotes[i].address.equals(remote)) rc = a.remotes[i];
    if (rc == null) {
      const c = new Candidate();
      c.type = CandidateType.PeerReflexive;
      c.address = remote.clone();
      c.base = remote.clone();
      c.priority = getPriority(m);
      if (c.priority == 0) c.priority = candidatePriority(CandidateType.PeerReflexive, 0);
      c.foundation = computeFoundation(CandidateType.PeerReflexive, remote);
      if (!a.addRemoteCandidate(c)) return;
      a.stats.prflxRemote++;
      rc = c;
    }
    const p = checklist.findPair(local, remote);
    if (p == null) return;
    p.bridged = gen == Generation.Bridged;
    // Triggered check (§7.3.1.4), unless this pair already works. Our check on it that is still
    // in progress after retransmitting is cancelled and sent again now: the peer's request shows
    // the path may work now (its request opened a NAT filter, say), while our next retransmission
    // may be seconds away or none be left — then neither side would ever check this pair again.
    // (A first send still unanswered is left alone: its response is usually on its way.)
    const inFlight = p.tx;
    if (p.state == PairState.InProgress && inFlight != null && inFlight.sends > 1) {
      inFlight.cancel();
      p.tx = null;
      p.state = PairState.Waiting;
    }
    if (p.state != PairState.Succeeded && p.state != PairState.InProgress) checklist.trigger(p);
    if (a.checkingSince < 0) a.maybeStartChecking(now);
    // Nomination by the controlling peer (§7.3.1.5); aggressive nomination accepted too.
    if (!a.controlling && hasUseCandidate(m)) {
      if (p.state == PairState.Succeeded) a.nomination.nominated(p, now);
      else p.nominateOnSuccess = true;
    }
  }

  // key null: unsigned (the request was not authenticated, so no key of ours may be used).
  private respondError(m: StunMessage, local: TransportAddress, remote: TransportAddress, code: i32, key: Uint8Array | null): void {
    beginError(this.agent.out, m, code);
    this.finishAndSend(local, remote, key);
  }

  private finishAndSend(local: TransportAddress, remote: TransportAddress, key: Uint8Array | null): void {
    const b = this.agent.out;
    if (key != null) b.addMessageIntegrity(key);
    b.addFingerprint();
    const bytes = b.copy();
    if (bytes != null) this.agent.send(local, remote, bytes);
  }
}
