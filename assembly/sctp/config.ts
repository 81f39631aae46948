// Configuration of one association: every memory bound and timer of the SCTP core comes from here.

export class SctpConfig {
  localPort: u16 = 5000; // RFC 8841: WebRTC uses 5000 unless SDP says otherwise
  remotePort: u16 = 5000;
  mtu: i32 = 1200; // SCTP packet size, before DTLS overhead
  // Bytes we can hold of received data not yet read by the application (our a_rwnd).
  receiveBufferSize: i32 = 320 * 1024;
  // Bytes of user data we accept from the application and hold until acknowledged.
  sendBufferSize: i32 = 320 * 1024;
  maxMessageSize: i32 = 256 * 1024;
  maxInboundStreams: u16 = 1024;
  maxOutboundStreams: u16 = 1024;
  rtoInitialMs: i32 = 1000;
  rtoMinMs: i32 = 200;
  rtoMaxMs: i32 = 10000;
  maxInitRetransmits: i32 = 8;
  maxAssocRetransmits: i32 = 10; // Association.Max.Retrans
  delayedAckMs: i32 = 200;
  heartbeatIntervalMs: i32 = 30000; // 0: none
  cookieLifetimeMs: i32 = 60000;
  // Reassembly may hold at most this many fragments (a peer of tiny chunks is bounded too).
  maxReassemblyChunks: i32 = 4096;
  // Duplicates reported in one SACK.
  maxDupsPerSack: i32 = 16;
}
