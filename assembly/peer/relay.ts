// RFC 8445 §5.1.1.2 (server-reflexive and relayed candidates), RFC 8656 (TURN): the STUN and TURN
// servers of one peer connection. A thin owner of turn/IceTransport around the peer's ICE agent, so
// that relayed candidates need nothing from the host but sockets: the host names a server and the
// local socket to reach it from, feeds back what that socket (or TCP connection) receives, and
// sends the Transmits; wrapping into Send indications / ChannelData happens here.
import { IceAgent } from "../ice/agent";
import { IceTransport, NetTransmit, AppData, GatherEventKind } from "../turn/ice_transport";
import { TurnConfig } from "../turn/config";
import { TurnEventKind } from "../turn/event";
import { TransportAddress } from "../stun/transport_address";

// peer_add_ice_server's kinds.
export const ICE_SERVER_STUN: i32 = 0;
export const ICE_SERVER_TURN_UDP: i32 = 1;
export const ICE_SERVER_TURN_TCP: i32 = 2;

// Server entries per peer (a host adds one per server and local socket of the same family); each
// TURN entry holds a client with its own bounded queues, so the count is the memory bound.
export const MAX_ICE_SERVERS: i32 = 16;
// RFC 8489 §14.3: USERNAME is under 513 bytes; a longer credential cannot be sent anyway.
const MAX_CREDENTIAL: i32 = 512;

class ServerEntry {
  constructor(public kind: i32, public turn: i32, public server: TransportAddress) {}
}

export class PeerRelay {
  readonly transport: IceTransport;
  private servers: ServerEntry[] = [];

  constructor(agent: IceAgent) {
    this.transport = new IceTransport(agent);
  }

  // iceTransportPolicy "relay": the mapped addresses a TURN server reports are not offered as
  // server-reflexive candidates (they would reveal the host's address).
  setRelayOnly(on: bool): void {
    this.transport.offerServerReflexive = !on;
  }

  // Queries (STUN) or allocates on (TURN) the server, reached from the host socket at local; for
  // TURN over TCP the host has connected local's IP to the server already. The entry's index, or -1.
  addServer(kind: i32, local: TransportAddress, server: TransportAddress, username: string, password: string, now: i64): i32 {
    if (this.servers.length >= MAX_ICE_SERVERS) return -1;
    if (!local.isValid || !server.isValid || local.family != server.family) return -1;
    if (String.UTF8.byteLength(username) > MAX_CREDENTIAL || String.UTF8.byteLength(password) > MAX_CREDENTIAL) return -1;
    let turn = -1;
    if (kind == ICE_SERVER_STUN) this.transport.addStunServer(local, server, now);
    else if (kind == ICE_SERVER_TURN_UDP || kind == ICE_SERVER_TURN_TCP) {
      const c = new TurnConfig();
      c.stream = kind == ICE_SERVER_TURN_TCP;
      turn = this.transport.addTurnServer(local, server, c, username, password, now);
    } else return -1;
    this.servers.push(new ServerEntry(kind, turn, server.clone()));
    return this.servers.length - 1;
  }

  // The TURN client's state for entry i (TurnState numbering), -1 for a STUN entry or none.
  turnState(i: i32): i32 {
    if (i < 0 || i >= this.servers.length) return -1;
    const t = this.servers[i].turn;
    return t < 0 ? -1 : <i32>this.transport.turns[t].client.state;
  }

  // Queries and allocations still unanswered: the host ends gathering (a null candidate) at 0.
  get gathering(): i32 {
    return this.transport.gathering;
  }

  // STUN or ChannelData that arrived on the host socket at local: an answer from one of our
  // servers, or a connectivity check for the agent.
  input(data: Uint8Array, local: TransportAddress, remote: TransportAddress, now: i64): void {
    this.transport.input(data, local, remote, now);
  }

  // Bytes from the TCP connection local -> server. False when the stream broke (close it).
  inputStream(data: Uint8Array, local: TransportAddress, server: TransportAddress, now: i64): bool {
    return this.transport.inputStream(data, local, server, now);
  }

  // Data a peer sent through a relay (DTLS, RTP), unwrapped; local is the relayed address.
  pollReceived(): AppData | null {
    return this.transport.pollAppData();
  }

  // The next datagram (or stream bytes) to send: the agent's checks and the TURN clients' traffic.
  pollTransmit(now: i64): NetTransmit | null {
    this.transport.flush(now);
    return this.transport.pollTransmit();
  }

  isRelayed(local: TransportAddress): bool {
    return this.servers.length > 0 && this.transport.isRelayed(local);
  }

  sendRelayed(local: TransportAddress, remote: TransportAddress, data: Uint8Array, now: i64): bool {
    return this.transport.sendFrom(local, remote, data, now);
  }

  // A reason for each server that failed (for the host's diagnostics), else null once drained.
  // Candidates themselves reach the agent inside IceTransport and come out as its events.
  pollFailure(): string | null {
    let ev = this.transport.pollEvent();
    while (ev != null) {
      if (ev.kind == GatherEventKind.StunFailed && ev.addr != null) return "STUN server " + ev.addr!.toString() + ": no mapped address";
      const te = ev.turn;
      if (ev.kind == GatherEventKind.Turn && te != null && te.kind == TurnEventKind.Failed) {
        const t = this.transport.turns[ev.server];
        const what = t.client.relayed == null ? "allocation failed" : "allocation lost";
        return "TURN server " + t.server.toString() + ": " + what + " (" + (te.code > 0 ? te.code.toString() : "timeout") + ")";
      }
      ev = this.transport.pollEvent();
    }
    return null;
  }

  handleTimeout(now: i64): void {
    // The agent first, as before TURN existed: IceTransport only calls it once its deadline is due.
    this.transport.agent.handleTimeout(now);
    this.transport.handleTimeout(now);
  }

  nextDeadline(): i64 {
    return this.transport.nextDeadline();
  }

  // Closes the agent and deallocates every relay (Refresh with LIFETIME 0, RFC 8656 §7.2).
  close(now: i64): void {
    this.transport.close(now);
  }
}
