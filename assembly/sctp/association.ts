// RFC 9260 §4-§9 (with RFC 8261, 3758, 6525): one SCTP association, sans-IO, both roles.
import { randomBytes } from "../crypto/random";
import { SctpConfig } from "./config";
import {
  Chunk, RawChunk, unknownAction, UNKNOWN_STOP_REPORT, UNKNOWN_SKIP, UNKNOWN_SKIP_REPORT,
  CHUNK_DATA, CHUNK_INIT, CHUNK_INIT_ACK, CHUNK_SACK, CHUNK_HEARTBEAT, CHUNK_HEARTBEAT_ACK, CHUNK_ABORT,
  CHUNK_SHUTDOWN, CHUNK_SHUTDOWN_ACK, CHUNK_ERROR, CHUNK_COOKIE_ECHO, CHUNK_COOKIE_ACK,
  CHUNK_SHUTDOWN_COMPLETE, CHUNK_RECONFIG, CHUNK_FORWARD_TSN,
} from "./chunk";
import { Packet, PacketWriter, parsePacket, COMMON_HEADER_LEN } from "./packet";
import { InitChunk } from "./chunk_init";
import { DataChunk, DATA_HEADER_LEN, DATA_FLAG_IMMEDIATE } from "./chunk_data";
import { SackChunk } from "./chunk_sack";
import { HeartbeatChunk } from "./chunk_heartbeat";
import { AbortChunk } from "./chunk_abort";
import { ErrorChunk } from "./chunk_error";
import { ShutdownChunk, shutdownAck, shutdownComplete } from "./chunk_shutdown";
import { cookieEcho, cookieAck } from "./chunk_cookie";
import { ForwardTsnChunk } from "./chunk_forward_tsn";
import { ReconfigChunk } from "./chunk_reconfig";
import { OutgoingResetRequest } from "./param_outgoing_reset_request";
import {
  ReconfigResponse, RESULT_SUCCESS_PERFORMED, RESULT_SUCCESS_NOP, RESULT_DENIED, RESULT_ERROR_BAD_SEQ,
  RESULT_IN_PROGRESS, RESULT_ERROR_WRONG_SSN, RESULT_ERROR_REQUEST_IN_PROGRESS,
} from "./param_reconfig_response";
import { IncomingResetRequest } from "./param_incoming_reset_request";
import { PARAM_OUTGOING_RESET_REQUEST, PARAM_RECONFIG_RESPONSE, PARAM_INCOMING_RESET_REQUEST } from "./param";
import {
  ErrorCause, staleCookieCause, CAUSE_NO_USER_DATA, CAUSE_INVALID_STREAM, CAUSE_UNRECOGNIZED_CHUNK,
  CAUSE_INVALID_MANDATORY_PARAM, CAUSE_MISSING_PARAM, CAUSE_USER_INITIATED_ABORT, CAUSE_OUT_OF_RESOURCE,
  CAUSE_PROTOCOL_VIOLATION, CAUSE_UNRECOGNIZED_PARAMS, CAUSE_STALE_COOKIE, CAUSE_COOKIE_WHILE_SHUTTING_DOWN,
} from "./error_cause";
import { StateCookie, COOKIE_OK, COOKIE_STALE } from "./state_cookie";
import { RtoEstimator } from "./rto";
import { SendQueue, OutgoingMessage } from "./send_queue";
import { RetransmissionQueue } from "./retransmission_queue";
import { DataTracker } from "./data_tracker";
import { ReassemblyQueue } from "./reassembly_queue";
import {
  SctpEvent, EVENT_CONNECTED, EVENT_CLOSED, EVENT_MESSAGE, EVENT_STREAMS_RESET_INCOMING,
  EVENT_STREAMS_RESET_DONE, EVENT_BUFFERED_AMOUNT_LOW, EVENT_RESTARTED, CLOSE_SHUTDOWN, CLOSE_PEER_ABORT,
  CLOSE_LOCAL_ABORT, CLOSE_TIMEOUT,
} from "./event";
import { tsnLte, tsnGt } from "./tsn";

export const enum AssocState {
  CLOSED = 0,
  COOKIE_WAIT = 1,
  COOKIE_ECHOED = 2,
  ESTABLISHED = 3,
  SHUTDOWN_PENDING = 4,
  SHUTDOWN_SENT = 5,
  SHUTDOWN_RECEIVED = 6,
  SHUTDOWN_ACK_SENT = 7,
}

// Results of send().
export const SEND_OK: i32 = 0;
export const SEND_ERR_STATE: i32 = 1; // closed or closing
export const SEND_ERR_TOO_BIG: i32 = 2; // over maxMessageSize (or the peer's)
export const SEND_ERR_BUFFER_FULL: i32 = 3; // back-pressure: the send buffer is full
export const SEND_ERR_STREAM: i32 = 4; // stream id out of range or being reset
export const SEND_ERR_EMPTY: i32 = 5; // SCTP cannot carry an empty message

// Why packets were dropped, for tests and diagnostics.
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

function randomU32NonZero(): u32 {
  const b = randomBytes(4);
  const v = (<u32>b[0] << 24) | (<u32>b[1] << 16) | (<u32>b[2] << 8) | <u32>b[3];
  return v == 0 ? 1 : v;
}

function randomU32(): u32 {
  const b = randomBytes(4);
  return (<u32>b[0] << 24) | (<u32>b[1] << 16) | (<u32>b[2] << 8) | <u32>b[3];
}

export class Association {
  state: AssocState = AssocState.CLOSED;
  stats: SctpStats = new SctpStats();
  myVtag: u32;
  myInitialTsn: u32;
  peerVtag: u32 = 0;
  peerInitialTsn: u32 = 0;
  peerArwnd: u32 = 0;
  outStreams: u16 = 0;
  inStreams: u16 = 0;
  peerForwardTsn: bool = false;
  peerReconfig: bool = false;
  private tieTag: u64;
  private cookieKey: Uint8Array;
  private now: i64 = 0;

  // Handshake (T1) and shutdown (T2).
  private cookie: Uint8Array | null = null;
  private t1Deadline: i64 = i64.MAX_VALUE;
  private t1Count: i32 = 0;
  private t1Rto: RtoEstimator;
  private t2Deadline: i64 = i64.MAX_VALUE;
  private t2Count: i32 = 0;

  // Data.
  sendQueue: SendQueue = new SendQueue();
  rtx: RetransmissionQueue;
  tracker: DataTracker;
  reasm: ReassemblyQueue;
  private rto: RtoEstimator;
  private pendingEventBytes: i32 = 0; // delivered messages the user has not polled yet
  private lastAdvertisedRwnd: i32 = 0;

  // Heartbeats (§8.3), on an idle association.
  private hbDeadline: i64 = i64.MAX_VALUE;
  private hbOutstanding: bool = false;
  private hbNonce: u32 = 0;

  // Stream reset (RFC 6525).
  private reqSeq: u32 = 0; // our next request sequence number
  private peerReqSeq: u32 = 0; // the peer's next expected request sequence number
  private resetPending: Array<u16> = []; // waiting for their queues to drain
  private resetInFlight: OutgoingResetRequest | null = null;
  private reconfigDeadline: i64 = i64.MAX_VALUE;
  private resetDeferred: OutgoingResetRequest | null = null; // peer's, waiting for its data
  private lastResponseResult: u32 = RESULT_SUCCESS_PERFORMED;

  private control: Array<Chunk> = []; // chunks for the next packet on the association's tag
  private out: Array<Uint8Array> = []; // finished packets (some with other tags)
  private events: Array<SctpEvent> = [];
  private eventHead: i32 = 0;

  constructor(public config: SctpConfig) {
    this.myVtag = randomU32NonZero();
    this.myInitialTsn = randomU32();
    this.tieTag = (<u64>randomU32NonZero() << 32) | <u64>randomU32();
    this.cookieKey = randomBytes(32);
    const rto = new RtoEstimator(config.rtoInitialMs, config.rtoMinMs, config.rtoMaxMs);
    this.rto = rto;
    this.t1Rto = new RtoEstimator(config.rtoInitialMs, config.rtoMinMs, config.rtoMaxMs);
    this.rtx = new RetransmissionQueue(0, 0, config.mtu - COMMON_HEADER_LEN, rto);
    this.tracker = new DataTracker(0, config.maxDupsPerSack, config.delayedAckMs);
    this.reasm = new ReassemblyQueue(config.maxMessageSize);
  }

  private maxPacketPayloadMtu(): i32 {
    return this.config.mtu - COMMON_HEADER_LEN;
  }

  // ---- The sans-IO surface ----

  // Starts the handshake as the initiator (either side may; simultaneous starts are fine).
  connect(now: i64): void {
    this.now = now;
    if (this.state != AssocState.CLOSED) return;
    this.state = AssocState.COOKIE_WAIT;
    this.t1Count = 0;
    this.sendInit();
  }

  input(packet: Uint8Array, now: i64): void {
    this.now = now;
    this.stats.packetsIn++;
    const p = parsePacket(packet);
    if (p == null || p.chunks.length == 0) {
      this.stats.malformed++;
      return;
    }
    if (p.dstPort != this.config.localPort || p.srcPort != this.config.remotePort) {
      this.stats.malformed++;
      return;
    }
    this.dispatch(p);
    this.afterInput();
  }

  handleTimeout(now: i64): void {
    this.now = now;
    if (now >= this.t1Deadline) this.onT1(now);
    if (now >= this.t2Deadline) this.onT2(now);
    if (this.isUp()) {
      if (now >= this.rtx.t3Deadline) {
        if (this.rtx.onT3Expired(now) > this.config.maxAssocRetransmits) {
          this.closeWith(CLOSE_TIMEOUT, 0);
          return;
        }
        this.afterSackOrTimer();
      }
      this.tracker.onTimeout(now);
      if (now >= this.reconfigDeadline) {
        // Our reset request (or its answer) was lost, or the peer said "in progress": ask again.
        const req = this.resetInFlight;
        this.reconfigDeadline = i64.MAX_VALUE;
        if (req) {
          const rc = new ReconfigChunk();
          rc.request = req;
          this.control.push(rc);
          this.reconfigDeadline = now + this.rto.rto;
        }
      }
      if (now >= this.hbDeadline) this.onHeartbeatTimer(now);
    }
  }

  pollTransmit(): Uint8Array | null {
    if (this.out.length == 0) {
      const p = this.buildPacket();
      if (p) this.out.push(p);
    }
    if (this.out.length == 0) return null;
    this.stats.packetsOut++;
    return this.out.shift();
  }

  pollEvent(): SctpEvent | null {
    this.flushLowEvents();
    if (this.eventHead >= this.events.length) {
      if (this.events.length > 0) {
        this.events.length = 0;
        this.eventHead = 0;
      }
      return null;
    }
    const e = this.events[this.eventHead++];
    if (e.kind == EVENT_MESSAGE) {
      this.pendingEventBytes -= e.data!.length;
      this.maybeWindowUpdate();
    }
    return e;
  }

  nextDeadline(): i64 {
    let d = min(this.t1Deadline, this.t2Deadline);
    if (this.isUp()) {
      d = min(d, this.rtx.t3Deadline);
      d = min(d, this.tracker.ackDeadline);
      d = min(d, this.reconfigDeadline);
      d = min(d, this.hbDeadline);
    }
    return d;
  }

  // ---- The user's calls ----

  // Queues one message. maxRetransmits < 0 and lifetimeMs < 0 mean reliable.
  send(sid: u16, ppid: u32, data: Uint8Array, unordered: bool, maxRetransmits: i32, lifetimeMs: i32, now: i64): i32 {
    this.now = now;
    const s = this.state;
    if (s != AssocState.COOKIE_WAIT && s != AssocState.COOKIE_ECHOED && s != AssocState.ESTABLISHED) return SEND_ERR_STATE;
    if (data.length == 0) return SEND_ERR_EMPTY;
    if (data.length > this.config.maxMessageSize) return SEND_ERR_TOO_BIG;
    const limit = s == AssocState.ESTABLISHED ? this.outStreams : this.config.maxOutboundStreams;
    if (sid >= limit || this.isResetting(sid)) return SEND_ERR_STREAM;
    if (this.sendQueue.queuedBytes + this.rtx.heldBytes + data.length > this.config.sendBufferSize) return SEND_ERR_BUFFER_FULL;
    const expires = lifetimeMs >= 0 ? now + <i64>lifetimeMs : i64.MAX_VALUE;
    this.sendQueue.enqueue(new OutgoingMessage(sid, ppid, data, unordered, maxRetransmits, expires));
    return SEND_OK;
  }

  bufferedAmount(sid: u16): i32 {
    return this.sendQueue.bufferedAmount(sid);
  }

  setBufferedAmountLowThreshold(sid: u16, n: i32): void {
    this.sendQueue.setLowThreshold(sid, n);
  }

  // Bytes the application may still queue before send() answers BUFFER_FULL.
  get sendBufferFree(): i32 {
    return this.config.sendBufferSize - this.sendQueue.queuedBytes - this.rtx.heldBytes;
  }

  // RFC 6525: resets our outgoing streams once what is queued on them has been sent.
  resetStreams(sids: Array<u16>): bool {
    if (!this.isUp() || !this.peerReconfig) return false;
    for (let i = 0; i < sids.length; i++) {
      if (!this.resetPending.includes(sids[i])) this.resetPending.push(sids[i]);
    }
    return true;
  }

  // Graceful close (§9.2): the queued data is delivered first.
  shutdown(now: i64): void {
    this.now = now;
    if (this.state == AssocState.ESTABLISHED) {
      this.state = AssocState.SHUTDOWN_PENDING;
      this.maybeProgressShutdown();
    } else if (this.state == AssocState.COOKIE_WAIT || this.state == AssocState.COOKIE_ECHOED) {
      this.closeWith(CLOSE_SHUTDOWN, 0);
    }
  }

  abort(now: i64): void {
    this.now = now;
    if (this.state == AssocState.CLOSED) return;
    this.sendAbort(new ErrorCause(CAUSE_USER_INITIATED_ABORT, new Uint8Array(0)));
  }

  isUp(): bool {
    return this.state >= AssocState.ESTABLISHED;
  }

  // Our advertised receiver window: the buffer less what is held for the user (§6.2).
  get receiveWindow(): i32 {
    return max(0, this.config.receiveBufferSize - this.reasm.bytes - this.pendingEventBytes);
  }

  // ---- Receiving ----

  private dispatch(p: Packet): void {
    const first = p.chunks[0];
    if (first.type == CHUNK_INIT) {
      // §8.5.1: INIT travels alone with tag 0.
      if (p.chunks.length != 1 || p.vtag != 0) {
        this.stats.badTag++;
        return;
      }
      this.onInit(first);
      return;
    }
    if (first.type == CHUNK_ABORT || first.type == CHUNK_SHUTDOWN_COMPLETE) {
      const reflected = (first.flags & 1) != 0;
      const ok = this.state != AssocState.CLOSED &&
        ((!reflected && p.vtag == this.myVtag) || (reflected && p.vtag == this.peerVtag && this.peerVtag != 0));
      if (!ok) {
        this.stats.badTag++;
        return;
      }
      if (first.type == CHUNK_ABORT) this.onAbort(first);
      else this.onShutdownComplete();
      return;
    }
    if (first.type == CHUNK_COOKIE_ECHO) {
      if (!this.onCookieEcho(first, p.vtag)) return;
    } else if (this.state == AssocState.CLOSED) {
      this.onOutOfTheBlue(p);
      return;
    } else if (p.vtag != this.myVtag) {
      if (first.type == CHUNK_SHUTDOWN_ACK) {
        // §8.4 (5): answer with a reflected SHUTDOWN COMPLETE.
        this.sendReflected(shutdownComplete(true), p.vtag);
        return;
      }
      this.stats.badTag++;
      return;
    }

    let gotData = false;
    let immediate = false;
    const errors = new ErrorChunk();
    for (let i = first.type == CHUNK_COOKIE_ECHO ? 1 : 0; i < p.chunks.length; i++) {
      const c = p.chunks[i];
      if (this.state == AssocState.CLOSED) break; // aborted by an earlier chunk
      switch (c.type) {
        case CHUNK_DATA: {
          gotData = true;
          if ((c.flags & DATA_FLAG_IMMEDIATE) != 0) immediate = true;
          if (!this.onData(c, errors)) return;
          break;
        }
        case CHUNK_SACK: this.onSack(c); break;
        case CHUNK_HEARTBEAT: this.onHeartbeat(c); break;
        case CHUNK_HEARTBEAT_ACK: this.onHeartbeatAck(c); break;
        case CHUNK_INIT_ACK: this.onInitAck(c); break;
        case CHUNK_COOKIE_ACK: this.onCookieAck(); break;
        case CHUNK_SHUTDOWN: this.onShutdown(c); break;
        case CHUNK_SHUTDOWN_ACK: this.onShutdownAck(); break;
        case CHUNK_ERROR: this.onError(c); break;
        case CHUNK_FORWARD_TSN: this.onForwardTsn(c); break;
        case CHUNK_RECONFIG: this.onReconfig(c); break;
        case CHUNK_INIT:
        case CHUNK_ABORT:
        case CHUNK_SHUTDOWN_COMPLETE:
        case CHUNK_COOKIE_ECHO:
          this.stats.unexpected++; // must come first or alone: this packet is malformed
          return;
        default: {
          const action = unknownAction(c.type);
          if (action == UNKNOWN_STOP_REPORT || action == UNKNOWN_SKIP_REPORT) {
            if (errors.causes.length < 4) errors.causes.push(new ErrorCause(CAUSE_UNRECOGNIZED_CHUNK, c.raw));
          }
          if (action == UNKNOWN_SKIP || action == UNKNOWN_SKIP_REPORT) break;
          this.queueError(errors);
          return;
        }
      }
    }
    this.queueError(errors);
    if (gotData && this.isUp()) this.tracker.onDataPacket(this.now, immediate);
  }

  private queueError(e: ErrorChunk): void {
    if (e.causes.length > 0 && this.state != AssocState.CLOSED) this.control.push(e);
  }

  // §8.4: no association. Answer SHUTDOWN-ACK with SHUTDOWN-COMPLETE, ignore the rest.
  private onOutOfTheBlue(p: Packet): void {
    this.stats.unexpected++;
    for (let i = 0; i < p.chunks.length; i++) {
      if (p.chunks[i].type == CHUNK_SHUTDOWN_ACK) {
        this.sendReflected(shutdownComplete(true), p.vtag);
        return;
      }
    }
  }

  private onInit(raw: RawChunk): void {
    const init = InitChunk.parse(raw.value, false);
    if (init == null || init.initiateTag == 0) {
      this.stats.malformed++;
      return;
    }
    if (init.outStreams == 0 || init.inStreams == 0) {
      const a = new AbortChunk(false);
      a.causes.push(new ErrorCause(CAUSE_INVALID_MANDATORY_PARAM, new Uint8Array(0)));
      this.sendReflected(a, init.initiateTag);
      return;
    }
    if (this.state == AssocState.SHUTDOWN_ACK_SENT) {
      // §9.2: a new INIT in this state is answered with SHUTDOWN-ACK again.
      this.control.push(shutdownAck());
      return;
    }
    const ack = new InitChunk();
    ack.isAck = true;
    ack.arwnd = <u32>this.receiveWindow;
    ack.outStreams = this.config.maxOutboundStreams;
    ack.inStreams = this.config.maxInboundStreams;
    ack.forwardTsn = true;
    ack.reconfig = true;
    ack.unrecognized = init.unrecognized;
    const c = new StateCookie();
    if (this.state == AssocState.CLOSED) {
      // Stateless (§5.1.3): everything the association needs goes into the cookie.
      c.localTag = randomU32NonZero();
      c.localInitialTsn = randomU32();
      c.tieTag = 0;
    } else if (this.state == AssocState.COOKIE_WAIT || this.state == AssocState.COOKIE_ECHOED) {
      // §5.2.1: an INIT collision; answer with the parameters of our own INIT.
      c.localTag = this.myVtag;
      c.localInitialTsn = this.myInitialTsn;
      c.tieTag = this.tieTag;
    } else {
      // §5.2.2: an INIT on an established association (a restarting peer).
      c.localTag = randomU32NonZero();
      c.localInitialTsn = randomU32();
      c.tieTag = this.tieTag;
    }
    c.createdAt = this.now;
    c.lifetimeMs = <u32>this.config.cookieLifetimeMs;
    c.peerTag = init.initiateTag;
    c.peerInitialTsn = init.initialTsn;
    c.peerArwnd = init.arwnd;
    c.outStreams = min(this.config.maxOutboundStreams, init.inStreams);
    c.inStreams = min(this.config.maxInboundStreams, init.outStreams);
    c.peerForwardTsn = init.forwardTsn;
    c.peerReconfig = init.reconfig;
    ack.initiateTag = c.localTag;
    ack.initialTsn = c.localInitialTsn;
    ack.cookie = c.encode(this.cookieKey);
    this.sendReflected(ack, init.initiateTag);
  }

  private onInitAck(raw: RawChunk): void {
    if (this.state != AssocState.COOKIE_WAIT) return; // §5.2.3: duplicates are discarded
    const ack = InitChunk.parse(raw.value, true);
    if (ack == null || ack.initiateTag == 0) {
      this.stats.malformed++;
      return;
    }
    if (ack.outStreams == 0 || ack.inStreams == 0 || ack.cookie == null) {
      const a = new AbortChunk(false);
      if (ack.cookie == null) {
        const info = new Uint8Array(6);
        info[3] = 1; // one missing parameter: State Cookie (7)
        info[5] = 7;
        a.causes.push(new ErrorCause(CAUSE_MISSING_PARAM, info));
      } else a.causes.push(new ErrorCause(CAUSE_INVALID_MANDATORY_PARAM, new Uint8Array(0)));
      this.peerVtag = ack.initiateTag;
      this.sendAbortChunk(a);
      return;
    }
    this.peerVtag = ack.initiateTag;
    this.peerInitialTsn = ack.initialTsn;
    this.peerArwnd = ack.arwnd;
    this.outStreams = min(this.config.maxOutboundStreams, ack.inStreams);
    this.inStreams = min(this.config.maxInboundStreams, ack.outStreams);
    this.peerForwardTsn = ack.forwardTsn;
    this.peerReconfig = ack.reconfig;
    this.cookie = ack.cookie!.slice();
    this.state = AssocState.COOKIE_ECHOED;
    if (ack.unrecognized.length > 0) {
      const e = new ErrorChunk();
      for (let i = 0; i < ack.unrecognized.length; i++) e.causes.push(new ErrorCause(CAUSE_UNRECOGNIZED_PARAMS, ack.unrecognized[i]));
      this.control.push(e);
    }
    this.t1Count = 0;
    this.sendCookieEcho();
  }

  // False when the packet is to be dropped.
  private onCookieEcho(raw: RawChunk, vtag: u32): bool {
    const status = new StaticArray<i32>(1);
    const c = StateCookie.decode(raw.value, this.cookieKey, this.now, status);
    if (c == null) {
      this.stats.badCookie++;
      return false;
    }
    if (vtag != c.localTag) {
      this.stats.badTag++;
      return false;
    }
    const s = this.state;
    if (s >= AssocState.ESTABLISHED) {
      if (c.localTag != this.myVtag && c.peerTag != this.peerVtag && c.tieTag == this.tieTag) {
        // §5.2.4 case A: the peer restarted; both tags are new and the tie-tag is ours.
        if (status[0] == COOKIE_STALE) {
          this.stats.staleCookie++;
          const e = new ErrorChunk();
          e.causes.push(staleCookieCause(this.now - c.createdAt - <i64>c.lifetimeMs));
          this.sendReflected(e, c.peerTag);
          return false;
        }
        if (s == AssocState.SHUTDOWN_ACK_SENT) {
          // Not while we are closing: SHUTDOWN-ACK again, and say why, on the new tag.
          const pw = new PacketWriter(this.config.mtu, this.config.localPort, this.config.remotePort, c.peerTag);
          pw.add(shutdownAck());
          const e = new ErrorChunk();
          e.causes.push(new ErrorCause(CAUSE_COOKIE_WHILE_SHUTTING_DOWN, new Uint8Array(0)));
          pw.add(e);
          this.out.push(pw.finish());
          return false;
        }
        this.restart(c);
        this.control.push(cookieAck());
        return true;
      }
      if (c.localTag == this.myVtag && c.peerTag == this.peerVtag) {
        // §5.2.4 case D: our COOKIE-ACK was lost.
        this.control.push(cookieAck());
        return true;
      }
      if (c.localTag == this.myVtag && c.tieTag == this.tieTag) {
        // Case B: collision resolved late; take the peer's tag.
        this.peerVtag = c.peerTag;
        this.control.push(cookieAck());
        return true;
      }
      // Case C (an old INIT's cookie, or a forged tie-tag) is discarded.
      this.stats.unexpected++;
      return false;
    }
    if (status[0] == COOKIE_STALE) {
      this.stats.staleCookie++;
      const e = new ErrorChunk();
      e.causes.push(staleCookieCause(this.now - c.createdAt - <i64>c.lifetimeMs));
      this.sendReflected(e, c.peerTag);
      return false;
    }
    if (s != AssocState.CLOSED && c.tieTag != 0 && c.tieTag != this.tieTag) {
      this.stats.badCookie++;
      return false;
    }
    // CLOSED, COOKIE-WAIT or COOKIE-ECHOED: the cookie's TCB becomes the association.
    this.myVtag = c.localTag;
    this.myInitialTsn = c.localInitialTsn;
    this.peerVtag = c.peerTag;
    this.peerInitialTsn = c.peerInitialTsn;
    this.peerArwnd = c.peerArwnd;
    this.outStreams = c.outStreams;
    this.inStreams = c.inStreams;
    this.peerForwardTsn = c.peerForwardTsn;
    this.peerReconfig = c.peerReconfig;
    this.establish();
    this.control.push(cookieAck());
    return true;
  }

  private onCookieAck(): void {
    if (this.state != AssocState.COOKIE_ECHOED) return;
    this.establish();
  }

  // §5.2.4 case A: the association starts over with the cookie's TCB. What was queued, in
  // flight or half reassembled belonged to the peer's previous life: it is dropped, and the user
  // learns of the restart (EVENT_RESTARTED) instead of a second CONNECTED.
  private restart(c: StateCookie): void {
    this.stats.restarts++;
    this.myVtag = c.localTag;
    this.myInitialTsn = c.localInitialTsn;
    this.peerVtag = c.peerTag;
    this.peerInitialTsn = c.peerInitialTsn;
    this.peerArwnd = c.peerArwnd;
    this.outStreams = c.outStreams;
    this.inStreams = c.inStreams;
    this.peerForwardTsn = c.peerForwardTsn;
    this.peerReconfig = c.peerReconfig;
    // A new tie-tag, so a copy of the cookie that restarted us cannot restart us again.
    this.tieTag = (<u64>randomU32NonZero() << 32) | <u64>randomU32();
    this.sendQueue = new SendQueue();
    this.reasm = new ReassemblyQueue(this.config.maxMessageSize);
    this.rto = new RtoEstimator(this.config.rtoInitialMs, this.config.rtoMinMs, this.config.rtoMaxMs);
    this.resetPending = [];
    this.resetInFlight = null;
    this.resetDeferred = null;
    this.reconfigDeadline = i64.MAX_VALUE;
    this.lastResponseResult = RESULT_SUCCESS_PERFORMED;
    this.t2Deadline = i64.MAX_VALUE;
    this.hbOutstanding = false;
    this.control.length = 0;
    this.establish(EVENT_RESTARTED);
  }

  private establish(event: i32 = EVENT_CONNECTED): void {
    this.state = AssocState.ESTABLISHED;
    this.t1Deadline = i64.MAX_VALUE;
    this.cookie = null;
    this.rtx = new RetransmissionQueue(this.myInitialTsn, this.peerArwnd, this.maxPacketPayloadMtu(), this.rto);
    this.tracker = new DataTracker(this.peerInitialTsn, this.config.maxDupsPerSack, this.config.delayedAckMs);
    this.reqSeq = this.myInitialTsn;
    this.peerReqSeq = this.peerInitialTsn;
    this.lastAdvertisedRwnd = this.receiveWindow;
    this.armHeartbeat();
    this.events.push(new SctpEvent(event));
  }

  // False when the packet must not be processed further (we aborted).
  private onData(raw: RawChunk, errors: ErrorChunk): bool {
    if (!this.isUp()) {
      this.stats.unexpected++;
      return true;
    }
    const d = DataChunk.parse(raw.flags, raw.value);
    if (d == null) {
      this.stats.malformed++;
      return true;
    }
    if (d.payload.length == 0) {
      // §6.2: no user data is a protocol error that ends the association.
      const info = new Uint8Array(4);
      info[0] = <u8>(d.tsn >> 24);
      info[1] = <u8>(d.tsn >> 16);
      info[2] = <u8>(d.tsn >> 8);
      info[3] = <u8>d.tsn;
      this.sendAbort(new ErrorCause(CAUSE_NO_USER_DATA, info));
      return false;
    }
    const t = this.tracker;
    if (t.isDuplicate(d.tsn)) {
      t.recordDuplicate(d.tsn);
      return true;
    }
    if (!t.inWindow(d.tsn)) {
      this.stats.outOfWindow++;
      t.ackNow = true;
      return true;
    }
    if (d.streamId >= this.inStreams) {
      // §6.5: report the stream, but acknowledge the TSN so it is not resent.
      const info = new Uint8Array(4);
      info[0] = <u8>(d.streamId >> 8);
      info[1] = <u8>d.streamId;
      if (errors.causes.length < 4) errors.causes.push(new ErrorCause(CAUSE_INVALID_STREAM, info));
      t.record(d.tsn);
      return true;
    }
    // The buffer is the bound: beyond it the chunk is dropped and the peer resends it later.
    if (this.reasm.bytes + this.pendingEventBytes + d.payload.length > this.config.receiveBufferSize ||
        this.reasm.fragmentCount >= this.config.maxReassemblyChunks) {
      this.stats.noRoom++;
      t.ackNow = true;
      return true;
    }
    t.record(d.tsn);
    this.reasm.add(d);
    if (this.reasm.oversize) {
      this.sendAbort(new ErrorCause(CAUSE_OUT_OF_RESOURCE, new Uint8Array(0)));
      return false;
    }
    return true;
  }

  private onSack(raw: RawChunk): void {
    if (!this.isUp()) return;
    const s = SackChunk.parse(raw.value);
    if (s == null) {
      this.stats.malformed++;
      return;
    }
    this.rtx.handleSack(s, this.now);
    this.afterSackOrTimer();
  }

  private afterSackOrTimer(): void {
    this.maybeProgressShutdown();
  }

  private onHeartbeat(raw: RawChunk): void {
    const h = HeartbeatChunk.parse(raw.value, false);
    if (h == null) {
      this.stats.malformed++;
      return;
    }
    this.control.push(new HeartbeatChunk(true, h.info.slice()));
  }

  private onHeartbeatAck(raw: RawChunk): void {
    const h = HeartbeatChunk.parse(raw.value, true);
    if (h == null || h.info.length != 12 || !this.hbOutstanding) return;
    const i = h.info;
    const nonce = (<u32>i[8] << 24) | (<u32>i[9] << 16) | (<u32>i[10] << 8) | <u32>i[11];
    if (nonce != this.hbNonce) return;
    let sent: i64 = 0;
    for (let k = 0; k < 8; k++) sent = (sent << 8) | <i64>i[k];
    this.hbOutstanding = false;
    this.rtx.errorCount = 0;
    if (sent <= this.now) this.rto.measure(this.now - sent);
  }

  private onAbort(raw: RawChunk): void {
    const a = AbortChunk.parse(raw.flags, raw.value);
    const code = a.causes.length > 0 ? <i32>a.causes[0].code : 0;
    this.closeWith(CLOSE_PEER_ABORT, code);
  }

  private onShutdown(raw: RawChunk): void {
    const s = ShutdownChunk.parse(raw.value);
    if (s == null || !this.isUp()) return;
    if (tsnGt(s.cumTsnAck, this.rtx.cumAck)) this.rtx.handleCumAck(s.cumTsnAck, this.now);
    if (this.state == AssocState.ESTABLISHED || this.state == AssocState.SHUTDOWN_PENDING) {
      this.state = AssocState.SHUTDOWN_RECEIVED;
    } else if (this.state == AssocState.SHUTDOWN_SENT) {
      // §9.2: both sides shut down at once.
      this.state = AssocState.SHUTDOWN_ACK_SENT;
      this.control.push(shutdownAck());
      this.startT2();
      return;
    }
    this.maybeProgressShutdown();
  }

  private onShutdownAck(): void {
    if (this.state == AssocState.SHUTDOWN_SENT || this.state == AssocState.SHUTDOWN_ACK_SENT) {
      this.control.push(shutdownComplete(false));
      this.out.push(this.flushControlPacket());
      this.closeWith(CLOSE_SHUTDOWN, 0);
    }
  }

  private onShutdownComplete(): void {
    if (this.state == AssocState.SHUTDOWN_ACK_SENT) this.closeWith(CLOSE_SHUTDOWN, 0);
  }

  private onError(raw: RawChunk): void {
    const e = ErrorChunk.parse(raw.value);
    for (let i = 0; i < e.causes.length; i++) {
      if (e.causes[i].code == CAUSE_STALE_COOKIE && this.state == AssocState.COOKIE_ECHOED) {
        // §5.2.6: start over with a fresh INIT.
        this.state = AssocState.COOKIE_WAIT;
        this.cookie = null;
        this.sendInit();
        return;
      }
    }
  }

  private onForwardTsn(raw: RawChunk): void {
    if (!this.isUp()) return;
    const f = ForwardTsnChunk.parse(raw.value);
    if (f == null) {
      this.stats.malformed++;
      return;
    }
    const t = this.tracker;
    t.ackNow = true;
    if (!tsnGt(f.newCumTsn, t.cumTsn)) return;
    if (!t.inWindow(f.newCumTsn)) {
      this.stats.outOfWindow++;
      return;
    }
    const valid = new Array<u16>();
    const ssns = new Array<u16>();
    for (let i = 0; i < f.streams.length; i++) {
      if (f.streams[i] < this.inStreams) {
        valid.push(f.streams[i]);
        ssns.push(f.ssns[i]);
      }
    }
    t.forwardTo(f.newCumTsn);
    // Only what the peer abandoned goes: fragments above newCumTsn that already arrived
    // belong to messages still alive, even when they now sit below the cumulative TSN.
    this.reasm.forward(f.newCumTsn, valid, ssns);
  }

  private onReconfig(raw: RawChunk): void {
    if (!this.isUp()) return;
    const rc = ReconfigChunk.parse(raw.value);
    if (rc == null) {
      this.stats.malformed++;
      return;
    }
    const reply = new ReconfigChunk();
    for (let i = 0; i < rc.params.length; i++) {
      const p = rc.params[i];
      if (p.type == PARAM_OUTGOING_RESET_REQUEST) {
        const req = OutgoingResetRequest.parse(p.value);
        if (req) reply.response = this.onPeerResetRequest(req);
      } else if (p.type == PARAM_RECONFIG_RESPONSE) {
        const resp = ReconfigResponse.parse(p.value);
        if (resp) this.onResetResponse(resp);
      } else if (p.type == PARAM_INCOMING_RESET_REQUEST) {
        const req = IncomingResetRequest.parse(p.value);
        if (req) {
          const r = this.onPeerIncomingResetRequest(req);
          if (r) reply.response = r;
        }
      } else if (p.value.length >= 4) {
        // SSN/TSN reset and adding streams: not offered, so denied (RFC 6525 §5.2.4-5.2.6).
        const seq = (<u32>p.value[0] << 24) | (<u32>p.value[1] << 16) | (<u32>p.value[2] << 8) | <u32>p.value[3];
        reply.response = new ReconfigResponse(seq, RESULT_DENIED);
      }
    }
    if (reply.response) this.control.push(reply);
  }

  private onPeerResetRequest(req: OutgoingResetRequest): ReconfigResponse {
    if (req.requestSeq == this.peerReqSeq - 1) {
      // A retransmission of the last request: same answer, unless it was deferred.
      const d = this.resetDeferred;
      if (d && d.requestSeq == req.requestSeq) return new ReconfigResponse(req.requestSeq, RESULT_IN_PROGRESS);
      return new ReconfigResponse(req.requestSeq, this.lastResponseResult);
    }
    if (req.requestSeq != this.peerReqSeq) return new ReconfigResponse(req.requestSeq, RESULT_ERROR_BAD_SEQ);
    this.peerReqSeq++;
    if (!tsnLte(req.lastTsn, this.tracker.cumTsn)) {
      // §5.2.2: data up to the peer's last TSN has not all arrived; reset once it has.
      this.resetDeferred = req;
      return new ReconfigResponse(req.requestSeq, RESULT_IN_PROGRESS);
    }
    this.performIncomingReset(req);
    return new ReconfigResponse(req.requestSeq, RESULT_SUCCESS_PERFORMED);
  }

  // RFC 6525 §5.2.3: the peer asks us to reset our outgoing streams. The answer is our own
  // Outgoing SSN Reset Request (its response sequence number names the peer's request), sent
  // once the streams' queued messages are out; only a refusal gets a Response parameter.
  private onPeerIncomingResetRequest(req: IncomingResetRequest): ReconfigResponse | null {
    if (req.requestSeq == this.peerReqSeq - 1) {
      // A retransmission: ours answers it (and is retransmitted on its own timer), or the
      // earlier refusal stands.
      if (this.lastResponseResult == RESULT_SUCCESS_PERFORMED) return null;
      return new ReconfigResponse(req.requestSeq, this.lastResponseResult);
    }
    if (req.requestSeq != this.peerReqSeq) return new ReconfigResponse(req.requestSeq, RESULT_ERROR_BAD_SEQ);
    this.peerReqSeq++;
    let result = RESULT_SUCCESS_PERFORMED;
    // "Every stream" is refused: streams here exist lazily, there is no list of all of them.
    if (req.streams.length == 0) result = RESULT_DENIED;
    for (let i = 0; i < req.streams.length; i++) {
      if (req.streams[i] >= this.outStreams) result = RESULT_ERROR_WRONG_SSN;
    }
    // One request of ours at a time (§5.1.1): the peer may ask again later.
    if (result == RESULT_SUCCESS_PERFORMED && (this.resetInFlight != null || this.resetPending.length > 0)) {
      result = RESULT_ERROR_REQUEST_IN_PROGRESS;
    }
    this.lastResponseResult = result;
    if (result != RESULT_SUCCESS_PERFORMED) return new ReconfigResponse(req.requestSeq, result);
    for (let i = 0; i < req.streams.length; i++) {
      if (!this.resetPending.includes(req.streams[i])) this.resetPending.push(req.streams[i]);
    }
    return null;
  }

  private performIncomingReset(req: OutgoingResetRequest): void {
    const e = new SctpEvent(EVENT_STREAMS_RESET_INCOMING);
    for (let i = 0; i < req.streams.length; i++) {
      const sid = req.streams[i];
      if (sid < this.inStreams) {
        this.reasm.resetStream(sid);
        e.streams.push(sid);
      }
    }
    this.lastResponseResult = RESULT_SUCCESS_PERFORMED;
    this.events.push(e);
  }

  private onResetResponse(resp: ReconfigResponse): void {
    const req = this.resetInFlight;
    if (req == null || resp.responseSeq != req.requestSeq) return;
    if (resp.result == RESULT_IN_PROGRESS) {
      this.reconfigDeadline = this.now + this.rto.rto; // ask again later
      return;
    }
    this.resetInFlight = null;
    this.reconfigDeadline = i64.MAX_VALUE;
    this.reqSeq++;
    const e = new SctpEvent(EVENT_STREAMS_RESET_DONE);
    e.code = <i32>resp.result;
    for (let i = 0; i < req.streams.length; i++) {
      const sid = req.streams[i];
      if (resp.result == RESULT_SUCCESS_PERFORMED || resp.result == RESULT_SUCCESS_NOP) this.sendQueue.resetSsn(sid);
      e.streams.push(sid);
    }
    this.events.push(e);
  }

  private afterInput(): void {
    // A deferred incoming reset completes once its data has arrived.
    const d = this.resetDeferred;
    if (d && this.isUp() && tsnLte(d.lastTsn, this.tracker.cumTsn)) {
      this.resetDeferred = null;
      this.performIncomingReset(d);
      const rc = new ReconfigChunk();
      rc.response = new ReconfigResponse(d.requestSeq, RESULT_SUCCESS_PERFORMED);
      this.control.push(rc);
    }
    if (this.reasm.delivered.length > 0) {
      for (let i = 0; i < this.reasm.delivered.length; i++) {
        const m = this.reasm.delivered[i];
        const e = new SctpEvent(EVENT_MESSAGE);
        e.streamId = m.streamId;
        e.ppid = m.ppid;
        e.data = m.data;
        this.pendingEventBytes += m.data.length;
        this.events.push(e);
      }
      this.reasm.delivered.length = 0;
    }
  }

  // §6.2 (SWS avoidance): tell the peer when the window opened by a packet or half the buffer.
  private maybeWindowUpdate(): void {
    if (!this.isUp()) return;
    const w = this.receiveWindow;
    if (w - this.lastAdvertisedRwnd >= min(this.config.mtu, this.config.receiveBufferSize / 2) &&
        this.lastAdvertisedRwnd < this.config.receiveBufferSize / 2) this.tracker.ackNow = true;
  }

  private flushLowEvents(): void {
    const low = this.sendQueue.lowEvents;
    for (let i = 0; i < low.length; i++) {
      const e = new SctpEvent(EVENT_BUFFERED_AMOUNT_LOW);
      e.streamId = low[i];
      this.events.push(e);
    }
    low.length = 0;
  }

  // ---- Timers ----

  private onT1(now: i64): void {
    this.t1Count++;
    if (this.t1Count > this.config.maxInitRetransmits) {
      this.closeWith(CLOSE_TIMEOUT, 0);
      return;
    }
    this.t1Rto.backoff();
    if (this.state == AssocState.COOKIE_WAIT) this.sendInit();
    else if (this.state == AssocState.COOKIE_ECHOED) this.sendCookieEcho();
    else this.t1Deadline = i64.MAX_VALUE;
  }

  private onT2(now: i64): void {
    this.t2Count++;
    if (this.t2Count > this.config.maxAssocRetransmits) {
      this.closeWith(CLOSE_TIMEOUT, 0);
      return;
    }
    this.rto.backoff();
    if (this.state == AssocState.SHUTDOWN_SENT) this.control.push(new ShutdownChunk(this.tracker.cumTsn));
    else if (this.state == AssocState.SHUTDOWN_ACK_SENT) this.control.push(shutdownAck());
    this.t2Deadline = now + this.rto.rto;
  }

  private startT2(): void {
    this.t2Count = 0;
    this.t2Deadline = this.now + this.rto.rto;
  }

  private armHeartbeat(): void {
    const iv = this.config.heartbeatIntervalMs;
    this.hbDeadline = iv > 0 ? this.now + <i64>iv + <i64>this.rto.rto : i64.MAX_VALUE;
  }

  private onHeartbeatTimer(now: i64): void {
    if (this.hbOutstanding) {
      this.rtx.errorCount++;
      if (this.rtx.errorCount > this.config.maxAssocRetransmits) {
        this.closeWith(CLOSE_TIMEOUT, 0);
        return;
      }
    }
    // Only an idle association needs a heartbeat; data in flight has T3.
    if (this.rtx.empty) {
      const info = new Uint8Array(12);
      for (let k = 0; k < 8; k++) info[k] = <u8>(now >> (56 - 8 * k));
      this.hbNonce = randomU32();
      info[8] = <u8>(this.hbNonce >> 24);
      info[9] = <u8>(this.hbNonce >> 16);
      info[10] = <u8>(this.hbNonce >> 8);
      info[11] = <u8>this.hbNonce;
      this.control.push(new HeartbeatChunk(false, info));
      this.hbOutstanding = true;
    }
    this.armHeartbeat();
  }

  // ---- Sending ----

  private sendInit(): void {
    const init = new InitChunk();
    init.initiateTag = this.myVtag;
    init.arwnd = <u32>this.receiveWindow;
    init.outStreams = this.config.maxOutboundStreams;
    init.inStreams = this.config.maxInboundStreams;
    init.initialTsn = this.myInitialTsn;
    init.forwardTsn = true;
    init.reconfig = true;
    this.sendReflected(init, 0);
    this.t1Deadline = this.now + this.t1Rto.rto;
  }

  private sendCookieEcho(): void {
    const pw = new PacketWriter(this.config.mtu, this.config.localPort, this.config.remotePort, this.peerVtag);
    pw.add(cookieEcho(this.cookie!));
    while (this.control.length > 0 && pw.add(this.control[0])) this.control.shift();
    this.out.push(pw.finish());
    this.t1Deadline = this.now + this.t1Rto.rto;
  }

  // A packet of one chunk with a tag other than the peer's (INIT, INIT-ACK, reflected replies).
  private sendReflected(c: Chunk, vtag: u32): void {
    const pw = new PacketWriter(this.config.mtu, this.config.localPort, this.config.remotePort, vtag);
    if (pw.add(c)) this.out.push(pw.finish());
  }

  private sendAbort(cause: ErrorCause): void {
    const a = new AbortChunk(false);
    a.causes.push(cause);
    this.sendAbortChunk(a);
  }

  private sendAbortChunk(a: AbortChunk): void {
    const code = a.causes.length > 0 ? <i32>a.causes[0].code : 0;
    this.control.length = 0;
    this.sendReflected(a, this.peerVtag);
    this.closeWith(CLOSE_LOCAL_ABORT, code);
  }

  private closeWith(reason: i32, code: i32): void {
    const wasOpen = this.state != AssocState.CLOSED;
    this.state = AssocState.CLOSED;
    this.t1Deadline = i64.MAX_VALUE;
    this.t2Deadline = i64.MAX_VALUE;
    this.hbDeadline = i64.MAX_VALUE;
    this.reconfigDeadline = i64.MAX_VALUE;
    this.rtx.t3Deadline = i64.MAX_VALUE;
    this.tracker.ackDeadline = i64.MAX_VALUE;
    this.sendQueue = new SendQueue();
    this.control.length = 0;
    if (wasOpen) {
      const e = new SctpEvent(EVENT_CLOSED);
      e.reason = reason;
      e.code = code;
      this.events.push(e);
    }
  }

  // §9.2: SHUTDOWN once everything queued is acknowledged.
  private maybeProgressShutdown(): void {
    const s = this.state;
    if (s != AssocState.SHUTDOWN_PENDING && s != AssocState.SHUTDOWN_RECEIVED) return;
    if (!this.sendQueue.empty || !this.rtx.empty) return;
    if (s == AssocState.SHUTDOWN_PENDING) {
      this.state = AssocState.SHUTDOWN_SENT;
      this.control.push(new ShutdownChunk(this.tracker.cumTsn));
    } else {
      this.state = AssocState.SHUTDOWN_ACK_SENT;
      this.control.push(shutdownAck());
    }
    this.startT2();
  }

  private flushControlPacket(): Uint8Array {
    const pw = new PacketWriter(this.config.mtu, this.config.localPort, this.config.remotePort, this.peerVtag);
    while (this.control.length > 0 && pw.add(this.control[0])) this.control.shift();
    return pw.finish();
  }

  private canSendData(): bool {
    const s = this.state;
    return s == AssocState.ESTABLISHED || s == AssocState.SHUTDOWN_PENDING || s == AssocState.SHUTDOWN_RECEIVED;
  }

  // Our outgoing reset goes once the streams' queued messages are all sent (RFC 6525 §5.1.2).
  private maybeStartReset(): void {
    if (this.resetInFlight != null || this.resetPending.length == 0 || !this.peerReconfig) return;
    const req = new OutgoingResetRequest(this.reqSeq, this.peerReqSeq - 1, this.rtx.nextTsn - 1);
    const keep = new Array<u16>();
    for (let i = 0; i < this.resetPending.length; i++) {
      const sid = this.resetPending[i];
      if (this.sendQueue.hasStreamData(sid) || this.sendQueue.isCurrent(sid)) keep.push(sid);
      else req.streams.push(sid);
    }
    if (req.streams.length == 0) return;
    this.resetPending = keep;
    this.resetInFlight = req;
    this.reconfigDeadline = this.now + this.rto.rto;
    const rc = new ReconfigChunk();
    rc.request = req;
    this.control.push(rc);
  }

  private isResetting(sid: u16): bool {
    const r = this.resetInFlight;
    return this.resetPending.includes(sid) || (r != null && r.streams.includes(sid));
  }

  private buildPacket(): Uint8Array | null {
    if (!this.isUp()) {
      if (this.control.length > 0 && this.peerVtag != 0) return this.flushControlPacket();
      return null;
    }
    this.maybeStartReset();
    const pw = new PacketWriter(this.config.mtu, this.config.localPort, this.config.remotePort, this.peerVtag);
    while (this.control.length > 0 && pw.add(this.control[0])) this.control.shift();
    const rtx = this.rtx;
    const dataOk = this.canSendData();
    const wantsData = dataOk && (rtx.peekRetransmit() != null || !this.sendQueue.empty);
    // SACK: when due, or to ride along with data we send anyway (§6.2).
    const t = this.tracker;
    if (t.ackNow || (wantsData && t.ackPending)) {
      const w = this.receiveWindow;
      if (pw.add(t.makeSack(w))) this.lastAdvertisedRwnd = w;
    }
    if (rtx.needForwardTsn && this.peerForwardTsn && tsnGt(rtx.advancedPeerAckPoint, rtx.cumAck)) {
      if (pw.add(rtx.makeForwardTsn())) {
        rtx.needForwardTsn = false;
        if (rtx.t3Deadline == i64.MAX_VALUE) rtx.t3Deadline = this.now + this.rto.rto;
      }
    }
    if (dataOk) {
      // Retransmissions first, within cwnd (or one packet's worth after a fast retransmit).
      let budgetPacket = rtx.fastRtxPending;
      while (true) {
        const c = rtx.peekRetransmit();
        if (c == null) break;
        if (!budgetPacket && rtx.flight >= rtx.cwnd) break;
        if (c.chunk.encodedLength() > pw.room) break;
        if (c.msg.expiresAt <= this.now) {
          rtx.abandonMessage(c.msg);
          rtx.advanceAckPoint();
          continue;
        }
        pw.add(c.chunk);
        rtx.onRetransmitted(c, this.now);
        budgetPacket = true; // the rest of this packet may carry more
      }
      // New data within cwnd and the peer's window (one chunk may probe a zero window).
      while (rtx.peekRetransmit() == null && rtx.flight < rtx.cwnd) {
        let room = pw.room - DATA_HEADER_LEN;
        if (rtx.flight > 0) room = min(room, rtx.peerRwnd);
        const frag = this.sendQueue.next(this.now, room, 256);
        if (frag == null) break;
        const m = frag.msg;
        const d = new DataChunk(RetransmissionQueue.flagsFor(m, frag.begin, frag.end), rtx.nextTsn, m.streamId, m.ssn, m.ppid, frag.payload);
        pw.add(d);
        rtx.add(d, m, this.now);
      }
    }
    if (pw.empty) return null;
    if (!rtx.empty) this.hbOutstanding = false;
    return pw.finish();
  }
}
