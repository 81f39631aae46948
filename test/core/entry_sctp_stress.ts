// Two associations over a link of fixed delay on a virtual clock, driven in steps from
// test/core/sctp_congestion.test.ts (cwnd and ssthresh read between steps, congestion events
// caught as they happen) and test/core/sctp_bad_input2.test.ts (a third party injects INIT
// floods and never-ending reassemblies at association b while a and b keep talking).
export { mem_alloc, mem_free } from "./entry_common";
import { bytesAt } from "./entry_common";
import { Association, SEND_OK } from "../../assembly/sctp/association";
import { SctpConfig } from "../../assembly/sctp/config";
import { EVENT_MESSAGE } from "../../assembly/sctp/event";
import { parsePacket, PacketWriter } from "../../assembly/sctp/packet";
import { CHUNK_DATA, CHUNK_ABORT } from "../../assembly/sctp/chunk";
import { DataChunk, DATA_FLAG_BEGIN, DATA_FLAG_END } from "../../assembly/sctp/chunk_data";
import { AbortChunk } from "../../assembly/sctp/chunk_abort";
import { crc32c } from "../../assembly/crypto/crc32c";

class InFlight {
  constructor(public at: i64, public toB: bool, public data: Uint8Array) {}
}

// The application on each side keeps its send buffer full of `appSize`-byte messages (0: sends
// nothing); each message carries its number, so the receiver checks order and loss.
class Side {
  appSize: i32 = 0;
  sent: i32 = 0;
  received: i32 = 0;
  bad: i32 = 0;
}

class World {
  a: Association;
  b: Association;
  sides: StaticArray<Side> = [new Side(), new Side()];
  link: Array<InFlight> = []; // in order of arrival: the delay is fixed
  now: i64 = 0;
  delayMs: i64;
  dropDataFromA: i32 = 0; // the next this many packets from a that carry DATA are lost
  blackhole: bool = false; // everything is lost, both ways
  // Congestion events at a, caught around the call that caused them: cwnd before, cwnd and
  // ssthresh after, for the first fast retransmit that entered recovery and the latest T3.
  frCount: i32 = 0;
  frCwndBefore: i32 = 0;
  frCwnd: i32 = 0;
  frSsthresh: i32 = 0;
  t3Count: i32 = 0;
  t3CwndBefore: i32 = 0;
  t3Cwnd: i32 = 0;
  t3Ssthresh: i32 = 0;
  // Answers b gave to the third party (anything not on a's tag).
  toAttacker: i32 = 0;
  attackerLastChunk: i32 = -1;
  bAbortCause: i32 = -1; // the first error cause of the latest ABORT b sent, to anyone

  constructor(ca: SctpConfig, cb: SctpConfig, delayMs: i64) {
    this.a = new Association(ca);
    this.b = new Association(cb);
    this.delayMs = delayMs;
  }

  private carriesData(p: Uint8Array): bool {
    const pk = parsePacket(p);
    if (pk == null) return false;
    for (let i = 0; i < pk.chunks.length; i++) if (pk.chunks[i].type == CHUNK_DATA) return true;
    return false;
  }

  private fromB(p: Uint8Array): void {
    const vtag = (<u32>p[4] << 24) | (<u32>p[5] << 16) | (<u32>p[6] << 8) | <u32>p[7];
    if (p.length > 12 && p[12] == CHUNK_ABORT) {
      const pk = parsePacket(p);
      if (pk != null) {
        const c = pk.chunks[0];
        const ab = AbortChunk.parse(c.flags, c.value);
        this.bAbortCause = ab.causes.length > 0 ? <i32>ab.causes[0].code : 0;
      }
    }
    if (vtag == this.a.myVtag) {
      if (!this.blackhole) this.link.push(new InFlight(this.now + this.delayMs, false, p));
      return;
    }
    this.toAttacker++;
    const pk = parsePacket(p);
    if (pk == null || pk.chunks.length == 0) return;
    const c = pk.chunks[0];
    this.attackerLastChunk = c.type;
  }

  flush(): void {
    for (let p = this.a.pollTransmit(); p != null; p = this.a.pollTransmit()) {
      if (this.blackhole) continue;
      if (this.dropDataFromA > 0 && this.carriesData(p)) {
        this.dropDataFromA--;
        continue;
      }
      this.link.push(new InFlight(this.now + this.delayMs, true, p));
    }
    for (let p = this.b.pollTransmit(); p != null; p = this.b.pollTransmit()) this.fromB(p);
  }

  private app(): void {
    for (let i = 0; i < 2; i++) {
      const s = this.sides[i];
      const from = i == 0 ? this.a : this.b;
      const to = i == 0 ? this.b : this.a;
      if (s.appSize > 0 && from.isUp()) {
        while (true) {
          const m = new Uint8Array(s.appSize);
          store<u32>(m.dataStart, <u32>s.sent);
          if (from.send(1, 53, m, false, -1, -1, this.now) != SEND_OK) break;
          s.sent++;
        }
      }
      const r = this.sides[1 - i];
      for (let e = to.pollEvent(); e != null; e = to.pollEvent()) {
        if (e.kind != EVENT_MESSAGE) continue;
        if (load<u32>(e.data!.dataStart) != <u32>r.received) r.bad++;
        r.received++;
      }
    }
  }

  // a.input or a.handleTimeout, with its congestion events recorded.
  private atA(p: Uint8Array | null): void {
    const rtx = this.a.rtx;
    const cwnd = rtx.cwnd;
    const inRecovery = rtx.inFastRecovery;
    const t3 = rtx.t3Expiries;
    if (p != null) this.a.input(p, this.now);
    else this.a.handleTimeout(this.now);
    const r = this.a.rtx; // the same object unless the association restarted
    if (!inRecovery && r.inFastRecovery && this.frCount++ == 0) {
      this.frCwndBefore = cwnd;
      this.frCwnd = r.cwnd;
      this.frSsthresh = r.ssthresh;
    }
    if (r.t3Expiries != t3) {
      this.t3Count++;
      this.t3CwndBefore = cwnd;
      this.t3Cwnd = r.cwnd;
      this.t3Ssthresh = r.ssthresh;
    }
  }

  // Runs until the virtual clock reaches `until`.
  run(until: i64): void {
    while (true) {
      this.app();
      this.flush();
      while (this.link.length > 0 && this.link[0].at <= this.now) {
        const d = this.link.shift();
        if (d.toB) this.b.input(d.data, this.now);
        else this.atA(d.data);
        this.app();
        this.flush();
      }
      if (this.a.nextDeadline() <= this.now) this.atA(null);
      if (this.b.nextDeadline() <= this.now) this.b.handleTimeout(this.now);
      this.app();
      this.flush();
      let next = min(this.a.nextDeadline(), this.b.nextDeadline());
      if (this.link.length > 0) next = min(next, this.link[0].at);
      if (next > until) {
        this.now = until;
        return;
      }
      if (next > this.now) this.now = next;
    }
  }

  // A packet from the third party, straight into b.
  inject(p: Uint8Array): i32 {
    const before = this.toAttacker;
    this.b.input(p, this.now);
    this.app();
    this.flush();
    return this.toAttacker - before;
  }
}

let w: World | null = null;

// rbuf, maxChunks and maxMsg (> 0) configure b's receive buffer, reassembly fragment limit and
// message size limit. established: a connects and the handshake runs to completion.
export function st_setup(delayMs: i32, established: bool, rbuf: i32, maxChunks: i32, maxMsg: i32): bool {
  const cb = new SctpConfig();
  if (rbuf > 0) cb.receiveBufferSize = rbuf;
  if (maxChunks > 0) cb.maxReassemblyChunks = maxChunks;
  if (maxMsg > 0) cb.maxMessageSize = maxMsg;
  const world = new World(new SctpConfig(), cb, <i64>delayMs);
  w = world;
  if (!established) return true;
  world.a.connect(0);
  for (let t: i64 = 0; t < 10000 && !(world.a.isUp() && world.b.isUp()); t += 10) world.run(t);
  return world.a.isUp() && world.b.isUp();
}

export function st_connect(): void {
  const world = w!;
  world.a.connect(world.now);
}

export function st_run_to(t: i64): void {
  w!.run(t);
}

export function st_now(): i64 {
  return w!.now;
}

// side 0: a sends to b; side 1: b sends to a. size 0 stops that side's sending.
export function st_app(side: i32, size: i32): void {
  w!.sides[side].appSize = size;
}

export function st_drop_data(n: i32): void {
  w!.dropDataFromA = n;
}

export function st_blackhole(on: bool): void {
  w!.blackhole = on;
}

// 0 cwnd, 1 ssthresh, 2 MTU (a's, as cwnd counts it), 3 flight, 4 RTO, 5 in fast recovery,
// 6 fast retransmissions, 7 T3 expiries, 8 received by b, 9 received by a, 10 out-of-order or
// lost messages (both), 11 a's state, 12 b's state, 13 partial bytes acked.
export function st_a(i: i32): i64 {
  const world = w!;
  const r = world.a.rtx;
  switch (i) {
    case 0: return r.cwnd;
    case 1: return r.ssthresh;
    case 2: return r.mtu;
    case 3: return r.flight;
    case 4: return world.a.rto.rto;
    case 5: return r.inFastRecovery ? 1 : 0;
    case 6: return r.fastRetransmissions;
    case 7: return r.t3Expiries;
    case 8: return world.sides[1].received;
    case 9: return world.sides[0].received;
    case 10: return world.sides[0].bad + world.sides[1].bad;
    case 11: return <i64>world.a.state;
    case 12: return <i64>world.b.state;
    case 13: return r.partialBytesAcked;
  }
  return -1;
}

// The recorded congestion events: 0 fast retransmits entering recovery, 1 cwnd before the first,
// 2 cwnd after it, 3 ssthresh after it, 4 T3 expiries seen, 5 cwnd before the latest, 6 cwnd
// after it, 7 ssthresh after it.
export function st_event(i: i32): i64 {
  const world = w!;
  switch (i) {
    case 0: return world.frCount;
    case 1: return world.frCwndBefore;
    case 2: return world.frCwnd;
    case 3: return world.frSsthresh;
    case 4: return world.t3Count;
    case 5: return world.t3CwndBefore;
    case 6: return world.t3Cwnd;
    case 7: return world.t3Ssthresh;
  }
  return -1;
}

// b under attack: 0 state, 1 reassembly bytes, 2 fragments held, 3 DATA dropped for want of
// room, 4 malformed, 5 bad tag, 6 its tag, 7 advertised window now, 8 answers to the third party,
// 9 first chunk type of the latest of them, 10 first error cause of b's latest ABORT (to
// anyone), 11 packets in.
export function st_b(i: i32): i64 {
  const world = w!;
  const b = world.b;
  switch (i) {
    case 0: return <i64>b.state;
    case 1: return b.reasm.bytes;
    case 2: return b.reasm.fragmentCount;
    case 3: return b.stats.noRoom;
    case 4: return b.stats.malformed;
    case 5: return b.stats.badTag;
    case 6: return <i64>b.myVtag;
    case 7: return b.receiveWindow;
    case 8: return world.toAttacker;
    case 9: return world.attackerLastChunk;
    case 10: return world.bAbortCause;
    case 11: return b.stats.packetsIn;
  }
  return -1;
}

// A packet (checksum already right) from the third party into b; returns the answers it got.
export function st_inject(ptr: usize, len: i32): i32 {
  return w!.inject(bytesAt(ptr, len).slice());
}

// The peer turned hostile: n DATA chunks of len bytes on stream 1, each at b's next expected TSN
// (the most b can be made to accept), forged on b's tag, one per millisecond. mode 0: each
// the first fragment of a new ordered message that never ends; mode 1: one message that begins
// and never ends. Returns how many b accepted into reassembly.
export function st_forge_fragments(n: i32, len: i32, mode: i32): i32 {
  const world = w!;
  const b = world.b;
  let accepted = 0;
  let ssn: u16 = 0x4000; // far from anything a sends, so no real message completes them
  for (let i = 0; i < n && b.isUp(); i++) {
    const tsn = b.tracker.cumTsn + 1;
    const first = mode == 0 || i == 0;
    const d = new DataChunk(first ? DATA_FLAG_BEGIN : 0, tsn, 1, ssn, 53, new Uint8Array(len));
    if (mode == 0) ssn++;
    const pw = new PacketWriter(b.config.mtu, b.config.remotePort, b.config.localPort, b.myVtag);
    pw.add(d);
    const held = b.reasm.fragmentCount;
    world.b.input(pw.finish(), world.now);
    if (b.reasm.fragmentCount > held) accepted++;
    // One forged packet per millisecond, so b's answers reach a instead of piling up on the link.
    world.run(world.now + 1);
  }
  return accepted;
}

// A lost chunk whose retransmission meets a buffer full of the messages queued behind it
// (RFC 9260 §6.2). From b's peer, on stream 1: complete ordered messages of len bytes at TSNs
// cum+2, cum+3, ... until b refuses one for want of room, then the missing one at cum+1.
// Returns 1 when b took it and delivered everything it held, 0 when it refused it (a stall:
// the peer would resend that chunk forever), -1 when the buffer never filled.
export function st_gap_fill(len: i32): i32 {
  const world = w!;
  const b = world.b;
  const gapTsn = b.tracker.cumTsn + 1;
  const firstSsn = <u16>max(0, b.reasm.expectedSsn(1));
  let filled = false;
  for (let i = 1; i < 100000 && !filled; i++) {
    const refused = b.stats.noRoom;
    forgeMessage(b, world.now, gapTsn + <u32>i, firstSsn + <u16>i, len);
    filled = b.stats.noRoom > refused;
  }
  if (!filled) return -1;
  const refusedBefore = b.stats.noRoom;
  forgeMessage(b, world.now, gapTsn, firstSsn, len);
  if (b.stats.noRoom > refusedBefore) return 0;
  world.run(world.now + 1);
  return b.tracker.cumTsn != gapTsn - 1 && b.reasm.bytes == 0 ? 1 : 0;
}

// One complete ordered message on stream 1, forged on b's tag.
function forgeMessage(b: Association, now: i64, tsn: u32, ssn: u16, len: i32): void {
  const d = new DataChunk(DATA_FLAG_BEGIN | DATA_FLAG_END, tsn, 1, ssn, 53, new Uint8Array(len));
  const pw = new PacketWriter(b.config.mtu, b.config.remotePort, b.config.localPort, b.myVtag);
  pw.add(d);
  b.input(pw.finish(), now);
}

// Linear memory in bytes after a full collection: what is live, to a page.
export function st_memory(): i64 {
  __collect();
  return <i64>memory.size() << 16;
}

// Writes the CRC32c of a forged packet in place (the test builds packets byte by byte).
export function st_checksum(ptr: usize, len: i32): void {
  store<u32>(ptr + 8, 0);
  store<u32>(ptr + 8, crc32c(bytesAt(ptr, len)));
}
