import { ByteReader, ByteWriter } from "../../assembly/util/bytes";
import { RecordHeader } from "../../assembly/dtls/record_header";
import { HandshakeHeader, HandshakeMessage } from "../../assembly/dtls/handshake_header";
import { ClientHello } from "../../assembly/dtls/handshake_client_hello";
import { ServerHello } from "../../assembly/dtls/handshake_server_hello";
import { HelloVerifyRequest } from "../../assembly/dtls/handshake_hello_verify_request";
import { CertificateMsg } from "../../assembly/dtls/handshake_certificate";
import { ServerKeyExchange } from "../../assembly/dtls/handshake_server_key_exchange";
import { CertificateRequest } from "../../assembly/dtls/handshake_certificate_request";
import { ClientKeyExchange } from "../../assembly/dtls/handshake_client_key_exchange";
import { CertificateVerify } from "../../assembly/dtls/handshake_certificate_verify";
import { UseSrtp, SRTP_AES128_CM_SHA1_80, SRTP_AEAD_AES_128_GCM, srtpKeyingMaterialLength, SRTP_AEAD_AES_256_GCM } from "../../assembly/dtls/extension_use_srtp";
import { parseFingerprint } from "../../assembly/dtls/config";
import { DTLS_1_2, HandshakeType, NamedGroup, SIG_ECDSA_SECP256R1_SHA256 } from "../../assembly/dtls/protocol";

function bytes(list: Array<i32>): Uint8Array {
  const b = new Uint8Array(list.length);
  for (let i = 0; i < list.length; i++) b[i] = <u8>list[i];
  return b;
}

function filled(n: i32, v: u8): Uint8Array {
  const b = new Uint8Array(n);
  b.fill(v);
  return b;
}

function sampleClientHello(): ClientHello {
  const ch = new ClientHello();
  ch.version = DTLS_1_2;
  ch.random = filled(32, 7);
  ch.cookie = filled(32, 9);
  ch.cipherSuites = [0xc02b, 0xc02c, 0x00ff];
  const e = ch.extensions;
  e.supportedGroups = [<u16>NamedGroup.X25519, <u16>NamedGroup.Secp256r1];
  e.ecPointFormats = true;
  e.signatureAlgorithms = [SIG_ECDSA_SECP256R1_SHA256];
  e.extendedMasterSecret = true;
  e.renegotiationInfo = true;
  const srtp = new UseSrtp();
  srtp.profiles = [SRTP_AEAD_AES_128_GCM, SRTP_AES128_CM_SHA1_80];
  e.useSrtp = srtp;
  return ch;
}

describe("DTLS record and handshake headers", () => {
  it("round-trip a record header with a 48-bit sequence", () => {
    const w = new ByteWriter(new Uint8Array(13));
    RecordHeader.of(22, DTLS_1_2, 1, 0xa1b2c3d4e5f6, 300).write(w);
    const h = new RecordHeader();
    expect(h.read(new ByteReader(w.buf))).toBe(true);
    expect(h.contentType).toBe(22);
    expect(h.epoch).toBe(1);
    expect(h.sequence).toBe(0xa1b2c3d4e5f6);
    expect(h.length).toBe(300);
  });

  it("refuses a short header and a non-DTLS version", () => {
    const h = new RecordHeader();
    expect(h.read(new ByteReader(new Uint8Array(12)))).toBe(false);
    const b = new Uint8Array(13);
    b[1] = 3;
    b[2] = 3;
    expect(h.read(new ByteReader(b))).toBe(false);
  });

  it("round-trip a handshake header and refuse a fragment outside its message", () => {
    const w = new ByteWriter(new Uint8Array(12));
    HandshakeHeader.of(11, 1000, 3, 200, 300).write(w);
    const h = new HandshakeHeader();
    expect(h.read(new ByteReader(w.buf))).toBe(true);
    expect(h.length).toBe(1000);
    expect(h.messageSeq).toBe(3);
    expect(h.fragmentOffset).toBe(200);
    expect(h.fragmentLength).toBe(300);
    const w2 = new ByteWriter(new Uint8Array(12));
    HandshakeHeader.of(11, 100, 3, 90, 20).write(w2);
    expect(h.read(new ByteReader(w2.buf))).toBe(false);
  });

  it("puts the unfragmented form in the transcript", () => {
    const m = new HandshakeMessage(HandshakeType.Finished, 5, filled(12, 1));
    const enc = m.encodeWhole();
    expect(enc.length).toBe(24);
    expect(enc[0]).toBe(20);
    expect(enc[3]).toBe(12);
    expect(enc[5]).toBe(5);
    expect(enc[11]).toBe(12);
  });
});

describe("DTLS hello messages", () => {
  it("round-trip a ClientHello with every extension we use", () => {
    const enc = sampleClientHello().encode();
    const ch = ClientHello.parse(enc)!;
    expect(ch).not.toBeNull();
    expect(ch.version).toBe(DTLS_1_2);
    expect(ch.cookie.length).toBe(32);
    expect(ch.cipherSuites.length).toBe(3);
    expect(ch.cipherSuites[2]).toBe(0x00ff);
    const e = ch.extensions;
    expect(e.supportedGroups!.length).toBe(2);
    expect(e.supportedGroups![0]).toBe(29);
    expect(e.ecPointFormats).toBe(true);
    expect(e.signatureAlgorithms![0]).toBe(0x0403);
    expect(e.extendedMasterSecret).toBe(true);
    expect(e.renegotiationInfo).toBe(true);
    expect(e.useSrtp!.profiles.length).toBe(2);
    expect(e.useSrtp!.profiles[1]).toBe(SRTP_AES128_CM_SHA1_80);
    const again = ch.encode();
    expect(again.length).toBe(enc.length);
    for (let i = 0; i < enc.length; i++) expect(again[i]).toBe(enc[i]);
  });

  it("gives the same cookie input with and without a cookie", () => {
    const a = sampleClientHello();
    const b = sampleClientHello();
    b.cookie = new Uint8Array(0);
    const pa = ClientHello.parse(a.encode())!.paramsForCookie;
    const pb = ClientHello.parse(b.encode())!.paramsForCookie;
    expect(pa.length).toBe(pb.length);
    for (let i = 0; i < pa.length; i++) expect(pa[i]).toBe(pb[i]);
  });

  it("ignores DTLS 1.3 extensions a Chromium ClientHello carries", () => {
    const base = sampleClientHello().encode();
    // Append supported_versions (1.3, 1.2), a 1.2 KB key_share and psk_key_exchange_modes.
    const extra = new ByteWriter(new Uint8Array(2000));
    extra.u16(43); extra.u16(5); extra.u8(4); extra.u16(0xfefc); extra.u16(0xfefd);
    extra.u16(51); extra.u16(2 + 4 + 1216); extra.u16(4 + 1216); extra.u16(0x11ec); extra.u16(1216); extra.zeros(1216);
    extra.u16(45); extra.u16(2); extra.u8(1); extra.u8(1);
    const add = extra.written();
    const r = new ByteReader(base);
    // Find the extensions block: everything up to it is as encoded; patch its length.
    const ch0 = ClientHello.parse(base)!;
    const extStart = ch0.paramsForCookie.length + 1 + ch0.cookie.length;
    const out = new Uint8Array(base.length + add.length);
    out.set(base, 0);
    out.set(add, base.length);
    const oldLen = (<i32>base[extStart] << 8) | base[extStart + 1];
    const newLen = oldLen + add.length;
    out[extStart] = <u8>(newLen >> 8);
    out[extStart + 1] = <u8>newLen;
    const ch = ClientHello.parse(out);
    expect(ch).not.toBeNull();
    expect(ch!.extensions.extendedMasterSecret).toBe(true);
    expect(ch!.extensions.useSrtp!.profiles[0]).toBe(SRTP_AEAD_AES_128_GCM);
    expect(r.ok).toBe(true);
  });

  it("refuses a repeated extension, a bad use_srtp and trailing bytes", () => {
    const enc = sampleClientHello().encode();
    const trailing = new Uint8Array(enc.length + 1);
    trailing.set(enc, 0);
    expect(ClientHello.parse(trailing)).toBeNull();
    expect(UseSrtp.parse(bytes([0, 3, 0, 1, 0, 0]))).toBeNull();
    expect(UseSrtp.parse(bytes([0, 2, 0, 1]))).toBeNull();
    expect(UseSrtp.parse(bytes([0, 2, 0, 1, 0]))).not.toBeNull();
    const dup = new ByteWriter(new Uint8Array(64));
    dup.u16(DTLS_1_2); dup.zeros(32); dup.u8(0); dup.u8(0); dup.u16(2); dup.u16(0xc02b); dup.u8(1); dup.u8(0);
    dup.u16(8); dup.u16(23); dup.u16(0); dup.u16(23); dup.u16(0);
    expect(ClientHello.parse(dup.written())).toBeNull();
  });

  it("refuses every truncation of a ClientHello (never traps)", () => {
    const enc = sampleClientHello().encode();
    const ch0 = ClientHello.parse(enc)!;
    // Cut just before the extensions block it is a valid hello without extensions.
    const extStart = ch0.paramsForCookie.length + 1 + ch0.cookie.length;
    for (let n = 0; n < enc.length; n++) {
      const p = ClientHello.parse(enc.subarray(0, n));
      if (n == extStart) expect(p).not.toBeNull();
      else expect(p).toBeNull();
    }
  });

  it("round-trip ServerHello and HelloVerifyRequest", () => {
    const sh = new ServerHello();
    sh.version = DTLS_1_2;
    sh.random = filled(32, 3);
    sh.cipherSuite = 0xc02c;
    sh.extensions.extendedMasterSecret = true;
    const srtp = new UseSrtp();
    srtp.profiles = [SRTP_AEAD_AES_256_GCM];
    sh.extensions.useSrtp = srtp;
    const p = ServerHello.parse(sh.encode())!;
    expect(p.cipherSuite).toBe(0xc02c);
    expect(p.extensions.useSrtp!.profiles[0]).toBe(SRTP_AEAD_AES_256_GCM);
    expect(p.extensions.extendedMasterSecret).toBe(true);
    expect(p.extensions.renegotiationInfo).toBe(false);

    const bare = new ServerHello();
    bare.version = DTLS_1_2;
    const enc = bare.encode();
    expect(enc.length).toBe(2 + 32 + 1 + 2 + 1);
    expect(ServerHello.parse(enc)).not.toBeNull();

    const hvr = new HelloVerifyRequest();
    hvr.version = 0xfeff;
    hvr.cookie = filled(20, 5);
    const h = HelloVerifyRequest.parse(hvr.encode())!;
    expect(h.cookie.length).toBe(20);
    expect(HelloVerifyRequest.parse(bytes([0xfe, 0xff, 3, 1]))).toBeNull();
  });
});

describe("DTLS key exchange and authentication messages", () => {
  it("round-trip Certificate, ServerKeyExchange, CertificateRequest, ClientKeyExchange, CertificateVerify", () => {
    const c = new CertificateMsg();
    c.certificates.push(filled(300, 1));
    c.certificates.push(filled(5, 2));
    const cp = CertificateMsg.parse(c.encode())!;
    expect(cp.certificates.length).toBe(2);
    expect(cp.certificates[0].length).toBe(300);
    expect(CertificateMsg.parse(bytes([0, 0, 3, 0, 0, 0]))).toBeNull();

    const ske = new ServerKeyExchange();
    ske.namedGroup = 29;
    ske.publicKey = filled(32, 4);
    ske.signed.algorithm = 0x0403;
    ske.signed.signature = filled(71, 6);
    const sp = ServerKeyExchange.parse(ske.encode())!;
    expect(sp.namedGroup).toBe(29);
    expect(sp.publicKey.length).toBe(32);
    expect(sp.signed.signature.length).toBe(71);
    expect(sp.params().length).toBe(36);

    const cr = new CertificateRequest();
    cr.certificateTypes = bytes([64]);
    cr.signatureAlgorithms = [0x0403, 0x0804];
    const crp = CertificateRequest.parse(cr.encode())!;
    expect(crp.certificateTypes[0]).toBe(64);
    expect(crp.signatureAlgorithms[1]).toBe(0x0804);

    const cke = new ClientKeyExchange();
    cke.publicKey = filled(65, 4);
    expect(ClientKeyExchange.parse(cke.encode())!.publicKey.length).toBe(65);
    expect(ClientKeyExchange.parse(bytes([0]))).toBeNull();

    const cv = new CertificateVerify();
    cv.signed.algorithm = 0x0403;
    cv.signed.signature = filled(70, 8);
    expect(CertificateVerify.parse(cv.encode())!.signed.signature.length).toBe(70);
    expect(CertificateVerify.parse(bytes([4, 3, 0, 5, 1]))).toBeNull();
  });

  it("knows the SRTP keying material lengths", () => {
    expect(srtpKeyingMaterialLength(SRTP_AES128_CM_SHA1_80)).toBe(60);
    expect(srtpKeyingMaterialLength(SRTP_AEAD_AES_128_GCM)).toBe(56);
    expect(srtpKeyingMaterialLength(SRTP_AEAD_AES_256_GCM)).toBe(88);
  });

  it("parses SDP fingerprints", () => {
    const fp = parseFingerprint("00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff");
    expect(fp).not.toBeNull();
    expect(fp![10]).toBe(0xaa);
    expect(fp![31]).toBe(0xff);
    expect(parseFingerprint("00:11")).toBeNull();
    expect(parseFingerprint("0G:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff")).toBeNull();
  });
});
