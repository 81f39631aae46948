// RFC 8656 §7-§12: the TURN client: Allocate (long-term credentials, RFC 8489 §9.2), Refresh, CreatePermission, ChannelBind, Send/Data indications, ChannelData, deallocation.
// Sans-IO: one allocation on one server. The owner passes what the server sent to input() (or
// inputStream() over TCP/TLS), sends pollTransmit()'s bytes to the server, and calls
// handleTimeout(now) at nextDeadline().
import { StunMessage, ParseResult, looksLikeStun, messageType, CLASS_REQUEST, CLASS_INDICATION, CLASS_SUCCESS, CLASS_ERROR, METHOD_ALLOCATE, METHOD_REFRESH, METHOD_SEND, METHOD_DATA, METHOD_CREATE_PERMISSION, METHOD_CHANNEL_BIND } from "../stun/message";
import { StunBuilder, newTransactionId } from "../stun/builder";
import { ATTR_XOR_MAPPED_ADDRESS, ATTR_XOR_PEER_ADDRESS, ATTR_XOR_RELAYED_ADDRESS } from "../stun/attr_types";
import { getXorAddress, addXorAddress } from "../stun/attr_xor_address";
import { getErrorCode, ERR_ALLOCATION_MISMATCH, ERR_STALE_NONCE } from "../stun/attr_error_code";
import { addChannelNumber, addData, addLifetime, addRequestedTransport, getData, getLifetime, CHANNEL_MAX, CHANNEL_MIN, PROTOCOL_UDP } from "../stun/attr_turn";
import { AuthAction, LongTermAuth } from "../stun/long_term_auth";
import { ClientTransaction, RetransmitConfig, TransactionState } from "../stun/transaction";
import { TransportAddress } from "../stun/transport_address";
import { ChannelData, encodeChannelData, looksLikeChannelData } from "./channel_data";
import { ChannelBinding, ChannelState } from "./channel_binding";
import { TurnConfig, refreshDelay } from "./config";
import { RelayedData, TurnEvent, TurnEventKind, TurnState, TurnStats } from "./event";
import { Permission, PermissionState } from "./permission";
import { StreamFramer } from "./stream_framing";

const NEVER: i64 = i64.MAX_VALUE;

const enum RequestKind {
  Allocate = 0,
  Refresh = 1,
  CreatePermission = 2,
  ChannelBind = 3,
}

// A request in flight and what it is about, so a 401/438 can rebuild it with new credentials.
class Request {
  tx: ClientTransaction;
  lifetime: u32 = 0;
  perm: Permission | null = null;
  chan: ChannelBinding | null = null;
  constructor(public kind: RequestKind, rc: RetransmitConfig) {
    this.tx = new ClientTransaction(rc);
  }
}

export class TurnClient {
  state: TurnState = TurnState.Idle;
  relayed: TransportAddress | null = null;
  mapped: TransportAddress | null = null;
  // What the server granted, ms.
  lifetime: i64 = 0;
  stats: TurnStats = new TurnStats();
  readonly permissions: Permission[] = [];
  readonly channels: ChannelBinding[] = [];

  private auth: LongTermAuth;
  private requests: Request[] = [];
  private transmits: Uint8Array[] = [];
  private events: TurnEvent[] = [];
  private received: RelayedData[] = [];
  private msg: StunMessage = new StunMessage();
  private out: StunBuilder = new StunBuilder(2048);
  private cd: ChannelData = new ChannelData();
  private framer: StreamFramer | null = null;
  private refreshAt: i64 = NEVER;
  private expiresAt: i64 = NEVER;
  private nextChannel: u16 = CHANNEL_MIN;

  constructor(public config: TurnConfig, username: string, password: string) {
    this.auth = new LongTermAuth(username, password);
  }

  // ---- application calls ----

  allocate(now: i64): bool {
    if (this.state != TurnState.Idle) return false;
    this.state = TurnState.Allocating;
    const r = new Request(RequestKind.Allocate, this.rc());
    r.lifetime = this.config.requestedLifetime;
    this.start(r, now);
    return true;
  }

  // Installs a permission for the peer's IP (and keeps refreshing it). False at the bound or
  // without an allocation.
  createPermission(peer: TransportAddress, now: i64): bool {
    return this.permissionFor(peer, now) != null;
  }

  // Binds a channel to the peer's transport address (and keeps it bound). False at the bound.
  bindChannel(peer: TransportAddress, now: i64): bool {
    if (this.state != TurnState.Allocated || !peer.isValid) return false;
    if (this.channelFor(peer) != null) return true;
    if (this.channels.length >= this.config.maxChannels || this.nextChannel > CHANNEL_MAX) return false;
    if (this.permissionFor(peer, now) == null) return false;
    const ch = new ChannelBinding(this.nextChannel++, peer.clone());
    this.channels.push(ch);
    this.startBind(ch, now);
    return true;
  }

  // Sends data to a peer through the relay: ChannelData on a bound channel, else a Send
  // indication once the peer's permission is installed; before that the packet waits (one per
  // peer IP). Returns false when it was dropped.
  send(peer: TransportAddress, data: Uint8Array, off: i32, len: i32, now: i64): bool {
    if (len < 0) len = data.length - off;
    if (off < 0 || len < 0 || off > data.length - len || this.state != TurnState.Allocated) {
      this.stats.droppedSends++;
      return false;
    }
    const perm = this.permissionFor(peer, now);
    if (perm == null) {
      this.stats.droppedSends++;
      return false;
    }
    const ch = this.channelFor(peer);
    if (ch != null && ch.confirmed) {
      const bytes = encodeChannelData(ch.channel, data, off, len, this.config.stream);
      if (bytes == null) {
        this.stats.droppedSends++;
        return false;
      }
      this.stats.channelDataSent++;
      this.transmit(bytes);
      return true;
    }
    if (perm.state == PermissionState.Installed) {
      if (this.config.autoChannelBind && ch == null) this.bindChannel(peer, now);
      return this.sendIndication(peer, data, off, len);
    }
    if (perm.state == PermissionState.Pending) {
      if (perm.pending != null) this.stats.droppedSends++;
      perm.pending = data.slice(off, off + len);
      perm.pendingPeer = peer.clone();
      return true;
    }
    this.stats.droppedSends++;
    return false;
  }

  // Deallocates (Refresh with LIFETIME 0, RFC 8656 §7.3) and stops every timer.
  close(now: i64): void {
    if (this.state == TurnState.Closed || this.state == TurnState.Closing) return;
    for (let i = 0; i < this.requests.length; i++) this.requests[i].tx.cancel();
    this.requests.length = 0;
    this.permissions.length = 0;
    this.channels.length = 0;
    this.refreshAt = NEVER;
    this.expiresAt = NEVER;
    if (this.state == TurnState.Allocated) {
      this.state = TurnState.Closing;
      const r = new Request(RequestKind.Refresh, this.rc());
      r.lifetime = 0;
      this.start(r, now);
    } else this.finishClose();
  }

  // ---- sans-IO ----

  // A datagram from the server (over UDP), or one whole message framed off a stream.
  input(data: Uint8Array, now: i64): void {
    if (looksLikeChannelData(data)) {
      this.onChannelData(data);
      return;
    }
    if (!looksLikeStun(data)) {
      this.stats.notTurn++;
      return;
    }
    const m = this.msg;
    if (m.parse(data) != ParseResult.Ok) {
      this.stats.malformed++;
      return;
    }
    if (m.cls == CLASS_INDICATION && m.method == METHOD_DATA) this.onDataIndication(m);
    else if (m.cls == CLASS_SUCCESS || m.cls == CLASS_ERROR) this.onResponse(m, now);
    else this.stats.malformed++;
  }

  // Bytes read from a TCP/TLS connection to the server, in whatever pieces they came. False once
  // the stream cannot be framed any more (the owner should close the connection).
  inputStream(data: Uint8Array, off: i32, len: i32, now: i64): bool {
    if (this.framer == null) this.framer = new StreamFramer(this.config.maxStreamMessage);
    const f = this.framer!;
    if (len < 0 || off < 0 || off > data.length - len) len = 0;
    let pos = 0;
    while (!f.broken) {
      pos += f.push(data, off + pos, len - pos);
      let frame = f.next();
      const progressed = frame != null;
      while (frame != null) {
        this.input(frame, now);
        frame = f.next();
      }
      if (pos >= len || !progressed) break;
    }
    if (f.broken && this.stats.streamBroken == 0) this.stats.streamBroken = 1;
    return !f.broken;
  }

  handleTimeout(now: i64): void {
    for (let i = 0; i < this.requests.length; ) {
      const r = this.requests[i];
      r.tx.handleTimeout(now);
      this.pump(r);
      if (r.tx.state == TransactionState.TimedOut) {
        this.requests.splice(i, 1);
        this.onFailure(r, 0, now);
        continue;
      }
      i++;
    }
    if (this.state != TurnState.Allocated) return;
    if (now >= this.expiresAt) {
      this.lose(0);
      return;
    }
    if (now >= this.refreshAt) {
      this.refreshAt = NEVER;
      const r = new Request(RequestKind.Refresh, this.rc());
      r.lifetime = this.config.requestedLifetime;
      this.start(r, now);
    }
    for (let i = 0; i < this.permissions.length; i++) {
      const p = this.permissions[i];
      if (now >= p.refreshAt) this.startPermission(p, now);
    }
    for (let i = 0; i < this.channels.length; i++) {
      const c = this.channels[i];
      if (now >= c.refreshAt) this.startBind(c, now);
    }
  }

  nextDeadline(): i64 {
    let d = NEVER;
    for (let i = 0; i < this.requests.length; i++) d = min(d, this.requests[i].tx.nextDeadline());
    if (this.state != TurnState.Allocated) return d;
    d = min(d, min(this.refreshAt, this.expiresAt));
    for (let i = 0; i < this.permissions.length; i++) d = min(d, this.permissions[i].refreshAt);
    for (let i = 0; i < this.channels.length; i++) d = min(d, this.channels[i].refreshAt);
    return d;
  }

  // Bytes for the server.
  pollTransmit(): Uint8Array | null {
    return this.transmits.length > 0 ? this.transmits.shift() : null;
  }

  pollEvent(): TurnEvent | null {
    return this.events.length > 0 ? this.events.shift() : null;
  }

  // Data a peer sent through the relay.
  pollData(): RelayedData | null {
    return this.received.length > 0 ? this.received.shift() : null;
  }

  // Whether the relay will pass traffic with this peer (its permission is installed).
  hasPermission(peer: TransportAddress): bool {
    const p = this.findPermission(peer);
    return p != null && p.state == PermissionState.Installed;
  }

  channelFor(peer: TransportAddress): ChannelBinding | null {
    for (let i = 0; i < this.channels.length; i++) if (this.channels[i].peer.equals(peer)) return this.channels[i];
    return null;
  }

  // ---- requests ----

  private rc(): RetransmitConfig {
    return this.config.stream ? this.config.streamRetransmit : this.config.retransmit;
  }

  private build(r: Request): Uint8Array | null {
    const b = this.out;
    let method = METHOD_ALLOCATE;
    if (r.kind == RequestKind.Refresh) method = METHOD_REFRESH;
    else if (r.kind == RequestKind.CreatePermission) method = METHOD_CREATE_PERMISSION;
    else if (r.kind == RequestKind.ChannelBind) method = METHOD_CHANNEL_BIND;
    b.begin(messageType(method, CLASS_REQUEST), newTransactionId());
    if (r.kind == RequestKind.Allocate) {
      addRequestedTransport(b, PROTOCOL_UDP);
      if (r.lifetime > 0) addLifetime(b, r.lifetime);
    } else if (r.kind == RequestKind.Refresh) {
      addLifetime(b, r.lifetime);
    } else if (r.kind == RequestKind.CreatePermission) {
      addXorAddress(b, ATTR_XOR_PEER_ADDRESS, r.perm!.peer);
    } else {
      addChannelNumber(b, r.chan!.channel);
      addXorAddress(b, ATTR_XOR_PEER_ADDRESS, r.chan!.peer);
    }
    this.auth.sign(b);
    b.addFingerprint();
    return b.copy();
  }

  private start(r: Request, now: i64): void {
    const bytes = this.build(r);
    if (bytes == null) {
      this.onFailure(r, 0, now);
      return;
    }
    r.tx.start(bytes, now);
    if (this.requests.indexOf(r) < 0) this.requests.push(r);
    this.pump(r);
  }

  private pump(r: Request): void {
    const bytes = r.tx.pollTransmit();
    if (bytes != null) this.transmit(bytes);
  }

  private startPermission(p: Permission, now: i64): void {
    p.refreshAt = NEVER; // while in flight
    const r = new Request(RequestKind.CreatePermission, this.rc());
    r.perm = p;
    this.stats.permissionRequests++;
    this.start(r, now);
  }

  private startBind(c: ChannelBinding, now: i64): void {
    c.refreshAt = NEVER;
    const r = new Request(RequestKind.ChannelBind, this.rc());
    r.chan = c;
    this.stats.channelBindRequests++;
    this.start(r, now);
  }

  private onResponse(m: StunMessage, now: i64): void {
    let r: Request | null = null;
    let at = -1;
    for (let i = 0; i < this.requests.length; i++) {
      const q = this.requests[i];
      if (!q.tx.done && m.tidEquals(q.tx.tid)) {
        r = q;
        at = i;
        break;
      }
    }
    if (r == null) {
      this.stats.unmatchedResponses++;
      return;
    }
    if (m.cls == CLASS_ERROR) {
      const code = getErrorCode(m);
      const act = this.auth.onErrorResponse(m);
      if (act == AuthAction.Retry) {
        // 401 with REALM/NONCE, or 438 with a new NONCE: the same request again, new transaction.
        this.stats.authRetries++;
        if (code == ERR_STALE_NONCE) this.stats.staleNonces++;
        this.start(r, now);
        return;
      }
      r.tx.onResponse(m);
      this.requests.splice(at, 1);
      this.onFailure(r, code > 0 ? code : 0, now);
      return;
    }
    // A success response proves itself with our key (RFC 8489 §9.2.5) once we have one; a server
    // that never challenged us is unauthenticated anyway.
    if (this.auth.key != null && !this.auth.verifyResponse(m)) {
      this.stats.badIntegrity++;
      return;
    }
    r.tx.onResponse(m);
    this.requests.splice(at, 1);
    this.onSuccess(r, m, now);
  }

  private onSuccess(r: Request, m: StunMessage, now: i64): void {
    if (r.kind == RequestKind.Allocate) {
      const relayed = getXorAddress(m, ATTR_XOR_RELAYED_ADDRESS);
      if (relayed == null) {
        this.stats.malformed++;
        this.lose(0);
        return;
      }
      this.relayed = relayed;
      this.mapped = getXorAddress(m, ATTR_XOR_MAPPED_ADDRESS);
      this.state = TurnState.Allocated;
      this.setLifetime(getLifetime(m), now);
      this.emit(new TurnEvent(TurnEventKind.Allocated));
    } else if (r.kind == RequestKind.Refresh) {
      if (r.lifetime == 0) {
        this.finishClose();
        return;
      }
      this.stats.refreshes++;
      this.setLifetime(getLifetime(m), now);
    } else if (r.kind == RequestKind.CreatePermission) {
      const p = r.perm!;
      if (this.permissions.indexOf(p) < 0) return; // closed meanwhile
      p.state = PermissionState.Installed;
      p.refreshAt = now + refreshDelay(this.config.permissionLifetime);
      if (!p.reported) {
        p.reported = true;
        const ev = new TurnEvent(TurnEventKind.PermissionCreated);
        ev.peer = p.peer;
        this.emit(ev);
      }
      const pending = p.pending;
      if (pending != null) {
        const to = p.pendingPeer!;
        p.pending = null;
        p.pendingPeer = null;
        this.send(to, pending, 0, pending.length, now);
      }
    } else {
      const c = r.chan!;
      if (this.channels.indexOf(c) < 0) return;
      c.state = ChannelState.Bound;
      c.refreshAt = now + refreshDelay(this.config.channelLifetime);
      if (!c.confirmed) {
        c.confirmed = true;
        const ev = new TurnEvent(TurnEventKind.ChannelBound);
        ev.peer = c.peer;
        ev.channel = c.channel;
        this.emit(ev);
      }
    }
  }

  // code: the error response's code, 0 for a timeout (or a request that could not be built).
  private onFailure(r: Request, code: i32, now: i64): void {
    if (r.kind == RequestKind.Allocate) {
      this.lose(code);
    } else if (r.kind == RequestKind.Refresh) {
      if (r.lifetime == 0) {
        this.finishClose();
        return;
      }
      // 437: the server has no such allocation any more. Otherwise try again while it lasts.
      if (code == ERR_ALLOCATION_MISMATCH || now + this.config.retryAfter >= this.expiresAt) this.lose(code);
      else this.refreshAt = now + this.config.retryAfter;
    } else if (r.kind == RequestKind.CreatePermission) {
      const p = r.perm!;
      if (this.permissions.indexOf(p) < 0) return;
      p.state = PermissionState.Failed;
      p.refreshAt = now + this.config.retryAfter;
      if (p.pending != null) this.stats.droppedSends++;
      p.pending = null;
      p.pendingPeer = null;
      const ev = new TurnEvent(TurnEventKind.PermissionFailed);
      ev.peer = p.peer;
      ev.code = code;
      this.emit(ev);
    } else {
      const c = r.chan!;
      if (this.channels.indexOf(c) < 0) return;
      // The old binding may lapse on the server: back to Send indications until re-bound.
      c.state = ChannelState.Failed;
      c.confirmed = false;
      c.refreshAt = now + this.config.retryAfter;
      const ev = new TurnEvent(TurnEventKind.ChannelBindFailed);
      ev.peer = c.peer;
      ev.channel = c.channel;
      ev.code = code;
      this.emit(ev);
    }
  }

  private setLifetime(seconds: i64, now: i64): void {
    if (seconds <= 0) seconds = this.config.requestedLifetime > 0 ? <i64>this.config.requestedLifetime : 600;
    this.lifetime = seconds * 1000;
    this.expiresAt = now + this.lifetime;
    this.refreshAt = now + refreshDelay(this.lifetime);
  }

  private lose(code: i32): void {
    const wasAllocated = this.state == TurnState.Allocated || this.state == TurnState.Allocating;
    for (let i = 0; i < this.requests.length; i++) this.requests[i].tx.cancel();
    this.requests.length = 0;
    this.permissions.length = 0;
    this.channels.length = 0;
    this.refreshAt = NEVER;
    this.expiresAt = NEVER;
    this.state = TurnState.Failed;
    if (wasAllocated) {
      const ev = new TurnEvent(TurnEventKind.Failed);
      ev.code = code;
      this.emit(ev);
    }
  }

  private finishClose(): void {
    this.requests.length = 0;
    this.state = TurnState.Closed;
    this.emit(new TurnEvent(TurnEventKind.Closed));
  }

  // ---- permissions, channels, data ----

  private findPermission(peer: TransportAddress): Permission | null {
    for (let i = 0; i < this.permissions.length; i++) if (this.permissions[i].covers(peer)) return this.permissions[i];
    return null;
  }

  private permissionFor(peer: TransportAddress, now: i64): Permission | null {
    if (this.state != TurnState.Allocated || !peer.isValid) return null;
    const found = this.findPermission(peer);
    if (found != null) return found;
    if (this.permissions.length >= this.config.maxPermissions) return null;
    const p = new Permission(peer.clone());
    this.permissions.push(p);
    this.startPermission(p, now);
    return p;
  }

  private sendIndication(peer: TransportAddress, data: Uint8Array, off: i32, len: i32): bool {
    const b = this.out;
    b.begin(messageType(METHOD_SEND, CLASS_INDICATION), newTransactionId());
    addXorAddress(b, ATTR_XOR_PEER_ADDRESS, peer);
    addData(b, data, off, len);
    b.addFingerprint();
    const bytes = b.copy();
    if (bytes == null) {
      this.stats.droppedSends++;
      return false;
    }
    this.stats.sendIndications++;
    this.transmit(bytes);
    return true;
  }

  private onChannelData(data: Uint8Array): void {
    const cd = this.cd;
    if (!cd.parse(data)) {
      this.stats.malformed++;
      return;
    }
    for (let i = 0; i < this.channels.length; i++) {
      const c = this.channels[i];
      // A ChannelData may overtake the ChannelBind success response: the number is ours already.
      if (c.channel == cd.channel && c.state != ChannelState.Failed) {
        this.stats.channelDataReceived++;
        this.deliver(c.peer, cd.data, true);
        return;
      }
    }
    this.stats.unknownChannel++;
  }

  private onDataIndication(m: StunMessage): void {
    const peer = getXorAddress(m, ATTR_XOR_PEER_ADDRESS);
    const data = getData(m);
    if (peer == null || data == null) {
      this.stats.malformed++;
      return;
    }
    if (this.findPermission(peer) == null) {
      this.stats.unknownPeer++;
      return;
    }
    this.stats.dataIndications++;
    this.deliver(peer, data, false);
  }

  private deliver(peer: TransportAddress, data: Uint8Array, viaChannel: bool): void {
    if (this.received.length >= this.config.maxReceived) {
      this.stats.droppedReceived++;
      return;
    }
    this.received.push(new RelayedData(peer.clone(), data.slice(), viaChannel));
  }

  private transmit(bytes: Uint8Array): void {
    if (this.transmits.length >= this.config.maxTransmits) {
      this.stats.droppedTransmits++;
      return;
    }
    this.transmits.push(bytes);
  }

  private emit(ev: TurnEvent): void {
    if (this.events.length >= this.config.maxEvents) {
      this.stats.droppedEvents++;
      return;
    }
    this.events.push(ev);
  }
}
