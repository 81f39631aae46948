// RFC 6347 §4.2.4.1 (timers) and §4.1.1.1 (PMTU): what a DTLS endpoint is configured with.
import { NamedGroup } from "./protocol";
import { TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 } from "./cipher_suite";
import { SRTP_AEAD_AES_128_GCM, SRTP_AEAD_AES_256_GCM, SRTP_AES128_CM_SHA1_80 } from "./extension_use_srtp";

export class DtlsConfig {
  // Our certificate (DER, ECDSA P-256) and its 32-byte private key.
  certificate: Uint8Array = new Uint8Array(0);
  privateKey: Uint8Array = new Uint8Array(0);
  // SHA-256 of the peer's certificate (from the SDP a=fingerprint); null accepts any certificate
  // (the peer's fingerprint is still reported in an event).
  expectedFingerprint: Uint8Array | null = null;

  // Local preference order for what the server picks; the client offers them in this order.
  cipherSuites: Array<u16> = [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384];
  groups: Array<u16> = [<u16>NamedGroup.X25519, <u16>NamedGroup.Secp256r1];
  // Empty: use_srtp is neither offered nor accepted.
  srtpProfiles: Array<u16> = [SRTP_AEAD_AES_128_GCM, SRTP_AES128_CM_SHA1_80, SRTP_AEAD_AES_256_GCM];

  // The server asks for a client certificate (WebRTC authenticates both ends).
  requireClientCertificate: bool = true;

  // Largest datagram we send.
  mtu: i32 = 1200;
  // Retransmission timer: initial value, cap, and how many retransmissions of one flight before failing.
  initialRtoMs: i64 = 1000;
  maxRtoMs: i64 = 60000;
  maxRetransmissions: i32 = 7;

  // Memory bounds: one handshake message, all messages being reassembled, the transcript,
  // and how many messages past the next expected one may be buffered.
  maxHandshakeMessage: i32 = 8192;
  maxReassemblyBytes: i32 = 16384;
  maxTranscript: i32 = 16384;
  maxMessagesAhead: i32 = 8;
  // Records from epoch 1 that arrive before its keys exist, kept to be read once they do.
  maxEarlyRecords: i32 = 4;
  // Outgoing datagrams not yet collected by pollTransmit.
  maxQueuedDatagrams: i32 = 64;

  // Sets expectedFingerprint from "AB:CD:..." (32 hex pairs, any case); false when malformed.
  setExpectedFingerprint(text: string): bool {
    const fp = parseFingerprint(text);
    if (fp == null) return false;
    this.expectedFingerprint = fp;
    return true;
  }
}

function hexVal(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

export function parseFingerprint(text: string): Uint8Array | null {
  if (text.length != 32 * 3 - 1) return null;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    const hi = hexVal(text.charCodeAt(3 * i));
    const lo = hexVal(text.charCodeAt(3 * i + 1));
    if (hi < 0 || lo < 0) return null;
    if (i < 31 && text.charCodeAt(3 * i + 2) != 58) return null;
    out[i] = <u8>((hi << 4) | lo);
  }
  return out;
}
