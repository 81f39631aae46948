// RFC 6347 §4.2.1 and §4.2.4 (Figure 1), RFC 5246 §7.3: the server's side of the full handshake.
import { randomBytes, randomFill } from "../crypto/random";
import { ctEqual } from "../util/ct";
import { AlertDescription } from "./alert";
import {
  CERT_TYPE_ECDSA_SIGN, ContentType, DTLS_1_0, DTLS_1_2, HandshakeType, NamedGroup, SIG_ECDSA_SECP256R1_SHA256,
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
} from "./protocol";
import { ByteWriter } from "../util/bytes";
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
import { cookieValid, makeCookie } from "./cookie";

const enum Wait {
  ClientHello = 0,
  Certificate = 1,
  ClientKeyExchange = 2,
  CertificateVerify = 3,
  Finished = 4,
}

export class DtlsServer extends DtlsConn {
  private wait: Wait = Wait.ClientHello;
  private cookieSecret: Uint8Array = randomBytes(32);
  private key: EphemeralKey | null = null;

  constructor(config: DtlsConfig) {
    super(config, false);
  }

  protected beforeFragment(h: HandshakeHeader): bool {
    if (this.wait != Wait.ClientHello) return true;
    // Until a ClientHello carries our cookie we keep no state (§4.2.1): only ClientHello fragments
    // are buffered, one that does not belong with what is buffered starts it over, and any
    // message_seq may start over. Otherwise one forged fragment would hold the buffer and every
    // real hello would be refused as inconsistent with it, with no timer here to end that.
    // The HelloVerifyRequest echoes the record sequence of this hello's records only.
    if (h.msgType != HandshakeType.ClientHello) return false;
    if (this.frags.empty || !this.frags.belongsWith(h)) this.frags.clear();
    this.frags.resync(h.messageSeq);
    return true;
  }

  protected isStateless(): bool {
    return this.wait == Wait.ClientHello;
  }

  protected onMessage(msg: HandshakeMessage, now: i64): void {
    const t = msg.msgType;
    if (msg.epoch != (t == HandshakeType.Finished ? 1 : 0)) {
      this.fail(AlertDescription.UnexpectedMessage, "handshake message in the wrong epoch");
      return;
    }
    switch (this.wait) {
      case Wait.ClientHello:
        if (t == HandshakeType.ClientHello) this.onClientHello(msg, now);
        else this.stats.malformed++; // stateless: nothing to answer yet
        break;
      case Wait.Certificate:
        if (t == HandshakeType.Certificate) this.onCertificate(msg);
        else this.unexpected();
        break;
      case Wait.ClientKeyExchange:
        if (t == HandshakeType.ClientKeyExchange) this.onClientKeyExchange(msg);
        else this.unexpected();
        break;
      case Wait.CertificateVerify:
        if (t == HandshakeType.CertificateVerify) this.onCertificateVerify(msg);
        else this.unexpected();
        break;
      case Wait.Finished:
        if (t == HandshakeType.Finished) this.onFinished(msg, now);
        else this.unexpected();
        break;
    }
  }

  private unexpected(): void {
    this.fail(AlertDescription.UnexpectedMessage, "unexpected handshake message");
  }

  private onClientHello(msg: HandshakeMessage, now: i64): void {
    const ch = ClientHello.parse(msg.body);
    if (ch == null) {
      this.stats.malformed++;
      return;
    }
    // DTLS versions count down: 0xfefd (1.2) is below 0xfeff (1.0).
    if (ch.version > DTLS_1_2) {
      this.fail(AlertDescription.ProtocolVersion, "client does not offer DTLS 1.2");
      return;
    }
    if (!cookieValid(this.cookieSecret, ch.paramsForCookie, ch.cookie)) {
      this.sendHelloVerifyRequest(msg, ch);
      return;
    }
    this.negotiate(msg, ch, now);
  }

  // §4.2.1: answered statelessly, with the ClientHello's message_seq and record sequence.
  private sendHelloVerifyRequest(msg: HandshakeMessage, ch: ClientHello): void {
    const hvr = new HelloVerifyRequest();
    hvr.version = DTLS_1_0;
    hvr.cookie = makeCookie(this.cookieSecret, ch.paramsForCookie);
    const body = hvr.encode();
    const hs = new HandshakeMessage(HandshakeType.HelloVerifyRequest, msg.messageSeq, body).encodeWhole();
    const w = new ByteWriter(new Uint8Array(13 + hs.length));
    if (this.rl.writeWithSeq(w, ContentType.Handshake, msg.recordSeq, hs)) this.queue(w.written());
  }

  private negotiate(msg: HandshakeMessage, ch: ClientHello, now: i64): void {
    const cfg = this.config;
    const ext = ch.extensions;
    let suite: u16 = 0;
    for (let i = 0; i < cfg.cipherSuites.length && suite == 0; i++) {
      const s = cfg.cipherSuites[i];
      if (isSupportedSuite(s) && ch.cipherSuites.includes(s)) suite = s;
    }
    // RFC 8422 §4: no supported_groups means the client takes anything; P-256 is the safe pick.
    const offered = ext.supportedGroups;
    let group: u16 = 0;
    for (let i = 0; i < cfg.groups.length && group == 0; i++) {
      const g = cfg.groups[i];
      if (isSupportedGroup(g) && (offered == null ? g == NamedGroup.Secp256r1 : offered.includes(g))) group = g;
    }
    const sigs = ext.signatureAlgorithms;
    let nullCompression = false;
    for (let i = 0; i < ch.compressionMethods.length; i++) if (ch.compressionMethods[i] == 0) nullCompression = true;
    if (suite == 0 || group == 0 || !nullCompression || (sigs != null && !sigs.includes(SIG_ECDSA_SECP256R1_SHA256))) {
      this.fail(AlertDescription.HandshakeFailure, "no common cipher suite, group or signature scheme");
      return;
    }
    const key = EphemeralKey.generate(group);
    if (key == null) {
      this.fail(AlertDescription.InternalError, "cannot generate a key share");
      return;
    }
    this.key = key;
    this.cipherSuite = suite;
    this.clientRandom = ch.random;
    randomFill(this.serverRandom);

    const sh = new ServerHello();
    sh.version = DTLS_1_2;
    sh.random = this.serverRandom;
    sh.cipherSuite = suite;
    const she = sh.extensions;
    she.renegotiationInfo = ext.renegotiationInfo || ch.cipherSuites.includes(TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
    she.extendedMasterSecret = ext.extendedMasterSecret;
    this.extendedMasterSecret = ext.extendedMasterSecret;
    she.ecPointFormats = ext.ecPointFormats;
    // RFC 5764 §4.1.1: the first of our profiles the client offers; none in common means no use_srtp.
    const srtp = ext.useSrtp;
    if (srtp != null) {
      for (let i = 0; i < cfg.srtpProfiles.length && this.srtpProfile == 0; i++) {
        if (srtp.profiles.includes(cfg.srtpProfiles[i])) this.srtpProfile = cfg.srtpProfiles[i];
      }
      if (this.srtpProfile != 0) {
        const chosen = new UseSrtp();
        chosen.profiles.push(this.srtpProfile);
        she.useSrtp = chosen;
      }
    }

    // The transcript starts at the ClientHello that carried the cookie (§4.2.6); our message_seq
    // follows the client's, as the stateless exchange had no memory of its own.
    this.transcript.reset();
    this.addToTranscript(msg);
    this.nextSendSeq = msg.messageSeq;
    const f = new Flight();
    this.push(f, HandshakeType.ServerHello, sh.encode());
    const cm = new CertificateMsg();
    cm.certificates.push(cfg.certificate);
    this.push(f, HandshakeType.Certificate, cm.encode());

    const ske = new ServerKeyExchange();
    ske.namedGroup = group;
    ske.publicKey = key.pub;
    const ds = signEcdsaP256(cfg.privateKey, ske.signedData(this.clientRandom, this.serverRandom));
    if (ds == null) {
      this.fail(AlertDescription.InternalError, "cannot sign ServerKeyExchange");
      return;
    }
    ske.signed = ds;
    this.push(f, HandshakeType.ServerKeyExchange, ske.encode());
    if (cfg.requireClientCertificate) {
      const cr = new CertificateRequest();
      cr.certificateTypes = new Uint8Array(1);
      cr.certificateTypes[0] = CERT_TYPE_ECDSA_SIGN;
      cr.signatureAlgorithms.push(SIG_ECDSA_SECP256R1_SHA256);
      this.push(f, HandshakeType.CertificateRequest, cr.encode());
    }
    this.push(f, HandshakeType.ServerHelloDone, new Uint8Array(0));
    this.wait = cfg.requireClientCertificate ? Wait.Certificate : Wait.ClientKeyExchange;
    this.sendFlight(f, now, true);
  }

  private onCertificate(msg: HandshakeMessage): void {
    const c = CertificateMsg.parse(msg.body);
    if (c == null) {
      this.fail(AlertDescription.DecodeError, "bad client Certificate");
      return;
    }
    if (c.certificates.length == 0) {
      this.fail(AlertDescription.HandshakeFailure, "client sent no certificate");
      return;
    }
    if (!this.acceptPeerCertificate(c.certificates, "client")) return;
    this.addToTranscript(msg);
    this.wait = Wait.ClientKeyExchange;
  }

  private onClientKeyExchange(msg: HandshakeMessage): void {
    const cke = ClientKeyExchange.parse(msg.body);
    if (cke == null) {
      this.fail(AlertDescription.DecodeError, "bad ClientKeyExchange");
      return;
    }
    const pms = this.key!.shared(cke.publicKey);
    if (pms == null) {
      this.fail(AlertDescription.IllegalParameter, "bad client key share");
      return;
    }
    this.addToTranscript(msg);
    this.key = null;
    if (!this.deriveKeys(pms)) return;
    this.wait = this.peerCertificate != null ? Wait.CertificateVerify : Wait.Finished;
  }

  private onCertificateVerify(msg: HandshakeMessage): void {
    const cv = CertificateVerify.parse(msg.body);
    if (cv == null) {
      this.fail(AlertDescription.DecodeError, "bad CertificateVerify");
      return;
    }
    if (!verifyEcdsaP256(this.peerPublicKey!, this.transcript.bytes(), cv.signed)) {
      this.fail(AlertDescription.DecryptError, "CertificateVerify does not verify");
      return;
    }
    this.addToTranscript(msg);
    this.wait = Wait.Finished;
  }

  private onFinished(msg: HandshakeMessage, now: i64): void {
    const alg = suiteHash(this.cipherSuite);
    const ms = this.masterSecret!;
    const expected = computeVerifyData(alg, ms, true, this.transcript.hash(alg));
    if (msg.body.length != expected.length || !ctEqual(msg.body, 0, expected, 0, expected.length)) {
      this.fail(AlertDescription.DecryptError, "client Finished does not verify");
      return;
    }
    this.addToTranscript(msg);
    const f = new Flight();
    f.addChangeCipherSpec();
    this.writeEpoch = 1;
    const fin = this.nextMessage(HandshakeType.Finished, computeVerifyData(alg, ms, false, this.transcript.hash(alg)), 1);
    f.addHandshake(1, fin.msgType, fin.messageSeq, fin.body);
    // The last flight has no timer: it is repeated only when the client repeats its own (§4.2.4).
    this.sendFlight(f, now, false);
    this.connected();
  }
}
