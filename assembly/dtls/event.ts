// RFC 6347 §4.2 and RFC 5764 §4.2: what a DTLS endpoint reports to the layer above.

export const enum DtlsEventKind {
  // The handshake finished: srtpProfile (0 when none) and cipherSuite are set.
  Connected = 1,
  // data = SHA-256 of the peer's certificate (emitted before Connected).
  PeerFingerprint = 2,
  // data = exporter output "EXTRACTOR-dtls_srtp" for srtpProfile (emitted before Connected).
  KeyingMaterial = 3,
  ApplicationData = 4,
  // A warning alert from the peer (alertDescription).
  Alert = 5,
  // The peer sent close_notify.
  Closed = 6,
  // The connection is dead: reason says why, alertDescription the alert sent or received.
  Failed = 7,
}

export class DtlsEvent {
  data: Uint8Array = new Uint8Array(0);
  srtpProfile: u16 = 0;
  cipherSuite: u16 = 0;
  alertDescription: i32 = -1;
  reason: string = "";

  constructor(public kind: DtlsEventKind) {}
}
