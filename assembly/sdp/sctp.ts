// RFC 8841 §5 (a=sctp-port) and §6 (a=max-message-size) for UDP/DTLS/SCTP data channel sections.
import { parseUint } from "./text";

// §5.1: when the attribute is absent the SCTP port is 5000.
export const DEFAULT_SCTP_PORT: i32 = 5000;
// §6.1: when the attribute is absent the peer can receive 64 KiB messages; 0 means "no limit".
export const DEFAULT_MAX_MESSAGE_SIZE: i64 = 65536;

// An SCTP port (1-65535), or -1.
export function parseSctpPort(v: string): i32 {
  const p = parseUint(v, 65535);
  return p < 1 ? -1 : <i32>p;
}

// A size in bytes (0 = unlimited), or -1.
export function parseMaxMessageSize(v: string): i64 {
  return parseUint(v, 0xffffffffffff);
}

// The data channel proto: UDP/DTLS/SCTP (and TCP/DTLS/SCTP for TURN-TCP), fmt "webrtc-datachannel".
export function isDataChannelProto(proto: string): bool {
  return proto == "UDP/DTLS/SCTP" || proto == "TCP/DTLS/SCTP";
}
