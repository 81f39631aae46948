// RFC 9260 §6.2, §6.5 and RFC 3758 §3.6: the receive path — DATA within the receive buffer, SACKs and the window, FORWARD-TSN.
import { RawChunk } from "./chunk";
import { PacketWriter } from "./packet";
import { DataChunk } from "./chunk_data";
import { ErrorChunk } from "./chunk_error";
import { ForwardTsnChunk } from "./chunk_forward_tsn";
import { ErrorCause, CAUSE_NO_USER_DATA, CAUSE_INVALID_STREAM, CAUSE_OUT_OF_RESOURCE } from "./error_cause";
import { SctpEvent, EVENT_MESSAGE } from "./event";
import { tsnGt } from "./tsn";
import { Association } from "./association";

// The reserve for gap-filling chunks: an eighth of the receive buffer, at least four packets.
const GAP_RESERVE_CHUNKS: i32 = 64;

function gapReserveBytes(bufferSize: i32, mtu: i32): i32 {
  return max(bufferSize >> 3, mtu << 2);
}

export class DataReceiver {
  pendingEventBytes: i32 = 0; // delivered messages the user has not polled yet
  lastAdvertisedRwnd: i32 = 0;

  constructor(private assoc: Association) {}

  // False when the packet must not be processed further (we aborted).
  onData(raw: RawChunk, errors: ErrorChunk): bool {
    const a = this.assoc;
    if (!a.isUp()) {
      a.stats.unexpected++;
      return true;
    }
    const d = DataChunk.parse(raw.flags, raw.value);
    if (d == null) {
      a.stats.malformed++;
      return true;
    }
    if (d.payload.length == 0) {
      // §6.2: no user data is a protocol error that ends the association.
      const info = new Uint8Array(4);
      info[0] = <u8>(d.tsn >> 24);
      info[1] = <u8>(d.tsn >> 16);
      info[2] = <u8>(d.tsn >> 8);
      info[3] = <u8>d.tsn;
      a.termination.sendAbort(new ErrorCause(CAUSE_NO_USER_DATA, info));
      return false;
    }
    const t = a.tracker;
    if (t.isDuplicate(d.tsn)) {
      t.recordDuplicate(d.tsn);
      return true;
    }
    if (!t.inWindow(d.tsn)) {
      a.stats.outOfWindow++;
      t.ackNow = true;
      return true;
    }
    if (d.streamId >= a.inStreams) {
      // §6.5: report the stream, but acknowledge the TSN so it is not resent.
      const info = new Uint8Array(4);
      info[0] = <u8>(d.streamId >> 8);
      info[1] = <u8>d.streamId;
      if (errors.causes.length < 4) errors.causes.push(new ErrorCause(CAUSE_INVALID_STREAM, info));
      t.record(d.tsn);
      return true;
    }
    // The buffer is the bound: beyond it the chunk is dropped and the peer resends it later.
    // A chunk that fills a gap may use a small reserve beyond it (§6.2 lets a full receiver make
    // room for a TSN below its highest): without it, a buffer full of data waiting behind a lost
    // chunk refuses that chunk's retransmission forever, and the association stalls.
    const reasm = a.reasm;
    const config = a.config;
    const fillsGap = t.fillsGap(d.tsn);
    const byteLimit = config.receiveBufferSize + (fillsGap ? gapReserveBytes(config.receiveBufferSize, config.mtu) : 0);
    const chunkLimit = config.maxReassemblyChunks + (fillsGap ? GAP_RESERVE_CHUNKS : 0);
    if (reasm.bytes + this.pendingEventBytes + d.payload.length > byteLimit || reasm.fragmentCount >= chunkLimit) {
      a.stats.noRoom++;
      t.ackNow = true;
      return true;
    }
    t.record(d.tsn);
    reasm.add(d);
    if (reasm.oversize) {
      a.termination.sendAbort(new ErrorCause(CAUSE_OUT_OF_RESOURCE, new Uint8Array(0)));
      return false;
    }
    return true;
  }

  onForwardTsn(raw: RawChunk): void {
    const a = this.assoc;
    if (!a.isUp()) return;
    const f = ForwardTsnChunk.parse(raw.value);
    if (f == null) {
      a.stats.malformed++;
      return;
    }
    const t = a.tracker;
    t.ackNow = true;
    if (!tsnGt(f.newCumTsn, t.cumTsn)) return;
    if (!t.inWindow(f.newCumTsn)) {
      a.stats.outOfWindow++;
      return;
    }
    const valid = new Array<u16>();
    const ssns = new Array<u16>();
    for (let i = 0; i < f.streams.length; i++) {
      if (f.streams[i] < a.inStreams) {
        valid.push(f.streams[i]);
        ssns.push(f.ssns[i]);
      }
    }
    t.forwardTo(f.newCumTsn);
    // Only what the peer abandoned goes: fragments above newCumTsn that already arrived
    // belong to messages still alive, even when they now sit below the cumulative TSN.
    a.reasm.forward(f.newCumTsn, valid, ssns);
  }

  // Messages completed by the packet just handled become events; they hold window until polled.
  deliver(): void {
    const a = this.assoc;
    const delivered = a.reasm.delivered;
    if (delivered.length == 0) return;
    for (let i = 0; i < delivered.length; i++) {
      const m = delivered[i];
      const e = new SctpEvent(EVENT_MESSAGE);
      e.streamId = m.streamId;
      e.ppid = m.ppid;
      e.data = m.data;
      this.pendingEventBytes += m.data.length;
      a.emit(e);
    }
    delivered.length = 0;
  }

  // §6.2 (SWS avoidance): tell the peer when the window opened by a packet or half the buffer.
  maybeWindowUpdate(): void {
    const a = this.assoc;
    if (!a.isUp()) return;
    const w = a.receiveWindow;
    const config = a.config;
    if (w - this.lastAdvertisedRwnd >= min(config.mtu, config.receiveBufferSize / 2) &&
        this.lastAdvertisedRwnd < config.receiveBufferSize / 2) a.tracker.ackNow = true;
  }

  // SACK: when due, or to ride along with data we send anyway (§6.2).
  addSack(pw: PacketWriter, wantsData: bool): void {
    const t = this.assoc.tracker;
    if (t.ackNow || (wantsData && t.ackPending)) {
      const w = this.assoc.receiveWindow;
      if (pw.add(t.makeSack(w))) this.lastAdvertisedRwnd = w;
    }
  }
}
