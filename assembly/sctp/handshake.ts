// RFC 9260 §5: association setup — INIT, INIT-ACK, the state cookie, T1, collisions and peer restart (§5.2).
import { randomBytes } from "../crypto/random";
import { RawChunk } from "./chunk";
import { PacketWriter, COMMON_HEADER_LEN } from "./packet";
import { InitChunk } from "./chunk_init";
import { AbortChunk } from "./chunk_abort";
import { ErrorChunk } from "./chunk_error";
import { shutdownAck } from "./chunk_shutdown";
import { cookieEcho, cookieAck } from "./chunk_cookie";
import {
  ErrorCause, staleCookieCause, CAUSE_INVALID_MANDATORY_PARAM, CAUSE_MISSING_PARAM, CAUSE_UNRECOGNIZED_PARAMS,
  CAUSE_STALE_COOKIE, CAUSE_COOKIE_WHILE_SHUTTING_DOWN,
} from "./error_cause";
import { StateCookie, COOKIE_STALE } from "./state_cookie";
import { RtoEstimator } from "./rto";
import { SendQueue } from "./send_queue";
import { RetransmissionQueue } from "./retransmission_queue";
import { DataTracker } from "./data_tracker";
import { ReassemblyQueue } from "./reassembly_queue";
import { SctpEvent, EVENT_CONNECTED, EVENT_RESTARTED, CLOSE_TIMEOUT } from "./event";
import { randomU32, randomU32NonZero } from "./random_u32";
import { Association, AssocState } from "./association";

export class Handshake {
  t1Deadline: i64 = i64.MAX_VALUE;
  private t1Count: i32 = 0;
  private t1Rto: RtoEstimator; // its own: INIT and COOKIE-ECHO back off without touching the path's
  private tieTag: u64;
  private cookieKey: Uint8Array;
  private cookie: Uint8Array | null = null; // the peer's, echoed until COOKIE-ACK

  constructor(private assoc: Association) {
    this.tieTag = (<u64>randomU32NonZero() << 32) | <u64>randomU32();
    this.cookieKey = randomBytes(32);
    const c = assoc.config;
    this.t1Rto = new RtoEstimator(c.rtoInitialMs, c.rtoMinMs, c.rtoMaxMs);
  }

  start(): void {
    this.assoc.state = AssocState.COOKIE_WAIT;
    this.t1Count = 0;
    this.sendInit();
  }

  onT1(now: i64): void {
    const a = this.assoc;
    this.t1Count++;
    if (this.t1Count > a.config.maxInitRetransmits) {
      a.termination.close(CLOSE_TIMEOUT, 0);
      return;
    }
    this.t1Rto.backoff();
    if (a.state == AssocState.COOKIE_WAIT) this.sendInit();
    else if (a.state == AssocState.COOKIE_ECHOED) this.sendCookieEcho();
    else this.t1Deadline = i64.MAX_VALUE;
  }

  onInit(raw: RawChunk): void {
    const a = this.assoc;
    const init = InitChunk.parse(raw.value, false);
    if (init == null || init.initiateTag == 0) {
      a.stats.malformed++;
      return;
    }
    if (init.outStreams == 0 || init.inStreams == 0) {
      const abort = new AbortChunk(false);
      abort.causes.push(new ErrorCause(CAUSE_INVALID_MANDATORY_PARAM, new Uint8Array(0)));
      a.sendReflected(abort, init.initiateTag);
      return;
    }
    if (a.state == AssocState.SHUTDOWN_ACK_SENT) {
      // §9.2: a new INIT in this state is answered with SHUTDOWN-ACK again.
      a.control.push(shutdownAck());
      return;
    }
    const config = a.config;
    const ack = new InitChunk();
    ack.isAck = true;
    ack.arwnd = <u32>a.receiveWindow;
    ack.outStreams = config.maxOutboundStreams;
    ack.inStreams = config.maxInboundStreams;
    ack.forwardTsn = true;
    ack.reconfig = true;
    ack.unrecognized = init.unrecognized;
    const c = new StateCookie();
    if (a.state == AssocState.CLOSED) {
      // Stateless (§5.1.3): everything the association needs goes into the cookie.
      c.localTag = randomU32NonZero();
      c.localInitialTsn = randomU32();
      c.tieTag = 0;
    } else if (a.state == AssocState.COOKIE_WAIT || a.state == AssocState.COOKIE_ECHOED) {
      // §5.2.1: an INIT collision; answer with the parameters of our own INIT.
      c.localTag = a.myVtag;
      c.localInitialTsn = a.myInitialTsn;
      c.tieTag = this.tieTag;
    } else {
      // §5.2.2: an INIT on an established association (a restarting peer).
      c.localTag = randomU32NonZero();
      c.localInitialTsn = randomU32();
      c.tieTag = this.tieTag;
    }
    c.createdAt = a.now;
    c.lifetimeMs = <u32>config.cookieLifetimeMs;
    c.peerTag = init.initiateTag;
    c.peerInitialTsn = init.initialTsn;
    c.peerArwnd = init.arwnd;
    c.outStreams = min(config.maxOutboundStreams, init.inStreams);
    c.inStreams = min(config.maxInboundStreams, init.outStreams);
    c.peerForwardTsn = init.forwardTsn;
    c.peerReconfig = init.reconfig;
    ack.initiateTag = c.localTag;
    ack.initialTsn = c.localInitialTsn;
    ack.cookie = c.encode(this.cookieKey);
    a.sendReflected(ack, init.initiateTag);
  }

  onInitAck(raw: RawChunk): void {
    const a = this.assoc;
    if (a.state != AssocState.COOKIE_WAIT) return; // §5.2.3: duplicates are discarded
    const ack = InitChunk.parse(raw.value, true);
    if (ack == null || ack.initiateTag == 0) {
      a.stats.malformed++;
      return;
    }
    if (ack.outStreams == 0 || ack.inStreams == 0 || ack.cookie == null) {
      const abort = new AbortChunk(false);
      if (ack.cookie == null) {
        const info = new Uint8Array(6);
        info[3] = 1; // one missing parameter: State Cookie (7)
        info[5] = 7;
        abort.causes.push(new ErrorCause(CAUSE_MISSING_PARAM, info));
      } else abort.causes.push(new ErrorCause(CAUSE_INVALID_MANDATORY_PARAM, new Uint8Array(0)));
      a.peerVtag = ack.initiateTag;
      a.termination.sendAbortChunk(abort);
      return;
    }
    a.peerVtag = ack.initiateTag;
    a.peerInitialTsn = ack.initialTsn;
    a.peerArwnd = ack.arwnd;
    a.outStreams = min(a.config.maxOutboundStreams, ack.inStreams);
    a.inStreams = min(a.config.maxInboundStreams, ack.outStreams);
    a.peerForwardTsn = ack.forwardTsn;
    a.peerReconfig = ack.reconfig;
    this.cookie = ack.cookie!.slice();
    a.state = AssocState.COOKIE_ECHOED;
    if (ack.unrecognized.length > 0) {
      const e = new ErrorChunk();
      for (let i = 0; i < ack.unrecognized.length; i++) e.causes.push(new ErrorCause(CAUSE_UNRECOGNIZED_PARAMS, ack.unrecognized[i]));
      a.control.push(e);
    }
    this.t1Count = 0;
    this.sendCookieEcho();
  }

  // False when the packet is to be dropped.
  onCookieEcho(raw: RawChunk, vtag: u32): bool {
    const a = this.assoc;
    const status = new StaticArray<i32>(1);
    const c = StateCookie.decode(raw.value, this.cookieKey, a.now, status);
    if (c == null) {
      a.stats.badCookie++;
      return false;
    }
    if (vtag != c.localTag) {
      a.stats.badTag++;
      return false;
    }
    const s = a.state;
    if (s >= AssocState.ESTABLISHED) {
      if (c.localTag != a.myVtag && c.peerTag != a.peerVtag && c.tieTag == this.tieTag) {
        // §5.2.4 case A: the peer restarted; both tags are new and the tie-tag is ours.
        if (status[0] == COOKIE_STALE) return this.staleCookie(c);
        if (s == AssocState.SHUTDOWN_ACK_SENT) {
          // Not while we are closing: SHUTDOWN-ACK again, and say why, on the new tag.
          const pw = new PacketWriter(a.config.mtu, a.config.localPort, a.config.remotePort, c.peerTag);
          pw.add(shutdownAck());
          const e = new ErrorChunk();
          e.causes.push(new ErrorCause(CAUSE_COOKIE_WHILE_SHUTTING_DOWN, new Uint8Array(0)));
          pw.add(e);
          a.out.push(pw.finish());
          return false;
        }
        this.restart(c);
        a.control.push(cookieAck());
        return true;
      }
      if (c.localTag == a.myVtag && c.peerTag == a.peerVtag) {
        // §5.2.4 case D: our COOKIE-ACK was lost.
        a.control.push(cookieAck());
        return true;
      }
      if (c.localTag == a.myVtag && c.tieTag == this.tieTag) {
        // Case B: collision resolved late; take the peer's tag.
        a.peerVtag = c.peerTag;
        a.control.push(cookieAck());
        return true;
      }
      // Case C (an old INIT's cookie, or a forged tie-tag) is discarded.
      a.stats.unexpected++;
      return false;
    }
    if (status[0] == COOKIE_STALE) return this.staleCookie(c);
    if (s != AssocState.CLOSED && c.tieTag != 0 && c.tieTag != this.tieTag) {
      a.stats.badCookie++;
      return false;
    }
    // CLOSED, COOKIE-WAIT or COOKIE-ECHOED: the cookie's TCB becomes the association.
    this.adopt(c);
    this.establish();
    a.control.push(cookieAck());
    return true;
  }

  onCookieAck(): void {
    if (this.assoc.state != AssocState.COOKIE_ECHOED) return;
    this.establish();
  }

  // An ERROR chunk: only a Stale Cookie (§5.2.6) changes anything, and only while we echo one.
  onError(raw: RawChunk): void {
    const a = this.assoc;
    const e = ErrorChunk.parse(raw.value);
    for (let i = 0; i < e.causes.length; i++) {
      if (e.causes[i].code == CAUSE_STALE_COOKIE && a.state == AssocState.COOKIE_ECHOED) {
        // §5.2.6: start over with a fresh INIT.
        a.state = AssocState.COOKIE_WAIT;
        this.cookie = null;
        this.sendInit();
        return;
      }
    }
  }

  private sendInit(): void {
    const a = this.assoc;
    const init = new InitChunk();
    init.initiateTag = a.myVtag;
    init.arwnd = <u32>a.receiveWindow;
    init.outStreams = a.config.maxOutboundStreams;
    init.inStreams = a.config.maxInboundStreams;
    init.initialTsn = a.myInitialTsn;
    init.forwardTsn = true;
    init.reconfig = true;
    a.sendReflected(init, 0);
    this.t1Deadline = a.now + this.t1Rto.rto;
  }

  private sendCookieEcho(): void {
    const a = this.assoc;
    const pw = new PacketWriter(a.config.mtu, a.config.localPort, a.config.remotePort, a.peerVtag);
    pw.add(cookieEcho(this.cookie!));
    while (a.control.length > 0 && pw.add(a.control[0])) a.control.shift();
    a.out.push(pw.finish());
    this.t1Deadline = a.now + this.t1Rto.rto;
  }

  // §5.2.6: a stale cookie is answered, on the cookie's tag, with how late it came.
  private staleCookie(c: StateCookie): bool {
    const a = this.assoc;
    a.stats.staleCookie++;
    const e = new ErrorChunk();
    e.causes.push(staleCookieCause(a.now - c.createdAt - <i64>c.lifetimeMs));
    a.sendReflected(e, c.peerTag);
    return false;
  }

  private adopt(c: StateCookie): void {
    const a = this.assoc;
    a.myVtag = c.localTag;
    a.myInitialTsn = c.localInitialTsn;
    a.peerVtag = c.peerTag;
    a.peerInitialTsn = c.peerInitialTsn;
    a.peerArwnd = c.peerArwnd;
    a.outStreams = c.outStreams;
    a.inStreams = c.inStreams;
    a.peerForwardTsn = c.peerForwardTsn;
    a.peerReconfig = c.peerReconfig;
  }

  // §5.2.4 case A: the association starts over with the cookie's TCB. What was queued, in
  // flight or half reassembled belonged to the peer's previous life: it is dropped, and the user
  // learns of the restart (EVENT_RESTARTED) instead of a second CONNECTED.
  private restart(c: StateCookie): void {
    const a = this.assoc;
    a.stats.restarts++;
    this.adopt(c);
    // A new tie-tag, so a copy of the cookie that restarted us cannot restart us again.
    this.tieTag = (<u64>randomU32NonZero() << 32) | <u64>randomU32();
    const config = a.config;
    a.sendQueue = new SendQueue();
    a.reasm = new ReassemblyQueue(config.maxMessageSize);
    a.rto = new RtoEstimator(config.rtoInitialMs, config.rtoMinMs, config.rtoMaxMs);
    a.streamReset.clear();
    a.termination.t2Deadline = i64.MAX_VALUE;
    a.heartbeat.outstanding = false;
    a.control.length = 0;
    this.establish(EVENT_RESTARTED);
  }

  private establish(event: i32 = EVENT_CONNECTED): void {
    const a = this.assoc;
    const config = a.config;
    a.state = AssocState.ESTABLISHED;
    this.t1Deadline = i64.MAX_VALUE;
    this.cookie = null;
    a.rtx = new RetransmissionQueue(a.myInitialTsn, a.peerArwnd, config.mtu - COMMON_HEADER_LEN, a.rto);
    a.tracker = new DataTracker(a.peerInitialTsn, config.maxDupsPerSack, config.delayedAckMs);
    a.streamReset.start(a.myInitialTsn, a.peerInitialTsn);
    a.receiver.lastAdvertisedRwnd = a.receiveWindow;
    a.heartbeat.arm();
    a.emit(new SctpEvent(event));
  }
}
