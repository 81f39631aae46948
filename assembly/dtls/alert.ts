// RFC 5246 §7.2: Alert protocol (level, description).

export const enum AlertLevel {
  Warning = 1,
  Fatal = 2,
}

export const enum AlertDescription {
  CloseNotify = 0,
  UnexpectedMessage = 10,
  BadRecordMac = 20,
  RecordOverflow = 22,
  HandshakeFailure = 40,
  BadCertificate = 42,
  UnsupportedCertificate = 43,
  CertificateUnknown = 46,
  IllegalParameter = 47,
  DecodeError = 50,
  DecryptError = 51,
  ProtocolVersion = 70,
  InsufficientSecurity = 71,
  InternalError = 80,
  UserCanceled = 90,
  NoRenegotiation = 100,
  UnsupportedExtension = 110,
}

export function alertBytes(level: i32, description: i32): Uint8Array {
  const b = new Uint8Array(2);
  b[0] = <u8>level;
  b[1] = <u8>description;
  return b;
}
