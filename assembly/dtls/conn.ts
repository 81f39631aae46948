// RFC 6347 §4: a DTLS 1.2 endpoint, sans-IO: records in and out, timers, events (roles in client.ts, server.ts).
import { certificatePublicKey } from "../crypto/x509";
import { ByteReader, ByteWriter } from "../util/bytes";
import { HashAlg, digest } from "../crypto/hash";
import { ctEqual } from "../util/ct";
import { ContentType, HandshakeType, MAX_PLAINTEXT, RECORD_HEADER_LEN } from "./protocol";
import { AlertDescription, AlertLevel, alertBytes } from "./alert";
import { RecordHeader } from "./record_header";
import { RecordLayer } from "./record_layer";
import { RecordCipher } from "./record_protection";
import { HandshakeHeader, HandshakeMessage } from "./handshake_header";
import { FragmentBuffer, FragmentResult } from "./fragment_buffer";
import { Flight } from "./flight";
import { Transcript } from "./transcript";
import { DtlsConfig } from "./config";
import { DtlsEvent, DtlsEventKind } from "./event";
import { computeKeyBlock, computeMasterSecret, exportKeyingMaterial } from "./key_schedule";
import { suiteHash, suiteKeyLength } from "./cipher_suite";
import { srtpKeyingMaterialLength } from "./extension_use_srtp";

export const enum ConnState {
  Handshaking = 0,
  Connected = 1,
  Closed = 2,
  Failed = 3,
}

// Why records or messages were dropped; for tests and diagnostics, never for control flow.
export class DtlsStats {
  malformed: i32 = 0;
  badRecordMac: i32 = 0;
  replayed: i32 = 0;
  unexpectedEpoch: i32 = 0;
  rejectedFragments: i32 = 0;
  // Fragments that contradicted a partial plaintext message and took its place (fragment_buffer.ts).
  replacedFragments: i32 = 0;
  retransmissions: i32 = 0;
}

export class DtlsConn {
  state: ConnState = ConnState.Handshaking;
  stats: DtlsStats = new DtlsStats();

  protected rl: RecordLayer = new RecordLayer();
  protected frags: FragmentBuffer;
  protected transcript: Transcript;
  protected events: Array<DtlsEvent> = new Array<DtlsEvent>();
  private out: Array<Uint8Array> = new Array<Uint8Array>();
  private early: Array<Uint8Array> = new Array<Uint8Array>();

  // The last flight we sent; retransmitted on timeout (when armed) or when the peer repeats its own.
  protected flight: Flight | null = null;
  private timerArmed: bool = false;
  private deadline: i64 = i64.MAX_VALUE;
  private rto: i64;
  private retransmits: i32 = 0;
  private lastFlightAt: i64 = i64.MIN_VALUE;
  private peerRepeated: bool = false;

  // Epoch of our outgoing records: 1 once our ChangeCipherSpec is out.
  protected writeEpoch: u16 = 0;
  protected nextSendSeq: u16 = 0;

  clientRandom: Uint8Array = new Uint8Array(32);
  serverRandom: Uint8Array = new Uint8Array(32);
  cipherSuite: u16 = 0;
  srtpProfile: u16 = 0;
  extendedMasterSecret: bool = false;
  protected masterSecret: Uint8Array | null = null;
  peerCertificate: Uint8Array | null = null;
  protected peerPublicKey: Uint8Array | null = null;

  constructor(public config: DtlsConfig, public isClient: bool) {
    this.frags = new FragmentBuffer(config.maxHandshakeMessage, config.maxMessagesAhead, config.maxReassemblyBytes);
    this.transcript = new Transcript(config.maxTranscript);
    this.rto = config.initialRtoMs;
  }

  // ---- the sans-IO surface ----

  // Begins the handshake (the client sends its first flight; the server waits).
  start(now: i64): void {}

  input(data: Uint8Array, now: i64): void {
    if (this.state >= ConnState.Closed) return;
    this.peerRepeated = false;
    this.readDatagram(data, now);
    this.drainMessages(now);
    // Records of epoch 1 that came before its keys can be read now that the keys may exist.
    while (this.early.length > 0 && this.rl.readCipher != null && this.state < ConnState.Closed) {
      const rec = this.early.shift();
      this.readDatagram(rec, now);
      this.drainMessages(now);
    }
    if (this.peerRepeated && this.state < ConnState.Closed) this.onPeerRepeated(now);
  }

  handleTimeout(now: i64): void {
    if (!this.timerArmed || now < this.deadline || this.state >= ConnState.Closed) return;
    if (this.retransmits >= this.config.maxRetransmissions) {
      this.fail(-1, "handshake timeout");
      return;
    }
    this.retransmits++;
    this.rto = min(this.rto * 2, this.config.maxRtoMs);
    this.transmitFlight(now);
    this.deadline = now + this.rto;
  }

  pollTransmit(): Uint8Array | null {
    return this.out.length > 0 ? this.out.shift() : null;
  }

  pollEvent(): DtlsEvent | null {
    return this.events.length > 0 ? this.events.shift() : null;
  }

  nextDeadline(): i64 {
    return this.timerArmed && this.state < ConnState.Closed ? this.deadline : i64.MAX_VALUE;
  }

  // The most application data one datagram carries within the MTU (one record: header, nonce, tag).
  get maxPayload(): i32 {
    return this.config.mtu - this.rl.overhead(1);
  }

  // Sends one record of application data in its own datagram; false when not connected, too large
  // for a record, or the queue is full. Keeping data within maxPayload avoids IP fragmentation.
  send(data: Uint8Array): bool {
    if (this.state != ConnState.Connected || data.length > MAX_PLAINTEXT) return false;
    if (this.out.length >= this.config.maxQueuedDatagrams) return false;
    const w = new ByteWriter(new Uint8Array(this.rl.overhead(1) + data.length));
    if (!this.rl.write(w, ContentType.ApplicationData, 1, data)) return false;
    this.out.push(w.written());
    return true;
  }

  // Sends close_notify; nothing more is sent or read afterwards.
  close(): void {
    if (this.state >= ConnState.Closed) return;
    this.sendAlert(AlertLevel.Warning, AlertDescription.CloseNotify);
    this.state = ConnState.Closed;
    this.timerArmed = false;
  }

  // RFC 5705 keying material; null until connected.
  exportKeyingMaterial(label: string, context: Uint8Array | null, len: i32): Uint8Array | null {
    const ms = this.masterSecret;
    if (this.state != ConnState.Connected || ms == null || len <= 0) return null;
    return exportKeyingMaterial(suiteHash(this.cipherSuite), ms, label, this.clientRandom, this.serverRandom, context, len);
  }

  // ---- what the roles implement ----

  // One complete handshake message, in message_seq order.
  protected onMessage(msg: HandshakeMessage, now: i64): void {}

  // A fragment is about to be buffered; a role may move the expected message_seq (resync), or
  // refuse the fragment (false: dropped and counted in rejectedFragments).
  protected beforeFragment(h: HandshakeHeader): bool {
    return true;
  }

  // True while the role keeps no state for its peer (a server before a ClientHello returns its
  // cookie): epoch-0 records then skip the replay window.
  protected isStateless(): bool {
    return false;
  }

  // The peer sent something it had sent before: our last flight was probably lost.
  protected onPeerRepeated(now: i64): void {
    if (this.flight != null && now - this.lastFlightAt >= this.config.initialRtoMs / 4) {
      this.stats.retransmissions++;
      this.transmitFlight(now);
    }
  }

  // ---- helpers for the roles ----

  // Sends a new flight; armed flights are retransmitted on timeout until the next one.
  protected sendFlight(f: Flight, now: i64, armTimer: bool): void {
    this.flight = f;
    this.rto = this.config.initialRtoMs;
    this.retransmits = 0;
    this.timerArmed = armTimer;
    this.deadline = now + this.rto;
    this.transmitFlight(now);
  }

  protected stopTimer(): void {
    this.timerArmed = false;
  }

  private transmitFlight(now: i64): void {
    const f = this.flight;
    if (f == null) return;
    const dgrams = f.pack(this.rl, this.config.mtu);
    if (dgrams == null) {
      this.fail(AlertDescription.InternalError, "cannot write flight");
      return;
    }
    for (let i = 0; i < dgrams.length; i++) this.queue(dgrams[i]);
    this.lastFlightAt = now;
  }

  protected queue(d: Uint8Array): void {
    if (this.out.length < this.config.maxQueuedDatagrams) this.out.push(d);
  }

  protected addToTranscript(msg: HandshakeMessage): void {
    this.transcript.add(msg.encodeWhole());
  }

  protected emit(e: DtlsEvent): void {
    this.events.push(e);
  }

  protected sendAlert(level: i32, description: i32): void {
    const w = new ByteWriter(new Uint8Array(RECORD_HEADER_LEN + 64));
    if (this.rl.write(w, ContentType.Alert, this.writeEpoch, alertBytes(level, description))) this.queue(w.written());
  }

  // A fatal error: the alert (when description >= 0) goes out, the Failed event up.
  protected fail(description: i32, reason: string): void {
    if (this.state >= ConnState.Closed) return;
    if (description >= 0) this.sendAlert(AlertLevel.Fatal, description);
    this.state = ConnState.Failed;
    this.timerArmed = false;
    this.transcript.release();
    const e = new DtlsEvent(DtlsEventKind.Failed);
    e.alertDescription = description;
    e.reason = reason;
    this.emit(e);
  }

  // The master secret from the premaster secret, then the epoch-1 ciphers; fails the handshake
  // when they cannot be installed. RFC 7627 §4: with EMS the session hash covers the transcript
  // through ClientKeyExchange, so both roles call this right after that message.
  protected deriveKeys(pms: Uint8Array): bool {
    const alg = suiteHash(this.cipherSuite);
    const sessionHash = this.extendedMasterSecret ? this.transcript.hash(alg) : new Uint8Array(0);
    this.masterSecret = computeMasterSecret(alg, pms, this.extendedMasterSecret, sessionHash, this.clientRandom, this.serverRandom);
    if (this.installKeys()) return true;
    this.fail(AlertDescription.InternalError, "cannot install keys");
    return false;
  }

  // Installs the epoch-1 ciphers from the master secret and randoms.
  protected installKeys(): bool {
    const ms = this.masterSecret;
    if (ms == null) return false;
    const kb = computeKeyBlock(suiteHash(this.cipherSuite), ms, this.clientRandom, this.serverRandom, suiteKeyLength(this.cipherSuite));
    const client = new RecordCipher(kb.clientKey, kb.clientSalt);
    const server = new RecordCipher(kb.serverKey, kb.serverSalt);
    if (!client.ok || !server.ok) return false;
    this.rl.writeCipher = this.isClient ? client : server;
    this.rl.readCipher = this.isClient ? server : client;
    return true;
  }

  // True when the certificate matches the configured fingerprint (or none is configured).
  private fingerprintMatches(cert: Uint8Array): bool {
    const expected = this.config.expectedFingerprint;
    if (expected == null) return true;
    const fp = digest(HashAlg.SHA256, cert);
    return expected.length == 32 && ctEqual(fp, 0, expected, 0, 32);
  }

  // The peer's first certificate, checked against the signaled fingerprint (RFC 8122 §5) and
  // required to carry a P-256 key; on failure the handshake ends with the matching alert.
  protected acceptPeerCertificate(certs: Uint8Array[], peer: string): bool {
    const cert = certs[0];
    if (!this.fingerprintMatches(cert)) {
      this.fail(AlertDescription.BadCertificate, peer + " certificate does not match the fingerprint");
      return false;
    }
    const pub = certificatePublicKey(cert);
    if (pub == null) {
      this.fail(AlertDescription.UnsupportedCertificate, peer + " certificate has no P-256 key");
      return false;
    }
    this.peerCertificate = cert;
    this.peerPublicKey = pub;
    return true;
  }

  // The end of a handshake: fingerprint, keying material, then Connected.
  protected connected(): void {
    this.state = ConnState.Connected;
    this.timerArmed = false;
    this.transcript.release();
    this.frags.clear();
    const cert = this.peerCertificate;
    if (cert != null) {
      const e = new DtlsEvent(DtlsEventKind.PeerFingerprint);
      e.data = digest(HashAlg.SHA256, cert);
      this.emit(e);
    }
    if (this.srtpProfile != 0) {
      const km = this.exportKeyingMaterial("EXTRACTOR-dtls_srtp", null, srtpKeyingMaterialLength(this.srtpProfile));
      if (km != null) {
        const e = new DtlsEvent(DtlsEventKind.KeyingMaterial);
        e.data = km;
        e.srtpProfile = this.srtpProfile;
        this.emit(e);
      }
    }
    const e = new DtlsEvent(DtlsEventKind.Connected);
    e.srtpProfile = this.srtpProfile;
    e.cipherSuite = this.cipherSuite;
    this.emit(e);
  }

  // ---- reading ----

  private readDatagram(data: Uint8Array, now: i64): void {
    const r = new ByteReader(data);
    const h = new RecordHeader();
    // A datagram holds whole records only; anything that does not parse ends it.
    while (r.remaining > 0 && this.state < ConnState.Closed) {
      const start = r.pos;
      if (!h.read(r)) {
        this.stats.malformed++;
        return;
      }
      const body = r.view(<i32>h.length);
      if (!r.ok) {
        this.stats.malformed++;
        return;
      }
      if (h.epoch == 0) {
        // RFC 6347 §4.1.2.6 moves the window only for records that authenticated; nothing in epoch 0
        // does, and a forger can pick any sequence number. So the epoch-0 window records only the
        // records of delivered handshake messages (drainMessages), and drops only exact repeats of
        // those: a forged record, far ahead or not, never makes the peer's real ones look old. A
        // stateless server keeps no window at all (§4.2.1): a replayed hello earns another
        // HelloVerifyRequest, no more.
        if (!this.isStateless() && this.rl.replay[0].seen(h.sequence)) {
          this.stats.replayed++;
          continue;
        }
        // Once connected, plaintext is only read for handshake retransmissions (never alerts).
        if (this.state == ConnState.Connected && h.contentType != ContentType.Handshake) {
          this.stats.unexpectedEpoch++;
          continue;
        }
        this.readRecord(h, body, now);
      } else if (h.epoch == 1) {
        const c = this.rl.readCipher;
        if (c == null) {
          if (this.early.length < this.config.maxEarlyRecords) this.early.push(data.slice(start, r.pos));
          else this.stats.unexpectedEpoch++;
          continue;
        }
        if (!this.rl.replay[1].check(h.sequence)) {
          this.stats.replayed++;
          continue;
        }
        const plain = c.open(h, body);
        if (plain == null) {
          this.stats.badRecordMac++;
          continue;
        }
        this.rl.replay[1].accept(h.sequence);
        this.readRecord(h, plain, now);
      } else {
        this.stats.unexpectedEpoch++;
      }
    }
  }

  private readRecord(h: RecordHeader, body: Uint8Array, now: i64): void {
    const type = h.contentType;
    if (type == ContentType.Handshake) {
      this.readHandshakeRecord(body, h.epoch, h.sequence);
    } else if (type == ContentType.ChangeCipherSpec) {
      // Keys are chosen by the record's epoch, so the message itself only has to be well formed.
      if (body.length != 1 || body[0] != 1) this.stats.malformed++;
    } else if (type == ContentType.Alert) {
      this.readAlert(body);
    } else if (type == ContentType.ApplicationData) {
      if (h.epoch == 1 && this.state == ConnState.Connected) {
        const e = new DtlsEvent(DtlsEventKind.ApplicationData);
        e.data = body.slice();
        this.emit(e);
      } else {
        this.stats.unexpectedEpoch++;
      }
    } else {
      this.stats.malformed++;
    }
  }

  private readHandshakeRecord(body: Uint8Array, epoch: u16, seq: u64): void {
    const r = new ByteReader(body);
    const hh = new HandshakeHeader();
    while (r.remaining > 0) {
      if (!hh.read(r) || !r.has(<i32>hh.fragmentLength)) {
        this.stats.malformed++;
        return;
      }
      const off = r.pos;
      r.skip(<i32>hh.fragmentLength);
      if (this.state == ConnState.Connected) {
        if (hh.messageSeq < this.frags.nextSeq) this.peerRepeated = true;
        // RFC 5746 §4: renegotiation is refused, politely.
        else if (hh.msgType == HandshakeType.ClientHello || hh.msgType == HandshakeType.HelloRequest)
          this.sendAlert(AlertLevel.Warning, AlertDescription.NoRenegotiation);
        continue;
      }
      if (!this.beforeFragment(hh)) {
        this.stats.rejectedFragments++;
        continue;
      }
      const res = this.frags.push(hh, body, off, epoch, seq);
      if (res == FragmentResult.Old) this.peerRepeated = true;
      else if (res == FragmentResult.Rejected) this.stats.rejectedFragments++;
      else if (res == FragmentResult.Replaced) this.stats.replacedFragments++;
    }
  }

  private readAlert(body: Uint8Array): void {
    if (body.length != 2) {
      this.stats.malformed++;
      return;
    }
    const level = body[0];
    const desc = body[1];
    if (desc == AlertDescription.CloseNotify) {
      if (this.state == ConnState.Connected) this.sendAlert(AlertLevel.Warning, AlertDescription.CloseNotify);
      this.state = ConnState.Closed;
      this.timerArmed = false;
      this.emit(new DtlsEvent(DtlsEventKind.Closed));
      return;
    }
    if (level == AlertLevel.Fatal) {
      this.state = ConnState.Failed;
      this.timerArmed = false;
      const e = new DtlsEvent(DtlsEventKind.Failed);
      e.alertDescription = desc;
      e.reason = "fatal alert from peer";
      this.emit(e);
      return;
    }
    const e = new DtlsEvent(DtlsEventKind.Alert);
    e.alertDescription = desc;
    this.emit(e);
  }

  private drainMessages(now: i64): void {
    while (this.state == ConnState.Handshaking) {
      const m = this.frags.pop();
      if (m == null) return;
      // Only now is an epoch-0 record known to have carried something the handshake used.
      if (m.epoch == 0 && !this.isStateless()) this.rl.replay[0].accept(m.recordSeq);
      this.onMessage(m, now);
      if (this.transcript.overflow) this.fail(AlertDescription.InternalError, "transcript over its bound");
    }
  }

  // The next handshake message we send (message_seq counts up).
  protected nextMessage(msgType: i32, body: Uint8Array, epoch: u16 = 0): HandshakeMessage {
    return new HandshakeMessage(msgType, this.nextSendSeq++, body, epoch);
  }

  // A message of ours into a flight and into the transcript.
  protected push(f: Flight, msgType: i32, body: Uint8Array, epoch: u16 = 0): void {
    const m = this.nextMessage(msgType, body, epoch);
    this.addToTranscript(m);
    f.addHandshake(epoch, m.msgType, m.messageSeq, m.body);
  }
}
