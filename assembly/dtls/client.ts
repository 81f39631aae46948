// RFC 6347 §4.2.4 (Figure 1) and RFC 5246 §7.3: the client's side of the full handshake.
import { randomFill } from "../crypto/random";
import { ctEqual } from "../util/ct";
import { AlertDescription } from "./alert";
import {
  CERT_TYPE_ECDSA_SIGN, DTLS_1_2, HandshakeType, SIG_ECDSA_SECP256R1_SHA256, TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
} from "./protocol";
import { DtlsConn } from "./conn";
import { DtlsConfig } from "./config";
import { HandshakeHeader, HandshakeMessage } from "./handshake_header";
import { Flight } from "./flight";
import { ClientHello } from "./handshake_client_hello";
import { HelloVerifyRequest } from "./handshake_hello_verify_request";
import { ServerHello } from "./handshake_server_hello";
import { CertificateMsg } from "./handshake_certificate";
import { ServerKeyExchange } from "./handshake_server_key_exchange";
import { CertificateRequest } from "./handshake_certificate_request";
import { ClientKeyExchange } from "./handshake_client_key_exchange";
import { CertificateVerify } from "./handshake_certificate_verify";
import { signEcdsaP256, verifyEcdsaP256 } from "./digitally_signed";
import { EphemeralKey, isSupportedGroup } from "./ecdhe";
import { UseSrtp } from "./extension_use_srtp";
import { isSupportedSuite, suiteHash } from "./cipher_suite";
import { computeVerifyData } from "./key_schedule";

// HelloVerifyRequests followed in one handshake (see onHelloVerifyRequest).
const MAX_HELLO_VERIFY: i32 = 4;

const enum Wait {
  ServerHello = 0, // or HelloVerifyRequest
  Certificate = 1,
  ServerKeyExchange = 2,
  CertificateRequestOrDone = 3,
  ServerHelloDone = 4,
  Finished = 5,
}

export class DtlsClient extends DtlsConn {
  private wait: Wait = Wait.ServerHello;
  private hello: ClientHello = new ClientHello();
  private peerKeyExchange: ServerKeyExchange | null = null;
  private certificateRequested: bool = false;
  private expectedServerFinished: Uint8Array | null = null;
  private helloVerifies: i32 = 0;

  constructor(config: DtlsConfig) {
    super(config, true);
  }

  start(now: i64): void {
    if (this.flight != null) return;
    randomFill(this.clientRandom);
    const ch = this.hello;
    ch.version = DTLS_1_2;
    ch.random = this.clientRandom;
    for (let i = 0; i < this.config.cipherSuites.length; i++) {
      if (isSupportedSuite(this.config.cipherSuites[i])) ch.cipherSuites.push(this.config.cipherSuites[i]);
    }
    ch.cipherSuites.push(TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
    const ext = ch.extensions;
    const groups = new Array<u16>();
    for (let i = 0; i < this.config.groups.length; i++) {
      if (isSupportedGroup(this.config.groups[i])) groups.push(this.config.groups[i]);
    }
    ext.supportedGroups = groups;
    ext.ecPointFormats = true;
    ext.signatureAlgorithms = [SIG_ECDSA_SECP256R1_SHA256];
    ext.extendedMasterSecret = true;
    if (this.config.srtpProfiles.length > 0) {
      const srtp = new UseSrtp();
      for (let i = 0; i < this.config.srtpProfiles.length; i++) srtp.profiles.push(this.config.srtpProfiles[i]);
      ext.useSrtp = srtp;
    }
    this.sendHello(now);
  }

  private sendHello(now: i64): void {
    const m = this.nextMessage(HandshakeType.ClientHello, this.hello.encode());
    this.addToTranscript(m);
    const f = new Flight();
    f.addHandshake(0, m.msgType, m.messageSeq, m.body);
    this.sendFlight(f, now, true);
  }

  protected beforeFragment(h: HandshakeHeader): bool {
    // The server's first message may carry message_seq 0 or 1 (stateless servers mirror ours).
    // Only the first HelloVerifyRequest may move it: a late copy must not restart the exchange, and
    // a later request has to answer our last hello (onHelloVerifyRequest).
    if (this.wait == Wait.ServerHello && h.messageSeq <= this.nextSendSeq &&
      (h.msgType == HandshakeType.ServerHello || (h.msgType == HandshakeType.HelloVerifyRequest && this.hello.cookie.length == 0))) {
      this.frags.resync(h.messageSeq);
    }
    return true;
  }

  protected onMessage(msg: HandshakeMessage, now: i64): void {
    const t = msg.msgType;
    if (msg.epoch != (t == HandshakeType.Finished ? 1 : 0)) {
      this.fail(AlertDescription.UnexpectedMessage, "handshake message in the wrong epoch");
      return;
    }
    switch (this.wait) {
      case Wait.ServerHello:
        if (t == HandshakeType.HelloVerifyRequest) this.onHelloVerifyRequest(msg, now);
        else if (t == HandshakeType.ServerHello) this.onServerHello(msg);
        else this.unexpected();
        break;
      case Wait.Certificate:
        if (t == HandshakeType.Certificate) this.onCertificate(msg);
        else this.unexpected();
        break;
      case Wait.ServerKeyExchange:
        if (t == HandshakeType.ServerKeyExchange) this.onServerKeyExchange(msg);
        else this.unexpected();
        break;
      case Wait.CertificateRequestOrDone:
        if (t == HandshakeType.CertificateRequest) this.onCertificateRequest(msg);
        else if (t == HandshakeType.ServerHelloDone) this.onServerHelloDone(msg, now);
        else this.unexpected();
        break;
      case Wait.ServerHelloDone:
        if (t == HandshakeType.ServerHelloDone) this.onServerHelloDone(msg, now);
        else this.unexpected();
        break;
      case Wait.Finished:
        if (t == HandshakeType.Finished) this.onFinished(msg);
        else this.unexpected();
        break;
    }
  }

  private unexpected(): void {
    this.fail(AlertDescription.UnexpectedMessage, "unexpected handshake message");
  }

  private onHelloVerifyRequest(msg: HandshakeMessage, now: i64): void {
    const hvr = HelloVerifyRequest.parse(msg.body);
    if (hvr == null || hvr.cookie.length == 0) {
      this.fail(AlertDescription.DecodeError, "bad HelloVerifyRequest");
      return;
    }
    // §4.2.1: a server treats a hello with a cookie it does not accept like one without, and asks
    // again. A later request reaches here only at the message_seq after our last hello (a late copy
    // of an earlier one is old), so it answers that hello: following it is what lets the real
    // server's cookie win after a forged request got in first. Bounded, so that requests cannot keep
    // the handshake going forever; the same cookie again is a copy.
    const old = this.hello.cookie;
    if (this.helloVerifies >= MAX_HELLO_VERIFY) return;
    if (old.length == hvr.cookie.length && ctEqual(old, 0, hvr.cookie, 0, old.length)) return;
    this.helloVerifies++;
    // §4.2.6: the first ClientHello and the HelloVerifyRequest stay out of the transcript.
    this.transcript.reset();
    this.hello.cookie = hvr.cookie;
    this.sendHello(now);
  }

  private onServerHello(msg: HandshakeMessage): void {
    const sh = ServerHello.parse(msg.body);
    if (sh == null) {
      this.fail(AlertDescription.DecodeError, "bad ServerHello");
      return;
    }
    if (sh.version != DTLS_1_2) {
      this.fail(AlertDescription.ProtocolVersion, "server did not pick DTLS 1.2");
      return;
    }
    if (!isSupportedSuite(sh.cipherSuite) || !this.hello.cipherSuites.includes(sh.cipherSuite) || sh.compressionMethod != 0) {
      this.fail(AlertDescription.IllegalParameter, "server picked a suite we did not offer");
      return;
    }
    const srtp = sh.extensions.useSrtp;
    if (srtp != null) {
      const offered = this.hello.extensions.useSrtp;
      if (offered == null || srtp.profiles.length != 1 || !offered.profiles.includes(srtp.profiles[0]) || srtp.mki.length != 0) {
        this.fail(AlertDescription.IllegalParameter, "server picked an SRTP profile we did not offer");
        return;
      }
      this.srtpProfile = srtp.profiles[0];
    }
    this.cipherSuite = sh.cipherSuite;
    this.serverRandom = sh.random;
    this.extendedMasterSecret = sh.extensions.extendedMasterSecret;
    this.addToTranscript(msg);
    this.wait = Wait.Certificate;
  }

  private onCertificate(msg: HandshakeMessage): void {
    const c = CertificateMsg.parse(msg.body);
    if (c == null || c.certificates.length == 0) {
      this.fail(AlertDescription.DecodeError, "bad server Certificate");
      return;
    }
    if (!this.acceptPeerCertificate(c.certificates, "server")) return;
    this.addToTranscript(msg);
    this.wait = Wait.ServerKeyExchange;
  }

  private onServerKeyExchange(msg: HandshakeMessage): void {
    const ske = ServerKeyExchange.parse(msg.body);
    if (ske == null) {
      this.fail(AlertDescription.DecodeError, "bad ServerKeyExchange");
      return;
    }
    const groups = this.hello.extensions.supportedGroups;
    if (groups == null || !groups.includes(ske.namedGroup)) {
      this.fail(AlertDescription.IllegalParameter, "server picked a group we did not offer");
      return;
    }
    if (!verifyEcdsaP256(this.peerPublicKey!, ske.signedData(this.clientRandom, this.serverRandom), ske.signed)) {
      this.fail(AlertDescription.DecryptError, "ServerKeyExchange signature does not verify");
      return;
    }
    this.peerKeyExchange = ske;
    this.addToTranscript(msg);
    this.wait = Wait.CertificateRequestOrDone;
  }

  private onCertificateRequest(msg: HandshakeMessage): void {
    const cr = CertificateRequest.parse(msg.body);
    if (cr == null) {
      this.fail(AlertDescription.DecodeError, "bad CertificateRequest");
      return;
    }
    let typeOk = false;
    for (let i = 0; i < cr.certificateTypes.length; i++) if (cr.certificateTypes[i] == CERT_TYPE_ECDSA_SIGN) typeOk = true;
    if (!typeOk || !cr.signatureAlgorithms.includes(SIG_ECDSA_SECP256R1_SHA256)) {
      this.fail(AlertDescription.HandshakeFailure, "server accepts no ECDSA P-256 client certificate");
      return;
    }
    this.certificateRequested = true;
    this.addToTranscript(msg);
    this.wait = Wait.ServerHelloDone;
  }

  private onServerHelloDone(msg: HandshakeMessage, now: i64): void {
    if (msg.body.length != 0) {
      this.fail(AlertDescription.DecodeError, "bad ServerHelloDone");
      return;
    }
    this.addToTranscript(msg);
    const ske = this.peerKeyExchange!;
    const key = EphemeralKey.generate(ske.namedGroup);
    if (key == null) {
      this.fail(AlertDescription.InternalError, "cannot generate a key share");
      return;
    }
    const pms = key.shared(ske.publicKey);
    if (pms == null) {
      this.fail(AlertDescription.IllegalParameter, "bad server key share");
      return;
    }
    const alg = suiteHash(this.cipherSuite);
    const f = new Flight();
    if (this.certificateRequested) {
      const cm = new CertificateMsg();
      cm.certificates.push(this.config.certificate);
      this.push(f, HandshakeType.Certificate, cm.encode());
    }
    const cke = new ClientKeyExchange();
    cke.publicKey = key.pub;
    this.push(f, HandshakeType.ClientKeyExchange, cke.encode());
    if (!this.deriveKeys(pms)) return;
    if (this.certificateRequested) {
      const ds = signEcdsaP256(this.config.privateKey, this.transcript.bytes());
      if (ds == null) {
        this.fail(AlertDescription.InternalError, "cannot sign CertificateVerify");
        return;
      }
      const cv = new CertificateVerify();
      cv.signed = ds;
      this.push(f, HandshakeType.CertificateVerify, cv.encode());
    }
    f.addChangeCipherSpec();
    this.writeEpoch = 1;
    this.push(f, HandshakeType.Finished, computeVerifyData(alg, this.masterSecret!, true, this.transcript.hash(alg)), 1);
    this.expectedServerFinished = computeVerifyData(alg, this.masterSecret!, false, this.transcript.hash(alg));
    this.wait = Wait.Finished;
    this.sendFlight(f, now, true);
  }

  private onFinished(msg: HandshakeMessage): void {
    const expected = this.expectedServerFinished!;
    if (msg.body.length != expected.length || !ctEqual(msg.body, 0, expected, 0, expected.length)) {
      this.fail(AlertDescription.DecryptError, "server Finished does not verify");
      return;
    }
    // The server's last flight arrived, so ours did too: nothing is left to retransmit.
    this.flight = null;
    this.connected();
  }
}
