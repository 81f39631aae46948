// TURN test entry: TurnClient, StreamFramer and IceTransport (agent + STUN/TURN clients) behind handles;
// addresses as 19 bytes [family, port hi, port lo, 16 address bytes]. Driven by test/core/turn*.test.ts,
// test/host/coturn*.test.ts and host/net.ts.
export { mem_alloc, mem_free } from "./entry_common";
import { bytesAt, writeAt } from "./entry_common";
import { IceAgent } from "../../assembly/ice/agent";
import { IceConfig } from "../../assembly/ice/config";
import { IceEventKind } from "../../assembly/ice/event";
import { TransportAddress } from "../../assembly/stun/transport_address";
import { TurnClient } from "../../assembly/turn/client";
import { TurnConfig } from "../../assembly/turn/config";
import { TurnEvent, TurnEventKind } from "../../assembly/turn/event";
import { StreamFramer } from "../../assembly/turn/stream_framing";
import { GatherEventKind, IceTransport } from "../../assembly/turn/ice_transport";

const clients: TurnClient[] = [];
const framers: StreamFramer[] = [];
const transports: IceTransport[] = [];
let nextConfig: TurnConfig = new TurnConfig();

function str(p: usize, n: i32): string {
  return String.UTF8.decodeUnsafe(p, <usize>n);
}

function addrAt(p: usize): TransportAddress {
  const b = bytesAt(p, 19);
  const a = TransportAddress.fromBytes(b[0], b, 3, (<u16>b[1] << 8) | <u16>b[2]);
  return a != null ? a : new TransportAddress();
}

function putAddr(o: Uint8Array, off: i32, a: TransportAddress | null): void {
  if (a == null) return;
  o[off] = a.family;
  o[off + 1] = <u8>(a.port >> 8);
  o[off + 2] = <u8>a.port;
  a.writeBytes(o, off + 3);
}

function writeText(out: usize, cap: i32, s: string): i32 {
  const b = Uint8Array.wrap(String.UTF8.encode(s));
  if (b.length > cap) return -2;
  writeAt(out, b);
  return b.length;
}

function addrText(a: TransportAddress | null): string {
  return a == null ? "-" : a.toString();
}

function turnEventText(c: TurnClient, ev: TurnEvent): string {
  switch (ev.kind) {
    case TurnEventKind.Allocated: return "allocated " + addrText(c.relayed) + " " + addrText(c.mapped) + " " + c.lifetime.toString();
    case TurnEventKind.Failed: return "failed " + ev.code.toString();
    case TurnEventKind.PermissionCreated: return "permission " + addrText(ev.peer);
    case TurnEventKind.PermissionFailed: return "permission-failed " + addrText(ev.peer) + " " + ev.code.toString();
    case TurnEventKind.ChannelBound: return "channel " + ev.channel.toString(16) + " " + addrText(ev.peer);
    case TurnEventKind.ChannelBindFailed: return "channel-failed " + ev.channel.toString(16) + " " + addrText(ev.peer) + " " + ev.code.toString();
    case TurnEventKind.Closed: return "closed";
  }
  return "?";
}

// 0 requestedLifetime (s), 1 permissionLifetime (ms), 2 channelLifetime (ms), 3 retryAfter (ms), 4 autoChannelBind,
// 5 maxReceived, 6 maxPermissions, 7 maxChannels, 8 maxStreamMessage, 9 stream, 10 maxTransmits
function setTurnConfig(c: TurnConfig, which: i32, v: i64): void {
  if (which == 0) c.requestedLifetime = <u32>v;
  else if (which == 1) c.permissionLifetime = v;
  else if (which == 2) c.channelLifetime = v;
  else if (which == 3) c.retryAfter = v;
  else if (which == 4) c.autoChannelBind = v != 0;
  else if (which == 5) c.maxReceived = <i32>v;
  else if (which == 6) c.maxPermissions = <i32>v;
  else if (which == 7) c.maxChannels = <i32>v;
  else if (which == 8) c.maxStreamMessage = <i32>v;
  else if (which == 9) c.stream = v != 0;
  else if (which == 10) c.maxTransmits = <i32>v;
}

function turnStat(c: TurnClient, which: i32): u32 {
  const s = c.stats;
  switch (which) {
    case 0: return s.notTurn;
    case 1: return s.malformed;
    case 2: return s.badIntegrity;
    case 3: return s.unmatchedResponses;
    case 4: return s.unknownChannel;
    case 5: return s.unknownPeer;
    case 6: return s.droppedReceived;
    case 7: return s.droppedSends;
    case 8: return s.authRetries;
    case 9: return s.staleNonces;
    case 10: return s.refreshes;
    case 11: return s.permissionRequests;
    case 12: return s.channelBindRequests;
    case 13: return s.sendIndications;
    case 14: return s.channelDataSent;
    case 15: return s.dataIndications;
    case 16: return s.channelDataReceived;
    case 17: return s.streamBroken;
    case 18: return s.droppedTransmits;
  }
  return 0;
}

// ---- TurnClient ----

export function turn_new(u: usize, ul: i32, p: usize, pl: i32, stream: i32): i32 {
  const c = new TurnConfig();
  c.stream = stream != 0;
  clients.push(new TurnClient(c, str(u, ul), str(p, pl)));
  return clients.length - 1;
}

export function turn_set_config(h: i32, which: i32, v: i64): void {
  setTurnConfig(clients[h].config, which, v);
}

export function turn_allocate(h: i32, now: i64): i32 {
  return clients[h].allocate(now) ? 1 : 0;
}

export function turn_input(h: i32, data: usize, len: i32, now: i64): void {
  clients[h].input(bytesAt(data, len), now);
}

export function turn_input_stream(h: i32, data: usize, len: i32, now: i64): i32 {
  return clients[h].inputStream(bytesAt(data, len), 0, len, now) ? 1 : 0;
}

export function turn_poll_transmit(h: i32, out: usize, cap: i32): i32 {
  const t = clients[h].pollTransmit();
  if (t == null) return -1;
  if (t.length > cap) return -2;
  writeAt(out, t);
  return t.length;
}

export function turn_poll_event(h: i32, out: usize, cap: i32): i32 {
  const c = clients[h];
  const ev = c.pollEvent();
  if (ev == null) return -1;
  return writeText(out, cap, turnEventText(c, ev));
}

// Writes the peer (19 bytes) and a via-channel flag at addr[19]; the data's length, or -1.
export function turn_poll_data(h: i32, addr: usize, out: usize, cap: i32): i32 {
  const d = clients[h].pollData();
  if (d == null) return -1;
  const a = new Uint8Array(20);
  putAddr(a, 0, d.peer);
  a[19] = d.viaChannel ? 1 : 0;
  writeAt(addr, a);
  if (d.data.length > cap) return -2;
  writeAt(out, d.data);
  return d.data.length;
}

export function turn_send(h: i32, peer: usize, data: usize, len: i32, now: i64): i32 {
  return clients[h].send(addrAt(peer), bytesAt(data, len), 0, len, now) ? 1 : 0;
}

export function turn_create_permission(h: i32, peer: usize, now: i64): i32 {
  return clients[h].createPermission(addrAt(peer), now) ? 1 : 0;
}

export function turn_bind_channel(h: i32, peer: usize, now: i64): i32 {
  return clients[h].bindChannel(addrAt(peer), now) ? 1 : 0;
}

export function turn_close(h: i32, now: i64): void {
  clients[h].close(now);
}

export function turn_handle_timeout(h: i32, now: i64): void {
  clients[h].handleTimeout(now);
}

export function turn_next_deadline(h: i32): i64 {
  return clients[h].nextDeadline();
}

export function turn_state(h: i32): i32 {
  return clients[h].state;
}

export function turn_stat(h: i32, which: i32): u32 {
  return turnStat(clients[h], which);
}

// ---- StreamFramer ----

export function framer_new(cap: i32): i32 {
  framers.push(new StreamFramer(cap));
  return framers.length - 1;
}

export function framer_push(h: i32, data: usize, len: i32): i32 {
  return framers[h].push(bytesAt(data, len), 0, len);
}

// The next frame's length (written to out), -1 when none, -3 when the stream is broken.
export function framer_next(h: i32, out: usize, cap: i32): i32 {
  const f = framers[h].next();
  if (f == null) return framers[h].broken ? -3 : -1;
  if (f.length > cap) return -2;
  writeAt(out, f);
  return f.length;
}

export function framer_oversized(h: i32): u32 {
  return framers[h].oversized;
}

// ---- IceTransport ----

export function it_new(controlling: i32, u: usize, ul: i32, p: usize, pl: i32, tieBreaker: u64): i32 {
  const c = new IceConfig();
  c.tieBreaker = tieBreaker;
  transports.push(new IceTransport(new IceAgent(c, controlling != 0, str(u, ul), str(p, pl))));
  return transports.length - 1;
}

// 0 ta, 1 nominationDelay, 2 consentInterval, 3 disconnectedAfter, 4 consentTimeout, 5 checkingTimeout
export function it_ice_config(h: i32, which: i32, v: i64): void {
  const c = transports[h].agent.config;
  if (which == 0) c.ta = v;
  else if (which == 1) c.nominationDelay = v;
  else if (which == 2) c.consentInterval = v;
  else if (which == 3) c.disconnectedAfter = v;
  else if (which == 4) c.consentTimeout = v;
  else if (which == 5) c.checkingTimeout = v;
}

// Sets a field of the TurnConfig the next it_add_turn uses (same numbering as turn_set_config).
export function it_turn_config(which: i32, v: i64): void {
  setTurnConfig(nextConfig, which, v);
}

// Relay-only policy: no server-reflexive candidates are offered (host ones are the caller's choice).
export function it_relay_only(h: i32): void {
  transports[h].offerServerReflexive = false;
}

export function it_set_remote(h: i32, u: usize, ul: i32, p: usize, pl: i32): void {
  transports[h].agent.setRemoteCredentials(str(u, ul), str(p, pl));
}

export function it_add_host(h: i32, addr: usize): i32 {
  return transports[h].agent.addHostCandidate(addrAt(addr)) != null ? 1 : 0;
}

export function it_add_stun(h: i32, local: usize, server: usize, now: i64): void {
  transports[h].addStunServer(addrAt(local), addrAt(server), now);
}

export function it_add_turn(h: i32, local: usize, server: usize, u: usize, ul: i32, p: usize, pl: i32, now: i64): i32 {
  const c = nextConfig;
  nextConfig = new TurnConfig();
  return transports[h].addTurnServer(addrAt(local), addrAt(server), c, str(u, ul), str(p, pl), now);
}

export function it_add_remote(h: i32, line: usize, len: i32): i32 {
  return transports[h].agent.addRemoteCandidateSdp(str(line, len)) ? 1 : 0;
}

export function it_resolve(h: i32, name: usize, len: i32, addr: usize): i32 {
  const t = transports[h];
  const ok = t.agent.resolveMdns(str(name, len), addrAt(addr));
  t.handleTimeout(-1); // moves what resolving queued (nothing is due at -1)
  return ok ? 1 : 0;
}

export function it_input(h: i32, data: usize, len: i32, local: usize, remote: usize, now: i64): void {
  transports[h].input(bytesAt(data, len), addrAt(local), addrAt(remote), now);
}

export function it_input_stream(h: i32, data: usize, len: i32, local: usize, remote: usize, now: i64): i32 {
  return transports[h].inputStream(bytesAt(data, len), addrAt(local), addrAt(remote), now) ? 1 : 0;
}

export function it_send(h: i32, data: usize, len: i32, now: i64): i32 {
  return transports[h].send(bytesAt(data, len), now) ? 1 : 0;
}

export function it_handle_timeout(h: i32, now: i64): void {
  transports[h].handleTimeout(now);
}

export function it_next_deadline(h: i32): i64 {
  return transports[h].nextDeadline();
}

// Writes local (19), remote (19) and a stream flag (1) to addrs, the bytes to data; length or -1.
export function it_poll_transmit(h: i32, addrs: usize, data: usize, cap: i32): i32 {
  const t = transports[h].pollTransmit();
  if (t == null) return -1;
  const a = new Uint8Array(39);
  putAddr(a, 0, t.local);
  putAddr(a, 19, t.remote);
  a[38] = t.stream ? 1 : 0;
  writeAt(addrs, a);
  if (t.data.length > cap) return -2;
  writeAt(data, t.data);
  return t.data.length;
}

// Application data received: local (19) and remote (19) to addrs; length or -1.
export function it_poll_app(h: i32, addrs: usize, data: usize, cap: i32): i32 {
  const d = transports[h].pollAppData();
  if (d == null) return -1;
  const a = new Uint8Array(38);
  putAddr(a, 0, d.local);
  putAddr(a, 19, d.remote);
  writeAt(addrs, a);
  if (d.data.length > cap) return -2;
  writeAt(data, d.data);
  return d.data.length;
}

// Agent events ("state N", "local <candidate>", "selected <local> <remote>", "mdns <name>", "role N"),
// then gathering events ("srflx <addr>", "stun-failed <server>", "turn<i> <turn event>").
export function it_poll_event(h: i32, out: usize, cap: i32): i32 {
  const t = transports[h];
  const ev = t.agent.pollEvent();
  if (ev != null) {
    let s = "";
    if (ev.kind == IceEventKind.StateChanged) s = "state " + (<i32>ev.state).toString();
    else if (ev.kind == IceEventKind.LocalCandidate) s = "local " + ev.candidate!.toSdp();
    else if (ev.kind == IceEventKind.SelectedPairChanged) s = "selected " + ev.pair!.local.address.toString() + " " + ev.pair!.remote.address.toString();
    else if (ev.kind == IceEventKind.ResolveMdns) s = "mdns " + ev.name;
    else if (ev.kind == IceEventKind.RoleChanged) s = "role " + (ev.controlling ? "1" : "0");
    return writeText(out, cap, s);
  }
  const g = t.pollEvent();
  if (g == null) return -1;
  if (g.kind == GatherEventKind.ServerReflexive) return writeText(out, cap, "srflx " + addrText(g.addr));
  if (g.kind == GatherEventKind.StunFailed) return writeText(out, cap, "stun-failed " + addrText(g.addr));
  return writeText(out, cap, "turn" + g.server.toString() + " " + turnEventText(t.turns[g.server].client, g.turn!));
}

export function it_state(h: i32): i32 {
  return transports[h].agent.state;
}

export function it_close(h: i32, now: i64): void {
  transports[h].close(now);
}

export function it_turn_stat(h: i32, server: i32, which: i32): u32 {
  return turnStat(transports[h].turns[server].client, which);
}

export function it_turn_state(h: i32, server: i32): i32 {
  return transports[h].turns[server].client.state;
}

// 0 malformed, 1 badIntegrity, 3 prflxRemote, 4 checksSent, 7 notStun, 8 unmatchedResponses (as entry_ice's ice_stat)
export function it_ice_stat(h: i32, which: i32): u32 {
  const s = transports[h].agent.stats;
  switch (which) {
    case 0: return s.malformed;
    case 1: return s.badIntegrity;
    case 3: return s.prflxRemote;
    case 4: return s.checksSent;
    case 7: return s.notStun;
    case 8: return s.unmatchedResponses;
  }
  return 0;
}
