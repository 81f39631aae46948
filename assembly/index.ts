// The core's exported ABI: only what a host needs. See docs/architecture.md for the contract.
// C-friendly: i32 handles, numbers, and bytes in two buffers of linear memory — the io buffer
// (datagrams, SDP, messages, text; `io_buffer()`/`io_capacity()`) and the address buffer (three
// 19-byte transport addresses). No AssemblyScript object crosses the boundary. Times are f64 ms.
export { coreAbort } from "./imports";
import { runSelftest } from "./crypto/selftest";
import { TransportAddress } from "./stun/transport_address";
import { PeerConnection, OutputKind, SDP_OFFER } from "./peer/peer_connection";
import { PeerConfig } from "./peer/config";
import { PeerEvent } from "./peer/event";
import { Identity } from "./peer/identity";
import { SEND_ERR_STATE, SEND_ERR_TOO_BIG } from "./sctp/association";

// The ABI version; a host refuses a core whose version it does not know.
export function abi_version(): i32 {
  return 2;
}

// Runs the crypto known-answer tests inside the module (in wasm3 on boards). Returns the
// number of failed tests; each test's name and result are written through the log import.
export function selftest(): i32 {
  return runSelftest();
}

// ---- buffers ----

// The io buffer grows on demand (an outgoing message, a received one) up to this bound; a host
// that needs more than the peer's max-message-size plus SDP has a bug.
const IO_MAX: i32 = 16 * 1024 * 1024;
let io = new Uint8Array(4096);
let outLen: i32 = 0;

// [family (1 IPv4, 2 IPv6), port hi, port lo, 16 address bytes (IPv4 in the first 4)] x 3.
const ADDR_LEN: i32 = 19;
const ADDR_SLOTS: i32 = 3;
const addrBuf = new Uint8Array(ADDR_LEN * ADDR_SLOTS);

export function io_buffer(): usize {
  return io.dataStart;
}

export function io_capacity(): i32 {
  return io.length;
}

// Makes the io buffer hold at least n bytes (its contents are kept); returns its address, which
// may have changed, or 0 when n is over the bound.
export function io_reserve(n: i32): usize {
  if (n < 0 || n > IO_MAX) return 0;
  if (n > io.length) {
    const bigger = new Uint8Array(max(n, min(IO_MAX, io.length * 2)));
    bigger.set(io);
    io = bigger;
  }
  return io.dataStart;
}

export function addr_buffer(): usize {
  return addrBuf.dataStart;
}

// Bytes of output (datagram, message, SDP, candidate, name, reason) in the io buffer.
export function out_len(): i32 {
  return outLen;
}

function ioBytes(len: i32): Uint8Array {
  if (len <= 0) return new Uint8Array(0);
  return io.slice(0, min(len, io.length));
}

function ioString(off: i32, len: i32): string {
  if (len <= 0 || off < 0 || off >= io.length) return "";
  const n = min(len, io.length - off);
  return String.UTF8.decodeUnsafe(io.dataStart + <usize>off, <usize>n);
}

function putBytes(b: Uint8Array): i32 {
  if (io_reserve(b.length) == 0) {
    outLen = 0;
    return -1;
  }
  memory.copy(io.dataStart, b.dataStart, <usize>b.length);
  outLen = b.length;
  return outLen;
}

function putString(s: string): i32 {
  return putBytes(Uint8Array.wrap(String.UTF8.encode(s)));
}

function addrAt(slot: i32): TransportAddress | null {
  const off = slot * ADDR_LEN;
  const port = (<u16>addrBuf[off + 1] << 8) | <u16>addrBuf[off + 2];
  return TransportAddress.fromBytes(addrBuf[off], addrBuf, off + 3, port);
}

function putAddr(slot: i32, a: TransportAddress): void {
  const off = slot * ADDR_LEN;
  for (let i = 0; i < ADDR_LEN; i++) addrBuf[off + i] = 0;
  addrBuf[off] = a.family;
  addrBuf[off + 1] = <u8>(a.port >> 8);
  addrBuf[off + 2] = <u8>a.port;
  a.writeBytes(addrBuf, off + 3);
}

function ms(t: f64): i64 {
  return isFinite(t) ? <i64>t : 0;
}

// ---- configuration of the next peer_new ----

let staged = new PeerConfig();

// Back to the defaults.
export function config_reset(): void {
  staged = new PeerConfig();
}

// 1 dtls role when answering (0 active, 1 passive); 2 max message size; 3 SCTP send buffer;
// 4 SCTP receive buffer; 5 MTU; 6 max channels; 7 own certificate (1: not the core's shared one);
// 8 close timeout ms; 9 ICE consent timeout ms; 10 ICE disconnected-after ms; 11 ICE checking timeout ms;
// 12 max remote candidates; 13 max local candidates; 14 ms the DTLS client waits for the peer's SCTP INIT. Returns 1 when the key is known and the value in range.
export function config_set(key: i32, value: f64): i32 {
  if (!isFinite(value) || value < 0 || value > 1e9) return 0;
  const v = <i32>value;
  const c = staged;
  if (key == 1) c.dtlsPassive = v != 0;
  else if (key == 2 && v >= 1024) c.maxMessageSize = v;
  else if (key == 3 && v >= 4096) c.sendBufferSize = v;
  else if (key == 4 && v >= 4096) c.receiveBufferSize = v;
  else if (key == 5 && v >= 576 && v <= 9000) c.mtu = v;
  else if (key == 6 && v >= 1 && v <= 65535) c.maxChannels = v;
  else if (key == 7) c.ownCertificate = v != 0;
  else if (key == 8) c.closeTimeoutMs = <i64>v;
  else if (key == 9 && v >= 1000) c.ice.consentTimeout = <i64>v;
  else if (key == 10 && v >= 1000) c.ice.disconnectedAfter = <i64>v;
  else if (key == 11 && v >= 1000) c.ice.checkingTimeout = <i64>v;
  else if (key == 12 && v >= 1 && v <= 1024) c.ice.maxRemoteCandidates = v;
  else if (key == 13 && v >= 1 && v <= 64) c.ice.maxLocalCandidates = v;
  else if (key == 14 && v <= 10000) c.sctpClientInitDelayMs = <i64>v;
  else return 0;
  return 1;
}

// ---- peers ----

const peers = new Array<PeerConnection | null>();
let sharedIdentity: Identity | null = null;

function peerAt(id: i32): PeerConnection | null {
  if (id < 0 || id >= peers.length) return null;
  return peers[id];
}

// A new peer connection with the staged configuration; its id, or -1.
export function peer_new(): i32 {
  const cfg = staged;
  staged = new PeerConfig();
  let identity: Identity | null = null;
  if (cfg.ownCertificate) identity = Identity.generate();
  else {
    if (sharedIdentity == null) sharedIdentity = Identity.generate();
    identity = sharedIdentity;
  }
  if (identity == null) return -1;
  const p = new PeerConnection(cfg, identity);
  for (let i = 0; i < peers.length; i++) {
    if (peers[i] == null) {
      peers[i] = p;
      return i;
    }
  }
  peers.push(p);
  return peers.length - 1;
}

// Forgets a peer (close it first for a graceful end); its id may be reused.
export function peer_free(id: i32): void {
  if (peerAt(id) != null) peers[id] = null;
}

export function peer_close(id: i32, now: f64): void {
  const p = peerAt(id);
  if (p != null) p.close(ms(now));
}

// Our certificate's fingerprint, "sha-256 AB:CD:...", in the io buffer; its length or -1.
export function peer_fingerprint(id: i32): i32 {
  const p = peerAt(id);
  return p == null ? -1 : putString(p.fingerprint);
}

// The SDP calls put their result in the io buffer: the description on success (returns its
// length, >= 0), else the reason (returns -error code, out_len() its length).
export function peer_create_offer(id: i32): i32 {
  const p = peerAt(id);
  if (p == null) {
    putString("no such peer");
    return -15;
  }
  const r = p.createOffer();
  if (!r.ok) {
    putString(r.reason);
    return -(<i32>r.error);
  }
  return putString(r.sdp);
}

export function peer_create_answer(id: i32): i32 {
  const p = peerAt(id);
  if (p == null) {
    putString("no such peer");
    return -15;
  }
  const r = p.createAnswer();
  if (!r.ok) {
    putString(r.reason);
    return -(<i32>r.error);
  }
  return putString(r.sdp);
}

// The remote description (len bytes in the io buffer); type 0 offer, 1 answer. 0 when accepted,
// else the SdpError code with the reason in the io buffer.
export function peer_set_remote_description(id: i32, type: i32, len: i32): i32 {
  const p = peerAt(id);
  if (p == null) {
    putString("no such peer");
    return 15;
  }
  const r = p.setRemoteDescription(type == SDP_OFFER ? 0 : type == 1 ? 1 : -1, ioBytes(len));
  if (!r.ok) {
    putString(r.reason);
    return <i32>r.error;
  }
  outLen = 0;
  return 0;
}

// A local candidate from address slot 0: kind 0 host; 1 server-reflexive (slot 1 its base,
// slot 2 the STUN server); 2 relayed (slot 1 the mapped address or family 0, slot 2 the TURN
// server). 1 when added (a LocalCandidate event follows), 0 when not.
export function peer_add_local_candidate(id: i32, kind: i32): i32 {
  const p = peerAt(id);
  const a = addrAt(0);
  if (p == null || a == null) return 0;
  if (kind == 0) return p.addHostCandidate(a) ? 1 : 0;
  const b = addrAt(1);
  const s = addrAt(2);
  if (s == null) return 0;
  if (kind == 1) return b != null && p.addServerReflexiveCandidate(a, b, s) ? 1 : 0;
  if (kind == 2) return p.addRelayedCandidate(a, b, s) ? 1 : 0;
  return 0;
}

// A remote candidate line (len bytes in the io buffer): "candidate:...", with or without "a=";
// empty or "end-of-candidates" ends them. 1 when usable, 0 when not (malformed, not UDP).
export function peer_add_remote_candidate(id: i32, len: i32): i32 {
  const p = peerAt(id);
  if (p == null || len > 1100) return 0;
  return p.addRemoteCandidate(ioString(0, len)) ? 1 : 0;
}

// The host's answer to a ResolveMdns event: the name (len bytes in the io buffer) is at the
// address in slot 0 (its port ignored). 1 when a pending candidate was completed.
export function peer_resolve_mdns(id: i32, len: i32): i32 {
  const p = peerAt(id);
  const a = addrAt(0);
  if (p == null || a == null || len > 255) return 0;
  return p.resolveMdns(ioString(0, len), a) ? 1 : 0;
}

// A datagram (len bytes in the io buffer) received on the local address in slot 0 from slot 1.
// Returns 1, or 0 when the peer or an address is unknown.
export function peer_input(id: i32, len: i32, now: f64): i32 {
  const p = peerAt(id);
  const l = addrAt(0), r = addrAt(1);
  if (p == null || l == null || r == null || len < 0 || len > io.length) return 0;
  p.input(ioBytes(len), l, r, ms(now));
  return 1;
}

let lastEvent: PeerEvent | null = null;
let lastDeadline: f64 = -1;

// The peer's next output. 1 TRANSMIT: datagram in the io buffer (out_len), from slot 0 to slot 1.
// 2 EVENT: out_event(), out_channel(), out_value(), bytes (message, candidate, name, reason) in the
// io buffer, addresses of a selected pair in slots 0 and 1. 3 TIMEOUT: nothing before
// out_deadline() (-1: no timer); call again then, or after any input. 0 NONE: closed and drained
// (or no such peer). Call until TIMEOUT or NONE after every input and call.
export function peer_poll(id: i32, now: f64): i32 {
  lastEvent = null;
  outLen = 0;
  const p = peerAt(id);
  if (p == null) return 0;
  const o = p.poll(ms(now));
  if (o.kind == OutputKind.Transmit) {
    putAddr(0, o.local);
    putAddr(1, o.remote);
    if (putBytes(o.data) < 0) return peer_poll(id, now);
    return 1;
  }
  if (o.kind == OutputKind.Event) {
    const e = o.event!;
    lastEvent = e;
    const d = e.data;
    if (d != null) putBytes(d);
    else if (e.text.length > 0) putString(e.text);
    const l = e.local, r = e.remote;
    if (l != null) putAddr(0, l);
    if (r != null) putAddr(1, r);
    return 2;
  }
  if (o.kind == OutputKind.Timeout) {
    lastDeadline = o.deadline == i64.MAX_VALUE ? -1 : <f64>o.deadline;
    return 3;
  }
  return 0;
}

// 1 state changed, 2 local candidate, 3 resolve mDNS, 4 channel open, 5 channel message,
// 6 channel closed, 7 buffered amount low, 8 ICE state, 9 selected pair, 10 error (see peer/event.ts).
export function out_event(): i32 {
  const e = lastEvent;
  return e == null ? 0 : <i32>e.kind;
}

export function out_channel(): i32 {
  const e = lastEvent;
  return e == null ? -1 : e.channel;
}

export function out_value(): i32 {
  const e = lastEvent;
  return e == null ? 0 : e.value;
}

export function out_deadline(): f64 {
  return lastDeadline;
}

// 0 new, 1 connecting, 2 connected, 3 disconnected, 4 failed, 5 closed; -1 no such peer.
export function peer_state(id: i32): i32 {
  const p = peerAt(id);
  return p == null ? -1 : <i32>p.state;
}

// The ICE agent's state: 0 new, 1 checking, 2 connected, 3 completed, 4 disconnected, 5 failed, 6 closed.
export function peer_ice_state(id: i32): i32 {
  const p = peerAt(id);
  return p == null ? -1 : <i32>p.ice.state;
}

// Writes the selected pair's local and remote addresses to slots 0 and 1; 1 when there is one.
export function peer_selected_pair(id: i32): i32 {
  const p = peerAt(id);
  if (p == null) return 0;
  const s = p.ice.selected;
  if (s == null) return 0;
  putAddr(0, s.local.base);
  putAddr(1, s.remote.address);
  return 1;
}

// The largest message channel_send takes (the peer's max-message-size within ours); -1 no peer.
export function peer_max_message_size(id: i32): f64 {
  const p = peerAt(id);
  return p == null ? -1 : <f64>p.maxSendSize;
}

// Counters: 0 datagrams in, 1 datagrams out, 2 bytes in, 3 bytes out, 4 messages sent,
// 5 messages received, 6 message bytes sent, 7 message bytes received, 8 RTP/RTCP dropped,
// 9 unknown datagrams dropped, 10 DTLS records with no route, 11 ICE checks sent,
// 12 SCTP packets in, 13 SCTP packets out, 14 DTLS retransmissions, 15 events dropped.
export function peer_stat(id: i32, which: i32): f64 {
  const p = peerAt(id);
  if (p == null) return -1;
  const s = p.stats;
  switch (which) {
    case 0: return <f64>s.datagramsIn;
    case 1: return <f64>s.datagramsOut;
    case 2: return <f64>s.bytesIn;
    case 3: return <f64>s.bytesOut;
    case 4: return <f64>s.messagesSent;
    case 5: return <f64>s.messagesReceived;
    case 6: return <f64>s.messageBytesSent;
    case 7: return <f64>s.messageBytesReceived;
    case 8: return <f64>s.rtpDropped;
    case 9: return <f64>s.unknownDropped;
    case 10: return <f64>s.noRouteDropped;
    case 11: return <f64>p.ice.stats.checksSent;
    case 12: {
      const d = p.dcs;
      return d == null ? 0 : <f64>d.assoc.stats.packetsIn;
    }
    case 13: {
      const d = p.dcs;
      return d == null ? 0 : <f64>d.assoc.stats.packetsOut;
    }
    case 14: {
      const t = p.dtls;
      return t == null ? 0 : <f64>t.stats.retransmissions;
    }
    case 15: return <f64>s.eventsDropped;
  }
  return -1;
}

// ---- data channels (handles per peer) ----

// Label (labelLen bytes) then protocol (protocolLen bytes), UTF-8, in the io buffer. ordered 0/1;
// maxRetransmits / maxLifetimeMs < 0 for none; negotiatedId < 0 for DCEP, else the agreed stream id.
// A handle >= 0 (ChannelOpen follows once SCTP is up), or -1.
export function channel_create(id: i32, labelLen: i32, protocolLen: i32, ordered: i32, maxRetransmits: i32,
  maxLifetimeMs: i32, negotiatedId: i32, now: f64): i32 {
  const p = peerAt(id);
  if (p == null || labelLen < 0 || protocolLen < 0 || labelLen + protocolLen > io.length) return -1;
  return p.createChannel(ioString(0, labelLen), ioString(labelLen, protocolLen), ordered != 0, maxRetransmits,
    maxLifetimeMs, negotiatedId, ms(now));
}

// Sends len bytes from the io buffer; binary 1 or text 0. 0 sent (queued), 1 not open, 2 too big,
// 3 send buffer full (retry after some is acknowledged), 4 stream unusable.
export function channel_send(id: i32, ch: i32, len: i32, binary: i32, now: f64): i32 {
  const p = peerAt(id);
  if (p == null || len < 0) return SEND_ERR_STATE;
  if (len > io.length) return SEND_ERR_TOO_BIG;
  return p.send(ch, ioBytes(len), binary != 0, ms(now));
}

export function channel_close(id: i32, ch: i32, now: f64): void {
  const p = peerAt(id);
  if (p != null) p.closeChannel(ch, ms(now));
}

// Bytes accepted by channel_send and not yet sent and acknowledged; 0 for an unknown channel.
export function channel_buffered_amount(id: i32, ch: i32): i32 {
  const p = peerAt(id);
  return p == null ? 0 : p.bufferedAmount(ch);
}

export function channel_set_buffered_amount_low_threshold(id: i32, ch: i32, n: i32): void {
  const p = peerAt(id);
  if (p != null) p.setBufferedAmountLowThreshold(ch, n);
}

// 0 connecting, 1 open, 2 closing, 3 closed (also for an unknown channel).
export function channel_state(id: i32, ch: i32): i32 {
  const p = peerAt(id);
  if (p == null) return 3;
  const c = p.channels.get(ch);
  return c == null ? 3 : <i32>c.state;
}

// The SCTP stream id, -1 until known.
export function channel_stream_id(id: i32, ch: i32): i32 {
  const p = peerAt(id);
  if (p == null) return -1;
  const c = p.channels.get(ch);
  return c == null ? -1 : c.streamId;
}

// The label / protocol in the io buffer; its length, -1 for an unknown channel.
export function channel_label(id: i32, ch: i32): i32 {
  const p = peerAt(id);
  if (p == null) return -1;
  const c = p.channels.get(ch);
  return c == null ? -1 : putString(c.label);
}

export function channel_protocol(id: i32, ch: i32): i32 {
  const p = peerAt(id);
  if (p == null) return -1;
  const c = p.channels.get(ch);
  return c == null ? -1 : putString(c.protocol);
}

// which: 0 ordered (0/1), 1 maxRetransmits (-1 none), 2 maxPacketLifeTime ms (-1 none),
// 3 negotiated (0/1), 4 opened by the peer (0/1). -2 for an unknown channel.
export function channel_option(id: i32, ch: i32, which: i32): i32 {
  const p = peerAt(id);
  if (p == null) return -2;
  const c = p.channels.get(ch);
  if (c == null) return -2;
  if (which == 0) return c.ordered ? 1 : 0;
  if (which == 1) return c.maxRetransmits;
  if (which == 2) return c.maxLifetimeMs;
  if (which == 3) return c.negotiatedId >= 0 ? 1 : 0;
  if (which == 4) return c.remote ? 1 : 0;
  return -2;
}
