// SCTP associations over a virtual network and clock, driven from test/core/sctp.test.ts.
// The network is seeded (xorshift): loss, duplication, reordering and delay are reproducible.
export { mem_alloc, mem_free } from "./entry_common";
import { bytesAt } from "./entry_common";
import { crc32c } from "../../assembly/crypto/crc32c";
import { Association, SEND_OK, SEND_ERR_BUFFER_FULL, AssocState } from "../../assembly/sctp/association";
import { SctpConfig } from "../../assembly/sctp/config";
import {
  SctpEvent, EVENT_CONNECTED, EVENT_MESSAGE, EVENT_CLOSED, EVENT_RESTARTED, EVENT_STREAMS_RESET_INCOMING,
  EVENT_STREAMS_RESET_DONE,
} from "../../assembly/sctp/event";
import { Chunk, CHUNK_RECONFIG, CHUNK_COOKIE_ECHO } from "../../assembly/sctp/chunk";
import { PacketWriter, parsePacket } from "../../assembly/sctp/packet";
import { ByteWriter } from "../../assembly/util/bytes";
import { ReconfigChunk } from "../../assembly/sctp/chunk_reconfig";
import { PARAM_INCOMING_RESET_REQUEST, PARAM_RECONFIG_RESPONSE, PARAM_OUTGOING_RESET_REQUEST } from "../../assembly/sctp/param";
import { ReconfigResponse, RESULT_ERROR_WRONG_SSN, RESULT_DENIED, RESULT_ERROR_BAD_SEQ } from "../../assembly/sctp/param_reconfig_response";
import { OutgoingResetRequest } from "../../assembly/sctp/param_outgoing_reset_request";
import {
  DataChannels, DataChannelEvent, DC_EVENT_OPEN, DC_EVENT_CLOSED, DC_EVENT_MESSAGE, DC_EVENT_BUFFERED_AMOUNT_LOW,
  DC_EVENT_CONNECTED, DC_EVENT_DISCONNECTED, DC_EVENT_RESTARTED,
} from "../../assembly/datachannel/data_channels";
import { Prng } from "./sim_prng";


class Datagram {
  constructor(public at: i64, public to: i32, public data: Uint8Array, public seq: i32) {}
}

class Net {
  rng: Prng;
  queue: Array<Datagram> = [];
  lossPct: f64 = 0;
  dupPct: f64 = 0;
  reorderPct: f64 = 0; // chance that a datagram is held back by up to reorderMs more
  delayMs: i32 = 0;
  reorderMs: i32 = 50;
  seq: i32 = 0;
  sent: i32 = 0;
  dropped: i32 = 0;
  bytes: i64 = 0;
  constructor(seed: u64) {
    this.rng = new Prng(seed);
  }
  send(to: i32, data: Uint8Array, now: i64): void {
    this.sent++;
    this.bytes += data.length;
    if (this.rng.chance(this.lossPct)) {
      this.dropped++;
      return;
    }
    const copies = this.rng.chance(this.dupPct) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      let at = now + <i64>this.delayMs;
      if (this.rng.chance(this.reorderPct)) at += <i64>(1 + this.rng.below(this.reorderMs));
      this.queue.push(new Datagram(at, to, data, this.seq++));
    }
  }
  // The next datagram due at or before now (earliest first), or null.
  take(now: i64): Datagram | null {
    let best = -1;
    for (let i = 0; i < this.queue.length; i++) {
      const d = this.queue[i];
      if (d.at > now) continue;
      if (best < 0 || d.at < this.queue[best].at || (d.at == this.queue[best].at && d.seq < this.queue[best].seq)) best = i;
    }
    if (best < 0) return null;
    const d = this.queue[best];
    this.queue.splice(best, 1);
    return d;
  }
  nextArrival(): i64 {
    let t = i64.MAX_VALUE;
    for (let i = 0; i < this.queue.length; i++) t = min(t, this.queue[i].at);
    return t;
  }
}

// Two endpoints of one kind (bare associations, or data channels over them) on the virtual net;
// the application callbacks are the scenario's.
class Pair<T> {
  net: Net;
  now: i64 = 0;
  constructor(public a: T, public b: T, seed: u64) {
    this.net = new Net(seed);
  }
  side(i: i32): T {
    return i == 0 ? this.a : this.b;
  }
  flush(): void {
    for (let i = 0; i < 2; i++) {
      const s = this.side(i);
      for (let n = 0; n < 10000; n++) {
        const p = s.pollTransmit();
        if (p == null) break;
        this.net.send(1 - i, p, this.now);
      }
    }
  }
  // Delivers what is due, fires due timers, then moves the clock to the next thing to happen.
  // False when nothing will ever happen again.
  step(): bool {
    this.flush();
    let d = this.net.take(this.now);
    while (d) {
      this.side(d.to).input(d.data, this.now);
      this.flush();
      d = this.net.take(this.now);
    }
    for (let i = 0; i < 2; i++) {
      const s = this.side(i);
      if (s.nextDeadline() <= this.now) s.handleTimeout(this.now);
    }
    this.flush();
    const t = min(this.net.nextArrival(), min(this.a.nextDeadline(), this.b.nextDeadline()));
    if (t == i64.MAX_VALUE) return false;
    if (t > this.now) this.now = t;
    return true;
  }
  // Runs until both sides have nothing left to do or the time limit.
  runFor(ms: i64): void {
    const end = this.now + ms;
    while (this.now < end && this.step()) {}
  }
}

class Sim extends Pair<Association> {
  constructor(ca: SctpConfig, cb: SctpConfig, seed: u64) {
    super(new Association(ca), new Association(cb), seed);
  }
  assoc(i: i32): Association {
    return this.side(i);
  }
}

// ---- Scenario: reliable ordered transfer under impairment ----

let stats = new StaticArray<i64>(32);

export function sim_stat(i: i32): i64 {
  return i >= 0 && i < 32 ? stats[i] : 0;
}

function pattern(stream: i32, seq: i32, len: i32): Uint8Array {
  const b = new Uint8Array(len);
  let x = <u32>(stream * 7919 + seq * 104729 + 1);
  for (let i = 0; i < len; i++) {
    x = x * 1103515245 + 12345;
    b[i] = <u8>(x >> 16);
  }
  if (len >= 4) {
    b[0] = <u8>(seq >> 8);
    b[1] = <u8>seq;
  }
  return b;
}

function sameBytes(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
  return true;
}

// Sends `messages` messages per stream on `streams` streams from a to b (sizes vary up to
// maxSize: fragmentation), under the given impairment. Returns 0 when every message arrived
// once, in order per stream, byte for byte; else a failure code. Stats in sim_stat.
export function sim_transfer(
  seed: i32, lossPct: f64, dupPct: f64, reorderPct: f64, delayMs: i32,
  streams: i32, messages: i32, maxSize: i32, unordered: bool, timeLimitMs: i64,
): i32 {
  stats = new StaticArray<i64>(32);
  const ca = new SctpConfig();
  const cb = new SctpConfig();
  const sim = new Sim(ca, cb, <u64>seed * 2654435761 + 1);
  sim.net.lossPct = lossPct;
  sim.net.dupPct = dupPct;
  sim.net.reorderPct = reorderPct;
  sim.net.delayMs = delayMs;
  sim.a.connect(0);
  sim.b.connect(0); // both sides start, as browsers do (simultaneous INIT)
  const sentSeq = new Array<i32>(streams).fill(0);
  const gotSeq = new Array<i32>(streams).fill(0);
  const sizeRng = new Prng(<u64>seed + 77);
  const sizes = new Array<i32>(streams * messages);
  for (let i = 0; i < sizes.length; i++) sizes[i] = 4 + sizeRng.below(maxSize - 3);
  const seen = new Array<bool>(streams * messages).fill(false);
  let connected = 0;
  let received = 0;
  let failure = 0;
  const total = streams * messages;
  while (sim.now < timeLimitMs) {
    // The application keeps the send buffer busy, stream by stream.
    if (sim.a.state == AssocState.ESTABLISHED) {
      for (let s = 0; s < streams; s++) {
        while (sentSeq[s] < messages) {
          const data = pattern(s, sentSeq[s], sizes[s * messages + sentSeq[s]]);
          const r = sim.a.send(<u16>s, 53, data, unordered, -1, -1, sim.now);
          if (r == SEND_ERR_BUFFER_FULL) break;
          if (r != SEND_OK) return 100 + r;
          sentSeq[s]++;
        }
      }
    }
    for (let i = 0; i < 2; i++) {
      const as = sim.assoc(i);
      let e = as.pollEvent();
      while (e) {
        if (e.kind == EVENT_CONNECTED) connected++;
        else if (e.kind == EVENT_CLOSED) return 200 + e.reason;
        else if (e.kind == EVENT_MESSAGE) {
          if (i != 1) return 300;
          const s = <i32>e.streamId;
          if (s >= streams) return 301;
          if (unordered) {
            // Any order, but each message once and intact: its sequence number leads it.
            const d = e.data!;
            const seq = d.length >= 4 ? (<i32>d[0] << 8) | <i32>d[1] : -1;
            if (seq < 0 || seq >= messages || seen[s * messages + seq]) return 303;
            if (!sameBytes(d, pattern(s, seq, sizes[s * messages + seq]))) return 304;
            seen[s * messages + seq] = true;
            received++;
          } else {
            const seq = gotSeq[s];
            if (!sameBytes(e.data!, pattern(s, seq, sizes[s * messages + seq]))) {
              stats[10] = s;
              stats[11] = seq;
              return 302;
            }
            gotSeq[s]++;
            received++;
          }
          if (received == total) stats[14] = sim.now;
        }
        e = as.pollEvent();
      }
    }
    if (received == total && sim.a.rtx.empty) break;
    if (!sim.step()) break;
  }
  stats[0] = sim.now;
  stats[1] = received;
  stats[2] = sim.net.sent;
  stats[3] = sim.net.dropped;
  stats[4] = sim.a.rtx.retransmissions;
  stats[5] = sim.a.rtx.fastRetransmissions;
  stats[6] = sim.a.rtx.t3Expiries;
  stats[7] = sim.b.tracker.duplicates;
  stats[8] = connected;
  stats[9] = sim.net.bytes;
  stats[12] = sim.a.rtx.cwnd;
  stats[13] = sim.b.stats.noRoom;
  if (connected != 2) return 1;
  if (received != total) return 2;
  return failure;
}

// ---- Scenario: a receiver that stops reading ----

// b never polls its events for `stallMs`; a keeps trying to send. Returns 0 when a's memory
// stayed within its send buffer, b's within its receive buffer, a saw back-pressure, and
// everything arrived once b read again.
export function sim_stalled_receiver(seed: i32, stallMs: i64): i32 {
  stats = new StaticArray<i64>(32);
  const ca = new SctpConfig();
  ca.sendBufferSize = 64 * 1024;
  const cb = new SctpConfig();
  cb.receiveBufferSize = 32 * 1024;
  cb.maxMessageSize = 16 * 1024;
  ca.maxMessageSize = 16 * 1024;
  const sim = new Sim(ca, cb, <u64>seed + 5);
  sim.net.delayMs = 20;
  sim.a.connect(0);
  let sent = 0;
  let received = 0;
  let backPressure = 0;
  let maxHeld = 0;
  let maxRecvHeld = 0;
  let eventsA = 0;
  while (sim.now < stallMs * 4 + 60000) {
    if (sim.a.state == AssocState.ESTABLISHED && sent < 200) {
      while (sent < 200) {
        const r = sim.a.send(1, 53, pattern(1, sent, 1000), false, -1, -1, sim.now);
        if (r == SEND_ERR_BUFFER_FULL) {
          backPressure++;
          break;
        }
        if (r != SEND_OK) return 100 + r;
        sent++;
      }
    }
    maxHeld = max(maxHeld, sim.a.sendQueue.queuedBytes + sim.a.rtx.heldBytes);
    maxRecvHeld = max(maxRecvHeld, cb.receiveBufferSize - sim.b.receiveWindow);
    let e = sim.a.pollEvent();
    while (e) {
      eventsA++;
      e = sim.a.pollEvent();
    }
    if (sim.now >= stallMs) {
      let m = sim.b.pollEvent();
      while (m) {
        if (m.kind == EVENT_MESSAGE) {
          if (!sameBytes(m.data!, pattern(1, received, 1000))) return 302;
          received++;
        }
        m = sim.b.pollEvent();
      }
    }
    if (received == 200) break;
    if (!sim.step()) break;
  }
  stats[0] = sim.now;
  stats[1] = received;
  stats[2] = maxHeld;
  stats[3] = maxRecvHeld;
  stats[4] = backPressure;
  stats[5] = sim.b.stats.noRoom;
  if (maxHeld > ca.sendBufferSize) return 3;
  if (maxRecvHeld > cb.receiveBufferSize) return 4;
  if (backPressure == 0) return 5;
  if (received != 200) return 2;
  return 0;
}

// One packet fed to a fresh association in the given state (0 closed, 1 established), for
// the bad-input tests: returns how many packets it answered with; -1 on a trap (cannot happen).
let fuzzSim: Sim | null = null;

export function fuzz_setup(seed: i32, established: bool): void {
  const sim = new Sim(new SctpConfig(), new SctpConfig(), <u64>seed + 9);
  if (established) {
    sim.a.connect(0);
    for (let i = 0; i < 50 && !(sim.a.isUp() && sim.b.isUp()); i++) sim.step();
  }
  fuzzSim = sim;
}

// Recomputes the CRC32c of a packet in memory (so tests can forge well-checksummed packets).
export function fix_checksum(ptr: usize, len: i32): void {
  const b = bytesAt(ptr, len);
  store<u32>(b.dataStart + 8, 0);
  store<u32>(ptr + 8, crc32c(b));
}

export function fuzz_now(): i64 {
  return fuzzSim!.now;
}

export function fuzz_input(ptr: usize, len: i32, now: i64): i32 {
  const sim = fuzzSim!;
  sim.b.input(bytesAt(ptr, len), now);
  let n = 0;
  while (sim.b.pollTransmit() != null) n++;
  while (sim.b.pollEvent() != null) {}
  return n;
}

// Like fuzz_input, but keeps the answers for fuzz_take.
export function fuzz_input_keep(ptr: usize, len: i32, now: i64): i32 {
  const sim = fuzzSim!;
  sim.b.input(bytesAt(ptr, len), now);
  let n = 0;
  let p = sim.b.pollTransmit();
  while (p) {
    kept.push(p);
    n++;
    p = sim.b.pollTransmit();
  }
  return n;
}

let kept: Array<Uint8Array> = [];

export function fuzz_take(out: usize, cap: i32): i32 {
  if (kept.length == 0) return 0;
  const p = kept.shift();
  const n = min(cap, p.length);
  memory.copy(out, p.dataStart, <usize>n);
  return n;
}

export function fuzz_state(): i32 {
  return <i32>fuzzSim!.b.state;
}

export function fuzz_vtag_b(): u32 {
  return fuzzSim!.b.myVtag;
}


// ---- Data channels ----

class DcSim extends Pair<DataChannels> {
  constructor(seed: u64) {
    // a is the DTLS client: even stream ids
    super(new DataChannels(new SctpConfig(), true), new DataChannels(new SctpConfig(), false), seed);
  }
}

function utf8(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

function text(b: Uint8Array): string {
  return String.UTF8.decodeUnsafe(b.dataStart, <usize>b.length);
}

// Collected events of one side.
class Seen {
  opens: Array<u16> = [];
  remoteOpens: Array<u16> = [];
  closes: Array<u16> = [];
  messages: Array<DataChannelEvent> = [];
  low: Array<u16> = [];
  connected: i32 = 0;
  disconnected: i32 = 0;
  drain(dc: DataChannels): void {
    let e = dc.pollEvent();
    while (e) {
      if (e.kind == DC_EVENT_OPEN) {
        if (e.remote) this.remoteOpens.push(e.id);
        else this.opens.push(e.id);
      } else if (e.kind == DC_EVENT_CLOSED) this.closes.push(e.id);
      else if (e.kind == DC_EVENT_MESSAGE) this.messages.push(e);
      else if (e.kind == DC_EVENT_BUFFERED_AMOUNT_LOW) this.low.push(e.id);
      else if (e.kind == DC_EVENT_CONNECTED) this.connected++;
      else if (e.kind == DC_EVENT_DISCONNECTED) this.disconnected++;
      e = dc.pollEvent();
    }
  }
}

// 80 channels opened by the DTLS client, labels and protocols carried; string, binary and empty
// messages both ways; a negotiated channel; half the channels closed by stream reset, and their
// ids reused. Returns 0 or the number of the first check that failed.
export function dc_basic(seed: i32): i32 {
  const sim = new DcSim(<u64>seed + 11);
  sim.net.delayMs = 15;
  const sa = new Seen();
  const sb = new Seen();
  sim.a.connect(0);
  sim.b.connect(0);
  const N = 80;
  for (let i = 0; i < N; i++) {
    const id = sim.a.create("ch-" + i.toString(), i % 2 == 0 ? "json" : "", i % 3 != 0, -1, -1, -1, sim.now);
    if (id != 2 * i) return 1; // even ids for the DTLS client, lowest free first
  }
  if (sim.b.create("neg", "", true, -1, -1, 1000, sim.now) != 1000) return 2;
  if (sim.a.create("neg", "", true, -1, -1, 1000, sim.now) != 1000) return 3;
  if (sim.a.create("dup", "", true, -1, -1, 1000, sim.now) != -1) return 4;
  sim.runFor(2000);
  sa.drain(sim.a);
  sb.drain(sim.b);
  if (sa.connected != 1 || sb.connected != 1) return 5;
  if (sb.remoteOpens.length != N) return 6;
  for (let i = 0; i < N; i++) {
    const ch = sim.b.channel(<u16>(2 * i));
    if (ch == null) return 7;
    if (ch.label != "ch-" + i.toString() || ch.protocol != (i % 2 == 0 ? "json" : "")) return 8;
    if (ch.ordered != (i % 3 != 0)) return 9;
  }
  // Messages on every channel, both ways: a string, a binary, an empty string, an empty binary.
  for (let i = 0; i < N; i++) {
    const id = <u16>(2 * i);
    if (sim.a.sendString(id, "hello " + i.toString(), sim.now) != 0) return 10;
    const bin = new Uint8Array(3000 + i);
    bin[0] = <u8>i;
    if (sim.a.send(id, bin, true, sim.now) != 0) return 11;
    if (sim.b.send(id, new Uint8Array(0), false, sim.now) != 0) return 12;
    if (sim.b.send(id, new Uint8Array(0), true, sim.now) != 0) return 13;
  }
  if (sim.b.sendString(1000, "negotiated", sim.now) != 0) return 14;
  sim.runFor(3000);
  sa.drain(sim.a);
  sb.drain(sim.b);
  if (sb.messages.length != 2 * N) return 15;
  if (sa.messages.length != 2 * N + 1) return 16;
  let strings = 0;
  for (let i = 0; i < sb.messages.length; i++) {
    const m = sb.messages[i];
    if (!m.binary) {
      if (text(m.data!) != "hello " + (<i32>m.id / 2).toString()) return 17;
      strings++;
    } else if (m.data!.length != 3000 + <i32>m.id / 2 || m.data![0] != <u8>(m.id / 2)) return 18;
  }
  if (strings != N) return 19;
  let emptyBin = 0;
  let neg = 0;
  for (let i = 0; i < sa.messages.length; i++) {
    const m = sa.messages[i];
    if (m.id == 1000) {
      if (text(m.data!) != "negotiated") return 20;
      neg++;
      continue;
    }
    if (m.data!.length != 0) return 21;
    if (m.binary) emptyBin++;
  }
  if (emptyBin != N || neg != 1) return 22;
  // a closes every other channel, b closes one; each time the other side resets its half too.
  for (let i = 0; i < N; i += 2) sim.a.close(<u16>(2 * i), sim.now);
  sim.b.close(<u16>2, sim.now); // b closes one (odd index) itself
  sim.runFor(5000);
  sa.drain(sim.a);
  sb.drain(sim.b);
  if (sa.closes.length != N / 2 + 1 || sb.closes.length != N / 2 + 1) return 23;
  if (sim.a.channelCount != N / 2 - 1 + 1 || sim.b.channelCount != N / 2 - 1 + 1) return 24;
  // The freed ids come back, and their streams start over at SSN 0 on both sides.
  const again = sim.a.create("again", "", true, -1, -1, -1, sim.now);
  if (again != 0) return 25;
  sim.runFor(1000);
  if (sim.a.sendString(0, "second life", sim.now) != 0) return 26;
  if (sim.a.sendString(4, "closed", sim.now) == 0) return 27; // closed above
  if (sim.a.sendString(6, "still open", sim.now) != 0) return 29;
  sim.runFor(2000);
  sb.drain(sim.b);
  let got = 0;
  for (let i = 0; i < sb.messages.length; i++) if (text(sb.messages[i].data!) == "second life") got++;
  if (got != 1) return 28;
  return 0;
}

// Partial reliability: an unreliable channel (mode 0: unordered, no retransmissions; 1: ordered,
// at most 2 retransmissions; 2: ordered, 300 ms lifetime) next to a reliable one, under loss.
// Returns 0 when the reliable channel delivered all in order, the unreliable one delivered
// each message at most once and intact (in order when ordered), the limits held, and the
// sender's queues drained (FORWARD-TSN moved the peer past what was abandoned).
export function dc_unreliable(seed: i32, mode: i32, lossPct: f64, delayMs: i32): i32 {
  stats = new StaticArray<i64>(32);
  const sim = new DcSim(<u64>seed * 31 + 7);
  sim.net.lossPct = lossPct;
  sim.net.reorderPct = 10;
  sim.net.delayMs = delayMs;
  sim.a.connect(0);
  sim.b.connect(0);
  const rel = sim.a.create("reliable", "", true, -1, -1, -1, 0);
  const unr = sim.a.create("unreliable", "", mode != 0, mode == 1 ? 2 : mode == 0 ? 0 : -1, mode == 2 ? 300 : -1, -1, 0);
  const M = 200;
  const R = 60;
  let sentU = 0;
  let sentR = 0;
  let gotR = 0;
  let gotU = 0;
  let lastU = -1;
  const seenU = new Array<bool>(M).fill(false);
  const sb = new Seen();
  while (sim.now < 600000) {
    while (sentU < M && sim.a.send(<u16>unr, pattern(9, sentU, 2000), true, sim.now) == 0) sentU++;
    while (sentR < R && sim.a.send(<u16>rel, pattern(8, sentR, 700), true, sim.now) == 0) sentR++;
    sb.messages.length = 0;
    sb.drain(sim.b);
    for (let i = 0; i < sb.messages.length; i++) {
      const m = sb.messages[i];
      const d = m.data!;
      const seq = (<i32>d[0] << 8) | <i32>d[1];
      if (m.id == <u16>rel) {
        if (seq != gotR || !sameBytes(d, pattern(8, seq, 700))) return 10;
        gotR++;
      } else {
        if (seq >= M || seenU[seq] || !sameBytes(d, pattern(9, seq, 2000))) return 11;
        if (mode != 0 && seq <= lastU) return 12;
        seenU[seq] = true;
        lastU = seq;
        gotU++;
      }
    }
    while (sim.a.pollEvent() != null) {}
    if (sentU == M && gotR == R && sim.a.assoc.rtx.empty && sim.a.assoc.sendQueue.empty) break;
    if (!sim.step()) break;
  }
  const rtx = sim.a.assoc.rtx;
  stats[0] = sim.now;
  stats[1] = gotU;
  stats[2] = gotR;
  const given = rtx.abandonedMessages + sim.a.assoc.sendQueue.expiredMessages;
  stats[3] = given;
  stats[4] = rtx.limitViolations;
  stats[5] = rtx.lateRetransmits;
  stats[6] = rtx.retransmissions;
  stats[7] = sim.b.assoc.reasm.bytes;
  stats[8] = rtx.flight;
  stats[9] = rtx.cwnd;
  stats[10] = rtx.peerRwnd;
  stats[11] = rtx.chunks.length;
  stats[12] = sim.a.assoc.sendQueue.queuedBytes;
  stats[13] = rtx.cumAck - sim.a.assoc.myInitialTsn;
  stats[14] = rtx.advancedPeerAckPoint - sim.a.assoc.myInitialTsn;
  stats[15] = sim.b.assoc.tracker.cumTsn - sim.a.assoc.myInitialTsn;
  stats[16] = rtx.t3Deadline;
  stats[17] = <i64>sim.a.assoc.state;
  stats[18] = rtx.nextTsn - sim.a.assoc.myInitialTsn;
  stats[19] = sim.b.assoc.receiveWindow;
  stats[20] = <i64>rtx.needForwardTsn;
  stats[21] = <i64>sim.a.assoc.peerForwardTsn;
  stats[22] = sim.b.assoc.reasm.expectedSsn(<u16>rel);
  stats[23] = sim.b.assoc.reasm.firstWaitingSsn(<u16>rel);
  stats[24] = sim.b.assoc.reasm.expectedSsn(<u16>unr);
  if (gotR != R) return 1;
  if (rtx.limitViolations != 0) return 2;
  if (rtx.lateRetransmits != 0) return 3;
  if (!rtx.empty || !sim.a.assoc.sendQueue.empty) return 4;
  if (gotU + given < M) return 5; // every message arrived or was given up
  if (sim.b.assoc.reasm.bytes != 0) return 6; // no partial message left behind
  return 0;
}

// bufferedAmount and its low-threshold event.
export function dc_buffered_low(seed: i32): i32 {
  const sim = new DcSim(<u64>seed);
  sim.net.delayMs = 50;
  sim.a.connect(0);
  const id = <u16>sim.a.create("bulk", "", true, -1, -1, -1, 0);
  sim.a.setBufferedAmountLowThreshold(id, 10000);
  sim.runFor(500);
  const sa = new Seen();
  sa.drain(sim.a);
  for (let i = 0; i < 50; i++) if (sim.a.send(id, new Uint8Array(1000), true, sim.now) != 0) return 1;
  if (sim.a.bufferedAmount(id) != 50000) return 2;
  sa.drain(sim.a);
  if (sa.low.length != 0) return 3;
  for (let i = 0; i < 200 && sa.low.length == 0; i++) {
    sim.step();
    sa.drain(sim.a);
    while (sim.b.pollEvent() != null) {}
  }
  if (sa.low.length != 1 || sa.low[0] != id) return 4;
  if (sim.a.bufferedAmount(id) > 10000) return 5;
  return 0;
}


// ---- Peer restart (RFC 9260 §5.2.4 case A) ----

// Drains an association's events; counts messages (checked against pattern(stream, n, len)).
class Drain {
  messages: i32 = 0;
  connected: i32 = 0;
  restarted: i32 = 0;
  closed: i32 = 0;
  bad: i32 = 0;
  resetIncoming: Array<u16> = [];
  resetDone: Array<u16> = [];
  constructor(public stream: u16, public len: i32) {}
  run(a: Association): void {
    let e = a.pollEvent();
    while (e) {
      if (e.kind == EVENT_MESSAGE) {
        if (e.streamId == this.stream && !sameBytes(e.data!, pattern(this.stream, this.messages, this.len))) this.bad++;
        if (e.streamId == this.stream) this.messages++;
      } else if (e.kind == EVENT_CONNECTED) this.connected++;
      else if (e.kind == EVENT_RESTARTED) this.restarted++;
      else if (e.kind == EVENT_CLOSED) this.closed++;
      else if (e.kind == EVENT_STREAMS_RESET_INCOMING) for (let i = 0; i < e.streams.length; i++) this.resetIncoming.push(e.streams[i]);
      else if (e.kind == EVENT_STREAMS_RESET_DONE) for (let i = 0; i < e.streams.length; i++) this.resetDone.push(e.streams[i]);
      e = a.pollEvent();
    }
  }
}

function runSim(sim: Sim, ms: i64, da: Drain, db: Drain): void {
  const end = sim.now + ms;
  while (sim.now < end) {
    da.run(sim.a);
    db.run(sim.b);
    if (!sim.step()) break;
  }
  da.run(sim.a);
  db.run(sim.b);
}

// a and b exchange ordered messages; then a "reboots" (a fresh association with the same
// configuration connects while b still has data in flight to the old a). b must detect the
// restart, drop the old association's state and carry on with the new one: new messages flow
// both ways from SSN 0, and a replay of the restarting COOKIE-ECHO does not restart b again.
// Returns 0 or the number of the failed check; stats: 0 b's restarts, 1 b's events.
export function sim_restart(seed: i32): i32 {
  stats = new StaticArray<i64>(32);
  const ca = new SctpConfig();
  const cb = new SctpConfig();
  const sim = new Sim(ca, cb, <u64>seed + 21);
  sim.net.delayMs = 20;
  const da = new Drain(2, 500);
  const db = new Drain(2, 500);
  sim.a.connect(0);
  runSim(sim, 1000, da, db);
  if (!sim.a.isUp() || !sim.b.isUp()) return 1;
  for (let i = 0; i < 10; i++) {
    if (sim.a.send(2, 53, pattern(2, i, 500), false, -1, -1, sim.now) != SEND_OK) return 2;
    if (sim.b.send(2, 53, pattern(2, i, 500), false, -1, -1, sim.now) != SEND_OK) return 3;
  }
  runSim(sim, 2000, da, db);
  if (da.messages != 10 || db.messages != 10 || da.bad + db.bad != 0) return 4;
  const oldTag = sim.b.myVtag;
  // b has more on its way when a goes down: that data belongs to the old association.
  for (let i = 10; i < 15; i++) sim.b.send(2, 53, pattern(2, i, 500), false, -1, -1, sim.now);
  sim.flush();
  sim.net.queue.length = 0; // a is gone, and so is what was on the wire to it
  sim.a = new Association(ca);
  const da2 = new Drain(2, 500);
  const db2 = new Drain(2, 500);
  sim.a.connect(sim.now);
  // Keep the restarting COOKIE-ECHO for a replay.
  let echo: Uint8Array | null = null;
  for (let n = 0; n < 200 && !(sim.a.isUp() && db2.restarted > 0); n++) {
    sim.flush();
    for (let i = 0; i < sim.net.queue.length; i++) {
      const d = sim.net.queue[i];
      const p = parsePacket(d.data);
      if (d.to == 1 && p != null && p.chunks.length > 0 && p.chunks[0].type == CHUNK_COOKIE_ECHO) echo = d.data;
    }
    da2.run(sim.a);
    db2.run(sim.b);
    if (!sim.step()) break;
  }
  db2.run(sim.b);
  da2.run(sim.a);
  stats[0] = sim.b.stats.restarts;
  if (!sim.a.isUp() || da2.connected != 1) return 5;
  if (db2.restarted != 1 || db2.connected != 0 || db2.closed != 0 || sim.b.stats.restarts != 1) return 6;
  if (sim.b.myVtag == oldTag || sim.b.peerVtag != sim.a.myVtag || sim.a.peerVtag != sim.b.myVtag) return 7;
  if (!sim.b.sendQueue.empty || !sim.b.rtx.empty) return 8; // the old data was dropped
  // New messages both ways, from SSN 0 on each side.
  for (let i = 0; i < 10; i++) {
    if (sim.a.send(2, 53, pattern(2, i, 500), false, -1, -1, sim.now) != SEND_OK) return 9;
    if (sim.b.send(2, 53, pattern(2, i, 500), false, -1, -1, sim.now) != SEND_OK) return 10;
  }
  runSim(sim, 3000, da2, db2);
  if (da2.messages != 10 || db2.messages != 10 || da2.bad + db2.bad != 0) return 11;
  // A replayed restart cookie is answered (case D: same tags now) and restarts nothing.
  if (echo == null) return 12;
  sim.b.input(echo!, sim.now);
  runSim(sim, 1000, da2, db2);
  if (sim.b.stats.restarts != 1 || db2.restarted != 1 || !sim.b.isUp() || !sim.a.isUp()) return 13;
  return 0;
}

// The same at the data-channel layer: b's channels close, DC_EVENT_RESTARTED follows, and new
// channels open on the restarted association.
export function dc_restart(seed: i32): i32 {
  const sim = new DcSim(<u64>seed + 3);
  sim.net.delayMs = 10;
  sim.a.connect(0);
  sim.runFor(500);
  const sa = new Seen();
  const sb = new Seen();
  for (let i = 0; i < 3; i++) if (sim.a.create("c" + i.toString(), "", true, -1, -1, -1, sim.now) < 0) return 1;
  sim.runFor(1000);
  sa.drain(sim.a);
  sb.drain(sim.b);
  if (sb.remoteOpens.length != 3 || sim.b.channelCount != 3) return 2;
  sim.net.queue.length = 0;
  sim.a = new DataChannels(new SctpConfig(), true);
  sim.a.connect(sim.now);
  let restarted = 0;
  for (let n = 0; n < 500 && restarted == 0; n++) {
    sim.step();
    let e = sim.b.pollEvent();
    while (e) {
      if (e.kind == DC_EVENT_RESTARTED) restarted++;
      else if (e.kind == DC_EVENT_CLOSED) sb.closes.push(e.id);
      e = sim.b.pollEvent();
    }
  }
  if (restarted != 1 || sb.closes.length != 3 || sim.b.channelCount != 0) return 3;
  sim.runFor(500);
  const sa2 = new Seen();
  sa2.drain(sim.a);
  if (sa2.connected != 1) return 4;
  const id = sim.a.create("again", "", true, -1, -1, -1, sim.now);
  if (id != 0) return 5;
  sim.runFor(500);
  if (sim.a.sendString(<u16>id, "after restart", sim.now) != 0) return 6;
  sim.runFor(1000);
  const sb2 = new Seen();
  sb2.drain(sim.b);
  if (sb2.remoteOpens.length != 1 || sb2.messages.length != 1 || text(sb2.messages[0].data!) != "after restart") return 7;
  return 0;
}

// ---- Incoming SSN Reset Request (RFC 6525 §5.2.3) ----

// A RE-CONFIG chunk with one Incoming SSN Reset Request, as a peer that uses them sends it.
class IncomingResetChunk extends Chunk {
  constructor(public seq: u32, public streams: Array<u16>) {
    super();
  }
  chunkType(): u8 {
    return CHUNK_RECONFIG;
  }
  valueLength(): i32 {
    return (8 + 2 * this.streams.length + 3) & ~3;
  }
  writeValue(w: ByteWriter): void {
    w.u16(PARAM_INCOMING_RESET_REQUEST);
    w.u16(<u16>(8 + 2 * this.streams.length));
    w.u32(this.seq);
    for (let i = 0; i < this.streams.length; i++) w.u16(this.streams[i]);
    if ((this.streams.length & 1) != 0) w.u16(0);
  }
}

// What a's packets to b carry in RE-CONFIG chunks: responses (seq << 8 | result) and whether an
// Outgoing SSN Reset Request answering `answers` went out.
class ReconfigSeen {
  responses: Array<u64> = [];
  outgoingAnswering: i32 = 0;
  look(pkt: Uint8Array, answers: u32): void {
    const p = parsePacket(pkt);
    if (p == null) return;
    for (let i = 0; i < p.chunks.length; i++) {
      if (p.chunks[i].type != CHUNK_RECONFIG) continue;
      const rc = ReconfigChunk.parse(p.chunks[i].value);
      if (rc == null) continue;
      for (let k = 0; k < rc.params.length; k++) {
        const prm = rc.params[k];
        if (prm.type == PARAM_RECONFIG_RESPONSE) {
          const r = ReconfigResponse.parse(prm.value)!;
          this.responses.push((<u64>r.responseSeq << 8) | <u64>r.result);
        } else if (prm.type == PARAM_OUTGOING_RESET_REQUEST) {
          const q = OutgoingResetRequest.parse(prm.value)!;
          if (q.responseSeq == answers) this.outgoingAnswering++;
        }
      }
    }
  }
}

function forgeIncomingReset(sim: Sim, seq: u32, streams: Array<u16>): void {
  const pw = new PacketWriter(1200, 5000, 5000, sim.a.myVtag);
  pw.add(new IncomingResetChunk(seq, streams));
  sim.a.input(pw.finish(), sim.now);
}

// Sends a's packets on to b, looking at each.
function collectReconfig(sim: Sim, seen: ReconfigSeen, answers: u32): void {
  let p = sim.a.pollTransmit();
  while (p) {
    seen.look(p, answers);
    sim.net.send(1, p, sim.now);
    p = sim.a.pollTransmit();
  }
}

// b (forged) asks a to reset a's outgoing stream 3 after a has sent on it. a must answer with
// its own Outgoing SSN Reset Request naming b's request, b resets its incoming stream, and a's
// next message on stream 3 starts again at SSN 0 and is delivered. Bad requests are refused:
// an out-of-range stream (Wrong SSN), an empty list (Denied), a wrong sequence number.
export function sim_incoming_reset(seed: i32): i32 {
  const sim = new Sim(new SctpConfig(), new SctpConfig(), <u64>seed + 41);
  sim.net.delayMs = 10;
  const da = new Drain(3, 300);
  const db = new Drain(3, 300);
  sim.a.connect(0);
  runSim(sim, 1000, da, db);
  if (!sim.a.isUp() || !sim.b.isUp()) return 1;
  for (let i = 0; i < 5; i++) sim.a.send(3, 53, pattern(3, i, 300), false, -1, -1, sim.now);
  runSim(sim, 1000, da, db);
  if (db.messages != 5) return 2;
  let seq = sim.b.myInitialTsn; // b's first request sequence number (it sent none of its own)
  const seen = new ReconfigSeen();
  const streams = new Array<u16>();
  streams.push(3);
  forgeIncomingReset(sim, seq, streams);
  collectReconfig(sim, seen, seq);
  if (seen.outgoingAnswering != 1 || seen.responses.length != 0) return 3;
  runSim(sim, 1000, da, db);
  if (db.resetIncoming.length != 1 || db.resetIncoming[0] != 3) return 4;
  if (da.resetDone.length != 1 || da.resetDone[0] != 3) return 5;
  // The stream starts over: b's reassembly expects SSN 0 again and gets it.
  db.messages = 0;
  for (let i = 0; i < 3; i++) if (sim.a.send(3, 53, pattern(3, i, 300), false, -1, -1, sim.now) != SEND_OK) return 6;
  runSim(sim, 1000, da, db);
  if (db.messages != 3 || db.bad != 0) return 7;
  // Refusals, each answered by a Response parameter.
  seq++;
  const tooHigh = new Array<u16>();
  tooHigh.push(60000);
  forgeIncomingReset(sim, seq, tooHigh);
  collectReconfig(sim, seen, seq);
  if (seen.responses.length != 1 || seen.responses[0] != ((<u64>seq << 8) | <u64>RESULT_ERROR_WRONG_SSN)) return 8;
  seq++;
  forgeIncomingReset(sim, seq, new Array<u16>());
  collectReconfig(sim, seen, seq);
  if (seen.responses.length != 2 || seen.responses[1] != ((<u64>seq << 8) | <u64>RESULT_DENIED)) return 9;
  forgeIncomingReset(sim, seq + 5, streams);
  collectReconfig(sim, seen, seq + 5);
  if (seen.responses.length != 3 || seen.responses[2] != ((<u64>(seq + 5) << 8) | <u64>RESULT_ERROR_BAD_SEQ)) return 10;
  if (seen.outgoingAnswering != 1) return 11; // only the first request was answered by one
  if (!sim.a.isUp()) return 12;
  return 0;
}

// ---- Congestion window in wire bytes, RTT sampling ----

// 4000 messages of 4 bytes: the congestion window counts DATA chunk headers, so what is in
// flight stays within cwnd (+ one packet) in wire bytes, not only in payload. Returns 0 or a
// failure; stats: 0 most chunks in flight, 1 cwnd then, 2 most (wire flight - cwnd).
export function sim_tiny_messages(seed: i32): i32 {
  stats = new StaticArray<i64>(32);
  const sim = new Sim(new SctpConfig(), new SctpConfig(), <u64>seed + 61);
  sim.net.delayMs = 30;
  const da = new Drain(4, 4);
  const db = new Drain(4, 4);
  sim.a.connect(0);
  runSim(sim, 1000, da, db);
  const N = 4000;
  let sent = 0;
  let worst: i64 = i64.MIN_VALUE;
  while (sim.now < 120000 && db.messages < N) {
    while (sent < N && sim.a.send(4, 53, pattern(4, sent, 4), false, -1, -1, sim.now) == SEND_OK) sent++;
    da.run(sim.a);
    db.run(sim.b);
    const rtx = sim.a.rtx;
    let inFlight = 0;
    let wire = 0;
    for (let i = 0; i < rtx.chunks.length; i++) {
      const c = rtx.chunks[i];
      if (c.inFlight) {
        inFlight++;
        wire += c.wireSize;
      }
    }
    if (wire != rtx.flight) return 1; // flight is the wire size of what is in flight
    if (<i64>inFlight > stats[0]) {
      stats[0] = inFlight;
      stats[1] = rtx.cwnd;
    }
    worst = max(worst, <i64>(rtx.flight - rtx.cwnd));
    if (!sim.step()) break;
  }
  stats[2] = worst;
  if (db.messages != N || db.bad != 0) return 2;
  if (worst > 1200) return 3;
  return 0;
}

// RTT sampling (RFC 9260 §6.3.1): one chunk timed per round trip, never one that was resent.
// mode 0: 50 ms each way, a long transfer: samples stay at most one per round trip and SRTT
// near 100 ms. mode 1: 300 ms each way against an initial RTO of 400 ms, so the first chunks
// are resent before their SACK comes (Karn's ambiguity): no sample may come out below 600 ms.
// Returns 0 or a failure; stats: 0 samples, 1 virtual ms, 2 SRTT, 3 min RTO seen, 4 T3 expiries.
export function sim_rtt(seed: i32, mode: i32): i32 {
  stats = new StaticArray<i64>(32);
  const ca = new SctpConfig();
  const cb = new SctpConfig();
  const oneWay = mode == 0 ? 50 : 300;
  if (mode == 1) {
    ca.rtoInitialMs = 400;
    ca.rtoMinMs = 100;
  }
  const sim = new Sim(ca, cb, <u64>seed + 81);
  sim.net.delayMs = oneWay;
  const da = new Drain(5, 1000);
  const db = new Drain(5, 1000);
  sim.a.connect(0);
  runSim(sim, 5 * <i64>oneWay, da, db);
  if (!sim.a.isUp()) return 1;
  const start = sim.now;
  const N = mode == 0 ? 2000 : 60;
  let sent = 0;
  let minSrtt: f64 = 1e9;
  let finished = start;
  while (sim.now < start + 600000 && db.messages < N) {
    while (sent < N && sim.a.send(5, 53, pattern(5, sent, 1000), false, -1, -1, sim.now) == SEND_OK) sent++;
    da.run(sim.a);
    db.run(sim.b);
    const r = sim.a.rtx.rto;
    if (r.measured && r.srtt < minSrtt) minSrtt = r.srtt;
    // A step delivers at the current time, then moves the clock to the next event (which may
    // be a heartbeat much later): the transfer ended at the start of the step that finished it.
    finished = sim.now;
    if (!sim.step()) break;
  }
  const rtx = sim.a.rtx;
  stats[0] = rtx.rttSamples;
  stats[1] = finished - start;
  stats[2] = <i64>rtx.rto.srtt;
  stats[3] = <i64>minSrtt;
  stats[4] = rtx.t3Expiries;
  if (db.messages != N || db.bad != 0) return 2;
  if (rtx.rttSamples < 1) return 3;
  // At most one sample per round trip (2 * oneWay), plus the one in progress.
  if (<i64>rtx.rttSamples > (finished - start) / (2 * <i64>oneWay) + 1) return 4;
  if (minSrtt < <f64>(2 * oneWay) - 1) return 5; // a sample from a resent chunk would be shorter
  if (mode == 1 && rtx.t3Expiries == 0) return 6; // the scenario did provoke a spurious resend
  if (mode == 0 && rtx.rto.srtt > <f64>(2 * oneWay + 250)) return 7;
  return 0;
}
