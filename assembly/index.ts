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
import { MediaTrack, codecId, CODEC_PCMU, CODEC_PCMA } from "./peer/media_session";
import { CodecCapability, FB_NACK, FB_PLI, FB_FIR } from "./sdp/codec";

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
  else if (key >= 20 && key <= 26) return mediaConfigSet(c, key, v);
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

// An ICE restart offer (RFC 8829 §5.2.3.1) after the first negotiation: the session as negotiated
// with new local ice-ufrag/ice-pwd; the answer's new credentials go to peer_set_remote_description.
export function peer_create_restart_offer(id: i32): i32 {
  const p = peerAt(id);
  if (p == null) {
    putString("no such peer");
    return -15;
  }
  const r = p.createOffer(true);
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

// ---- STUN/TURN servers (RFC 8445 §5.1.1.2, RFC 8656): the core's clients, the host's sockets ----

// A STUN or TURN server at slot 1, reached from the host socket at slot 0 (same family). kind 0 STUN
// (a server-reflexive candidate follows), 1 TURN over UDP, 2 TURN over TCP (the host has connected
// slot 0's IP to the server; its bytes go to peer_input_stream). The io buffer holds the username
// (userLen bytes) then the password (passLen bytes). The server's index, or -1 (bad input, too many).
// Candidates come out as LocalCandidate events; the server's answers arrive through peer_input.
export function peer_add_ice_server(id: i32, kind: i32, userLen: i32, passLen: i32, now: f64): i32 {
  const p = peerAt(id);
  const l = addrAt(0), s = addrAt(1);
  if (p == null || l == null || s == null || userLen < 0 || passLen < 0 || userLen > 512 || passLen > 512) return -1;
  if (userLen + passLen > io.length) return -1;
  return p.addIceServer(kind, l, s, ioString(0, userLen), ioString(userLen, passLen), ms(now));
}

// Bytes (len in the io buffer) read from the TCP connection slot 0 -> slot 1 of a TURN server added
// with kind 2. 1, or 0 when the host should close that connection (unknown, or its framing broke).
export function peer_input_stream(id: i32, len: i32, now: f64): i32 {
  const p = peerAt(id);
  const l = addrAt(0), r = addrAt(1);
  if (p == null || l == null || r == null || len < 0 || len > io.length) return 0;
  return p.inputStream(ioBytes(len), l, r, ms(now)) ? 1 : 0;
}

// 1 when the TRANSMIT peer_poll just returned is bytes for the TCP connection slot 0 -> slot 1
// (TURN over TCP) rather than a datagram.
export function peer_out_stream(id: i32): i32 {
  const p = peerAt(id);
  return p != null && p.lastOutputStream ? 1 : 0;
}

// iceTransportPolicy "relay" when on is 1: TURN-mapped addresses are not offered (the host also
// adds no host candidates and no STUN servers).
export function peer_set_relay_only(id: i32, on: i32): void {
  const p = peerAt(id);
  if (p != null) p.relay.setRelayOnly(on != 0);
}

// STUN queries and TURN allocations still unanswered (0: gathering complete); -1 no such peer.
export function peer_gathering(id: i32): i32 {
  const p = peerAt(id);
  return p == null ? -1 : p.relay.gathering;
}

// The TURN client state of server index i: 0 idle, 1 allocating, 2 allocated, 3 closing,
// 4 closed, 5 failed; -1 for a STUN server or an unknown index.
export function peer_turn_state(id: i32, i: i32): i32 {
  const p = peerAt(id);
  return p == null ? -1 : p.relay.turnState(i);
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

// Our ice-ufrag of the generation the selected pair belongs to (in the io buffer; during an ICE
// restart the previous one, until a pair of the new generation is selected): its length, -1 none.
export function peer_selected_ufrag(id: i32): i32 {
  const p = peerAt(id);
  if (p == null || p.ice.selected == null) return -1;
  return putString(p.ice.restarter.selectedGeneration);
}

// The largest message channel_send takes (the peer's max-message-size within ours); -1 no peer.
export function peer_max_message_size(id: i32): f64 {
  const p = peerAt(id);
  return p == null ? -1 : <f64>p.maxSendSize;
}

// Counters: 0 datagrams in, 1 datagrams out, 2 bytes in, 3 bytes out, 4 messages sent,
// 5 messages received, 6 message bytes sent, 7 message bytes received, 8 RTP/RTCP dropped,
// 9 unknown datagrams dropped, 10 DTLS records with no route, 11 ICE checks sent,
// 12 SCTP packets in, 13 SCTP packets out, 14 DTLS retransmissions, 15 events dropped,
// 16 ICE checks answered under our previous credentials (during a restart), 17 ICE restarts.
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
    // ICE restart diagnostics: checks answered under our previous credentials, ICE restarts,
    // checks of the peer's new generation under our previous credentials (libwebrtc's pre-answer checks).
    case 16: return <f64>p.ice.stats.previousGenerationChecks;
    case 17: return <f64>p.iceRestarts;
    case 18: return <f64>p.ice.stats.bridgedChecks;
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

// ---- media (audio/video tracks: assembly/peer/media_session.ts) ----

// Media keys of config_set: 20 answer audio/video (1, default) or reject them (0); 21 offer them in
// peer_create_offer (0 default); 22 video send codecs, 23 video receive codecs (bits: 1 H.264
// 42e01f, 2 VP8); 24 audio send codecs, 25 audio receive codecs (bits: 1 Opus, 2 PCMU, 4 PCMA), in
// that order of preference (0: none); 26 largest received video frame (bytes, 4 KiB - 4 MiB);
// 27 sent video packets kept for NACKs (16 - 4096).
function mediaConfigSet(c: PeerConfig, key: i32, v: i32): i32 {
  const m = c.media;
  if (key == 20) c.mediaEnabled = v != 0;
  else if (key == 21) c.offerMedia = v != 0;
  else if (key == 22 && v <= 3) m.video.send = videoCodecs(v);
  else if (key == 23 && v <= 3) m.video.receive = videoCodecs(v);
  else if (key == 24 && v <= 7) m.audio.send = audioCodecs(v);
  else if (key == 25 && v <= 7) m.audio.receive = audioCodecs(v);
  else if (key == 26 && v >= 4096 && v <= 4 * 1024 * 1024) c.maxVideoFrameSize = v;
  else if (key == 27 && v >= 16 && v <= 4096) c.videoHistoryPackets = v;
  else return 0;
  return 1;
}

function videoCodecs(bits: i32): CodecCapability[] {
  const l = new Array<CodecCapability>();
  if (bits & 1) l.push(CodecCapability.h264("42e01f", FB_NACK | FB_PLI | FB_FIR));
  if (bits & 2) l.push(CodecCapability.vp8(FB_NACK | FB_PLI | FB_FIR));
  return l;
}

function audioCodecs(bits: i32): CodecCapability[] {
  const l = new Array<CodecCapability>();
  if (bits & 1) l.push(CodecCapability.opus());
  if (bits & 2) l.push(CodecCapability.pcmu());
  if (bits & 4) l.push(CodecCapability.pcma());
  return l;
}

function mediaTrack(id: i32, track: i32): MediaTrack | null {
  const p = peerAt(id);
  if (p == null) return null;
  const m = p.media;
  return m == null ? null : m.track(track);
}

// Tracks (accepted audio/video sections, in SDP order) once the offer/answer settled; 0 before.
export function media_track_count(id: i32): i32 {
  const p = peerAt(id);
  if (p == null) return 0;
  const m = p.media;
  return m == null ? 0 : m.tracks.length;
}

// which: 0 kind (0 audio, 1 video), 1 direction (1 sendrecv, 2 sendonly, 3 recvonly, 4 inactive),
// 2 send codec (0 none, 1 H.264, 2 VP8, 3 Opus, 4 PCMU, 5 PCMA), 3 send payload type, 4 clock rate,
// 5 rtx payload type, 6 our SSRC, 7 the peer's SSRC (0 until known), 8 channels, 9 index of the m=
// section, 10 receive codec (the first the peer may send; as 2). -1 for an unknown track or key.
export function media_track_info(id: i32, track: i32, which: i32): f64 {
  const t = mediaTrack(id, track);
  if (t == null) return -1;
  const m = t.media;
  const c = m.send != null ? m.send : m.receive.length > 0 ? m.receive[0] : null;
  switch (which) {
    case 0: return <f64>(<i32>m.kind);
    case 1: return <f64>(<i32>m.direction);
    case 2: return <f64>codecId(m.send);
    case 3: return c == null ? -1 : <f64>c.payloadType;
    case 4: return c == null ? -1 : <f64>c.clockRate;
    case 5: return c == null ? -1 : <f64>c.rtxPayloadType;
    case 6: return <f64>t.localSsrc;
    case 7: {
      const r = t.receiver;
      if (r != null) return <f64>r.remoteSsrc;
      return m.remoteSsrcs.length > 0 ? <f64>m.remoteSsrcs[0] : 0;
    }
    case 8: return c == null ? -1 : <f64>c.channels;
    case 9: return <f64>m.index;
    case 10: return m.receive.length > 0 ? <f64>codecId(m.receive[0]) : 0;
  }
  return -1;
}

// The track's mid into the io buffer; its length, or -1.
export function media_track_mid(id: i32, track: i32): i32 {
  const t = mediaTrack(id, track);
  return t == null ? -1 : putString(t.media.mid);
}

// Sends one encoded frame (len bytes in the io buffer: an H.264 Annex B access unit, a VP8 frame,
// one Opus or G.711 frame) captured at rtpTimestamp (0 - 2^32-1, in the track's clock). Packets
// queued (>= 0), or -1 not a sending track, -2 SRTP not keyed yet, -3 dropped (malformed, too
// many packets, send queue full).
export function media_send_frame(id: i32, track: i32, len: i32, rtpTimestamp: f64, isKeyframe: i32, now: f64): i32 {
  const p = peerAt(id);
  if (p == null || len < 0 || len > io.length || !isFinite(rtpTimestamp)) return -1;
  return p.sendMediaFrame(track, ioBytes(len), <u32>(<i64>rtpTimestamp), isKeyframe != 0, ms(now));
}

// Asks the peer for a keyframe on a receiving track (RTCP PLI); 1 when sent or pending.
export function media_request_keyframe(id: i32, track: i32, now: f64): i32 {
  const p = peerAt(id);
  return p != null && p.requestKeyframe(track, ms(now)) ? 1 : 0;
}

// The MEDIA_FRAME event just polled: 0 RTP timestamp, 1 payload type, 2 keyframe (0/1),
// 3 G.711 level in dBFS (RMS, <= 0; -127 silence; 1 when not measured: other codecs). -1 otherwise.
export function out_media(which: i32): f64 {
  const e = lastEvent;
  if (e == null) return -1;
  const i = e.media;
  if (i == null) return -1;
  if (which == 0) return <f64>i.timestamp;
  if (which == 1) return <f64>i.payloadType;
  if (which == 2) return i.keyframe ? 1 : 0;
  if (which == 3) return i.codec == CODEC_PCMU || i.codec == CODEC_PCMA ? -<f64>i.level : 1;
  return -1;
}

// Per-track counters: 0 packets sent, 1 payload bytes sent, 2 frames sent, 3 packets received,
// 4 bytes received, 5 frames received, 6 NACKs received, 7 NACKs sent, 8 retransmissions,
// 9 PLIs received, 10 FIRs received, 11 PLIs sent, 12 jitter (ms), 13 packets lost (cumulative),
// 14 RTT ms (-1 unknown), 15 REMB bitrate (bps), 16 loss fraction the peer reports (0-255),
// 17 packets lost the peer reports, 18 G.711 level in dBFS (as out_media 3), 19 received frames
// dropped (gaps, malformed), 20 keyframe requests received, 21 keyframes sent.
// track -1: the session's: 0 RTP/RTCP before keys, 1 SRTP failures, 2 SRTCP failures, 3 no track
// for its SSRC/payload type, 4 protect failures. -1 for an unknown peer, track or key.
export function media_stat(id: i32, track: i32, which: i32): f64 {
  const p = peerAt(id);
  if (p == null) return -1;
  const m = p.media;
  if (m == null) return track == -1 ? 0 : -1;
  if (track == -1) {
    const c = m.counters;
    if (which == 0) return <f64>c.notKeyed;
    if (which == 1) return <f64>c.srtpFailed;
    if (which == 2) return <f64>c.srtcpFailed;
    if (which == 3) return <f64>c.unknownStream;
    if (which == 4) return <f64>c.protectFailed;
    return -1;
  }
  const t = m.track(track);
  if (t == null) return -1;
  const s = t.sender, r = t.receiver;
  const sc = s != null ? s.counters : null;
  const rc = r != null ? r.counters : null;
  switch (which) {
    case 0: return sc == null ? 0 : <f64>sc.packetsSent;
    case 1: return sc == null ? 0 : <f64>sc.octetsSent;
    case 2: return sc == null ? 0 : <f64>sc.framesSent;
    case 3: return rc == null ? 0 : <f64>rc.packets;
    case 4: return <f64>t.stats.bytesReceived;
    case 5: return <f64>t.stats.framesReceived;
    case 6: return sc == null ? 0 : <f64>sc.nacksReceived;
    case 7: return rc == null ? 0 : <f64>rc.nacksSent;
    case 8: return sc == null ? 0 : <f64>sc.retransmitted;
    case 9: return sc == null ? 0 : <f64>sc.plisReceived;
    case 10: return sc == null ? 0 : <f64>sc.firsReceived;
    case 11: return rc == null ? 0 : <f64>rc.plisSent;
    case 12: {
      if (r == null) return 0;
      const clock = r.config.clockRate;
      return clock == 0 ? 0 : <f64>r.stats.jitter * 1000 / <f64>clock;
    }
    case 13: return r == null || !r.stats.initialized ? 0 : <f64>r.stats.cumulativeLost;
    case 14: return s == null ? -1 : <f64>s.rttMs;
    case 15: return s == null ? 0 : <f64>s.rembBitrate;
    case 16: {
      const b = s != null ? s.lastReport : null;
      return b == null ? 0 : <f64>b.fractionLost;
    }
    case 17: {
      const b = s != null ? s.lastReport : null;
      return b == null ? 0 : <f64>b.cumulativeLost;
    }
    case 18: {
      const c = codecId(t.receiveCodec);
      return c == CODEC_PCMU || c == CODEC_PCMA ? -<f64>t.stats.level : 1;
    }
    case 19: return r == null ? 0 : <f64>r.depacketizer.counters.framesDropped;
    case 20: return <f64>t.stats.keyframeRequests;
    case 21: return <f64>t.stats.keyframesSent;
    // Sequence numbers NACKed that were not resent (gone from the history, too old, or over the
    // resend limits): the history is too small for the rate and RTT when this grows.
    case 22: return sc == null ? 0 : <f64>sc.nackSeqsIgnored;
  }
  return -1;
}
