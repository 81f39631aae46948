// Why a session description was refused; `reason` is a sentence fit for an HTTP 400 body.

export const enum SdpError {
  None = 0,
  // Syntax and bounds (parse).
  TooLarge = 1,
  LineTooLong = 2,
  Malformed = 3,
  TooManyMediaSections = 4,
  TooManyAttributes = 5,
  TooManyCandidates = 6,
  // Content (negotiation).
  NoApplicationSection = 10,
  MissingIceCredentials = 11,
  MissingFingerprint = 12,
  UnsupportedFingerprint = 13,
  BadSetup = 14,
  BadConfig = 15,
  UnknownMid = 16,
  // Media offer/answer: no section could be accepted.
  NoAcceptableSection = 17,
}

export function errorName(e: SdpError): string {
  switch (e) {
    case SdpError.None: return "ok";
    case SdpError.TooLarge: return "too-large";
    case SdpError.LineTooLong: return "line-too-long";
    case SdpError.Malformed: return "malformed";
    case SdpError.TooManyMediaSections: return "too-many-media-sections";
    case SdpError.TooManyAttributes: return "too-many-attributes";
    case SdpError.TooManyCandidates: return "too-many-candidates";
    case SdpError.NoApplicationSection: return "no-application-section";
    case SdpError.MissingIceCredentials: return "missing-ice-credentials";
    case SdpError.MissingFingerprint: return "missing-fingerprint";
    case SdpError.UnsupportedFingerprint: return "unsupported-fingerprint";
    case SdpError.BadSetup: return "bad-setup";
    case SdpError.BadConfig: return "bad-config";
    case SdpError.UnknownMid: return "unknown-mid";
    case SdpError.NoAcceptableSection: return "no-acceptable-section";
  }
  return "error";
}
