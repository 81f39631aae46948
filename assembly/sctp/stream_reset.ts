// RFC 6525 §5: stream reset (RE-CONFIG) — our Outgoing SSN Reset Requests, the peer's Outgoing and Incoming ones answered.
import { RawChunk } from "./chunk";
import { ReconfigChunk } from "./chunk_reconfig";
import { OutgoingResetRequest } from "./param_outgoing_reset_request";
import { IncomingResetRequest } from "./param_incoming_reset_request";
import {
  ReconfigResponse, RESULT_SUCCESS_PERFORMED, RESULT_SUCCESS_NOP, RESULT_DENIED, RESULT_ERROR_BAD_SEQ,
  RESULT_IN_PROGRESS, RESULT_ERROR_WRONG_SSN, RESULT_ERROR_REQUEST_IN_PROGRESS,
} from "./param_reconfig_response";
import { PARAM_OUTGOING_RESET_REQUEST, PARAM_RECONFIG_RESPONSE, PARAM_INCOMING_RESET_REQUEST } from "./param";
import { SctpEvent, EVENT_STREAMS_RESET_INCOMING, EVENT_STREAMS_RESET_DONE } from "./event";
import { tsnLte } from "./tsn";
import { Association } from "./association";

export class StreamReset {
  deadline: i64 = i64.MAX_VALUE; // our request's retransmission
  private reqSeq: u32 = 0; // our next request sequence number
  private peerReqSeq: u32 = 0; // the peer's next expected request sequence number
  private pending: Array<u16> = []; // waiting for their queues to drain
  private inFlight: OutgoingResetRequest | null = null;
  private deferred: OutgoingResetRequest | null = null; // peer's, waiting for its data
  private lastResponseResult: u32 = RESULT_SUCCESS_PERFORMED;

  constructor(private assoc: Association) {}

  // §4.1: request sequence numbers start at each side's initial TSN.
  start(reqSeq: u32, peerReqSeq: u32): void {
    this.reqSeq = reqSeq;
    this.peerReqSeq = peerReqSeq;
  }

  // A peer restart: nothing requested before it still stands.
  clear(): void {
    this.pending = [];
    this.inFlight = null;
    this.deferred = null;
    this.deadline = i64.MAX_VALUE;
    this.lastResponseResult = RESULT_SUCCESS_PERFORMED;
  }

  // The user's resetStreams().
  request(sids: Array<u16>): bool {
    const a = this.assoc;
    if (!a.isUp() || !a.peerReconfig) return false;
    for (let i = 0; i < sids.length; i++) {
      if (!this.pending.includes(sids[i])) this.pending.push(sids[i]);
    }
    return true;
  }

  isResetting(sid: u16): bool {
    const r = this.inFlight;
    return this.pending.includes(sid) || (r != null && r.streams.includes(sid));
  }

  // Our outgoing reset goes once the streams' queued messages are all sent (RFC 6525 §5.1.2).
  maybeStart(): void {
    const a = this.assoc;
    if (this.inFlight != null || this.pending.length == 0 || !a.peerReconfig) return;
    const req = new OutgoingResetRequest(this.reqSeq, this.peerReqSeq - 1, a.rtx.nextTsn - 1);
    const keep = new Array<u16>();
    for (let i = 0; i < this.pending.length; i++) {
      const sid = this.pending[i];
      if (a.sendQueue.hasStreamData(sid) || a.sendQueue.isCurrent(sid)) keep.push(sid);
      else req.streams.push(sid);
    }
    if (req.streams.length == 0) return;
    this.pending = keep;
    this.inFlight = req;
    this.deadline = a.now + a.rto.rto;
    const rc = new ReconfigChunk();
    rc.request = req;
    a.control.push(rc);
  }

  onTimer(now: i64): void {
    // Our reset request (or its answer) was lost, or the peer said "in progress": ask again.
    const req = this.inFlight;
    this.deadline = i64.MAX_VALUE;
    if (req) {
      const rc = new ReconfigChunk();
      rc.request = req;
      this.assoc.control.push(rc);
      this.deadline = now + this.assoc.rto.rto;
    }
  }

  onReconfig(raw: RawChunk): void {
    const a = this.assoc;
    if (!a.isUp()) return;
    const rc = ReconfigChunk.parse(raw.value);
    if (rc == null) {
      a.stats.malformed++;
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
    if (reply.response) a.control.push(reply);
  }

  // After each packet: a deferred incoming reset completes once its data has arrived.
  completeDeferred(): void {
    const a = this.assoc;
    const d = this.deferred;
    if (d && a.isUp() && tsnLte(d.lastTsn, a.tracker.cumTsn)) {
      this.deferred = null;
      this.performIncomingReset(d);
      const rc = new ReconfigChunk();
      rc.response = new ReconfigResponse(d.requestSeq, RESULT_SUCCESS_PERFORMED);
      a.control.push(rc);
    }
  }

  private onPeerResetRequest(req: OutgoingResetRequest): ReconfigResponse {
    if (req.requestSeq == this.peerReqSeq - 1) {
      // A retransmission of the last request: same answer, unless it was deferred.
      const d = this.deferred;
      if (d && d.requestSeq == req.requestSeq) return new ReconfigResponse(req.requestSeq, RESULT_IN_PROGRESS);
      return new ReconfigResponse(req.requestSeq, this.lastResponseResult);
    }
    if (req.requestSeq != this.peerReqSeq) return new ReconfigResponse(req.requestSeq, RESULT_ERROR_BAD_SEQ);
    this.peerReqSeq++;
    if (!tsnLte(req.lastTsn, this.assoc.tracker.cumTsn)) {
      // §5.2.2: data up to the peer's last TSN has not all arrived; reset once it has.
      this.deferred = req;
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
      if (req.streams[i] >= this.assoc.outStreams) result = RESULT_ERROR_WRONG_SSN;
    }
    // One request of ours at a time (§5.1.1): the peer may ask again later.
    if (result == RESULT_SUCCESS_PERFORMED && (this.inFlight != null || this.pending.length > 0)) {
      result = RESULT_ERROR_REQUEST_IN_PROGRESS;
    }
    this.lastResponseResult = result;
    if (result != RESULT_SUCCESS_PERFORMED) return new ReconfigResponse(req.requestSeq, result);
    for (let i = 0; i < req.streams.length; i++) {
      if (!this.pending.includes(req.streams[i])) this.pending.push(req.streams[i]);
    }
    return null;
  }

  private performIncomingReset(req: OutgoingResetRequest): void {
    const a = this.assoc;
    const e = new SctpEvent(EVENT_STREAMS_RESET_INCOMING);
    for (let i = 0; i < req.streams.length; i++) {
      const sid = req.streams[i];
      if (sid < a.inStreams) {
        a.reasm.resetStream(sid);
        e.streams.push(sid);
      }
    }
    this.lastResponseResult = RESULT_SUCCESS_PERFORMED;
    a.emit(e);
  }

  private onResetResponse(resp: ReconfigResponse): void {
    const a = this.assoc;
    const req = this.inFlight;
    if (req == null || resp.responseSeq != req.requestSeq) return;
    if (resp.result == RESULT_IN_PROGRESS) {
      this.deadline = a.now + a.rto.rto; // ask again later
      return;
    }
    this.inFlight = null;
    this.deadline = i64.MAX_VALUE;
    this.reqSeq++;
    const e = new SctpEvent(EVENT_STREAMS_RESET_DONE);
    e.code = <i32>resp.result;
    for (let i = 0; i < req.streams.length; i++) {
      const sid = req.streams[i];
      if (resp.result == RESULT_SUCCESS_PERFORMED || resp.result == RESULT_SUCCESS_NOP) a.sendQueue.resetSsn(sid);
      e.streams.push(sid);
    }
    a.emit(e);
  }
}
