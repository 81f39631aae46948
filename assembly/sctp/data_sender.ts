// RFC 9260 §6.1, §6.10 and §7.2, RFC 3758 §3.5: the send path — bundling, retransmissions and new DATA within cwnd and the peer's window, SACKs received.
import { RawChunk } from "./chunk";
import { PacketWriter } from "./packet";
import { DataChunk, DATA_HEADER_LEN } from "./chunk_data";
import { SackChunk } from "./chunk_sack";
import { RetransmissionQueue } from "./retransmission_queue";
import { tsnGt } from "./tsn";
import { Association, AssocState } from "./association";

export class DataSender {
  constructor(private assoc: Association) {}

  onSack(raw: RawChunk): void {
    const a = this.assoc;
    if (!a.isUp()) return;
    const s = SackChunk.parse(raw.value);
    if (s == null) {
      a.stats.malformed++;
      return;
    }
    a.rtx.handleSack(s, a.now);
    a.termination.maybeProgress();
  }

  // The control chunks queued, alone (before the association is up, or to close it).
  flushControlPacket(): Uint8Array {
    const a = this.assoc;
    const pw = new PacketWriter(a.config.mtu, a.config.localPort, a.config.remotePort, a.peerVtag);
    while (a.control.length > 0 && pw.add(a.control[0])) a.control.shift();
    return pw.finish();
  }

  private canSendData(): bool {
    const s = this.assoc.state;
    return s == AssocState.ESTABLISHED || s == AssocState.SHUTDOWN_PENDING || s == AssocState.SHUTDOWN_RECEIVED;
  }

  // One packet: control chunks, then SACK, FORWARD-TSN, retransmissions and new data.
  buildPacket(): Uint8Array | null {
    const a = this.assoc;
    if (!a.isUp()) {
      if (a.control.length > 0 && a.peerVtag != 0) return this.flushControlPacket();
      return null;
    }
    a.streamReset.maybeStart();
    const now = a.now;
    const pw = new PacketWriter(a.config.mtu, a.config.localPort, a.config.remotePort, a.peerVtag);
    while (a.control.length > 0 && pw.add(a.control[0])) a.control.shift();
    const rtx = a.rtx;
    const dataOk = this.canSendData();
    const wantsData = dataOk && (rtx.peekRetransmit() != null || !a.sendQueue.empty);
    a.receiver.addSack(pw, wantsData);
    if (rtx.needForwardTsn && a.peerForwardTsn && tsnGt(rtx.advancedPeerAckPoint, rtx.cumAck)) {
      if (pw.add(rtx.makeForwardTsn())) {
        rtx.needForwardTsn = false;
        if (rtx.t3Deadline == i64.MAX_VALUE) rtx.t3Deadline = now + a.rto.rto;
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
        if (c.msg.expiresAt <= now) {
          rtx.abandonMessage(c.msg);
          rtx.advanceAckPoint();
          continue;
        }
        pw.add(c.chunk);
        rtx.onRetransmitted(c, now);
        budgetPacket = true; // the rest of this packet may carry more
      }
      // New data within cwnd and the peer's window (one chunk may probe a zero window).
      const queue = a.sendQueue;
      while (rtx.peekRetransmit() == null && rtx.flight < rtx.cwnd) {
        // pw.room and the header are multiples of 4, so the fragment fits after its padding.
        let room = pw.room - DATA_HEADER_LEN;
        if (rtx.flight > 0) room = min(room, rtx.peerRwnd);
        const frag = queue.next(now, room, 256);
        if (frag == null) break;
        const m = frag.msg;
        const d = new DataChunk(RetransmissionQueue.flagsFor(m, frag.begin, frag.end), rtx.nextTsn, m.streamId, m.ssn, m.ppid, frag.payload);
        pw.add(d);
        rtx.add(d, m, now);
      }
    }
    if (pw.empty) return null;
    if (!rtx.empty) a.heartbeat.outstanding = false;
    return pw.finish();
  }
}
