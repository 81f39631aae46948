// RFC 8445 §5-§8 (candidates, the agent's state), RFC 8838 (trickle), RFC 7675 (consent freshness): the ICE agent.
// One component, one data stream (BUNDLE and rtcp-mux, as WebRTC uses), UDP only. ICE restart (RFC 8445 §9): restart.ts.
import { randomFill } from "../crypto/random";
import { StunMessage, ParseResult, looksLikeStun, METHOD_BINDING, CLASS_REQUEST, CLASS_SUCCESS, CLASS_ERROR } from "../stun/message";
import { StunBuilder } from "../stun/builder";
import { shortTermKey } from "../stun/credentials";
import { TransportAddress } from "../stun/transport_address";
import { Candidate, CandidateType, candidatePriority, computeFoundation } from "./candidate";
import { CandidatePair, PairState } from "./candidate_pair";
import { IceConfig } from "./config";
import { IceEvent, IceEventKind, IceState, IceStats, Transmit } from "./event";
import { Checklist } from "./checklist";
import { CheckResponder } from "./check_responder";
import { Nomination } from "./nomination";
import { ConsentFreshness } from "./consent_freshness";
import { IceRestart } from "./restart";

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

  // The agent's parts (one file each) own their own state and share what follows, which is
  // theirs to use, not the user's.
  localUfrag: string;
  localKey: Uint8Array;
  remoteUfrag: string = "";
  remoteKey: Uint8Array | null = null;
  out: StunBuilder = new StunBuilder(548); // the one message being written
  lastNow: i64 = 0;
  checkingSince: i64 = -1;
  private remoteEnded: bool = false;
  private pendingMdns: Candidate[] = [];
  private transmits: Transmit[] = [];
  private events: IceEvent[] = [];
  private msg: StunMessage = new StunMessage();

  // Definitely assigned in the constructor; "!" because each part keeps a reference to the
  // agent, which may only be handed out once every other field is set.
  checklist!: Checklist;
  responder!: CheckResponder;
  nomination!: Nomination;
  consent!: ConsentFreshness;
  restarter!: IceRestart;

  constructor(public config: IceConfig, controlling: bool, localUfrag: string, localPassword: string) {
    this.controlling = controlling;
    this.localUfrag = localUfrag;
    this.localKey = shortTermKey(localPassword);
    const seed = new Uint8Array(12);
    randomFill(seed);
    this.tieBreaker = config.tieBreaker != 0 ? config.tieBreaker : load<u64>(seed.dataStart);
    this.checklist = new Checklist(this);
    this.responder = new CheckResponder(this);
    this.nomination = new Nomination(this);
    this.consent = new ConsentFreshness(this, load<u32>(seed.dataStart + 8) | 1);
    this.restarter = new IceRestart(this);
  }

  // ---- configuration from signaling ----

  // The peer's ice-ufrag/ice-pwd. New ones once a session is up mean the peer restarted ICE
  // (RFC 8839 §4.4.1.1.1): a new checklist starts while the selected pair keeps carrying data;
  // answer with restart() and new local credentials. False (and nothing changed) for unusable
  // values. now < 0: the time of the last call.
  setRemoteCredentials(ufrag: string, password: string, now: i64 = -1): bool {
    if (now >= 0) this.lastNow = now;
    if (this.state == IceState.Closed) return false;
    return this.restarter.remote(ufrag, password, shortTermKey(password), this.lastNow);
  }

  // ICE restart with our new ice-ufrag/ice-pwd (RFC 8445 §9): locally initiated, or the answer
  // to the peer's restart. Checks of the new generation start once the peer's new credentials
  // arrive (setRemoteCredentials) and its candidates trickle in again; until a new pair is
  // selected the old one carries data and keeps consent under the old credentials. Also the way
  // out of Failed. False (and nothing changed) for unusable values or a closed agent.
  restart(ufrag: string, password: string, now: i64): bool {
    this.lastNow = now;
    if (this.state == IceState.Closed) return false;
    return this.restarter.local(ufrag, password, shortTermKey(password), now);
  }

  // A restart is under way and the selected pair still belongs to the previous credentials.
  get restarting(): bool {
    return this.restarter.pending;
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
    for (let i = 0; i < this.remotes.length; i++) this.checklist.addPair(c, this.remotes[i]);
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
    // A trickled candidate naming another ufrag belongs to a generation before a restart (RFC 8838 §4.4).
    if (c.ufrag.length > 0 && this.remoteUfrag.length > 0 && c.ufrag != this.remoteUfrag) {
      this.stats.staleCandidates++;
      return false;
    }
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
    for (let i = 0; i < this.locals.length; i++) this.checklist.addPair(this.locals[i], c);
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
    this.consent.stop();
    for (let i = 0; i < this.pairs.length; i++) {
      const tx = this.pairs[i].tx;
      if (tx) tx.cancel();
    }
    this.checklist.clearTriggered();
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
    if (m.cls == CLASS_REQUEST) this.responder.onRequest(m, local, remote, now);
    else if (m.cls == CLASS_SUCCESS || m.cls == CLASS_ERROR) this.checklist.onResponse(m, local, remote, now);
    // CLASS_INDICATION: a keepalive; nothing to do.
  }

  handleTimeout(now: i64): void {
    this.lastNow = now;
    if (this.state == IceState.Closed || this.state == IceState.Failed) return;
    this.checklist.retransmit(now);
    this.nomination.nominate(now);
    this.checklist.pace(now);
    this.consent.run(now);
    this.checkFailed(now);
  }

  nextDeadline(): i64 {
    if (this.state == IceState.Closed || this.state == IceState.Failed) return NEVER;
    let d = this.checklist.nextDeadline();
    // Timers below only matter while still ahead: once passed, their conditions are looked at
    // on every later handleTimeout, so a passed one must not keep the deadline in the past.
    d = min(d, this.nomination.nextDeadline());
    if (this.selected != null) d = min(d, this.consent.nextDeadline());
    if (!this.hasCurrentSelection && this.checkingSince >= 0 && this.checkingSince + this.config.checkingTimeout > this.lastNow) {
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

  // ---- state, shared by the parts ----

  // A pair is selected under the current credentials (not the old pair kept during a restart).
  get hasCurrentSelection(): bool {
    return this.selected != null && !this.restarter.pending;
  }

  // A restart forgets the peer's candidates and the checking clock of the previous generation.
  resetGeneration(): void {
    this.remotes.length = 0;
    this.pendingMdns.length = 0;
    this.checkingSince = -1;
    this.remoteEnded = false;
  }

  maybeStartChecking(now: i64): void {
    if (this.checkingSince < 0 && this.remoteKey != null && this.pairs.length > 0) {
      this.checkingSince = now;
      if (this.state == IceState.New) this.setState(IceState.Checking);
    }
  }

  // Failed when no pair can work any more: every pair failed and the peer has no more
  // candidates (end-of-candidates, or checkingTimeout passed), and no mDNS name is pending.
  private checkFailed(now: i64): void {
    if (this.hasCurrentSelection || this.state != IceState.Checking || this.pendingMdns.length > 0) return;
    for (let i = 0; i < this.pairs.length; i++) if (this.pairs[i].state != PairState.Failed) return;
    if (this.checklist.hasTriggered) return;
    if (this.remoteEnded || (this.checkingSince >= 0 && now >= this.checkingSince + this.config.checkingTimeout)) this.setState(IceState.Failed);
  }

  setState(s: IceState): void {
    if (this.state == s) return;
    this.state = s;
    const ev = new IceEvent(IceEventKind.StateChanged);
    ev.state = s;
    this.emit(ev);
  }

  emit(ev: IceEvent): void {
    if (this.events.length >= this.config.maxEvents) {
      this.stats.droppedEvents++;
      return;
    }
    this.events.push(ev);
  }

  send(local: TransportAddress, remote: TransportAddress, data: Uint8Array): void {
    if (this.transmits.length >= this.config.maxTransmits) {
      this.stats.droppedTransmits++;
      return;
    }
    this.transmits.push(new Transmit(local.clone(), remote.clone(), data));
  }
}
