// SCTP/data-channel endpoints driven packet by packet from JavaScript (the werift interop test,
// test/core/sctp_werift.test.ts), and a core-to-core throughput run for bench/sctp.ts.
export { mem_alloc, mem_free } from "./entry_common";
import { bytesAt } from "./entry_common";
import { Association, SEND_OK, AssocState } from "../../assembly/sctp/association";
import { SctpConfig } from "../../assembly/sctp/config";
import { EVENT_MESSAGE } from "../../assembly/sctp/event";
import { DataChannels, DataChannelEvent } from "../../assembly/datachannel/data_channels";
import { Prng } from "./sim_prng";

// ---- Endpoints by handle ----

// Slots are never reused within an instance, so a stale handle cannot reach a new endpoint.
const endpoints: Array<DataChannels | null> = [];
let lastPacket: Uint8Array | null = null;
let lastEvent: DataChannelEvent | null = null;

function ep(h: i32): DataChannels | null {
  return h >= 0 && h < endpoints.length ? endpoints[h] : null;
}

// A data-channel endpoint (DataChannels over one Association) with the default configuration,
// except the MTU and the message size limit when > 0. Returns its handle.
export function ep_new(dtlsClient: bool, mtu: i32, maxMessageSize: i32): i32 {
  const c = new SctpConfig();
  if (mtu > 0) c.mtu = mtu;
  if (maxMessageSize > 0) c.maxMessageSize = maxMessageSize;
  endpoints.push(new DataChannels(c, dtlsClient));
  return endpoints.length - 1;
}

export function ep_free(h: i32): void {
  if (ep(h) != null) endpoints[h] = null;
}

export function ep_connect(h: i32, now: i64): void {
  const e = ep(h);
  if (e) e.connect(now);
}

export function ep_input(h: i32, ptr: usize, len: i32, now: i64): void {
  const e = ep(h);
  if (e) e.input(bytesAt(ptr, len), now);
}

export function ep_timeout(h: i32, now: i64): void {
  const e = ep(h);
  if (e && e.nextDeadline() <= now) e.handleTimeout(now);
}

export function ep_deadline(h: i32): i64 {
  const e = ep(h);
  return e ? e.nextDeadline() : i64.MAX_VALUE;
}

// The next packet to send: its length (0: none); its bytes at ep_packet_ptr() until the next call.
export function ep_transmit(h: i32): i32 {
  const e = ep(h);
  lastPacket = e ? e.pollTransmit() : null;
  return lastPacket ? lastPacket!.length : 0;
}

export function ep_packet_ptr(): usize {
  return lastPacket ? lastPacket!.dataStart : 0;
}

// The next event's kind (DC_EVENT_*, 0: none); its fields through ep_ev_* until the next call.
export function ep_event(h: i32): i32 {
  const e = ep(h);
  lastEvent = e ? e.pollEvent() : null;
  return lastEvent ? lastEvent!.kind : 0;
}

export function ep_ev_id(): i32 {
  return lastEvent ? <i32>lastEvent!.id : -1;
}

export function ep_ev_binary(): bool {
  return lastEvent ? lastEvent!.binary : false;
}

export function ep_ev_remote(): bool {
  return lastEvent ? lastEvent!.remote : false;
}

export function ep_ev_code(): i32 {
  return lastEvent ? lastEvent!.code : 0;
}

export function ep_ev_reason(): i32 {
  return lastEvent ? lastEvent!.reason : 0;
}

export function ep_ev_len(): i32 {
  const e = lastEvent;
  return e && e.data ? e.data!.length : 0;
}

export function ep_ev_ptr(): usize {
  const e = lastEvent;
  return e && e.data ? e.data!.dataStart : 0;
}

// The label and protocol of a channel (UTF-8 "label\0protocol"), at ep_packet_ptr(); -1: no channel.
export function ep_channel_info(h: i32, id: i32): i32 {
  const e = ep(h);
  if (e == null) return -1;
  const ch = e.channel(<u16>id);
  if (ch == null) return -1;
  lastPacket = Uint8Array.wrap(String.UTF8.encode(ch.label + "\0" + ch.protocol));
  return lastPacket!.length;
}

// Opens a channel (negotiatedId < 0: by DCEP). Label is UTF-8 at ptr. Returns the id or -1.
export function dc_create(h: i32, ptr: usize, len: i32, ordered: bool, maxRetransmits: i32, lifetimeMs: i32,
  negotiatedId: i32, now: i64): i32 {
  const e = ep(h);
  if (e == null) return -1;
  const label = String.UTF8.decodeUnsafe(ptr, <usize>len);
  return e.create(label, "", ordered, maxRetransmits, lifetimeMs, negotiatedId, now);
}

export function dc_send(h: i32, id: i32, ptr: usize, len: i32, binary: bool, now: i64): i32 {
  const e = ep(h);
  if (e == null) return -1;
  return e.send(<u16>id, bytesAt(ptr, len), binary, now);
}

export function dc_close(h: i32, id: i32, now: i64): void {
  const e = ep(h);
  if (e) e.close(<u16>id, now);
}

export function dc_buffered(h: i32, id: i32): i32 {
  const e = ep(h);
  return e ? e.bufferedAmount(<u16>id) : 0;
}

export function dc_channel_count(h: i32): i32 {
  const e = ep(h);
  return e ? e.channelCount : 0;
}

// Counters of the association underneath: 0 state, 1 retransmissions, 2 fast retransmissions,
// 3 T3 expiries, 4 malformed, 5 bad tag, 6 unexpected, 7 duplicates received, 8 DCEP errors,
// 9 cwnd, 10 packets in, 11 packets out, 12 no room, 13 send buffer free, 14 chunks held for
// retransmission, 15 bytes in flight, 16 SRTT (ms), 17 RTT samples, 18 restarts.
export function ep_stat(h: i32, i: i32): i64 {
  const e = ep(h);
  if (e == null) return -1;
  const a = e.assoc;
  switch (i) {
    case 0: return <i64>a.state;
    case 1: return a.rtx.retransmissions;
    case 2: return a.rtx.fastRetransmissions;
    case 3: return a.rtx.t3Expiries;
    case 4: return a.stats.malformed;
    case 5: return a.stats.badTag;
    case 6: return a.stats.unexpected;
    case 7: return a.tracker.duplicates;
    case 8: return e.dcepErrors;
    case 9: return a.rtx.cwnd;
    case 10: return a.stats.packetsIn;
    case 11: return a.stats.packetsOut;
    case 12: return a.stats.noRoom;
    case 13: return a.sendBufferFree;
    case 14: return a.rtx.chunks.length;
    case 15: return a.rtx.flight;
    case 16: return <i64>a.rtx.rto.srtt;
    case 17: return a.rtx.rttSamples;
    case 18: return a.stats.restarts;
  }
  return -1;
}

// ---- Core to core, for the benchmark ----

let benchStats = new StaticArray<i64>(16);

export function bench_stat(i: i32): i64 {
  return i >= 0 && i < 16 ? benchStats[i] : 0;
}

function pages(): i64 {
  return <i64>memory.size() << 16;
}

// Two associations in this instance, a lossy in-memory link of 1 ms (virtual clock: the clock
// jumps to the next timer when the link is idle), `messages` reliable ordered messages of `size`
// bytes from a to b on one stream, at default configuration. collectEvery > 0 runs a full GC
// every that many link rounds, so linear memory tracks live data rather than garbage.
// Returns 0 when every message arrived intact and in order. Stats: 0 virtual ms, 1 bytes on
// the wire, 2 packets dropped, 3 retransmissions, 4 linear memory at start, 5 after the
// handshake, 6 peak, 7 T3 expiries, 8 fast retransmissions.
export function bench_core(messages: i32, size: i32, lossPct: f64, seed: i32, collectEvery: i32): i32 {
  benchStats = new StaticArray<i64>(16);
  if (collectEvery > 0) __collect();
  benchStats[4] = pages();
  const a = new Association(new SctpConfig());
  const b = new Association(new SctpConfig());
  const rng = new Prng(<u64>seed * 0x9e3779b97f4a7c15 + 1);
  const threshold = <u32>(lossPct * 42949672.96);
  // FIFO link, both directions: packets and which side they go to.
  let q: Array<Uint8Array> = [];
  let qTo: Array<i32> = [];
  let next: Array<Uint8Array> = [];
  let nextTo: Array<i32> = [];
  let now: i64 = 0;
  let sent = 0;
  let got = 0;
  let rounds = 0;
  let wire: i64 = 0;
  let dropped: i64 = 0;
  let failure = 0;
  const payload = new Uint8Array(size);
  for (let i = 0; i < size; i++) payload[i] = <u8>(i * 31 + 7);
  a.connect(now);
  let up = false;
  while (got < messages && now < 3600000) {
    if (a.state == AssocState.ESTABLISHED) {
      if (!up) {
        up = true;
        benchStats[5] = pages();
      }
      while (sent < messages) {
        // The message number rides in its first bytes, so order and loss are checked. The
        // association keeps the array it is given: each message is its own copy, as from a host.
        const msg = payload.slice();
        msg[0] = <u8>(sent >> 16);
        msg[1] = <u8>(sent >> 8);
        msg[2] = <u8>sent;
        if (a.send(1, 53, msg, false, -1, -1, now) != SEND_OK) break;
        sent++;
      }
    }
    for (let side = 0; side < 2; side++) {
      const s = side == 0 ? a : b;
      let p = s.pollTransmit();
      while (p) {
        wire += p.length;
        if (rng.next() < threshold) dropped++;
        else {
          next.push(p);
          nextTo.push(1 - side);
        }
        p = s.pollTransmit();
      }
    }
    let ev = b.pollEvent();
    while (ev) {
      if (ev.kind == EVENT_MESSAGE) {
        const d = ev.data!;
        const n = (<i32>d[0] << 16) | (<i32>d[1] << 8) | <i32>d[2];
        if (d.length != size || n != (got & 0xffffff) || d[size - 1] != payload[size - 1]) failure = 2;
        got++;
      }
      ev = b.pollEvent();
    }
    while (a.pollEvent() != null) {}
    if (failure != 0) break;
    if (next.length > 0) {
      // One link round: what was sent in the last round arrives 1 ms later.
      const t = q;
      q = next;
      next = t;
      const tt = qTo;
      qTo = nextTo;
      nextTo = tt;
      now += 1;
      for (let i = 0; i < q.length; i++) (qTo[i] == 0 ? a : b).input(q[i], now);
      q.length = 0;
      qTo.length = 0;
    } else {
      const d = min(a.nextDeadline(), b.nextDeadline());
      if (d == i64.MAX_VALUE) break;
      if (d > now) now = d;
    }
    if (a.nextDeadline() <= now) a.handleTimeout(now);
    if (b.nextDeadline() <= now) b.handleTimeout(now);
    rounds++;
    if (collectEvery > 0 && rounds % collectEvery == 0) __collect();
    const m = pages();
    if (m > benchStats[6]) benchStats[6] = m;
  }
  benchStats[0] = now;
  benchStats[1] = wire;
  benchStats[2] = dropped;
  benchStats[3] = a.rtx.retransmissions;
  benchStats[7] = a.rtx.t3Expiries;
  benchStats[8] = a.rtx.fastRetransmissions;
  if (failure != 0) return failure;
  return got == messages ? 0 : 1;
}
