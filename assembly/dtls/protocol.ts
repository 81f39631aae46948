// RFC 6347 §4.1 and RFC 5246 §7.4: the numbers DTLS 1.2 puts on the wire.

export const DTLS_1_0: u16 = 0xfeff;
export const DTLS_1_2: u16 = 0xfefd;

// RFC 5246 §6.2.1 ContentType.
export const enum ContentType {
  ChangeCipherSpec = 20,
  Alert = 21,
  Handshake = 22,
  ApplicationData = 23,
}

// RFC 5246 §7.4 / RFC 6347 §4.3.2 HandshakeType.
export const enum HandshakeType {
  HelloRequest = 0,
  ClientHello = 1,
  ServerHello = 2,
  HelloVerifyRequest = 3,
  Certificate = 11,
  ServerKeyExchange = 12,
  CertificateRequest = 13,
  ServerHelloDone = 14,
  CertificateVerify = 15,
  ClientKeyExchange = 16,
  Finished = 20,
}

// IANA TLS ExtensionType values used here; everything else is ignored on input.
export const enum ExtensionType {
  SupportedGroups = 10,
  EcPointFormats = 11,
  SignatureAlgorithms = 13,
  UseSrtp = 14,
  ExtendedMasterSecret = 23,
  RenegotiationInfo = 0xff01,
}

// RFC 8422 §5.1.1 NamedCurve (RFC 7748 adds x25519).
export const enum NamedGroup {
  Secp256r1 = 23,
  X25519 = 29,
}

// RFC 8446 §4.2.3 SignatureScheme; in TLS 1.2 terms hash sha256(4) + signature ecdsa(3).
export const SIG_ECDSA_SECP256R1_SHA256: u16 = 0x0403;

// RFC 5246 §7.4.4 ClientCertificateType.
export const CERT_TYPE_ECDSA_SIGN: u8 = 64;

// RFC 8422 §5.4 ECCurveType.
export const CURVE_TYPE_NAMED_CURVE: u8 = 3;

// RFC 8422 §5.1.2 ECPointFormat.
export const POINT_FORMAT_UNCOMPRESSED: u8 = 0;

// RFC 5746 §3.3: signalling cipher suite value meaning "empty renegotiation_info".
export const TLS_EMPTY_RENEGOTIATION_INFO_SCSV: u16 = 0x00ff;

// Sizes fixed by the record and handshake formats.
export const RECORD_HEADER_LEN: i32 = 13;
export const HANDSHAKE_HEADER_LEN: i32 = 12;
export const RANDOM_LEN: i32 = 32;
export const VERIFY_DATA_LEN: i32 = 12;
export const MASTER_SECRET_LEN: i32 = 48;
// RFC 5246 §6.2.1: a record carries at most 2^14 bytes of plaintext.
export const MAX_PLAINTEXT: i32 = 16384;
