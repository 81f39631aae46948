// What one peer connection is configured with: every memory bound of the layers below comes from here.
import { IceConfig } from "../ice/config";
import { MediaConfig, defaultMediaConfig } from "../sdp/media_config";

export class PeerConfig {
  // Our a=setup when answering an offer's actpass: false = active (DTLS client, JSEP's
  // recommendation), true = passive.
  dtlsPassive: bool = false;
  // The largest message we accept (a=max-message-size) and the SCTP reassembly limit.
  maxMessageSize: i32 = 262144;
  // SCTP: user data held until acknowledged, and data received but not yet polled (a_rwnd).
  sendBufferSize: i32 = 320 * 1024;
  receiveBufferSize: i32 = 320 * 1024;
  // Largest UDP payload we send; SCTP packets are sized to fit one DTLS record inside it.
  mtu: i32 = 1200;
  // Live data channels (ours and the peer's); more are refused.
  maxChannels: i32 = 64;
  // Events not yet polled by the host; past this, new ones are dropped and counted.
  maxEvents: i32 = 4096;
  // DTLS datagrams that arrive before our DTLS endpoint exists (the peer's ClientHello may
  // outrun the signaled answer); kept and read once it does.
  maxEarlyDatagrams: i32 = 4;
  // How long close() waits for the SCTP SHUTDOWN exchange before aborting.
  closeTimeoutMs: i64 = 2000;
  // As DTLS client, how long to wait for the peer's SCTP INIT before sending ours.
  sctpClientInitDelayMs: i64 = 1000;
  // Use a fresh certificate for this peer instead of the core's shared one.
  ownCertificate: bool = false;
  ice: IceConfig = new IceConfig();
  // Audio/video (media_session.ts): offered audio and video sections are answered with these
  // codecs when mediaEnabled (else rejected, port 0); createOffer offers them when offerMedia.
  media: MediaConfig = defaultMediaConfig();
  mediaEnabled: bool = true;
  offerMedia: bool = false;
  // Largest received video frame reassembled, preallocated per receiving video track.
  maxVideoFrameSize: i32 = 262144;
  // Sent video packets kept to answer NACKs, preallocated per sending video track (x MTU bytes).
  // 128 packets hold about 0.5 s at 2 Mbit/s; higher rates or longer RTTs want more.
  videoHistoryPackets: i32 = 128;
}
