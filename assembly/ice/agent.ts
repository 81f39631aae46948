// RFC 8445 §6-§8 (checklist, connectivity checks, triggered checks, nomination, role conflict), RFC 8838 (trickle), RFC 7675 (consent freshness).
// One component, one data stream (BUNDLE and rtcp-mux, as WebRTC uses), UDP only.
import { randomFill } from "../crypto/random";
import { StunMessage, ParseResult, looksLikeStun, messageType, METHOD_BINDING, CLASS_REQUEST, CLASS_SUCCESS, CLASS_ERROR } from "../stun/message";
import { StunBuilder, newTransactionId } from "../stun/builder";
import { ATTR_USERNAME, ATTR_XOR_MAPPED_ADDRESS } from "../stun/attr_types";
import { checkMessageIntegrity, Integrity } from "../stun/attr_integrity";
import { getXorAddress, addXorAddress } from "../stun/attr_xor_address";
import { getErrorCode, ERR_BAD_REQUEST, ERR_ROLE_CONFLICT, ERR_UNAUTHENTICATED } from "../stun/attr_error_code";
import { getPriority, addPriority, hasUseCandidate, addUseCandidate, getIceControlling, getIceControlled, addIceControlling, addIceControlled } from "../stun/attr_ice";
import { beginError, beginSuccess, beginUnknownAttributes } from "../stun/response";
import { shortTermKey } from "../stun/credentials";
import { ClientTransaction, TransactionState } from "../stun/transaction";
import { TransportAddress } from "../stun/transport_address";
import { Candidate, CandidateType, candidatePriority, computeFoundation } from "./candidate";
import { CandidatePair, PairState } from "./candidate_pair";
import { IceConfig } from "./config";
import { IceEvent, IceEventKind, IceState, IceStats, Transmit } from "./event";

const NEVER: i64 = i64.MAX_VALUE;

export class IceAgent {
  controlling: bool;
  tieBreaker: u64;
  state: IceState = IceState.New;
  selected: CandidatePair | null = null;
  stats: IceStats = new IceStats();
  readonly locals: Candidate[] = [];
  readonly remotes: Candidate[] = [];
  readonly pairs: CandidatePair[] = [];

  private localUfrag: string;
  private localKey: Uint8Array;
  private remoteUfrag: string = "";
  private remoteKey: Uint8Array | null = null;
  private remoteEnded: bool = false;
  private pendingMdns: Candidate[] = [];
  private triggered: CandidatePair[] = [];
  private transmits: Transmit[] = [];
  private events: IceEvent[] = [];
  private msg: StunMessage = new StunMessage();
  private out: StunBuilder = new StunBuilder(548);
  private lastCheckAt: i64 = i64.MIN_VALUE;
  private checkingSince: i64 = -1;
  private firstValidAt: i64 = -1;
  private lastNow: i64 = 0;
  // Consent freshness on the selected pair.
  private consentTx: ClientTransaction | null = null;
  private lastConsentAt: i64 = 0;
  private nextConsentAt: i64 = NEVER;
  private rng: u32 = 1;

  constructor(public config: IceConfig, controlling: bool, localUfrag: string, localPassword: string) {
    this.controlling = controlling;
    this.localUfrag = localUfrag;
    this.localKey = shortTermKey(localPassword);
    const seed = new Uint8Array(12);
    randomFill(seed);
    this.tieBreaker = config.tieBreaker != 0 ? config.tieBreaker : load<u64>(seed.dataStart);
    this.rng = load<u32>(seed.dataStart + 8) | 1;
  }

  // ---- configuration from signaling ----

  setRemoteCredentials(ufrag: string, password: string): void {
    this.remoteUfrag = ufrag;
    this.remoteKey = shortTermKey(password);
    this.maybeStartChecking(this.lastNow);
  }

  // A local candidate (host candidates from the host's interfaces; base = address). Signalled
  // upward as a LocalCandidate event for trickle. Returns false when dropped at the bound.
  addLocalCandidate(c: Candidate): bool {
    if (!c.address.isValid) return false;
    for (let i = 0; i < this.locals.length; i++) {
      if (this.locals[i].address.equals(c.address) && this.locals[i].type == c.type) return false;
    }
    if (this.locals.length >= this.config.maxLocalCandidates) {
      this.stats.droppedCandidates++;
      return false;
    }
    this.locals.push(c);
    const ev = new IceEvent(IceEventKind.LocalCandidate);
    ev.candidate = c;
    this.emit(ev);
    for (let i = 0; i < this.remotes.length; i++) this.addPair(c, this.remotes[i]);
    this.maybeStartChecking(this.lastNow);
    return true;
  }

  // A host candidate for a local socket address; IPv6 (non-link-local) preferred over IPv4
  // (RFC 8421 spirit), earlier interfaces over later ones.
  addHostCandidate(addr: TransportAddress): Candidate | null {
    let pref: u32 = addr.isIPv6 && !addr.isLinkLocal ? 65535 : 32767;
    pref -= <u32>this.locals.length;
    const c = Candidate.host(addr, pref);
    return this.addLocalCandidate(c) ? c : null;
  }

  // A server-reflexive candidate a STUN (or TURN) server reported for the host socket at base
  // (RFC 8445 §5.1.1.2). Checks go from its base, so it is only signalled; pairs use the base.
  addServerReflexiveCandidate(mapped: TransportAddress, base: TransportAddress, server: TransportAddress): Candidate | null {
    const c = new Candidate();
    c.type = CandidateType.ServerReflexive;
    c.address = mapped.clone();
    c.base = base.clone();
    c.related = base.clone();
    c.priority = candidatePriority(CandidateType.ServerReflexive, 65535 - <u32>this.locals.length);
    c.foundation = computeFoundation(CandidateType.ServerReflexive, base, server);
    return this.addLocalCandidate(c) ? c : null;
  }

  // A relayed candidate from a TURN allocation (RFC 8445 §5.1.1.2): its base is itself, so
  // checks on it leave as Transmits from the relayed address, which the owner hands to the TURN
  // client; what the client receives from a peer comes back through input(data, relayed, peer).
  addRelayedCandidate(relayed: TransportAddress, mapped: TransportAddress | null, server: TransportAddress): Candidate | null {
    const c = new Candidate();
    c.type = CandidateType.Relayed;
    c.address = relayed.clone();
    c.base = relayed.clone();
    if (mapped != null) c.related = mapped.clone();
    c.priority = candidatePriority(CandidateType.Relayed, 65535 - <u32>this.locals.length);
    c.foundation = computeFoundation(CandidateType.Relayed, relayed, server);
    return this.addLocalCandidate(c) ? c : null;
  }

  // A remote candidate, at any time (trickle, RFC 8838). mDNS names are held until resolveMdns().
  addRemoteCandidate(c: Candidate): bool {
    if (!c.isUdp || c.component != 1) return false;
    if (c.hostname.length > 0) {
      if (this.pendingMdns.length >= this.config.maxPendingMdns) {
        this.stats.droppedCandidates++;
        return false;
      }
      this.pendingMdns.push(c);
      const ev = new IceEvent(IceEventKind.ResolveMdns);
      ev.name = c.hostname;
      this.emit(ev);
      return true;
    }
    if (!c.address.isValid || c.address.port == 0) return false;
    for (let i = 0; i < this.remotes.length; i++) {
      const r = this.remotes[i];
      if (r.address.equals(c.address)) {
        // A signalled candidate replaces what a check taught us (prflx): keep its priority and type.
        if (r.type == CandidateType.PeerReflexive && c.type != CandidateType.PeerReflexive) {
          r.type = c.type;
          r.foundation = c.foundation;
        }
        return false;
      }
    }
    if (this.remotes.length >= this.config.maxRemoteCandidates) {
      this.stats.droppedCandidates++;
      return false;
    }
    this.remotes.push(c);
    for (let i = 0; i < this.locals.length; i++) this.addPair(this.locals[i], c);
    this.maybeStartChecking(this.lastNow);
    return true;
  }

  // Parses an SDP candidate line ("candidate:..." or "a=candidate:..."); "end-of-candidates" too.
  addRemoteCandidateSdp(line: string): bool {
    const t = line.trim();
    if (t == "a=end-of-candidates" || t == "end-of-candidates") {
      this.endOfRemoteCandidates();
      return true;
    }
    const c = Candidate.parse(t);
    if (c == null) {
      this.stats.droppedCandidates++;
      return false;
    }
    return this.addRemoteCandidate(c);
  }

  // The host's answer to a ResolveMdns event.
  resolveMdns(name: string, ip: TransportAddress): bool {
    for (let i = 0; i < this.pendingMdns.length; i++) {
      const c = this.pendingMdns[i];
      if (c.hostname != name) continue;
      this.pendingMdns.splice(i, 1);
      const port = c.address.port;
      c.address = ip.withPort(port);
      c.hostname = "";
      return this.addRemoteCandidate(c);
    }
    return false;
  }

  endOfRemoteCandidates(): void {
    this.remoteEnded = true;
  }

  close(): void {
    if (this.state == IceState.Closed) return;
    this.consentTx = null;
    this.nextConsentAt = NEVER;
    for (let i = 0; i < this.pairs.length; i++) {
      const tx = this.pairs[i].tx;
      if (tx) tx.cancel();
    }
    this.triggered.length = 0;
    this.setState(IceState.Closed);
  }

  // ---- sans-IO ----

  // A datagram that arrived on local (a local candidate's base) from remote.
  input(data: Uint8Array, local: TransportAddress, remote: TransportAddress, now: i64): void {
    this.lastNow = now;
    if (this.state == IceState.Closed) return;
    if (!looksLikeStun(data)) {
      this.stats.notStun++;
      return;
    }
    const m = this.msg;
    if (m.parse(data) != ParseResult.Ok) {
      this.stats.malformed++;
      return;
    }
    if (m.method != METHOD_BINDING) {
      this.stats.malformed++;
      return;
    }
    if (m.cls == CLASS_REQUEST) this.onRequest(m, local, remote, now);
    else if (m.cls == CLASS_SUCCESS || m.cls == CLASS_ERROR) this.onResponse(m, local, remote, now);
    // CLASS_INDICATION: a keepalive; nothing to do.
  }

  handleTimeout(now: i64): void {
    this.lastNow = now;
    if (this.state == IceState.Closed || this.state == IceState.Failed) return;
    // Retransmissions and timeouts of checks in flight.
    for (let i = 0; i < this.pairs.length; i++) {
      const p = this.pairs[i];
      const tx = p.tx;
      if (tx == null || tx.done) continue;
      tx.handleTimeout(now);
      const bytes = tx.pollTransmit();
      if (bytes != null) this.send(p.local.base, p.remote.address, bytes);
      if (tx.state == TransactionState.TimedOut) this.onCheckTimeout(p);
    }
    this.nominate(now);
    // Paced checks: one every Ta, triggered ones first (RFC 8445 §6.1.4.2).
    if (this.remoteKey != null && now >= this.lastCheckAt + this.config.ta) {
      const p = this.nextCheck();
      if (p != null) {
        this.sendCheck(p, now);
        this.lastCheckAt = now;
      }
    }
    this.consent(now);
    this.checkFailed(now);
  }

  nextDeadline(): i64 {
    if (this.state == IceState.Closed || this.state == IceState.Failed) return NEVER;
    let d = NEVER;
    for (let i = 0; i < this.pairs.length; i++) {
      const tx = this.pairs[i].tx;
      if (tx != null && !tx.done) d = min(d, tx.nextDeadline());
    }
    if (this.remoteKey != null && this.hasCheckWork()) d = min(d, this.lastCheckAt == i64.MIN_VALUE ? this.lastNow : this.lastCheckAt + this.config.ta);
    // Timers below only matter while still ahead: once passed, their conditions are looked at
    // on every later handleTimeout, so a passed one must not keep the deadline in the past.
    const nominateAt = this.firstValidAt + this.config.nominationDelay;
    if (this.controlling && this.selected == null && this.firstValidAt >= 0 && nominateAt > this.lastNow && !this.nominationInFlight()) {
      d = min(d, nominateAt);
    }
    if (this.selected != null) {
      d = min(d, this.nextConsentAt);
      const tx = this.consentTx;
      if (tx != null && !tx.done) d = min(d, tx.nextDeadline());
      if (this.state == IceState.Connected) d = min(d, this.lastConsentAt + this.config.disconnectedAfter);
      d = min(d, this.lastConsentAt + this.config.consentTimeout);
    } else if (this.checkingSince >= 0 && this.checkingSince + this.config.checkingTimeout > this.lastNow) {
      d = min(d, this.checkingSince + this.config.checkingTimeout);
    }
    return d;
  }

  pollTransmit(): Transmit | null {
    return this.transmits.length > 0 ? this.transmits.shift() : null;
  }

  pollEvent(): IceEvent | null {
    return this.events.length > 0 ? this.events.shift() : null;
  }

  // ---- checks (RFC 8445 §7.2) ----

  private addPair(local: Candidate, remote: Candidate): CandidatePair | null {
    if (local.base.family != remote.address.family) return null;
    for (let i = 0; i < this.pairs.length; i++) {
      const q = this.pairs[i];
      // Pruning (§6.1.2.4): same base and remote address means the same pair.
      if (q.local.base.equals(local.base) && q.remote.address.equals(remote.address)) return q;
    }
    const p = new CandidatePair(local, remote);
    p.updatePriority(this.controlling);
    if (this.pairs.length >= this.config.maxPairs) {
      // Keep the best: evict the lowest-priority pair that is idle, if the new one beats it.
      let victim = -1;
      for (let i = this.pairs.length - 1; i >= 0; i--) {
        const q = this.pairs[i];
        if (q.state != PairState.InProgress && q != this.selected && !q.valid) {
          victim = i;
          break;
        }
      }
      this.stats.droppedPairs++;
      if (victim < 0 || this.pairs[victim].priority >= p.priority) return null;
      this.removeTriggered(this.pairs[victim]);
      this.pairs.splice(victim, 1);
    }
    // insert keeping the list sorted, highest priority first
    this.pairs.push(p);
    let at = this.pairs.length - 1;
    while (at > 0 && this.pairs[at - 1].priority < p.priority) {
      this.pairs[at] = this.pairs[at - 1];
      at--;
    }
    this.pairs[at] = p;
    this.unfreeze();
    return p;
  }

  // §6.1.2.6: for each foundation with nothing Waiting or In-Progress, its best Frozen pair waits.
  private unfreeze(): void {
    for (let i = 0; i < this.pairs.length; i++) {
      const p = this.pairs[i];
      if (p.state != PairState.Frozen) continue;
      const f = p.foundation;
      let busy = false;
      for (let k = 0; k < this.pairs.length; k++) {
        const q = this.pairs[k];
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
    for (let i = 0; i < this.pairs.length; i++) if (this.pairs[i].state == PairState.Waiting) return true;
    return false;
  }

  private nextCheck(): CandidatePair | null {
    while (this.triggered.length > 0) {
      const p = this.triggered.shift();
      p.triggered = false;
      if (this.pairs.indexOf(p) >= 0) return p;
    }
    for (let i = 0; i < this.pairs.length; i++) if (this.pairs[i].state == PairState.Waiting) return this.pairs[i];
    return null;
  }

  private trigger(p: CandidatePair): void {
    if (p.triggered) return;
    if (this.triggered.length >= this.config.maxTriggered) return;
    p.triggered = true;
    if (p.state != PairState.InProgress && p.state != PairState.Succeeded) p.state = PairState.Waiting;
    this.triggered.push(p);
  }

  private removeTriggered(p: CandidatePair): void {
    const i = this.triggered.indexOf(p);
    if (i >= 0) this.triggered.splice(i, 1);
  }

  // The PRIORITY a check carries: what a peer-reflexive candidate learned from it would have (§7.1.1).
  private prflxPriority(local: Candidate): u32 {
    return candidatePriority(CandidateType.PeerReflexive, (local.priority >> 8) & 0xffff, 1);
  }

  private buildCheck(tid: Uint8Array, local: Candidate, useCandidate: bool): Uint8Array | null {
    const b = this.out;
    b.begin(messageType(METHOD_BINDING, CLASS_REQUEST), tid);
    b.addString(ATTR_USERNAME, this.remoteUfrag + ":" + this.localUfrag);
    addPriority(b, this.prflxPriority(local));
    if (this.controlling) {
      addIceControlling(b, this.tieBreaker);
      if (useCandidate || this.config.aggressiveNomination) addUseCandidate(b);
    } else addIceControlled(b, this.tieBreaker);
    b.addMessageIntegrity(this.remoteKey!).addFingerprint();
    return b.finish();
  }

  private sendCheck(p: CandidatePair, now: i64): void {
    if (p.tx != null && !p.tx!.done) return; // already in flight
    const req = this.buildCheck(newTransactionId(), p.local, p.nominating);
    if (req == null) return;
    const tx = new ClientTransaction(this.config.checkRetransmit);
    tx.start(req, now);
    p.tx = tx;
    p.state = PairState.InProgress;
    this.stats.checksSent++;
    const bytes = tx.pollTransmit();
    if (bytes != null) this.send(p.local.base, p.remote.address, bytes);
    if (this.state == IceState.New) this.setState(IceState.Checking);
  }

  private onCheckTimeout(p: CandidatePair): void {
    p.tx = null;
    p.nominating = false;
    p.valid = false;
    p.state = PairState.Failed;
    if (p == this.selected) return; // consent freshness decides about the selected pair
    this.unfreeze();
  }

  private findLocal(base: TransportAddress): Candidate | null {
    for (let i = 0; i < this.locals.length; i++) if (this.locals[i].base.equals(base)) return this.locals[i];
    return null;
  }

  private findPair(base: TransportAddress, remote: TransportAddress): CandidatePair | null {
    for (let i = 0; i < this.pairs.length; i++) {
      const p = this.pairs[i];
      if (p.local.base.equals(base) && p.remote.address.equals(remote)) return p;
    }
    return null;
  }

  // ---- incoming requests (RFC 8445 §7.3) ----

  private onRequest(m: StunMessage, local: TransportAddress, remote: TransportAddress, now: i64): void {
    // USERNAME must start with our ufrag and the message must be signed with our password.
    const user = m.value(ATTR_USERNAME);
    if (user == null || m.integrityAt < 0) {
      this.stats.badRequest++;
      this.respondError(m, local, remote, ERR_BAD_REQUEST, false);
      return;
    }
    if (!this.usernameMatches(user) || checkMessageIntegrity(m, this.localKey) != Integrity.Ok) {
      this.stats.badIntegrity++;
      this.respondError(m, local, remote, ERR_UNAUTHENTICATED, false);
      return;
    }
    if (beginUnknownAttributes(this.out, m)) {
      this.stats.unknownAttributes++;
      this.finishAndSend(local, remote, true);
      return;
    }
    // Role conflict (§7.3.1.1).
    const theirsControlling = getIceControlling(m);
    const theirsControlled = getIceControlled(m);
    if (this.controlling && theirsControlling.ok) {
      this.stats.roleConflicts++;
      if (this.tieBreaker >= theirsControlling.value) {
        this.respondError(m, local, remote, ERR_ROLE_CONFLICT, true);
        return;
      }
      this.switchRole(false);
    } else if (!this.controlling && theirsControlled.ok) {
      this.stats.roleConflicts++;
      if (this.tieBreaker >= theirsControlled.value) this.switchRole(true);
      else {
        this.respondError(m, local, remote, ERR_ROLE_CONFLICT, true);
        return;
      }
    }
    // Success response with the source as XOR-MAPPED-ADDRESS (§7.3.1.2).
    const b = this.out;
    beginSuccess(b, m);
    addXorAddress(b, ATTR_XOR_MAPPED_ADDRESS, remote);
    this.finishAndSend(local, remote, true);
    if (this.state == IceState.Failed || this.state == IceState.Closed) return;

    const lc = this.findLocal(local);
    if (lc == null) return;
    // Peer-reflexive remote candidate (§7.3.1.3).
    let rc: Candidate | null = null;
    for (let i = 0; i < this.remotes.length; i++) if (this.remotes[i].address.equals(remote)) rc = this.remotes[i];
    if (rc == null) {
      const c = new Candidate();
      c.type = CandidateType.PeerReflexive;
      c.address = remote.clone();
      c.base = remote.clone();
      c.priority = getPriority(m);
      if (c.priority == 0) c.priority = candidatePriority(CandidateType.PeerReflexive, 0);
      c.foundation = computeFoundation(CandidateType.PeerReflexive, remote);
      if (!this.addRemoteCandidate(c)) return;
      this.stats.prflxRemote++;
      rc = c;
    }
    const p = this.findPair(local, remote);
    if (p == null) return;
    // Triggered check (§7.3.1.4), unless this pair already works.
    if (p.state != PairState.Succeeded && p.state != PairState.InProgress) this.trigger(p);
    if (this.checkingSince < 0) this.maybeStartChecking(now);
    // Nomination by the controlling peer (§7.3.1.5); aggressive nomination accepted too.
    if (!this.controlling && hasUseCandidate(m)) {
      if (p.state == PairState.Succeeded) this.nominated(p, now);
      else p.nominateOnSuccess = true;
    }
  }

  private usernameMatches(user: Uint8Array): bool {
    const mine = String.UTF8.encode(this.localUfrag);
    const n = mine.byteLength;
    if (user.length <= n || user[n] != 58) return false;
    const p = changetype<usize>(mine);
    for (let i = 0; i < n; i++) if (user[i] != load<u8>(p + i)) return false;
    return true;
  }

  private respondError(m: StunMessage, local: TransportAddress, remote: TransportAddress, code: i32, sign: bool): void {
    beginError(this.out, m, code);
    this.finishAndSend(local, remote, sign);
  }

  private finishAndSend(local: TransportAddress, remote: TransportAddress, sign: bool): void {
    const b = this.out;
    if (sign) b.addMessageIntegrity(this.localKey);
    b.addFingerprint();
    const bytes = b.copy();
    if (bytes != null) this.send(local, remote, bytes);
  }

  private switchRole(controlling: bool): void {
    this.controlling = controlling;
    for (let i = 0; i < this.pairs.length; i++) this.pairs[i].updatePriority(controlling);
    // keep the list sorted, highest priority first (insertion sort: lists are short)
    for (let i = 1; i < this.pairs.length; i++) {
      const p = this.pairs[i];
      let k = i;
      while (k > 0 && this.pairs[k - 1].priority < p.priority) {
        this.pairs[k] = this.pairs[k - 1];
        k--;
      }
      this.pairs[k] = p;
    }
    const ev = new IceEvent(IceEventKind.RoleChanged);
    ev.controlling = controlling;
    this.emit(ev);
  }

  // ---- responses to our checks (RFC 8445 §7.2.5) ----

  private onResponse(m: StunMessage, local: TransportAddress, remote: TransportAddress, now: i64): void {
    const ctx = this.consentTx;
    const isConsent = ctx != null && !ctx.done && m.tidEquals(ctx.tid);
    let p: CandidatePair | null = null;
    if (isConsent) p = this.selected;
    else {
      for (let i = 0; i < this.pairs.length; i++) {
        const tx = this.pairs[i].tx;
        if (tx != null && !tx.done && m.tidEquals(tx.tid)) {
          p = this.pairs[i];
          break;
        }
      }
    }
    if (p == null) {
      this.stats.unmatchedResponses++;
      return;
    }
    // Nothing in a response is acted on before its integrity is proven.
    if (this.remoteKey == null || checkMessageIntegrity(m, this.remoteKey!) != Integrity.Ok) {
      this.stats.badIntegrity++;
      return;
    }
    const tx = isConsent ? ctx! : p.tx!;
    tx.onResponse(m);
    // Non-symmetric addresses fail the check (§7.2.5.2.1).
    const symmetric = remote.equals(p.remote.address) && local.equals(p.local.base);
    if (m.cls == CLASS_ERROR) {
      if (getErrorCode(m) == ERR_ROLE_CONFLICT && !isConsent) {
        // §7.2.5.1: take the other role and check again.
        this.stats.roleConflicts++;
        this.switchRole(!this.controlling);
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
    this.lastConsentAt = now;
    if (isConsent) {
      if (this.state == IceState.Disconnected) this.setState(IceState.Connected);
      return;
    }
    // A mapped address we do not know is a peer-reflexive local candidate (§7.2.5.3.1). Checks
    // are sent from its base either way, so it is counted, not paired separately.
    const mapped = getXorAddress(m, ATTR_XOR_MAPPED_ADDRESS);
    if (mapped != null) {
      let known = false;
      for (let i = 0; i < this.locals.length; i++) if (this.locals[i].address.equals(mapped)) known = true;
      if (!known) this.stats.prflxLocal++;
    }
    p.tx = null;
    p.state = PairState.Succeeded;
    p.valid = true;
    if (this.firstValidAt < 0) this.firstValidAt = now;
    // §7.2.5.3.3: pairs of the same foundation may go now.
    const f = p.foundation;
    for (let i = 0; i < this.pairs.length; i++) {
      const q = this.pairs[i];
      if (q.state == PairState.Frozen && q.foundation == f) q.state = PairState.Waiting;
    }
    if (this.controlling && (p.nominating || this.config.aggressiveNomination)) {
      p.nominating = false;
      this.nominated(p, now);
    } else if (!this.controlling && p.nominateOnSuccess) {
      this.nominated(p, now);
    }
    this.unfreeze();
  }

  // ---- nomination (RFC 8445 §8.1) ----

  private nominationInFlight(): bool {
    for (let i = 0; i < this.pairs.length; i++) if (this.pairs[i].nominating) return true;
    return false;
  }

  // The controlling agent nominates the best valid pair when nothing better is pending, or after
  // nominationDelay; by a check with USE-CANDIDATE on that pair.
  private nominate(now: i64): void {
    if (!this.controlling || this.config.aggressiveNomination) return;
    if (this.selected != null || this.firstValidAt < 0 || this.nominationInFlight()) return;
    let best: CandidatePair | null = null;
    let betterPending = false;
    for (let i = 0; i < this.pairs.length; i++) {
      const p = this.pairs[i];
      if (p.valid) {
        best = p;
        break;
      }
      if (p.state != PairState.Failed) betterPending = true;
    }
    if (best == null) return;
    if (betterPending && now < this.firstValidAt + this.config.nominationDelay) return;
    best.nominating = true;
    best.state = PairState.Waiting;
    this.trigger(best);
  }

  private nominated(p: CandidatePair, now: i64): void {
    p.nominated = true;
    p.nominateOnSuccess = false;
    const cur = this.selected;
    // With aggressive nomination several pairs may be nominated: keep the best one.
    if (cur != null && cur.priority >= p.priority) return;
    this.selected = p;
    const ev = new IceEvent(IceEventKind.SelectedPairChanged);
    ev.pair = p;
    this.emit(ev);
    this.lastConsentAt = now;
    this.nextConsentAt = now + this.consentDelay();
    if (this.state != IceState.Connected) this.setState(IceState.Connected);
  }

  // ---- consent freshness (RFC 7675) ----

  private consentDelay(): i64 {
    // xorshift32; 0.8-1.2 x interval so checks from many agents do not synchronise (§5.1)
    let x = this.rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    this.rng = x;
    const iv = this.config.consentInterval;
    return (iv * 8) / 10 + <i64>(x % <u32>((iv * 4) / 10 + 1));
  }

  private consent(now: i64): void {
    const p = this.selected;
    if (p == null || this.remoteKey == null) return;
    if (now - this.lastConsentAt >= this.config.consentTimeout) {
      // consent lost: stop sending on the pair (RFC 7675 §5.1)
      this.consentTx = null;
      this.nextConsentAt = NEVER;
      this.setState(IceState.Failed);
      return;
    }
    if (this.state == IceState.Connected && now - this.lastConsentAt >= this.config.disconnectedAfter) this.setState(IceState.Disconnected);
    const tx = this.consentTx;
    if (tx != null && !tx.done) {
      tx.handleTimeout(now);
      const bytes = tx.pollTransmit();
      if (bytes != null) this.send(p.local.base, p.remote.address, bytes);
    }
    if (now >= this.nextConsentAt) {
      this.nextConsentAt = now + this.consentDelay();
      const req = this.buildCheck(newTransactionId(), p.local, false);
      if (req == null) return;
      const t = new ClientTransaction(this.config.consentRetransmit);
      t.start(req, now);
      this.consentTx = t;
      const bytes = t.pollTransmit();
      if (bytes != null) this.send(p.local.base, p.remote.address, bytes);
    }
  }

  // ---- state ----

  private maybeStartChecking(now: i64): void {
    if (this.checkingSince < 0 && this.remoteKey != null && this.pairs.length > 0) {
      this.checkingSince = now;
      if (this.state == IceState.New) this.setState(IceState.Checking);
    }
  }

  // Failed when no pair can work any more: every pair failed and the peer has no more
  // candidates (end-of-candidates, or checkingTimeout passed), and no mDNS name is pending.
  private checkFailed(now: i64): void {
    if (this.selected != null || this.state != IceState.Checking || this.pendingMdns.length > 0) return;
    for (let i = 0; i < this.pairs.length; i++) if (this.pairs[i].state != PairState.Failed) return;
    if (this.triggered.length > 0) return;
    if (this.remoteEnded || (this.checkingSince >= 0 && now >= this.checkingSince + this.config.checkingTimeout)) this.setState(IceState.Failed);
  }

  private setState(s: IceState): void {
    if (this.state == s) return;
    this.state = s;
    const ev = new IceEvent(IceEventKind.StateChanged);
    ev.state = s;
    this.emit(ev);
  }

  private emit(ev: IceEvent): void {
    if (this.events.length >= this.config.maxEvents) {
      this.stats.droppedEvents++;
      return;
    }
    this.events.push(ev);
  }

  private send(local: TransportAddress, remote: TransportAddress, data: Uint8Array): void {
    if (this.transmits.length >= this.config.maxTransmits) {
      this.stats.droppedTransmits++;
      return;
    }
    this.transmits.push(new Transmit(local.clone(), remote.clone(), data));
  }
}
