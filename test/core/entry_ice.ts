// ICE test entry: agents behind handles, addresses as 19 bytes [family, port hi, port lo, 16 address bytes],
// for the virtual-network tests in test/core/ice.test.ts.
export { mem_alloc, mem_free } from "./entry_common";
import { bytesAt, writeAt } from "./entry_common";
import { IceAgent } from "../../assembly/ice/agent";
import { IceConfig } from "../../assembly/ice/config";
import { IceEventKind } from "../../assembly/ice/event";
import { Candidate } from "../../assembly/ice/candidate";
import { TransportAddress } from "../../assembly/stun/transport_address";

const agents: IceAgent[] = [];

function str(p: usize, n: i32): string {
  return String.UTF8.decodeUnsafe(p, <usize>n);
}

function addrAt(p: usize): TransportAddress {
  const b = bytesAt(p, 19);
  const a = TransportAddress.fromBytes(b[0], b, 3, (<u16>b[1] << 8) | <u16>b[2]);
  return a != null ? a : new TransportAddress();
}

function putAddr(o: Uint8Array, off: i32, a: TransportAddress): void {
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

export function ice_new(controlling: i32, u: usize, ul: i32, p: usize, pl: i32, tieBreaker: u64): i32 {
  const c = new IceConfig();
  c.tieBreaker = tieBreaker;
  agents.push(new IceAgent(c, controlling != 0, str(u, ul), str(p, pl)));
  return agents.length - 1;
}

// 0 ta, 1 nominationDelay, 2 consentInterval, 3 disconnectedAfter, 4 consentTimeout, 5 checkingTimeout,
// 6 maxPairs, 7 maxRemoteCandidates, 8 aggressiveNomination
export function ice_set_config(h: i32, which: i32, v: i64): void {
  const c = agents[h].config;
  if (which == 0) c.ta = v;
  else if (which == 1) c.nominationDelay = v;
  else if (which == 2) c.consentInterval = v;
  else if (which == 3) c.disconnectedAfter = v;
  else if (which == 4) c.consentTimeout = v;
  else if (which == 5) c.checkingTimeout = v;
  else if (which == 6) c.maxPairs = <i32>v;
  else if (which == 7) c.maxRemoteCandidates = <i32>v;
  else if (which == 8) c.aggressiveNomination = v != 0;
}

export function ice_set_remote(h: i32, u: usize, ul: i32, p: usize, pl: i32): void {
  agents[h].setRemoteCredentials(str(u, ul), str(p, pl));
}

// The peer's credentials at a time: detects a peer-initiated restart. 1 accepted, 0 rejected.
export function ice_set_remote_at(h: i32, u: usize, ul: i32, p: usize, pl: i32, now: i64): i32 {
  return agents[h].setRemoteCredentials(str(u, ul), str(p, pl), now) ? 1 : 0;
}

// ICE restart with new local credentials. 1 accepted, 0 rejected.
export function ice_restart(h: i32, u: usize, ul: i32, p: usize, pl: i32, now: i64): i32 {
  return agents[h].restart(str(u, ul), str(p, pl), now) ? 1 : 0;
}

// 1 while a restart is pending (the selected pair still under the previous credentials).
export function ice_restarting(h: i32): i32 {
  return agents[h].restarting ? 1 : 0;
}

// Linear memory in bytes after a full collection: what repeated restarts must not grow.
export function ice_memory(): i64 {
  __collect();
  return <i64>memory.size() << 16;
}

export function ice_add_host(h: i32, addr: usize): i32 {
  return agents[h].addHostCandidate(addrAt(addr)) != null ? 1 : 0;
}

export function ice_add_remote(h: i32, line: usize, len: i32): i32 {
  return agents[h].addRemoteCandidateSdp(str(line, len)) ? 1 : 0;
}

export function ice_resolve(h: i32, name: usize, len: i32, addr: usize): i32 {
  return agents[h].resolveMdns(str(name, len), addrAt(addr)) ? 1 : 0;
}

export function ice_input(h: i32, data: usize, len: i32, local: usize, remote: usize, now: i64): void {
  agents[h].input(bytesAt(data, len), addrAt(local), addrAt(remote), now);
}

export function ice_handle_timeout(h: i32, now: i64): void {
  agents[h].handleTimeout(now);
}

export function ice_next_deadline(h: i32): i64 {
  return agents[h].nextDeadline();
}

// Writes local and remote (38 bytes) to addrs and the datagram to data; its length, or -1.
export function ice_poll_transmit(h: i32, addrs: usize, data: usize, cap: i32): i32 {
  const t = agents[h].pollTransmit();
  if (t == null) return -1;
  const a = new Uint8Array(38);
  putAddr(a, 0, t.local);
  putAddr(a, 19, t.remote);
  writeAt(addrs, a);
  if (t.data.length > cap) return -2;
  writeAt(data, t.data);
  return t.data.length;
}

// The next event as text: "state N", "local <candidate>", "selected <local> <remote>", "mdns <name>", "role N".
export function ice_poll_event(h: i32, out: usize, cap: i32): i32 {
  const ev = agents[h].pollEvent();
  if (ev == null) return -1;
  let s = "";
  if (ev.kind == IceEventKind.StateChanged) s = "state " + (<i32>ev.state).toString();
  else if (ev.kind == IceEventKind.LocalCandidate) s = "local " + ev.candidate!.toSdp();
  else if (ev.kind == IceEventKind.SelectedPairChanged) s = "selected " + ev.pair!.local.address.toString() + " " + ev.pair!.remote.address.toString();
  else if (ev.kind == IceEventKind.ResolveMdns) s = "mdns " + ev.name;
  else if (ev.kind == IceEventKind.RoleChanged) s = "role " + (ev.controlling ? "1" : "0");
  return writeText(out, cap, s);
}

// The selected pair's candidates as "<local SDP>\n<remote SDP>" (their types: the event has only
// addresses); length, or -1 when nothing is selected.
export function ice_selected_candidates(h: i32, out: usize, cap: i32): i32 {
  const p = agents[h].selected;
  if (p == null) return -1;
  return writeText(out, cap, p.local.toSdp() + "\n" + p.remote.toSdp());
}

export function ice_state(h: i32): i32 {
  return agents[h].state;
}

export function ice_controlling(h: i32): i32 {
  return agents[h].controlling ? 1 : 0;
}

export function ice_pair_count(h: i32): i32 {
  return agents[h].pairs.length;
}

export function ice_remote_count(h: i32): i32 {
  return agents[h].remotes.length;
}

// 0 malformed, 1 badIntegrity, 2 roleConflicts, 3 prflxRemote, 4 checksSent, 5 droppedCandidates,
// 6 droppedPairs, 7 notStun, 8 unmatchedResponses, 9 badRequest, 10 staleCandidates,
// 11 previousGenerationChecks, 12 restarts begun, 13 bridgedChecks
export function ice_stat(h: i32, which: i32): u32 {
  const s = agents[h].stats;
  switch (which) {
    case 0: return s.malformed;
    case 1: return s.badIntegrity;
    case 2: return s.roleConflicts;
    case 3: return s.prflxRemote;
    case 4: return s.checksSent;
    case 5: return s.droppedCandidates;
    case 6: return s.droppedPairs;
    case 7: return s.notStun;
    case 8: return s.unmatchedResponses;
    case 9: return s.badRequest;
    case 10: return s.staleCandidates;
    case 11: return s.previousGenerationChecks;
    case 12: return agents[h].restarter.count;
    case 13: return s.bridgedChecks;
  }
  return 0;
}

export function ice_close(h: i32): void {
  agents[h].close();
}

// Candidate SDP round trip: parses the line and writes it back; length or -1 when rejected.
export function ice_candidate_roundtrip(line: usize, len: i32, out: usize, cap: i32): i32 {
  const c = Candidate.parse(str(line, len));
  if (c == null) return -1;
  return writeText(out, cap, c.toSdp() + "|" + c.priority.toString() + "|" + c.address.toString() + "|" + c.hostname);
}
