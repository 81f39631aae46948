// One WebRTC peer connection for data channels (RFC 8829 JSEP, RFC 8825 overview): ICE carries DTLS,
// DTLS carries SCTP, SCTP carries the channels. Datagrams are demultiplexed by first byte (RFC 7983).
// Sans-IO like its layers: input(datagram, local, remote, now), poll(now) until a Timeout.
import { IceAgent } from "../ice/agent";
import { Candidate, CandidateType } from "../ice/candidate";
import { IceEvent, IceEventKind, IceState } from "../ice/event";
import { TransportAddress } from "../stun/transport_address";
import { DtlsConfig } from "../dtls/config";
import { DtlsConn, ConnState } from "../dtls/conn";
import { DtlsClient } from "../dtls/client";
import { DtlsServer } from "../dtls/server";
import { DtlsEvent, DtlsEventKind } from "../dtls/event";
import { SctpConfig } from "../sctp/config";
import { AssocState, SEND_ERR_STATE, SEND_ERR_TOO_BIG } from "../sctp/association";
import {
  DataChannels, DataChannelEvent, DC_EVENT_CONNECTED, DC_EVENT_DISCONNECTED, DC_EVENT_OPEN, DC_EVENT_MESSAGE,
  DC_EVENT_CLOSED, DC_EVENT_BUFFERED_AMOUNT_LOW,
} from "../datachannel/data_channels";
import { SdpConfig } from "../sdp/config";
import { SdpError, errorName } from "../sdp/error";
import { Fingerprint } from "../sdp/fingerprint";
import { parseSessionDescription, SessionDescription } from "../sdp/session_description";
import { remoteTransport, RemoteTransport } from "../sdp/transport";
import { createAnswer } from "../sdp/answer";
import { createOffer, applyAnswer } from "../sdp/offer";
import { Setup } from "../sdp/setup";
import { PeerConfig } from "./config";
import { PeerEvent, PeerEventKind, PeerState, PeerStats } from "./event";
import { Identity } from "./identity";
import { newPassword, newUfrag } from "./credentials";
import { classify, PacketClass } from "./demux";
import { ChannelTable, PeerChannel, PeerChannelState } from "./channel_table";
import { PeerRelay } from "./relay";
import { MediaSession, newMediaSession, hasMediaSection, transportSection } from "./media_session";
import { sessionChange, keepsDtlsRole, rewriteTransport, sameFingerprint, setupName } from "./renegotiation";
import { createMediaAnswer } from "../sdp/media_answer";
import { createMediaOffer, applyMediaAnswer, MediaOfferResult } from "../sdp/media_offer";

const NEVER: i64 = i64.MAX_VALUE;

// DTLS 1.2 AES-GCM record overhead: 13-byte header, 8-byte explicit nonce, 16-byte tag.
const DTLS_GCM_OVERHEAD: i32 = 37;

export const enum OutputKind {
  // Closed and drained: nothing will ever come out again.
  None = 0,
  Transmit = 1,
  Event = 2,
  // Nothing more before `deadline` (NEVER when no timer runs).
  Timeout = 3,
}

// What poll() returns; one object reused per peer.
export class PeerOutput {
  kind: OutputKind = OutputKind.None;
  local: TransportAddress = new TransportAddress();
  remote: TransportAddress = new TransportAddress();
  data: Uint8Array = new Uint8Array(0);
  // A Transmit for the TCP connection local -> remote (TURN over TCP), not a datagram.
  stream: bool = false;
  event: PeerEvent | null = null;
  deadline: i64 = NEVER;
}

// The result of a description call: an SDP to hand to the remote peer, or an error with a reason.
export class DescriptionResult {
  error: SdpError = SdpError.None;
  reason: string = "";
  sdp: string = "";

  get ok(): bool {
    return this.error == SdpError.None;
  }

  static fail(e: SdpError, reason: string): DescriptionResult {
    const r = new DescriptionResult();
    r.error = e;
    r.reason = reason;
    return r;
  }
}

// Description types as the ABI numbers them.
export const SDP_OFFER: i32 = 0;
export const SDP_ANSWER: i32 = 1;

export class PeerConnection {
  state: PeerState = PeerState.New;
  readonly ice: IceAgent;
  // STUN/TURN servers around the agent (relay.ts); the agent's traffic flows through it.
  readonly relay: PeerRelay;
  dtls: DtlsConn | null = null;
  dcs: DataChannels | null = null;
  // Audio/video tracks (media_session.ts), once an offer/answer with media settled.
  media: MediaSession | null = null;
  private mediaOffer: MediaOfferResult | null = null;
  readonly channels: ChannelTable;
  readonly stats: PeerStats = new PeerStats();
  // Our ICE credentials; new ones after each ICE restart (RFC 8445 §9).
  localUfrag: string;
  localPassword: string;
  // ICE restarts begun by either side since the first negotiation.
  iceRestarts: i32 = 0;
  // The peer's max-message-size (0: it set no limit).
  remoteMaxMessageSize: i64 = 65536;

  private sdp: SdpConfig = new SdpConfig();
  private remoteOffer: SessionDescription | null = null;
  private remote: RemoteTransport | null = null;
  // After the first negotiation (renegotiation.ts): our last description, rewritten for each
  // subsequent one; the peer's last description; a re-offer of theirs awaiting our answer; ours
  // awaiting theirs.
  private localSdp: string = "";
  private remoteDesc: SessionDescription | null = null;
  private reofferPending: bool = false;
  private localReofferPending: bool = false;
  private isOfferer: bool = false;
  private haveLocal: bool = false;
  private negotiated: bool = false;
  private dtlsClient: bool = false;
  private dtlsStarted: bool = false;
  private dtlsLocal: TransportAddress | null = null;
  private dtlsRemote: TransportAddress | null = null;
  private early: Uint8Array[] = [];
  private earlyLocal: TransportAddress[] = [];
  private earlyRemote: TransportAddress[] = [];
  private events: PeerEvent[] = [];
  private eventHead: i32 = 0;
  private out: PeerOutput = new PeerOutput();
  private now: i64 = 0;
  private timersDue: i64 = 0;
  private closing: bool = false;
  private closed: bool = false;
  private closeDeadline: i64 = NEVER;
  private lastIceState: IceState = IceState.New;
  private sctpConnectAt: i64 = NEVER;

  constructor(public config: PeerConfig, public identity: Identity) {
    const ufrag = newUfrag();
    const pwd = newPassword();
    const ice = new IceAgent(config.ice, false, ufrag, pwd);
    this.ice = ice;
    this.relay = new PeerRelay(ice);
    this.channels = new ChannelTable(config.maxChannels);
    this.localUfrag = ufrag;
    this.localPassword = pwd;
    const s = this.sdp;
    s.iceUfrag = this.localUfrag;
    s.icePwd = this.localPassword;
    s.fingerprint = new Fingerprint("sha-256", identity.fingerprint);
    s.setup = config.dtlsPassive ? Setup.Passive : Setup.Active;
    s.maxMessageSize = config.maxMessageSize;
  }

  // "sha-256 AB:CD:..." of our certificate, as our descriptions carry it.
  get fingerprint(): string {
    return this.sdp.fingerprint.toString();
  }

  // ---- signaling (RFC 8829 §5) ----

  // Our offer: one data channel section, a=setup:actpass; the offerer is ICE-controlling (RFC 8445 §6.1.1).
  // After the first negotiation only a subsequent offer of the same session is made: with
  // iceRestart new ICE credentials (RFC 8829 §5.2.3.1), else the same ones.
  createOffer(iceRestart: bool = false): DescriptionResult {
    if (this.closing) return DescriptionResult.fail(SdpError.BadConfig, "the peer connection is closed");
    if (this.negotiated) return this.createReoffer(iceRestart);
    if (this.remoteOffer != null) {
      return DescriptionResult.fail(SdpError.BadConfig, "a remote offer is waiting for our answer");
    }
    this.isOfferer = true;
    this.ice.controlling = true;
    this.fillCandidates();
    const d = new DescriptionResult();
    if (this.config.offerMedia) {
      const m = createMediaOffer(this.sdp, this.config.media);
      if (!m.ok) return DescriptionResult.fail(m.error, m.reason);
      this.mediaOffer = m;
      d.sdp = m.sdp;
    } else {
      const r = createOffer(this.sdp);
      if (!r.ok) return DescriptionResult.fail(r.error, r.reason);
      d.sdp = r.sdp;
    }
    this.haveLocal = true;
    this.localSdp = d.sdp;
    this.sdp.sessionVersion++;
    return d;
  }

  // A subsequent offer: our last description with new transport parameters. As the original
  // answerer only a data-only session can be re-offered (an answer's media lines are not an offer's).
  private createReoffer(iceRestart: bool): DescriptionResult {
    if (this.reofferPending) return DescriptionResult.fail(SdpError.BadConfig, "a remote offer is waiting for our answer");
    if (!this.isOfferer && this.media != null) {
      return DescriptionResult.fail(SdpError.BadConfig, "renegotiation is not supported: the answering side cannot re-offer a session with media");
    }
    if (iceRestart) this.restartLocal();
    this.localReofferPending = true;
    return this.rewriteLocal("actpass");
  }

  private rewriteLocal(setup: string): DescriptionResult {
    this.fillCandidates();
    const d = new DescriptionResult();
    d.sdp = rewriteTransport(this.localSdp, this.localUfrag, this.localPassword, this.sdp.candidates, this.sdp.endOfCandidates, this.sdp.sessionVersion, setup);
    this.localSdp = d.sdp;
    this.sdp.sessionVersion++;
    return d;
  }

  // Our half of an ICE restart (RFC 8445 §9): new credentials; the local candidates stay and are
  // announced again (LocalCandidate events) for the new generation.
  private restartLocal(): void {
    const ufrag = newUfrag();
    const pwd = newPassword();
    if (!this.ice.restart(ufrag, pwd, this.now)) return;
    this.localUfrag = ufrag;
    this.localPassword = pwd;
    this.sdp.iceUfrag = ufrag;
    this.sdp.icePwd = pwd;
    this.iceRestarts++;
    for (let i = 0; i < this.ice.locals.length; i++) {
      const ev = this.emit(PeerEventKind.LocalCandidate);
      ev.text = this.ice.locals[i].toSdp();
    }
    this.timersDue = 0;
  }

  // type: SDP_OFFER or SDP_ANSWER. Checks everything the connection needs, so a bad description
  // is refused here with its reason rather than failing later.
  setRemoteDescription(type: i32, bytes: Uint8Array): DescriptionResult {
    if (this.closing) return DescriptionResult.fail(SdpError.BadConfig, "the peer connection is closed");
    if (type != SDP_OFFER && type != SDP_ANSWER) return DescriptionResult.fail(SdpError.BadConfig, "description type must be offer or answer");
    const p = parseSessionDescription(bytes, this.sdp.limits);
    if (!p.ok) return DescriptionResult.fail(p.error, errorName(p.error) + ": " + p.reason);
    const d = p.description!;
    if (this.negotiated) return this.setSubsequent(type, d);
    if (type == SDP_OFFER) {
      if (this.isOfferer) return DescriptionResult.fail(SdpError.BadConfig, "we sent an offer; expected an answer");
      const index = transportSection(d, this.config);
      if (index < 0) {
        return DescriptionResult.fail(SdpError.NoApplicationSection, "no-application-section: the offer has no data channel section (m=application ... UDP/DTLS/SCTP webrtc-datachannel)");
      }
      const tr = remoteTransport(d, index);
      if (!tr.ok) return DescriptionResult.fail(tr.error, errorName(tr.error) + ": " + tr.reason);
      if (tr.transport!.setup == Setup.HoldConn) return DescriptionResult.fail(SdpError.BadSetup, "bad-setup: a=setup:holdconn cannot be answered");
      this.remoteOffer = d;
      this.remoteDesc = d;
      return new DescriptionResult();
    }
    if (!this.isOfferer) return DescriptionResult.fail(SdpError.BadConfig, "an answer needs our offer first");
    const mo = this.mediaOffer;
    if (mo != null) {
      const ma = applyMediaAnswer(d, mo);
      if (!ma.ok) return DescriptionResult.fail(ma.error, errorName(ma.error) + ": " + ma.reason);
      this.media = newMediaSession(ma.media, this.config);
      this.remoteDesc = d;
      this.startTransport(ma.remote!, ma.dtlsClient, ma.dataAccepted);
      return new DescriptionResult();
    }
    const a = applyAnswer(d);
    if (!a.ok) return DescriptionResult.fail(a.error, errorName(a.error) + ": " + a.reason);
    this.remoteDesc = d;
    this.startTransport(a.remote!, a.dtlsClient);
    return new DescriptionResult();
  }

  // A description after the first negotiation. Only the same session is accepted — same
  // sections, mids, codecs, directions, DTLS fingerprint and roles — with new ICE credentials (the
  // peer restarts ICE, RFC 8839 §4.4.1.1.1) or the same ones. Anything else is refused before
  // anything changes, so the live connection goes on as it was.
  private setSubsequent(type: i32, d: SessionDescription): DescriptionResult {
    const prev = this.remoteDesc;
    const cur = this.remote;
    if (prev == null || cur == null) return DescriptionResult.fail(SdpError.BadConfig, "renegotiation is not supported here");
    if (type == SDP_OFFER) {
      if (this.localReofferPending) return DescriptionResult.fail(SdpError.BadConfig, "our offer is waiting for an answer (glare); rollback is not supported");
      // As the original offerer we see their answer's lines before; directions flip between an
      // answer and an offer, so only the section layout is compared, and media is refused.
      if (this.isOfferer && this.media != null) {
        return DescriptionResult.fail(SdpError.BadConfig, "renegotiation is not supported: the answering side re-offered a session with media");
      }
    } else if (!this.localReofferPending) return DescriptionResult.fail(SdpError.BadConfig, "an answer needs our offer first");
    const change = sessionChange(prev, d, type == SDP_OFFER ? !this.isOfferer : true);
    if (change != null) return DescriptionResult.fail(SdpError.BadConfig, "renegotiation is not supported: " + change);
    const tr = remoteTransport(d, cur.mediaIndex);
    if (!tr.ok) return DescriptionResult.fail(tr.error, errorName(tr.error) + ": " + tr.reason);
    const t = tr.transport!;
    if (!sameFingerprint(t.fingerprint, cur.fingerprint)) {
      return DescriptionResult.fail(SdpError.BadConfig, "renegotiation is not supported: the DTLS fingerprint changed (a new DTLS association)");
    }
    if (!keepsDtlsRole(t.setup, this.dtlsClient) || (type == SDP_ANSWER && t.setup == Setup.ActPass)) {
      return DescriptionResult.fail(SdpError.BadSetup, "renegotiation is not supported: a=setup would change the DTLS roles");
    }
    if (!this.ice.setRemoteCredentials(t.iceUfrag, t.icePwd, this.now)) {
      return DescriptionResult.fail(SdpError.MissingIceCredentials, "unusable a=ice-ufrag/a=ice-pwd");
    }
    cur.iceUfrag = t.iceUfrag;
    cur.icePwd = t.icePwd;
    this.remoteDesc = d;
    if (type == SDP_OFFER) {
      this.remoteOffer = d;
      this.reofferPending = true;
    } else this.localReofferPending = false;
    for (let i = 0; i < t.candidates.length; i++) this.addRemoteCandidate(t.candidates[i]);
    if (t.endOfCandidates) this.ice.endOfRemoteCandidates();
    this.timersDue = 0;
    return new DescriptionResult();
  }

  // Our answer to the remote offer; starts ICE checks and DTLS with the negotiated roles.
  createAnswer(): DescriptionResult {
    if (this.closing) return DescriptionResult.fail(SdpError.BadConfig, "the peer connection is closed");
    const offer = this.remoteOffer;
    if (offer == null) return DescriptionResult.fail(SdpError.BadConfig, "no remote offer to answer");
    // (negotiated implies localSdp: our offer or first answer set it before startTransport)
    if (this.negotiated) return this.createSubsequentAnswer();
    this.fillCandidates();
    if (this.config.mediaEnabled && hasMediaSection(offer)) {
      const m = createMediaAnswer(offer, this.sdp, this.config.media);
      if (!m.ok) return DescriptionResult.fail(m.error, errorName(m.error) + ": " + m.reason);
      this.haveLocal = true;
      this.localSdp = m.sdp;
      this.sdp.sessionVersion++;
      this.media = newMediaSession(m.media, this.config);
      this.startTransport(m.remote!, m.dtlsClient, m.dataIndex >= 0);
      const md = new DescriptionResult();
      md.sdp = m.sdp;
      return md;
    }
    const r = createAnswer(offer, this.sdp);
    if (!r.ok) return DescriptionResult.fail(r.error, errorName(r.error) + ": " + r.reason);
    this.haveLocal = true;
    this.localSdp = r.sdp;
    this.sdp.sessionVersion++;
    this.startTransport(r.remote!, r.dtlsClient);
    const d = new DescriptionResult();
    d.sdp = r.sdp;
    return d;
  }

  // The answer to a subsequent offer: the session as negotiated, with our DTLS role; when the peer
  // restarted ICE (the agent waits for our half) with new credentials of ours too (RFC 8839
  // §4.4.1.1.1: the answerer's ice-ufrag/ice-pwd change with the offerer's).
  private createSubsequentAnswer(): DescriptionResult {
    if (this.ice.restarter.awaitingLocal) this.restartLocal();
    this.reofferPending = false;
    return this.rewriteLocal(setupName(this.dtlsClient));
  }

  // Candidates gathered so far go into the description too, for peers that do not trickle.
  private fillCandidates(): void {
    const lines = new Array<string>();
    for (let i = 0; i < this.ice.locals.length; i++) lines.push(this.ice.locals[i].toSdp());
    this.sdp.candidates = lines;
  }

  private startTransport(remote: RemoteTransport, dtlsClient: bool, withData: bool = true): void {
    this.negotiated = true;
    this.remote = remote;
    this.dtlsClient = dtlsClient;
    this.remoteMaxMessageSize = remote.maxMessageSize;
    this.ice.setRemoteCredentials(remote.iceUfrag, remote.icePwd);
    for (let i = 0; i < remote.candidates.length; i++) this.addRemoteCandidate(remote.candidates[i]);
    if (remote.endOfCandidates) this.ice.endOfRemoteCandidates();

    const dc = new DtlsConfig();
    dc.certificate = this.identity.certificate;
    dc.privateKey = this.identity.privateKey;
    dc.expectedFingerprint = remote.fingerprint.value;
    dc.mtu = this.config.mtu;
    // use_srtp stays offered/accepted even without media: werift fails a handshake without it,
    // and browsers negotiate it for every bundle transport.
    this.dtls = dtlsClient ? changetype<DtlsConn>(new DtlsClient(dc)) : changetype<DtlsConn>(new DtlsServer(dc));

    const sc = new SctpConfig();
    sc.remotePort = <u16>remote.sctpPort;
    sc.mtu = this.config.mtu - DTLS_GCM_OVERHEAD;
    sc.maxMessageSize = this.config.maxMessageSize;
    sc.sendBufferSize = max(this.config.sendBufferSize, this.config.maxMessageSize);
    sc.receiveBufferSize = max(this.config.receiveBufferSize, this.config.maxMessageSize);
    // Without a data channel section (media only) no SCTP association is made.
    if (withData) this.dcs = new DataChannels(sc, dtlsClient);

    // DTLS records that came before we knew our role.
    for (let i = 0; i < this.early.length; i++) this.inputDtls(this.early[i], this.earlyLocal[i], this.earlyRemote[i], this.now);
    this.early.length = 0;
    this.earlyLocal.length = 0;
    this.earlyRemote.length = 0;
    this.maybeStartDtls();
    this.timersDue = 0;
  }

  // ---- candidates ----

  addHostCandidate(addr: TransportAddress): bool {
    return this.ice.addHostCandidate(addr) != null;
  }

  addServerReflexiveCandidate(mapped: TransportAddress, base: TransportAddress, server: TransportAddress): bool {
    return this.ice.addServerReflexiveCandidate(mapped, base, server) != null;
  }

  // The hook for TURN: a relayed address allocated by the host's TURN client. Checks and data to
  // the peer then leave as Transmits whose local address is the relayed one; the host sends those
  // through its TURN client, and hands what the client receives back to input(data, relayed, peer).
  addRelayedCandidate(relayed: TransportAddress, mapped: TransportAddress | null, server: TransportAddress): bool {
    return this.ice.addRelayedCandidate(relayed, mapped, server) != null;
  }

  // "candidate:...", "a=candidate:...", "end-of-candidates" or "" (end of candidates, as JSEP's null
  // or empty candidate). False when malformed or not usable (not UDP, not component 1).
  addRemoteCandidate(line: string): bool {
    if (this.closing) return false;
    if (line.trim().length == 0) {
      this.ice.endOfRemoteCandidates();
      return true;
    }
    const ok = this.ice.addRemoteCandidateSdp(line);
    this.timersDue = 0;
    return ok;
  }

  // A STUN or TURN server (relay.ts kinds) reached from the host socket at local; its index or -1.
  addIceServer(kind: i32, local: TransportAddress, server: TransportAddress, username: string, password: string, now: i64): i32 {
    if (this.closing) return -1;
    this.now = now;
    const i = this.relay.addServer(kind, local, server, username, password, now);
    this.timersDue = 0;
    return i;
  }

  // Bytes read from the TCP connection local -> server (a TURN server added over TCP). False when
  // the host should close that connection (no such server, or its framing broke).
  inputStream(data: Uint8Array, local: TransportAddress, server: TransportAddress, now: i64): bool {
    this.now = now;
    this.stats.bytesIn += <u64>data.length;
    const ok = this.relay.inputStream(data, local, server, now);
    this.inputRelayed(now);
    this.timersDue = 0;
    return ok;
  }

  resolveMdns(name: string, ip: TransportAddress): bool {
    const ok = this.ice.resolveMdns(name, ip);
    this.timersDue = 0;
    return ok;
  }

  // ---- data channels ----

  // A channel by label and options; a handle (>= 0), or -1 when over maxChannels or the id is invalid.
  // It opens once SCTP is up (at once if it already is).
  createChannel(label: string, protocol: string, ordered: bool, maxRetransmits: i32, maxLifetimeMs: i32, negotiatedId: i32, now: i64): i32 {
    if (this.closing) return -1;
    if (negotiatedId > 65534 || label.length > 65535 || protocol.length > 65535) return -1;
    const c = this.channels.add();
    if (c == null) return -1;
    c.label = label;
    c.protocol = protocol;
    c.ordered = ordered;
    c.maxRetransmits = maxRetransmits;
    c.maxLifetimeMs = maxRetransmits >= 0 ? -1 : maxLifetimeMs;
    c.negotiatedId = negotiatedId < 0 ? -1 : negotiatedId;
    const dcs = this.dcs;
    if (dcs != null && dcs.assoc.isUp()) this.openChannel(c, now);
    return c.handle;
  }

  // SEND_OK or the association's SEND_ERR_* (too big for the peer's max-message-size included).
  send(handle: i32, data: Uint8Array, binary: bool, now: i64): i32 {
    this.now = now;
    const c = this.channels.get(handle);
    const dcs = this.dcs;
    if (c == null || dcs == null || c.state != PeerChannelState.Open || c.streamId < 0) return SEND_ERR_STATE;
    if (<i64>data.length > this.maxSendSize) return SEND_ERR_TOO_BIG;
    const r = dcs.send(<u16>c.streamId, data, binary, now);
    if (r == 0) {
      this.stats.messagesSent++;
      this.stats.messageBytesSent += <u64>data.length;
    }
    return r;
  }

  // The largest message send() takes: the peer's max-message-size within our SCTP limit.
  get maxSendSize(): i64 {
    const ours = <i64>this.config.maxMessageSize;
    const theirs = this.remoteMaxMessageSize;
    return theirs <= 0 ? ours : min(ours, theirs);
  }

  closeChannel(handle: i32, now: i64): void {
    this.now = now;
    const c = this.channels.get(handle);
    if (c == null || c.state >= PeerChannelState.Closing) return;
    const dcs = this.dcs;
    if (c.streamId < 0 || dcs == null) {
      // Never opened: it just goes away.
      this.finishChannel(c);
      return;
    }
    c.state = PeerChannelState.Closing;
    dcs.close(<u16>c.streamId, now);
  }

  bufferedAmount(handle: i32): i32 {
    const c = this.channels.get(handle);
    const dcs = this.dcs;
    if (c == null || dcs == null || c.streamId < 0) return 0;
    return dcs.bufferedAmount(<u16>c.streamId);
  }

  setBufferedAmountLowThreshold(handle: i32, n: i32): void {
    const c = this.channels.get(handle);
    if (c == null) return;
    c.lowThreshold = max(0, n);
    const dcs = this.dcs;
    if (dcs != null && c.streamId >= 0) dcs.setBufferedAmountLowThreshold(<u16>c.streamId, c.lowThreshold);
  }

  private openChannel(c: PeerChannel, now: i64): void {
    const dcs = this.dcs!;
    const sid = dcs.create(c.label, c.protocol, c.ordered, c.maxRetransmits, c.maxLifetimeMs, c.negotiatedId, now);
    if (sid < 0) {
      const e = this.emit(PeerEventKind.Error);
      e.channel = c.handle;
      e.text = c.negotiatedId >= 0 ? "stream id " + c.negotiatedId.toString() + " is taken or out of range" : "no free stream id";
      this.finishChannel(c);
      return;
    }
    this.channels.bindStream(c, sid);
    if (c.lowThreshold > 0) dcs.setBufferedAmountLowThreshold(<u16>sid, c.lowThreshold);
    // DataChannels reports the open as an event, handled in onChannelEvent.
  }

  private finishChannel(c: PeerChannel): void {
    if (c.state == PeerChannelState.Closed) return;
    const wasOpen = c.state != PeerChannelState.Connecting || c.remote;
    c.state = PeerChannelState.Closed;
    this.channels.remove(c);
    const e = this.emit(PeerEventKind.ChannelClosed);
    e.channel = c.handle;
    e.value = wasOpen ? 1 : 0;
  }

  // ---- close ----

  // Graceful: SCTP SHUTDOWN (queued data first), then DTLS close_notify, then ICE stops.
  close(now: i64): void {
    this.now = now;
    if (this.closing) return;
    this.closing = true;
    const dcs = this.dcs;
    if (dcs != null && dcs.assoc.isUp()) {
      dcs.assoc.shutdown(now);
      this.closeDeadline = now + this.config.closeTimeoutMs;
      this.timersDue = 0;
    } else this.finishClose(false);
  }

  get isClosed(): bool {
    return this.closed;
  }

  private finishClose(abortSctp: bool): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    this.closeDeadline = NEVER;
    const dcs = this.dcs;
    const dtls = this.dtls;
    if (dcs != null && dtls != null) {
      if (abortSctp) dcs.assoc.abort(this.now);
      // What SCTP still has (SHUTDOWN COMPLETE, ABORT) goes out before close_notify.
      if (dtls.state == ConnState.Connected) {
        let p = dcs.pollTransmit();
        while (p != null) {
          if (!dtls.send(p)) break;
          p = dcs.pollTransmit();
        }
      }
    }
    if (dtls != null) dtls.close();
    this.relay.close(this.now);
    const all = this.channels.all();
    for (let i = 0; i < all.length; i++) this.finishChannel(all[i]);
    this.setState(PeerState.Closed);
  }

  // ---- sans-IO ----

  // A datagram received on local (a local candidate's base) from remote.
  input(data: Uint8Array, local: TransportAddress, remote: TransportAddress, now: i64): void {
    this.now = now;
    this.stats.datagramsIn++;
    this.stats.bytesIn += <u64>data.length;
    const cls = classify(data);
    // STUN and ChannelData go through the relay layer: answers from our STUN/TURN servers (a
    // deallocation's too, after close), relayed data, or checks for the agent.
    if (cls == PacketClass.Stun || cls == PacketClass.TurnChannel) {
      this.relay.input(data, local, remote, now);
      this.inputRelayed(now);
    } else if (!this.closed) this.demux(cls, data, local, remote, now);
    // Input may move any layer's deadline earlier.
    this.timersDue = 0;
  }

  // What peers sent through our relays, unwrapped: local is the relayed address.
  private inputRelayed(now: i64): void {
    let d = this.relay.pollReceived();
    while (d != null) {
      const cls = classify(d.data);
      // STUN through a relay already went to the agent; ChannelData inside ChannelData is garbage.
      if (cls == PacketClass.Stun || cls == PacketClass.TurnChannel) this.stats.unknownDropped++;
      else if (!this.closed) this.demux(cls, d.data, d.local, d.remote, now);
      d = this.relay.pollReceived();
    }
  }

  private demux(cls: PacketClass, data: Uint8Array, local: TransportAddress, remote: TransportAddress, now: i64): void {
    switch (cls) {
      case PacketClass.Dtls: {
        this.inputDtls(data, local, remote, now);
        break;
      }
      case PacketClass.Rtp: {
        // SRTP/SRTCP for our tracks; without media (or keys, or a track for it) counted and dropped.
        const m = this.media;
        if (m == null || !m.input(data, now)) this.stats.rtpDropped++;
        break;
      }
      default: {
        this.stats.unknownDropped++;
      }
    }
  }

  private inputDtls(data: Uint8Array, local: TransportAddress, remote: TransportAddress, now: i64): void {
    const dtls = this.dtls;
    if (dtls == null) {
      if (this.early.length < this.config.maxEarlyDatagrams) {
        this.early.push(data);
        this.earlyLocal.push(local.clone());
        this.earlyRemote.push(remote.clone());
      } else this.stats.earlyDtlsDropped++;
      return;
    }
    // Until ICE selects a pair, DTLS answers where the peer's records come from (a pair that
    // passed a check from the peer's side; RFC 8445 §7.3.1.4 lets data flow on it).
    this.dtlsLocal = local.clone();
    this.dtlsRemote = remote.clone();
    dtls.input(data, now);
  }

  // The next output: Transmit, Event, then Timeout (deadline) once nothing else is pending.
  // Timers that are due run first; None once closed and drained.
  poll(now: i64): PeerOutput {
    this.now = now;
    const o = this.out;
    o.event = null;
    for (let round = 0; round < 4; round++) {
      if (now >= this.timersDue) {
        this.runTimers(now);
        this.timersDue = NEVER;
      }
      this.pump(now);
      if (this.eventHead < this.events.length) {
        o.kind = OutputKind.Event;
        o.event = this.events[this.eventHead++];
        if (this.eventHead == this.events.length) {
          this.events.length = 0;
          this.eventHead = 0;
        }
        return o;
      }
      if (this.nextTransmit(o)) {
        this.stats.datagramsOut++;
        this.stats.bytesOut += <u64>o.data.length;
        return o;
      }
      const d = this.nextDeadline();
      this.timersDue = d;
      if (d > now) {
        if (this.closed && d == NEVER) {
          o.kind = OutputKind.None;
          o.deadline = NEVER;
          return o;
        }
        o.kind = OutputKind.Timeout;
        o.deadline = d;
        return o;
      }
      // A deadline already passed: run the timers again (bounded, so a layer that keeps one in
      // the past cannot spin us).
    }
    o.kind = OutputKind.Timeout;
    o.deadline = now + 1;
    this.timersDue = now + 1;
    return o;
  }

  nextDeadline(): i64 {
    let d = this.relay.nextDeadline();
    const dtls = this.dtls;
    if (dtls != null) d = min(d, dtls.nextDeadline());
    const dcs = this.dcs;
    if (dcs != null && !this.closed) d = min(d, dcs.nextDeadline());
    const media = this.media;
    if (media != null && !this.closed) d = min(d, media.nextDeadline());
    d = min(d, this.closeDeadline);
    if (!this.closing) d = min(d, this.sctpConnectAt);
    return d;
  }

  private connectSctp(now: i64): void {
    this.sctpConnectAt = NEVER;
    const dcs = this.dcs;
    if (dcs != null && !this.closing && dcs.assoc.state == AssocState.CLOSED) dcs.connect(now);
  }

  private runTimers(now: i64): void {
    if (now >= this.sctpConnectAt) this.connectSctp(now);
    this.relay.handleTimeout(now);
    const dtls = this.dtls;
    if (dtls != null) dtls.handleTimeout(now);
    const dcs = this.dcs;
    if (dcs != null && !this.closed && this.dtlsConnected()) dcs.handleTimeout(now);
    const media = this.media;
    if (media != null && !this.closed) media.handleTimeout(now);
    if (this.closing && !this.closed && now >= this.closeDeadline) this.finishClose(true);
  }

  private dtlsConnected(): bool {
    const dtls = this.dtls;
    return dtls != null && dtls.state == ConnState.Connected;
  }

  private nextTransmit(o: PeerOutput): bool {
    if (this.relayTransmit(o)) return true;
    if (this.mediaTransmit(o)) return true;
    const dtls = this.dtls;
    if (dtls == null) return false;
    for (let guard = 0; guard < 64; guard++) {
      const rec = dtls.pollTransmit();
      if (rec != null) {
        if (!this.route(o)) {
          this.stats.noRouteDropped++;
          continue;
        }
        // On a relayed pair the record leaves wrapped by the TURN client, toward the server.
        if (this.relay.isRelayed(o.local)) {
          this.relay.sendRelayed(o.local, o.remote, rec, this.now);
          if (this.relayTransmit(o)) return true;
          continue;
        }
        o.kind = OutputKind.Transmit;
        o.data = rec;
        o.stream = false;
        return true;
      }
      // Pull one SCTP packet into a DTLS record only when DTLS has nothing queued: SCTP's own
      // congestion window and send buffer then pace what goes out.
      const dcs = this.dcs;
      if (dcs == null || this.closed || dtls.state != ConnState.Connected) return false;
      const p = dcs.pollTransmit();
      if (p == null) return false;
      dtls.send(p);
    }
    return false;
  }

  // SRTP/SRTCP ahead of SCTP: media is real-time, and its queues are bounded by the RTP senders.
  private mediaTransmit(o: PeerOutput): bool {
    const m = this.media;
    if (m == null || this.closed) return false;
    for (let guard = 0; guard < 64; guard++) {
      const p = m.pollTransmit();
      if (p == null) return false;
      if (!this.route(o)) {
        this.stats.noRouteDropped++;
        continue;
      }
      if (this.relay.isRelayed(o.local)) {
        this.relay.sendRelayed(o.local, o.remote, p, this.now);
        if (this.relayTransmit(o)) return true;
        continue;
      }
      o.kind = OutputKind.Transmit;
      o.data = p;
      o.stream = false;
      return true;
    }
    return false;
  }

  // ICE checks and STUN/TURN traffic, as the relay layer queued them.
  private relayTransmit(o: PeerOutput): bool {
    const t = this.relay.pollTransmit(this.now);
    if (t == null) return false;
    o.kind = OutputKind.Transmit;
    o.local = t.local;
    o.remote = t.remote;
    o.data = t.data;
    o.stream = t.stream;
    return true;
  }

  // Where DTLS records go: the selected pair, else where the peer's records come from.
  private route(o: PeerOutput): bool {
    const sel = this.ice.selected;
    if (sel != null) {
      o.local = sel.local.base;
      o.remote = sel.remote.address;
      return true;
    }
    const l = this.dtlsLocal, r = this.dtlsRemote;
    if (l != null && r != null) {
      o.local = l;
      o.remote = r;
      return true;
    }
    return false;
  }

  // ---- events from the layers ----

  private pump(now: i64): void {
    for (let round = 0; round < 8; round++) {
      let any = false;
      let ie = this.ice.pollEvent();
      while (ie != null) {
        any = true;
        this.onIceEvent(ie, now);
        ie = this.ice.pollEvent();
      }
      const dtls = this.dtls;
      if (dtls != null) {
        let de = dtls.pollEvent();
        while (de != null) {
          any = true;
          this.onDtlsEvent(de, now);
          de = dtls.pollEvent();
        }
      }
      const dcs = this.dcs;
      if (dcs != null) {
        let ce = dcs.pollEvent();
        while (ce != null) {
          any = true;
          this.onChannelEvent(ce, now);
          ce = dcs.pollEvent();
        }
      }
      const media = this.media;
      if (media != null) {
        let me = media.pollEvent();
        while (me != null) {
          any = true;
          this.queue(me);
          me = media.pollEvent();
        }
      }
      let f = this.relay.pollFailure();
      while (f != null) {
        any = true;
        const ev = this.emit(PeerEventKind.Error);
        ev.text = f;
        f = this.relay.pollFailure();
      }
      this.updateState();
      if (!any) break;
    }
  }

  private onIceEvent(e: IceEvent, now: i64): void {
    switch (e.kind) {
      case IceEventKind.LocalCandidate: {
        const ev = this.emit(PeerEventKind.LocalCandidate);
        ev.text = e.candidate!.toSdp();
        break;
      }
      case IceEventKind.ResolveMdns: {
        const ev = this.emit(PeerEventKind.ResolveMdns);
        ev.text = e.name;
        break;
      }
      case IceEventKind.StateChanged: {
        const ev = this.emit(PeerEventKind.IceStateChanged);
        ev.value = <i32>e.state;
        this.lastIceState = e.state;
        this.maybeStartDtls();
        break;
      }
      case IceEventKind.SelectedPairChanged: {
        const p = e.pair;
        if (p != null) {
          const ev = this.emit(PeerEventKind.SelectedPair);
          ev.local = p.local.base.clone();
          ev.remote = p.remote.address.clone();
        }
        this.maybeStartDtls();
        break;
      }
    }
  }

  // The DTLS client speaks first once ICE has a pair to speak on.
  private maybeStartDtls(): void {
    const dtls = this.dtls;
    if (dtls == null || this.dtlsStarted || this.closing || !this.dtlsClient) return;
    if (this.ice.selected == null) return;
    this.dtlsStarted = true;
    dtls.start(this.now);
    this.timersDue = 0;
  }

  private onDtlsEvent(e: DtlsEvent, now: i64): void {
    switch (e.kind) {
      case DtlsEventKind.Connected: {
        // Either end may send INIT (SCTP resolves a collision). The DTLS server sends it at once;
        // the client waits a while for the peer's INIT first: browsers and werift as offerer send
        // one, and werift 0.25 breaks (its channel ids are unset) when an association completes
        // before its own SCTP transport has started, which its ICE/DTLS start may delay.
        if (!this.dtlsClient) this.connectSctp(now);
        else this.sctpConnectAt = now + this.config.sctpClientInitDelayMs;
        this.timersDue = 0;
        break;
      }
      case DtlsEventKind.KeyingMaterial: {
        const m = this.media;
        if (m != null && !m.setKeys(e.srtpProfile, e.data, this.dtlsClient)) {
          const ev = this.emit(PeerEventKind.Error);
          ev.text = "SRTP: no usable DTLS-SRTP profile or keying material; media cannot flow";
        }
        break;
      }
      case DtlsEventKind.ApplicationData: {
        const dcs = this.dcs;
        if (dcs != null && !this.closed) dcs.input(e.data, now);
        break;
      }
      case DtlsEventKind.Closed: {
        // The peer sent close_notify: the connection is over.
        this.closing = true;
        this.finishClose(false);
        break;
      }
      case DtlsEventKind.Failed: {
        const ev = this.emit(PeerEventKind.Error);
        ev.text = "DTLS: " + e.reason;
        break;
      }
    }
  }

  private onChannelEvent(e: DataChannelEvent, now: i64): void {
    const dcs = this.dcs!;
    switch (e.kind) {
      case DC_EVENT_CONNECTED: {
        const all = this.channels.all();
        for (let i = 0; i < all.length; i++) {
          if (all[i].streamId < 0 && all[i].state == PeerChannelState.Connecting) this.openChannel(all[i], now);
        }
        break;
      }
      case DC_EVENT_DISCONNECTED: {
        if (this.closing) this.finishClose(false);
        else {
          const all = this.channels.all();
          for (let i = 0; i < all.length; i++) this.finishChannel(all[i]);
        }
        break;
      }
      case DC_EVENT_OPEN: {
        if (e.remote) {
          const ch = dcs.channel(e.id);
          const c = this.channels.add();
          if (ch == null || c == null) {
            // Over our channel limit: refuse by closing its stream.
            dcs.close(e.id, now);
            break;
          }
          c.remote = true;
          c.label = ch.label;
          c.protocol = ch.protocol;
          c.ordered = ch.ordered;
          c.maxRetransmits = ch.maxRetransmits;
          c.maxLifetimeMs = ch.maxLifetimeMs;
          c.state = PeerChannelState.Open;
          this.channels.bindStream(c, e.id);
          const ev = this.emit(PeerEventKind.ChannelOpen);
          ev.channel = c.handle;
          ev.value = 1;
        } else {
          const c = this.channels.byStreamId(e.id);
          if (c == null) break;
          c.state = PeerChannelState.Open;
          const ev = this.emit(PeerEventKind.ChannelOpen);
          ev.channel = c.handle;
        }
        break;
      }
      case DC_EVENT_MESSAGE: {
        const c = this.channels.byStreamId(e.id);
        if (c == null) break;
        const data = e.data != null ? e.data! : new Uint8Array(0);
        this.stats.messagesReceived++;
        this.stats.messageBytesReceived += <u64>data.length;
        const ev = this.emit(PeerEventKind.ChannelMessage);
        ev.channel = c.handle;
        ev.value = e.binary ? 1 : 0;
        ev.data = data;
        break;
      }
      case DC_EVENT_CLOSED: {
        const c = this.channels.byStreamId(e.id);
        if (c != null) this.finishChannel(c);
        break;
      }
      case DC_EVENT_BUFFERED_AMOUNT_LOW: {
        const c = this.channels.byStreamId(e.id);
        if (c == null) break;
        const ev = this.emit(PeerEventKind.ChannelBufferedAmountLow);
        ev.channel = c.handle;
        break;
      }
    }
  }

  // ---- state ----

  // RTCPeerConnectionState from the ICE and DTLS transports (W3C webrtc-pc §4.3.3).
  private computeState(): PeerState {
    if (this.closed) return PeerState.Closed;
    const ice = this.lastIceState;
    const dtls = this.dtls;
    if (ice == IceState.Failed || (dtls != null && dtls.state == ConnState.Failed)) return PeerState.Failed;
    if (ice == IceState.Disconnected) return PeerState.Disconnected;
    if ((ice == IceState.Connected || ice == IceState.Completed) && dtls != null && dtls.state == ConnState.Connected) return PeerState.Connected;
    if (ice == IceState.New && (dtls == null || !this.dtlsStarted)) return PeerState.New;
    return PeerState.Connecting;
  }

  private updateState(): void {
    const s = this.computeState();
    if (s != this.state) this.setState(s);
  }

  private setState(s: PeerState): void {
    if (s == this.state) return;
    this.state = s;
    const ev = this.emit(PeerEventKind.StateChanged);
    ev.value = <i32>s;
  }

  private emit(kind: PeerEventKind): PeerEvent {
    const e = new PeerEvent(kind);
    this.queue(e);
    return e;
  }

  private queue(e: PeerEvent): void {
    // Messages are bounded by SCTP's receive window already; the cap guards the rest.
    if (this.events.length - this.eventHead >= this.config.maxEvents && e.kind != PeerEventKind.ChannelMessage) {
      this.stats.eventsDropped++;
      return;
    }
    this.events.push(e);
  }

  // ---- media ----

  // One encoded frame on a sending track; packets (>= 0) or a MEDIA_ERR_* (media_session.ts).
  sendMediaFrame(track: i32, frame: Uint8Array, rtpTimestamp: u32, keyframe: bool, now: i64): i32 {
    this.now = now;
    const m = this.media;
    if (m == null || this.closing) return -1;
    const r = m.sendFrame(track, frame, rtpTimestamp, keyframe, now);
    this.timersDue = 0;
    return r;
  }

  // A PLI to the peer for a receiving track; false when it has none yet.
  requestKeyframe(track: i32, now: i64): bool {
    this.now = now;
    const m = this.media;
    if (m == null || this.closing) return false;
    const ok = m.requestKeyframe(track, now);
    this.timersDue = 0;
    return ok;
  }

  // For getStats: the selected pair, or null.
  selectedPair(): Candidate[] | null {
    const p = this.ice.selected;
    if (p == null) return null;
    return [p.local, p.remote];
  }

  // Whether the last Transmit poll() returned is for a TCP connection (TURN over TCP).
  get lastOutputStream(): bool {
    return this.out.kind == OutputKind.Transmit && this.out.stream;
  }

  get localCandidateCount(): i32 {
    return this.ice.locals.length;
  }

  isRelayLocal(addr: TransportAddress): bool {
    for (let i = 0; i < this.ice.locals.length; i++) {
      const c = this.ice.locals[i];
      if (c.type == CandidateType.Relayed && c.address.equals(addr)) return true;
    }
    return false;
  }
}
