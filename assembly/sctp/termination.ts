// RFC 9260 §9: termination — ABORT (§9.1), graceful SHUTDOWN with T2-shutdown (§9.2), and closing on timeouts.
import { RawChunk } from "./chunk";
import { AbortChunk } from "./chunk_abort";
import { ShutdownChunk, shutdownAck, shutdownComplete } from "./chunk_shutdown";
import { ErrorCause } from "./error_cause";
import { SctpEvent, EVENT_CLOSED, CLOSE_SHUTDOWN, CLOSE_PEER_ABORT, CLOSE_LOCAL_ABORT, CLOSE_TIMEOUT } from "./event";
import { SendQueue } from "./send_queue";
import { tsnGt } from "./tsn";
import { Association, AssocState } from "./association";

export class Termination {
  t2Deadline: i64 = i64.MAX_VALUE;
  private t2Count: i32 = 0;

  constructor(private assoc: Association) {}

  // Every timer stops and what was queued is dropped; the user hears once.
  close(reason: i32, code: i32): void {
    const a = this.assoc;
    const wasOpen = a.state != AssocState.CLOSED;
    a.state = AssocState.CLOSED;
    a.handshake.t1Deadline = i64.MAX_VALUE;
    this.t2Deadline = i64.MAX_VALUE;
    a.heartbeat.deadline = i64.MAX_VALUE;
    a.streamReset.deadline = i64.MAX_VALUE;
    a.rtx.t3Deadline = i64.MAX_VALUE;
    a.tracker.ackDeadline = i64.MAX_VALUE;
    a.sendQueue = new SendQueue();
    a.control.length = 0;
    if (wasOpen) {
      const e = new SctpEvent(EVENT_CLOSED);
      e.reason = reason;
      e.code = code;
      a.emit(e);
    }
  }

  // The user's shutdown().
  begin(): void {
    const a = this.assoc;
    if (a.state == AssocState.ESTABLISHED) {
      a.state = AssocState.SHUTDOWN_PENDING;
      this.maybeProgress();
    } else if (a.state == AssocState.COOKIE_WAIT || a.state == AssocState.COOKIE_ECHOED) {
      this.close(CLOSE_SHUTDOWN, 0);
    }
  }

  // §9.2: SHUTDOWN once everything queued is acknowledged.
  maybeProgress(): void {
    const a = this.assoc;
    const s = a.state;
    if (s != AssocState.SHUTDOWN_PENDING && s != AssocState.SHUTDOWN_RECEIVED) return;
    if (!a.sendQueue.empty || !a.rtx.empty) return;
    if (s == AssocState.SHUTDOWN_PENDING) {
      a.state = AssocState.SHUTDOWN_SENT;
      a.control.push(new ShutdownChunk(a.tracker.cumTsn));
    } else {
      a.state = AssocState.SHUTDOWN_ACK_SENT;
      a.control.push(shutdownAck());
    }
    this.startT2();
  }

  onShutdown(raw: RawChunk): void {
    const a = this.assoc;
    const s = ShutdownChunk.parse(raw.value);
    if (s == null || !a.isUp()) return;
    if (tsnGt(s.cumTsnAck, a.rtx.cumAck)) a.rtx.handleCumAck(s.cumTsnAck, a.now);
    if (a.state == AssocState.ESTABLISHED || a.state == AssocState.SHUTDOWN_PENDING) {
      a.state = AssocState.SHUTDOWN_RECEIVED;
    } else if (a.state == AssocState.SHUTDOWN_SENT) {
      // §9.2: both sides shut down at once.
      a.state = AssocState.SHUTDOWN_ACK_SENT;
      a.control.push(shutdownAck());
      this.startT2();
      return;
    }
    this.maybeProgress();
  }

  onShutdownAck(): void {
    const a = this.assoc;
    if (a.state == AssocState.SHUTDOWN_SENT || a.state == AssocState.SHUTDOWN_ACK_SENT) {
      a.control.push(shutdownComplete(false));
      a.out.push(a.sender.flushControlPacket());
      this.close(CLOSE_SHUTDOWN, 0);
    }
  }

  onShutdownComplete(): void {
    if (this.assoc.state == AssocState.SHUTDOWN_ACK_SENT) this.close(CLOSE_SHUTDOWN, 0);
  }

  onT2(now: i64): void {
    const a = this.assoc;
    this.t2Count++;
    if (this.t2Count > a.config.maxAssocRetransmits) {
      this.close(CLOSE_TIMEOUT, 0);
      return;
    }
    a.rto.backoff();
    if (a.state == AssocState.SHUTDOWN_SENT) a.control.push(new ShutdownChunk(a.tracker.cumTsn));
    else if (a.state == AssocState.SHUTDOWN_ACK_SENT) a.control.push(shutdownAck());
    this.t2Deadline = now + a.rto.rto;
  }

  private startT2(): void {
    this.t2Count = 0;
    this.t2Deadline = this.assoc.now + this.assoc.rto.rto;
  }

  onAbort(raw: RawChunk): void {
    const abort = AbortChunk.parse(raw.flags, raw.value);
    const code = abort.causes.length > 0 ? <i32>abort.causes[0].code : 0;
    this.close(CLOSE_PEER_ABORT, code);
  }

  sendAbort(cause: ErrorCause): void {
    const abort = new AbortChunk(false);
    abort.causes.push(cause);
    this.sendAbortChunk(abort);
  }

  // Whatever else was queued is not sent: the ABORT goes alone.
  sendAbortChunk(abort: AbortChunk): void {
    const a = this.assoc;
    const code = abort.causes.length > 0 ? <i32>abort.causes[0].code : 0;
    a.control.length = 0;
    a.sendReflected(abort, a.peerVtag);
    this.close(CLOSE_LOCAL_ABORT, code);
  }
}
