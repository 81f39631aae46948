// RFC 9260 §4-§9 (with RFC 8261, 3758, 6525): one SCTP association, sans-IO, both roles.
import { SctpConfig } from "./config";
import {
  Chunk, unknownAction, UNKNOWN_STOP_REPORT, UNKNOWN_SKIP, UNKNOWN_SKIP_REPORT,
  CHUNK_DATA, CHUNK_INIT, CHUNK_INIT_ACK, CHUNK_SACK, CHUNK_HEARTBEAT, CHUNK_HEARTBEAT_ACK, CHUNK_ABORT,
  CHUNK_SHUTDOWN, CHUNK_SHUTDOWN_ACK, CHUNK_ERROR, CHUNK_COOKIE_ECHO, CHUNK_COOKIE_ACK,
  CHUNK_SHUTDOWN_COMPLETE, CHUNK_RECONFIG, CHUNK_FORWARD_TSN,
} from "./chunk";
import { Packet, PacketWriter, parsePacket, COMMON_HEADER_LEN } from "./packet";
import { DATA_FLAG_IMMEDIATE } from "./chunk_data";
import { ErrorChunk } from "./chunk_error";
import { shutdownComplete } from "./chunk_shutdown";
import { ErrorCause, CAUSE_UNRECOGNIZED_CHUNK, CAUSE_USER_INITIATED_ABORT } from "./error_cause";
import { RtoEstimator } from "./rto";
import { SendQueue, OutgoingMessage } from "./send_queue";
import { RetransmissionQueue } from "./retransmission_queue";
import { DataTracker } from "./data_tracker";
import { ReassemblyQueue } from "./reassembly_queue";
import { SctpEvent, EVENT_MESSAGE, EVENT_BUFFERED_AMOUNT_LOW, CLOSE_TIMEOUT } from "./event";
import { randomU32, randomU32NonZero } from "./random_u32";
import { SctpStats } from "./stats";
import { Handshake } from "./handshake";
import { DataReceiver } from "./data_receiver";
import { DataSender } from "./data_sender";
import { Heartbeat } from "./heartbeat";
import { StreamReset } from "./stream_reset";
import { Termination } from "./termination";

export { SctpStats } from "./stats";

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

  // Data.
  sendQueue: SendQueue = new SendQueue();
  rtx: RetransmissionQueue;
  tracker: DataTracker;
  reasm: ReassemblyQueue;

  // The parts of the association, one file each, own their own state and timers and share
  // what follows, which is theirs to use, not the user's.
  now: i64 = 0; // of the call being handled
  rto: RtoEstimator; // the path's, shared with rtx; a restart replaces it
  control: Array<Chunk> = []; // chunks for the next packet on the association's tag
  out: Array<Uint8Array> = []; // finished packets (some with other tags)
  private events: Array<SctpEvent> = [];
  private eventHead: i32 = 0;

  // Definitely assigned in the constructor; "!" because each part keeps a reference to the
  // association, which may only be handed out once every other field is set.
  handshake!: Handshake;
  receiver!: DataReceiver;
  sender!: DataSender;
  heartbeat!: Heartbeat;
  streamReset!: StreamReset;
  termination!: Termination;

  constructor(public config: SctpConfig) {
    this.myVtag = randomU32NonZero();
    this.myInitialTsn = randomU32();
    const rto = new RtoEstimator(config.rtoInitialMs, config.rtoMinMs, config.rtoMaxMs);
    this.rto = rto;
    this.rtx = new RetransmissionQueue(0, 0, config.mtu - COMMON_HEADER_LEN, rto);
    this.tracker = new DataTracker(0, config.maxDupsPerSack, config.delayedAckMs);
    this.reasm = new ReassemblyQueue(config.maxMessageSize);
    this.handshake = new Handshake(this); // draws the tie-tag and cookie key, after the tags
    this.receiver = new DataReceiver(this);
    this.sender = new DataSender(this);
    this.heartbeat = new Heartbeat(this);
    this.streamReset = new StreamReset(this);
    this.termination = new Termination(this);
  }

  // ---- The sans-IO surface ----

  // Starts the handshake as the initiator (either side may; simultaneous starts are fine).
  connect(now: i64): void {
    this.now = now;
    if (this.state != AssocState.CLOSED) return;
    this.handshake.start();
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
    this.streamReset.completeDeferred();
    this.receiver.deliver();
  }

  handleTimeout(now: i64): void {
    this.now = now;
    if (now >= this.handshake.t1Deadline) this.handshake.onT1(now);
    if (now >= this.termination.t2Deadline) this.termination.onT2(now);
    if (this.isUp()) {
      if (now >= this.rtx.t3Deadline) {
        if (this.rtx.onT3Expired(now) > this.config.maxAssocRetransmits) {
          this.termination.close(CLOSE_TIMEOUT, 0);
          return;
        }
        this.termination.maybeProgress();
      }
      this.tracker.onTimeout(now);
      if (now >= this.streamReset.deadline) this.streamReset.onTimer(now);
      if (now >= this.heartbeat.deadline) this.heartbeat.onTimer(now);
    }
  }

  pollTransmit(): Uint8Array | null {
    if (this.out.length == 0) {
      const p = this.sender.buildPacket();
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
      this.receiver.pendingEventBytes -= e.data!.length;
      this.receiver.maybeWindowUpdate();
    }
    return e;
  }

  nextDeadline(): i64 {
    let d = min(this.handshake.t1Deadline, this.termination.t2Deadline);
    if (this.isUp()) {
      d = min(d, this.rtx.t3Deadline);
      d = min(d, this.tracker.ackDeadline);
      d = min(d, this.streamReset.deadline);
      d = min(d, this.heartbeat.deadline);
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
    if (sid >= limit || this.streamReset.isResetting(sid)) return SEND_ERR_STREAM;
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
    return this.streamReset.request(sids);
  }

  // Graceful close (§9.2): the queued data is delivered first.
  shutdown(now: i64): void {
    this.now = now;
    this.termination.begin();
  }

  abort(now: i64): void {
    this.now = now;
    if (this.state == AssocState.CLOSED) return;
    this.termination.sendAbort(new ErrorCause(CAUSE_USER_INITIATED_ABORT, new Uint8Array(0)));
  }

  isUp(): bool {
    return this.state >= AssocState.ESTABLISHED;
  }

  // Our advertised receiver window: the buffer less what is held for the user (§6.2).
  get receiveWindow(): i32 {
    return max(0, this.config.receiveBufferSize - this.reasm.bytes - this.receiver.pendingEventBytes);
  }

  // ---- Shared by the parts ----

  emit(e: SctpEvent): void {
    this.events.push(e);
  }

  // A packet of one chunk with a tag other than the peer's (INIT, INIT-ACK, reflected replies).
  sendReflected(c: Chunk, vtag: u32): void {
    const pw = new PacketWriter(this.config.mtu, this.config.localPort, this.config.remotePort, vtag);
    if (pw.add(c)) this.out.push(pw.finish());
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
      this.handshake.onInit(first);
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
      if (first.type == CHUNK_ABORT) this.termination.onAbort(first);
      else this.termination.onShutdownComplete();
      return;
    }
    if (first.type == CHUNK_COOKIE_ECHO) {
      if (!this.handshake.onCookieEcho(first, p.vtag)) return;
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
          if (!this.receiver.onData(c, errors)) return;
          break;
        }
        case CHUNK_SACK: this.sender.onSack(c); break;
        case CHUNK_HEARTBEAT: this.heartbeat.onRequest(c); break;
        case CHUNK_HEARTBEAT_ACK: this.heartbeat.onAck(c); break;
        case CHUNK_INIT_ACK: this.handshake.onInitAck(c); break;
        case CHUNK_COOKIE_ACK: this.handshake.onCookieAck(); break;
        case CHUNK_SHUTDOWN: this.termination.onShutdown(c); break;
        case CHUNK_SHUTDOWN_ACK: this.termination.onShutdownAck(); break;
        case CHUNK_ERROR: this.handshake.onError(c); break;
        case CHUNK_FORWARD_TSN: this.receiver.onForwardTsn(c); break;
        case CHUNK_RECONFIG: this.streamReset.onReconfig(c); break;
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

  private flushLowEvents(): void {
    const low = this.sendQueue.lowEvents;
    for (let i = 0; i < low.length; i++) {
      const e = new SctpEvent(EVENT_BUFFERED_AMOUNT_LOW);
      e.streamId = low[i];
      this.events.push(e);
    }
    low.length = 0;
  }
}
