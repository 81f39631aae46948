// RFC 8831 §6 and RFC 8832 §6: data channels over one SCTP association (DCEP, ids, close by reset).
import { Association, SEND_OK, SEND_ERR_STATE, SEND_ERR_STREAM } from "../sctp/association";
import { SctpConfig } from "../sctp/config";
import {
  SctpEvent, EVENT_CONNECTED, EVENT_CLOSED, EVENT_MESSAGE, EVENT_STREAMS_RESET_INCOMING,
  EVENT_STREAMS_RESET_DONE, EVENT_BUFFERED_AMOUNT_LOW, EVENT_RESTARTED,
} from "../sctp/event";
import { DataChannel, ChannelState } from "./channel";
import {
  OpenMessage, DCEP_OPEN, CHANNEL_RELIABLE, CHANNEL_PARTIAL_RELIABLE_REXMIT, CHANNEL_PARTIAL_RELIABLE_TIMED,
  CHANNEL_UNORDERED_BIT,
} from "./message_open";
import { encodeAck, isAck } from "./message_ack";
import {
  PPID_DCEP, PPID_STRING, PPID_BINARY, PPID_STRING_EMPTY, PPID_BINARY_EMPTY, PPID_BINARY_PARTIAL,
  PPID_STRING_PARTIAL,
} from "./ppid";

export const DC_EVENT_CONNECTED: i32 = 1; // the SCTP association is up
export const DC_EVENT_DISCONNECTED: i32 = 2; // the association closed (code, reason as SctpEvent)
export const DC_EVENT_OPEN: i32 = 3; // a channel can carry messages (ours after setup, or the peer's)
export const DC_EVENT_MESSAGE: i32 = 4;
export const DC_EVENT_CLOSED: i32 = 5;
export const DC_EVENT_BUFFERED_AMOUNT_LOW: i32 = 6;
// The peer restarted its association (RFC 9260 §5.2.4): every channel was closed before this.
export const DC_EVENT_RESTARTED: i32 = 7;

export class DataChannelEvent {
  id: u16 = 0;
  data: Uint8Array | null = null;
  binary: bool = false;
  remote: bool = false; // OPEN: the peer created it (label, protocol on the channel)
  code: i32 = 0;
  reason: i32 = 0;
  constructor(public kind: i32) {}
}

export class DataChannels {
  assoc: Association;
  private channels: Map<u16, DataChannel> = new Map();
  private events: Array<DataChannelEvent> = [];
  private eventHead: i32 = 0;
  private now: i64 = 0;
  dcepErrors: i32 = 0; // malformed or unexpected DCEP messages, dropped

  // RFC 8832 §6: the DTLS client uses even stream ids, the server odd ones.
  constructor(config: SctpConfig, public dtlsClient: bool) {
    this.assoc = new Association(config);
  }

  // ---- Sans-IO, passed through to the association ----

  connect(now: i64): void {
    this.now = now;
    this.assoc.connect(now);
  }

  input(packet: Uint8Array, now: i64): void {
    this.now = now;
    this.assoc.input(packet, now);
    this.pump();
  }

  handleTimeout(now: i64): void {
    this.now = now;
    this.assoc.handleTimeout(now);
    this.pump();
  }

  pollTransmit(): Uint8Array | null {
    return this.assoc.pollTransmit();
  }

  nextDeadline(): i64 {
    return this.assoc.nextDeadline();
  }

  pollEvent(): DataChannelEvent | null {
    this.pump();
    if (this.eventHead >= this.events.length) {
      if (this.events.length > 0) {
        this.events.length = 0;
        this.eventHead = 0;
      }
      return null;
    }
    return this.events[this.eventHead++];
  }

  // ---- Channels ----

  channel(id: u16): DataChannel | null {
    return this.channels.has(id) ? this.channels.get(id) : null;
  }

  get channelCount(): i32 {
    return this.channels.size;
  }

  // Creates a channel; negotiatedId >= 0 means negotiated out of band (no DCEP). Returns the
  // stream id, or -1 when no id is free or the id is taken or invalid.
  create(label: string, protocol: string, ordered: bool, maxRetransmits: i32, maxLifetimeMs: i32,
    negotiatedId: i32, now: i64): i32 {
    this.now = now;
    const limit = this.streamLimit();
    let id: i32 = negotiatedId;
    if (negotiatedId >= 0) {
      if (negotiatedId >= limit || this.channels.has(<u16>negotiatedId)) return -1;
    } else {
      id = -1;
      for (let i = this.dtlsClient ? 0 : 1; i < limit; i += 2) {
        if (!this.channels.has(<u16>i)) {
          id = i;
          break;
        }
      }
      if (id < 0) return -1;
    }
    const ch = new DataChannel(<u16>id);
    ch.label = label;
    ch.protocol = protocol;
    ch.ordered = ordered;
    ch.maxRetransmits = maxRetransmits;
    ch.maxLifetimeMs = maxRetransmits >= 0 ? -1 : maxLifetimeMs;
    ch.negotiated = negotiatedId >= 0;
    if (ch.negotiated) {
      ch.state = ChannelState.OPEN;
      ch.acked = true;
      this.channels.set(ch.id, ch);
      this.emit(DC_EVENT_OPEN, ch.id);
      return id;
    }
    const open = new OpenMessage();
    let t = CHANNEL_RELIABLE;
    if (ch.maxRetransmits >= 0) {
      t = CHANNEL_PARTIAL_RELIABLE_REXMIT;
      open.reliability = <u32>ch.maxRetransmits;
    } else if (ch.maxLifetimeMs >= 0) {
      t = CHANNEL_PARTIAL_RELIABLE_TIMED;
      open.reliability = <u32>ch.maxLifetimeMs;
    }
    if (!ordered) t |= CHANNEL_UNORDERED_BIT;
    open.channelType = t;
    open.label = label;
    open.protocol = protocol;
    // DCEP messages go ordered and reliable (RFC 8832 §6).
    if (this.assoc.send(ch.id, PPID_DCEP, open.encode(), false, -1, -1, now) != SEND_OK) return -1;
    this.channels.set(ch.id, ch);
    // RFC 8832 §6: the opener may send at once (ordered until the ACK), so it is open now.
    ch.state = ChannelState.OPEN;
    this.emit(DC_EVENT_OPEN, ch.id);
    return id;
  }

  // Sends one message; an empty one travels as one byte with the "empty" PPID (RFC 8831 §6.6).
  send(id: u16, data: Uint8Array, binary: bool, now: i64): i32 {
    this.now = now;
    const ch = this.channel(id);
    if (ch == null || ch.state != ChannelState.OPEN) return SEND_ERR_STATE;
    let ppid = binary ? PPID_BINARY : PPID_STRING;
    let payload = data;
    if (data.length == 0) {
      ppid = binary ? PPID_BINARY_EMPTY : PPID_STRING_EMPTY;
      payload = new Uint8Array(1);
    }
    const unordered = ch.acked && !ch.ordered;
    return this.assoc.send(id, ppid, payload, unordered, ch.maxRetransmits, ch.maxLifetimeMs, now);
  }

  sendString(id: u16, s: string, now: i64): i32 {
    return this.send(id, Uint8Array.wrap(String.UTF8.encode(s)), false, now);
  }

  bufferedAmount(id: u16): i32 {
    return this.assoc.bufferedAmount(id);
  }

  setBufferedAmountLowThreshold(id: u16, n: i32): void {
    this.assoc.setBufferedAmountLowThreshold(id, n);
  }

  // Closes by resetting the outgoing stream (RFC 8831 §6.7); the peer resets its side too.
  close(id: u16, now: i64): void {
    this.now = now;
    const ch = this.channel(id);
    if (ch == null || ch.state == ChannelState.CLOSED || ch.state == ChannelState.CLOSING) return;
    ch.state = ChannelState.CLOSING;
    const list = new Array<u16>();
    list.push(id);
    if (!this.assoc.resetStreams(list)) this.finishClose(ch);
  }

  // ---- Internals ----

  private streamLimit(): i32 {
    return this.assoc.isUp() ? <i32>this.assoc.outStreams : <i32>this.assoc.config.maxOutboundStreams;
  }

  private emit(kind: i32, id: u16): DataChannelEvent {
    const e = new DataChannelEvent(kind);
    e.id = id;
    this.events.push(e);
    return e;
  }

  private finishClose(ch: DataChannel): void {
    if (ch.state == ChannelState.CLOSED) return;
    ch.state = ChannelState.CLOSED;
    this.channels.delete(ch.id);
    this.emit(DC_EVENT_CLOSED, ch.id);
  }

  private pump(): void {
    let e = this.assoc.pollEvent();
    while (e) {
      this.onSctpEvent(e);
      e = this.assoc.pollEvent();
    }
  }

  private onSctpEvent(e: SctpEvent): void {
    switch (e.kind) {
      case EVENT_CONNECTED: {
        this.events.push(new DataChannelEvent(DC_EVENT_CONNECTED));
        break;
      }
      case EVENT_CLOSED: {
        const d = new DataChannelEvent(DC_EVENT_DISCONNECTED);
        d.code = e.code;
        d.reason = e.reason;
        this.events.push(d);
        const ids = this.channels.keys();
        for (let i = 0; i < ids.length; i++) this.finishClose(this.channels.get(ids[i]));
        break;
      }
      case EVENT_MESSAGE: {
        this.onMessage(e);
        break;
      }
      case EVENT_RESTARTED: {
        // The peer came back without memory of its channels: ours end, the association stays.
        const ids = this.channels.keys();
        for (let i = 0; i < ids.length; i++) this.finishClose(this.channels.get(ids[i]));
        this.events.push(new DataChannelEvent(DC_EVENT_RESTARTED));
        break;
      }
      case EVENT_STREAMS_RESET_INCOMING: {
        for (let i = 0; i < e.streams.length; i++) this.onIncomingReset(e.streams[i]);
        break;
      }
      case EVENT_STREAMS_RESET_DONE: {
        for (let i = 0; i < e.streams.length; i++) {
          const ch = this.channel(e.streams[i]);
          // An open channel's stream reset at the peer's request (RFC 6525 §5.2.3) stays open.
          if (ch == null || ch.state != ChannelState.CLOSING) continue;
          ch.outgoingReset = true;
          if (ch.incomingReset) this.finishClose(ch);
        }
        break;
      }
      case EVENT_BUFFERED_AMOUNT_LOW: {
        if (this.channels.has(e.streamId)) this.emit(DC_EVENT_BUFFERED_AMOUNT_LOW, e.streamId);
        break;
      }
    }
  }

  private onIncomingReset(id: u16): void {
    const ch = this.channel(id);
    if (ch == null) return;
    ch.incomingReset = true;
    if (ch.state != ChannelState.CLOSING) {
      // The peer closed: reset our side as well (RFC 8831 §6.7).
      ch.state = ChannelState.CLOSING;
      const list = new Array<u16>();
      list.push(id);
      if (!this.assoc.resetStreams(list)) ch.outgoingReset = true;
    }
    if (ch.outgoingReset) this.finishClose(ch);
  }

  private onMessage(e: SctpEvent): void {
    const id = e.streamId;
    const data = e.data!;
    if (e.ppid == PPID_DCEP) {
      if (data.length > 0 && data[0] == DCEP_OPEN) this.onOpen(id, data);
      else if (isAck(data)) {
        const ch = this.channel(id);
        if (ch) ch.acked = true;
        else this.dcepErrors++;
      } else this.dcepErrors++;
      return;
    }
    const ch = this.channel(id);
    if (ch == null || ch.state == ChannelState.CLOSED) {
      this.dcepErrors++; // data on a stream without a channel: dropped
      return;
    }
    // Any user message implies the ACK (RFC 8832 §6).
    ch.acked = true;
    const m = this.emit(DC_EVENT_MESSAGE, id);
    const p = e.ppid;
    if (p == PPID_STRING_EMPTY || p == PPID_BINARY_EMPTY) {
      m.data = new Uint8Array(0);
      m.binary = p == PPID_BINARY_EMPTY;
    } else {
      m.data = data;
      m.binary = p == PPID_BINARY || p == PPID_BINARY_PARTIAL;
      if (p != PPID_STRING && p != PPID_STRING_PARTIAL && p != PPID_BINARY && p != PPID_BINARY_PARTIAL) m.binary = true;
    }
  }

  private onOpen(id: u16, data: Uint8Array): void {
    const open = OpenMessage.parse(data);
    // The opener's ids have the other parity than ours; a taken id is an error (RFC 8832 §6).
    const theirs = ((<i32>id & 1) == 0) != this.dtlsClient;
    if (open == null || !theirs || this.channels.has(id)) {
      this.dcepErrors++;
      return;
    }
    const ch = new DataChannel(id);
    ch.label = open.label;
    ch.protocol = open.protocol;
    ch.priority = open.priority;
    ch.ordered = !open.unordered;
    const base = open.channelType & ~CHANNEL_UNORDERED_BIT;
    const rel = <i32>min<u32>(open.reliability, 0x7fffffff);
    if (base == CHANNEL_PARTIAL_RELIABLE_REXMIT) ch.maxRetransmits = rel;
    else if (base == CHANNEL_PARTIAL_RELIABLE_TIMED) ch.maxLifetimeMs = rel;
    ch.state = ChannelState.OPEN;
    ch.acked = true;
    this.channels.set(id, ch);
    this.assoc.send(id, PPID_DCEP, encodeAck(), false, -1, -1, this.now);
    const ev = this.emit(DC_EVENT_OPEN, id);
    ev.remote = true;
  }
}
