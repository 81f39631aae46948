// RFC 8445 §5.1.1 (gathering server-reflexive and relayed candidates) and §12.2 (sending and receiving on a relayed candidate): the ICE agent with its STUN and TURN clients.
// One sans-IO surface for the host's sockets: datagrams (or TCP bytes from a TURN server) go in
// with the local socket address and the sender; NetTransmits come out. Traffic of a relayed
// candidate is wrapped and unwrapped by its TurnClient here, so the agent never knows.
import { IceAgent } from "../ice/agent";
import { StunMessage, ParseResult, looksLikeStun, messageType, METHOD_BINDING, CLASS_REQUEST, CLASS_SUCCESS, CLASS_ERROR } from "../stun/message";
import { StunBuilder, newTransactionId } from "../stun/builder";
import { ATTR_XOR_MAPPED_ADDRESS } from "../stun/attr_types";
import { getXorAddress } from "../stun/attr_xor_address";
import { ClientTransaction, RetransmitConfig, TransactionState } from "../stun/transaction";
import { TransportAddress } from "../stun/transport_address";
import { looksLikeChannelData } from "./channel_data";
import { TurnClient } from "./client";
import { TurnConfig } from "./config";
import { TurnEvent, TurnEventKind, TurnState } from "./event";

const NEVER: i64 = i64.MAX_VALUE;

// One datagram (or, when stream, bytes for the TCP/TLS connection to remote) to send from the
// host socket bound to local.
export class NetTransmit {
  constructor(public local: TransportAddress, public remote: TransportAddress, public data: Uint8Array, public stream: bool) {}
}

// Application data (not STUN) that arrived on a candidate: local is a host socket address or a
// relayed address, remote the peer.
export class AppData {
  constructor(public local: TransportAddress, public remote: TransportAddress, public data: Uint8Array) {}
}

export const enum GatherEventKind {
  // A STUN server told us our mapped address (addr); also signalled as a srflx candidate unless
  // it equals the socket's own address.
  ServerReflexive = 1,
  StunFailed = 2,
  // Something from TURN server `server` (turn holds the client's event).
  Turn = 3,
}

export class GatherEvent {
  server: i32 = 0;
  addr: TransportAddress | null = null;
  turn: TurnEvent | null = null;
  constructor(public kind: GatherEventKind) {}
}

class StunQuery {
  tx: ClientTransaction;
  constructor(public local: TransportAddress, public server: TransportAddress, rc: RetransmitConfig) {
    this.tx = new ClientTransaction(rc);
  }
}

export class TurnServerEntry {
  constructor(public client: TurnClient, public local: TransportAddress, public server: TransportAddress) {}
}

export class IceTransportStats {
  droppedAppData: u32 = 0;
  droppedTransmits: u32 = 0;
  droppedEvents: u32 = 0;
  notSelected: u32 = 0; // send() before a pair was selected
}

export class IceTransport {
  readonly turns: TurnServerEntry[] = [];
  stats: IceTransportStats = new IceTransportStats();
  maxQueue: i32 = 64;
  // Offer server-reflexive candidates (false for a relay-only policy: only relayed ones go out).
  offerServerReflexive: bool = true;
  stunRetransmit: RetransmitConfig = new RetransmitConfig(500, 5, 8);
  private queries: StunQuery[] = [];
  private transmits: NetTransmit[] = [];
  private appData: AppData[] = [];
  private events: GatherEvent[] = [];
  private msg: StunMessage = new StunMessage();
  private out: StunBuilder = new StunBuilder(128);

  constructor(public agent: IceAgent) {}

  // Asks a STUN server for the mapped address of the host socket at local (RFC 8489 Binding).
  addStunServer(local: TransportAddress, server: TransportAddress, now: i64): void {
    const q = new StunQuery(local.clone(), server.clone(), this.stunRetransmit);
    const b = this.out;
    b.begin(messageType(METHOD_BINDING, CLASS_REQUEST), newTransactionId());
    b.addFingerprint();
    const req = b.copy();
    if (req == null) return;
    q.tx.start(req, now);
    this.queries.push(q);
    this.pump(now);
  }

  // Allocates on a TURN server from the host socket at local (config.stream: over the TCP/TLS
  // connection the host keeps from local to server). Returns the server's index.
  addTurnServer(local: TransportAddress, server: TransportAddress, config: TurnConfig, username: string, password: string, now: i64): i32 {
    const c = new TurnClient(config, username, password);
    this.turns.push(new TurnServerEntry(c, local.clone(), server.clone()));
    c.allocate(now);
    this.pump(now);
    return this.turns.length - 1;
  }

  // A datagram that arrived on the host socket at local from remote.
  input(data: Uint8Array, local: TransportAddress, remote: TransportAddress, now: i64): void {
    if (looksLikeStun(data)) {
      if (!this.onQueryResponse(data, local, remote, now)) {
        const t = this.turnFrom(local, remote, false);
        if (t != null) t.client.input(data, now);
        else this.agent.input(data, local, remote, now);
      }
    } else {
      const t = looksLikeChannelData(data) ? this.turnFrom(local, remote, false) : null;
      if (t != null) t.client.input(data, now);
      else this.queueAppData(local, remote, data);
    }
    this.pump(now);
  }

  // Bytes read from the TCP/TLS connection local -> remote (a TURN server added with stream).
  // False when no such server, or its stream broke (close the connection).
  inputStream(data: Uint8Array, local: TransportAddress, remote: TransportAddress, now: i64): bool {
    const t = this.turnFrom(local, remote, true);
    if (t == null) return false;
    const ok = t.client.inputStream(data, 0, data.length, now);
    this.pump(now);
    return ok;
  }

  // Application data to the peer over the selected pair (through the relay when it is relayed).
  send(data: Uint8Array, now: i64): bool {
    const p = this.agent.selected;
    if (p == null) {
      this.stats.notSelected++;
      return false;
    }
    const ok = this.route(p.local.base, p.remote.address, data, now);
    this.pump(now);
    return ok;
  }

  handleTimeout(now: i64): void {
    if (now >= this.agent.nextDeadline()) this.agent.handleTimeout(now);
    for (let i = 0; i < this.turns.length; i++) {
      const c = this.turns[i].client;
      if (now >= c.nextDeadline()) c.handleTimeout(now);
    }
    for (let i = 0; i < this.queries.length; ) {
      const q = this.queries[i];
      q.tx.handleTimeout(now);
      const bytes = q.tx.pollTransmit();
      if (bytes != null) this.transmit(q.local, q.server, bytes, false);
      if (q.tx.state == TransactionState.TimedOut) {
        this.queries.splice(i, 1);
        const ev = new GatherEvent(GatherEventKind.StunFailed);
        ev.addr = q.server;
        this.emit(ev);
        continue;
      }
      i++;
    }
    this.pump(now);
  }

  nextDeadline(): i64 {
    let d = this.agent.nextDeadline();
    for (let i = 0; i < this.turns.length; i++) d = min(d, this.turns[i].client.nextDeadline());
    for (let i = 0; i < this.queries.length; i++) d = min(d, this.queries[i].tx.nextDeadline());
    return d;
  }

  pollTransmit(): NetTransmit | null {
    return this.transmits.length > 0 ? this.transmits.shift() : null;
  }

  // Moves what the agent and the clients produced since the last call (a caller that drives the
  // agent directly, as the peer connection does, calls this before pollTransmit).
  flush(now: i64): void {
    this.pump(now);
  }

  // True when local is the relayed address of one of our allocations.
  isRelayed(local: TransportAddress): bool {
    return this.relayOf(local) != null;
  }

  // Data from local to remote: through the TURN client when local is a relayed address, else
  // queued as a plain datagram. False when it was dropped.
  sendFrom(local: TransportAddress, remote: TransportAddress, data: Uint8Array, now: i64): bool {
    const ok = this.route(local, remote, data, now);
    this.pump(now);
    return ok;
  }

  // STUN queries and allocations still waiting for their answer (gathering is complete at 0).
  get gathering(): i32 {
    let n = this.queries.length;
    for (let i = 0; i < this.turns.length; i++) {
      const s = this.turns[i].client.state;
      if (s == TurnState.Idle || s == TurnState.Allocating) n++;
    }
    return n;
  }

  pollAppData(): AppData | null {
    return this.appData.length > 0 ? this.appData.shift() : null;
  }

  // Gathering and TURN events; the agent's own events come from agent.pollEvent().
  pollEvent(): GatherEvent | null {
    return this.events.length > 0 ? this.events.shift() : null;
  }

  // Closes the agent and deallocates every relay.
  close(now: i64): void {
    this.agent.close();
    for (let i = 0; i < this.queries.length; i++) this.queries[i].tx.cancel();
    this.queries.length = 0;
    for (let i = 0; i < this.turns.length; i++) this.turns[i].client.close(now);
    this.pump(now);
  }

  // ---- routing ----

  private turnFrom(local: TransportAddress, remote: TransportAddress, stream: bool): TurnServerEntry | null {
    for (let i = 0; i < this.turns.length; i++) {
      const t = this.turns[i];
      if (t.client.config.stream == stream && t.server.equals(remote) && t.local.equals(local)) return t;
    }
    return null;
  }

  private relayOf(base: TransportAddress): TurnServerEntry | null {
    for (let i = 0; i < this.turns.length; i++) {
      const r = this.turns[i].client.relayed;
      if (r != null && r.equals(base)) return this.turns[i];
    }
    return null;
  }

  private route(local: TransportAddress, remote: TransportAddress, data: Uint8Array, now: i64): bool {
    const t = this.relayOf(local);
    if (t != null) return t.client.send(remote, data, 0, data.length, now);
    return this.transmit(local, remote, data, false);
  }

  private onQueryResponse(data: Uint8Array, local: TransportAddress, remote: TransportAddress, now: i64): bool {
    if (this.queries.length == 0) return false;
    const m = this.msg;
    if (m.parse(data) != ParseResult.Ok || m.method != METHOD_BINDING || (m.cls != CLASS_SUCCESS && m.cls != CLASS_ERROR)) return false;
    for (let i = 0; i < this.queries.length; i++) {
      const q = this.queries[i];
      if (!q.server.equals(remote) || !q.local.equals(local) || !m.tidEquals(q.tx.tid)) continue;
      q.tx.onResponse(m);
      this.queries.splice(i, 1);
      const mapped = m.cls == CLASS_SUCCESS ? getXorAddress(m, ATTR_XOR_MAPPED_ADDRESS) : null;
      const ev = new GatherEvent(mapped != null ? GatherEventKind.ServerReflexive : GatherEventKind.StunFailed);
      ev.addr = mapped != null ? mapped : q.server;
      this.emit(ev);
      if (mapped != null && !mapped.equals(local) && this.offerServerReflexive) this.agent.addServerReflexiveCandidate(mapped, local, q.server);
      return true;
    }
    return false;
  }

  // Moves everything the agent and the clients produced to where it goes, until nothing moves
  // (relayed data can make the agent answer, and its answer goes back through the relay).
  private pump(now: i64): void {
    for (let round = 0; round < 8; round++) {
      let moved = false;
      let t = this.agent.pollTransmit();
      while (t != null) {
        moved = true;
        this.route(t.local, t.remote, t.data, now);
        t = this.agent.pollTransmit();
      }
      for (let i = 0; i < this.turns.length; i++) {
        const e = this.turns[i];
        const c = e.client;
        let ev = c.pollEvent();
        while (ev != null) {
          moved = true;
          if (ev.kind == TurnEventKind.Allocated && c.relayed != null) {
            this.agent.addRelayedCandidate(c.relayed!, c.mapped, e.server);
            // The mapped address is the UDP socket's only over UDP (over TCP it maps the connection).
            const m = c.mapped;
            if (m != null && !m.equals(e.local) && !c.config.stream && this.offerServerReflexive) this.agent.addServerReflexiveCandidate(m, e.local, e.server);
          }
          const g = new GatherEvent(GatherEventKind.Turn);
          g.server = i;
          g.turn = ev;
          this.emit(g);
          ev = c.pollEvent();
        }
        let d = c.pollData();
        while (d != null) {
          moved = true;
          if (looksLikeStun(d.data)) this.agent.input(d.data, c.relayed!, d.peer, now);
          else this.queueAppData(c.relayed!, d.peer, d.data);
          d = c.pollData();
        }
        let b = c.pollTransmit();
        while (b != null) {
          moved = true;
          this.transmit(e.local, e.server, b, c.config.stream);
          b = c.pollTransmit();
        }
      }
      if (!moved) return;
    }
  }

  private transmit(local: TransportAddress, remote: TransportAddress, data: Uint8Array, stream: bool): bool {
    if (this.transmits.length >= this.maxQueue) {
      this.stats.droppedTransmits++;
      return false;
    }
    this.transmits.push(new NetTransmit(local.clone(), remote.clone(), data, stream));
    return true;
  }

  private queueAppData(local: TransportAddress, remote: TransportAddress, data: Uint8Array): void {
    if (this.appData.length >= this.maxQueue) {
      this.stats.droppedAppData++;
      return;
    }
    this.appData.push(new AppData(local.clone(), remote.clone(), data.slice()));
  }

  private emit(ev: GatherEvent): void {
    if (this.events.length >= this.maxQueue) {
      this.stats.droppedEvents++;
      return;
    }
    this.events.push(ev);
  }
}
