// Peer test entry: two PeerConnections (assembly/peer/) over a virtual network and clock, for
// test/core/peer.test.ts: offer/answer, ICE + DTLS + SCTP up, channel traffic, close; bad input.
export { mem_alloc, mem_free } from "./entry_common";
import { PeerConnection, OutputKind, SDP_OFFER, SDP_ANSWER } from "../../assembly/peer/peer_connection";
import { PeerConfig } from "../../assembly/peer/config";
import { PeerEventKind, PeerState } from "../../assembly/peer/event";
import { Identity } from "../../assembly/peer/identity";
import { TransportAddress } from "../../assembly/stun/transport_address";

class Datagram {
  constructor(public to: i32, public local: TransportAddress, public remote: TransportAddress, public data: Uint8Array, public at: i64) {}
}

// Results of the last scenario, read with stat(i).
const stats = new Array<i64>(32);

let seed: u32 = 1;
function rnd(): f64 {
  seed = seed * 1103515245 + 12345;
  return <f64>((seed >> 8) & 0xffff) / 65536.0;
}

class Sim {
  peers: PeerConnection[] = [];
  addrs: TransportAddress[] = [];
  net: Datagram[] = [];
  now: i64 = 1000;
  lossPct: f64 = 0;
  delay: i64 = 5;
  received: i32 = 0;
  receivedBytes: i64 = 0;
  opened: i32 = 0;
  remoteOpened: i32 = 0;
  closedChannels: i32 = 0;
  lastHandle: i32 = -1;
  candidates: string[][] = [[], []];
  lowEvents: i32 = 0;

  constructor(passive: bool) {
    const id = Identity.generate()!;
    for (let i = 0; i < 2; i++) {
      const c = new PeerConfig();
      c.dtlsPassive = passive;
      this.peers.push(new PeerConnection(c, id));
      this.addrs.push(TransportAddress.v4(0x0a000001 + <u32>i, <u16>(40000 + i)));
      this.peers[i].addHostCandidate(this.addrs[i]);
    }
  }

  // Drains both peers and delivers the network until quiet or until `until`.
  run(until: i64): void {
    for (let guard = 0; guard < 2000000 && this.now <= until; guard++) {
      let next: i64 = i64.MAX_VALUE;
      for (let i = 0; i < 2; i++) next = min(next, this.drain(i));
      // deliver due datagrams
      let delivered = false;
      for (let k = 0; k < this.net.length; k++) {
        const d = this.net[k];
        if (d.at <= this.now) {
          this.net.splice(k, 1);
          k--;
          this.peers[d.to].input(d.data, d.local, d.remote, this.now);
          delivered = true;
        } else next = min(next, d.at);
      }
      if (delivered) continue;
      if (next == i64.MAX_VALUE) return;
      this.now = max(this.now + 1, next);
    }
  }

  drain(i: i32): i64 {
    const p = this.peers[i];
    for (let n = 0; n < 100000; n++) {
      const o = p.poll(this.now);
      if (o.kind == OutputKind.Transmit) {
        if (rnd() * 100 < this.lossPct) continue;
        const to = o.remote.equals(this.addrs[0]) ? 0 : o.remote.equals(this.addrs[1]) ? 1 : -1;
        if (to < 0) continue;
        this.net.push(new Datagram(to, o.remote.clone(), o.local.clone(), o.data, this.now + this.delay));
      } else if (o.kind == OutputKind.Event) {
        const e = o.event!;
        if (e.kind == PeerEventKind.LocalCandidate) this.candidates[i].push(e.text);
        else if (e.kind == PeerEventKind.ChannelMessage) {
          this.received++;
          this.receivedBytes += e.data!.length;
        } else if (e.kind == PeerEventKind.ChannelOpen) {
          if (e.value == 1) this.remoteOpened++;
          else this.opened++;
          this.lastHandle = e.channel;
        } else if (e.kind == PeerEventKind.ChannelClosed) this.closedChannels++;
        else if (e.kind == PeerEventKind.ChannelBufferedAmountLow) this.lowEvents++;
      } else if (o.kind == OutputKind.Timeout) return o.deadline;
      else return i64.MAX_VALUE;
    }
    return this.now;
  }

  negotiate(): i32 {
    const a = this.peers[0], b = this.peers[1];
    const offer = a.createOffer();
    if (!offer.ok) return 1;
    const r = b.setRemoteDescription(SDP_OFFER, Uint8Array.wrap(String.UTF8.encode(offer.sdp)));
    if (!r.ok) return 2;
    const ans = b.createAnswer();
    if (!ans.ok) return 3;
    const r2 = a.setRemoteDescription(SDP_ANSWER, Uint8Array.wrap(String.UTF8.encode(ans.sdp)));
    if (!r2.ok) return 4;
    return 0;
  }
}

let sim: Sim | null = null;

export function stat(i: i32): i64 {
  return stats[i];
}

// Connects two peers, opens a channel from a, sends `count` binary messages of `size` bytes
// (with back-pressure handling), then closes a. Fills stats; returns 0 or a failure step.
export function scenario_basic(seedIn: i32, lossPct: f64, passive: i32, count: i32, size: i32): i32 {
  seed = <u32>seedIn;
  for (let i = 0; i < stats.length; i++) stats[i] = 0;
  const s = new Sim(passive != 0);
  sim = s;
  s.lossPct = lossPct;
  const a = s.peers[0], b = s.peers[1];
  const h = a.createChannel("chat", "", true, -1, -1, -1, s.now);
  if (h < 0) return 10;
  const step = s.negotiate();
  if (step != 0) return step;
  s.run(s.now + 20000);
  stats[0] = <i64>a.state;
  stats[1] = <i64>b.state;
  stats[2] = s.opened;
  stats[3] = s.remoteOpened;
  if (a.state != PeerState.Connected || b.state != PeerState.Connected) return 20;
  const start = s.now;
  let sent = 0;
  const msg = new Uint8Array(size);
  for (let i = 0; i < size; i++) msg[i] = <u8>i;
  for (let guard = 0; guard < 100000 && (sent < count || s.received < count); guard++) {
    while (sent < count) {
      const r = a.send(h, msg, true, s.now);
      stats[24] = r;
      stats[25] = sent;
      stats[26] = a.dcs!.assoc.sendBufferFree;
      stats[27] = a.dcs!.assoc.rtx.cwnd;
      stats[28] = a.dcs!.assoc.rtx.peerRwnd;
      stats[29] = a.dcs!.assoc.state;
      if (r != 0) break;
      sent++;
    }
    const before = s.now;
    s.run(s.now + 50);
    if (s.now - start > 120000) break;
    if (s.now == before) s.now += 1;
  }
  stats[4] = s.received;
  stats[5] = s.receivedBytes;
  stats[6] = s.now - start;
  stats[7] = <i64>a.stats.datagramsOut;
  const bs = b.dcs!.assoc.stats;
  stats[13] = bs.packetsIn;
  stats[14] = bs.malformed;
  stats[15] = bs.outOfWindow;
  stats[16] = bs.noRoom;
  stats[17] = bs.unexpected;
  stats[18] = b.dtls!.stats.malformed;
  stats[19] = b.dtls!.stats.badRecordMac;
  stats[20] = a.dcs!.assoc.stats.packetsOut;
  stats[21] = a.dcs!.assoc.stats.packetsIn;
  stats[22] = <i64>b.stats.datagramsIn;
  stats[23] = b.dcs!.assoc.stats.badTag;
  a.close(s.now);
  s.run(s.now + 10000);
  stats[8] = <i64>a.state;
  stats[9] = <i64>b.state;
  stats[10] = s.closedChannels;
  stats[11] = a.isClosed ? 1 : 0;
  stats[12] = b.isClosed ? 1 : 0;
  return s.received == count ? 0 : 30;
}

// Garbage of every first byte into a connected peer: counted and dropped, the connection stays up.
export function scenario_garbage(seedIn: i32): i32 {
  seed = <u32>seedIn;
  const s = new Sim(false);
  sim = s;
  const a = s.peers[0], b = s.peers[1];
  a.createChannel("x", "", true, -1, -1, -1, s.now);
  if (s.negotiate() != 0) return 1;
  s.run(s.now + 20000);
  if (b.state != PeerState.Connected) return 2;
  for (let i = 0; i < 2000; i++) {
    const len = <i32>(rnd() * 300);
    const d = new Uint8Array(len);
    for (let k = 0; k < len; k++) d[k] = <u8>(rnd() * 256);
    if (len > 0) d[0] = <u8>(i & 255);
    b.input(d, s.addrs[1], s.addrs[0], s.now);
    b.poll(s.now);
  }
  s.run(s.now + 2000);
  stats[0] = <i64>b.stats.rtpDropped;
  stats[1] = <i64>b.stats.unknownDropped;
  return b.state == PeerState.Connected && a.state == PeerState.Connected ? 0 : 3;
}

// ---- ICE restart after negotiation (assembly/peer/renegotiation.ts), for peer_restart.test.ts ----

function sdpBytes(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

// Sends `n` messages a -> b on h and runs until they arrived (or 20 s of virtual time).
function pump(s: Sim, h: i32, n: i32): void {
  const a = s.peers[0];
  const want = s.received + n;
  const msg = new Uint8Array(200);
  for (let i = 0; i < n; i++) a.send(h, msg, true, s.now);
  const until = s.now + 20000;
  while (s.received < want && s.now < until) {
    const before = s.now;
    s.run(s.now + 20);
    if (s.now == before) s.now += 1;
  }
}

// Two connected peers with a channel a -> b; then `who` (0: a, the original offerer; 1: b)
// makes an ICE restart offer (restart 1) or a plain re-offer (restart 0), the other answers, with
// messages before, between offer and answer, and after. stats: 0/1 states, 2 messages received,
// 3/4 ufrag changed on a/b, 5/6 restarts counted on a/b, 7/8 a current-generation pair selected on
// a/b, 9/10 restart still pending on a/b, 11 answer version > offer version (o= of answers).
export function scenario_restart(seedIn: i32, who: i32, restart: i32): i32 {
  seed = <u32>seedIn;
  for (let i = 0; i < stats.length; i++) stats[i] = 0;
  const s = new Sim(false);
  sim = s;
  const a = s.peers[0], b = s.peers[1];
  const h = a.createChannel("chat", "", true, -1, -1, -1, s.now);
  if (s.negotiate() != 0) return 1;
  s.run(s.now + 20000);
  if (a.state != PeerState.Connected || b.state != PeerState.Connected) return 2;
  pump(s, h, 20);
  if (s.received != 20) return 3;
  const ua = a.localUfrag, ub = b.localUfrag;
  const offerer = s.peers[who], answerer = s.peers[1 - who];
  const offer = offerer.createOffer(restart != 0);
  if (!offer.ok) return 4;
  // Data still flows on the old pair while the offer is out.
  pump(s, h, 20);
  if (s.received != 40) return 5;
  const r = answerer.setRemoteDescription(SDP_OFFER, sdpBytes(offer.sdp));
  if (!r.ok) return 6;
  const ans = answerer.createAnswer();
  if (!ans.ok) return 7;
  pump(s, h, 20);
  if (s.received != 60) return 8;
  const r2 = offerer.setRemoteDescription(SDP_ANSWER, sdpBytes(ans.sdp));
  if (!r2.ok) return 9;
  pump(s, h, 20);
  s.run(s.now + 5000);
  pump(s, h, 20);
  stats[0] = <i64>a.state;
  stats[1] = <i64>b.state;
  stats[2] = s.received;
  stats[3] = a.localUfrag != ua ? 1 : 0;
  stats[4] = b.localUfrag != ub ? 1 : 0;
  stats[5] = a.iceRestarts;
  stats[6] = b.iceRestarts;
  stats[7] = a.ice.hasCurrentSelection ? 1 : 0;
  stats[8] = b.ice.hasCurrentSelection ? 1 : 0;
  stats[9] = a.ice.restarting ? 1 : 0;
  stats[10] = b.ice.restarting ? 1 : 0;
  stats[11] = ans.sdp.indexOf("a=ice-ufrag:" + answerer.localUfrag) >= 0 && offer.sdp.indexOf("a=ice-ufrag:" + offerer.localUfrag) >= 0 ? 1 : 0;
  return s.received == 100 ? 0 : 10;
}

// A subsequent offer that changes more than ICE is refused and changes nothing. kind 0: another
// fingerprint; 1: an added m= section; 2: a changed a=setup role. stats: 0 refused (1), 1/2 states after, 3 messages received after,
// 4 b's ufrag unchanged, 5 b's restarts.
export function scenario_restart_refused(seedIn: i32, kind: i32): i32 {
  seed = <u32>seedIn;
  for (let i = 0; i < stats.length; i++) stats[i] = 0;
  const s = new Sim(false);
  sim = s;
  const a = s.peers[0], b = s.peers[1];
  const h = a.createChannel("chat", "", true, -1, -1, -1, s.now);
  const first = a.createOffer();
  if (!first.ok) return 1;
  if (!b.setRemoteDescription(SDP_OFFER, sdpBytes(first.sdp)).ok) return 2;
  const ans = b.createAnswer();
  if (!ans.ok || !a.setRemoteDescription(SDP_ANSWER, sdpBytes(ans.sdp)).ok) return 3;
  s.run(s.now + 20000);
  if (a.state != PeerState.Connected || b.state != PeerState.Connected) return 4;
  pump(s, h, 10);
  const ub = b.localUfrag;
  // A restart offer made by hand from the first one: new credentials, then the change under test.
  let sdp = first.sdp.replace("a=ice-ufrag:" + a.localUfrag, "a=ice-ufrag:zzzz").replace("a=ice-pwd:" + a.localPassword, "a=ice-pwd:zzzzzzzzzzzzzzzzzzzzzzzz");
  if (kind == 0) {
    const at = sdp.indexOf("a=fingerprint:sha-256 ") + 22;
    const c = sdp.charAt(at) == "A" ? "B" : "A";
    sdp = sdp.substring(0, at) + c + sdp.substring(at + 1);
  } else if (kind == 1) {
    sdp += "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n";
  } else if (kind == 2) {
    // b is the DTLS client (a=setup:active in its answer); an offer saying active makes a the client too.
    sdp = sdp.replace("a=setup:actpass", "a=setup:active");
  }
  const r = b.setRemoteDescription(SDP_OFFER, sdpBytes(sdp));
  stats[0] = r.ok ? 0 : 1;
  pump(s, h, 10);
  s.run(s.now + 3000);
  pump(s, h, 10);
  stats[1] = <i64>a.state;
  stats[2] = <i64>b.state;
  stats[3] = s.received;
  stats[4] = b.localUfrag == ub ? 1 : 0;
  stats[5] = b.iceRestarts;
  return 0;
}
