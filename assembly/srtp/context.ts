// RFC 3711 §3.2.1 and §3.2.3: the per-SSRC part of a cryptographic context.
import { ReplayWindow } from "./replay_window";

// The keys are shared by every SSRC of a session (the KDF does not depend on the SSRC), so a
// stream is just ROC, s_l, the replay lists and the SRTCP index. An outbound stream uses roc,
// highestSeq and rtcpIndex; an inbound one also its two replay windows.
export class SrtpStream {
  roc: u32 = 0;
  highestSeq: u16 = 0;
  // Whether an RTP packet has set roc and highestSeq yet.
  rtpStarted: bool = false;
  // Outbound: the next SRTCP index to send.
  rtcpIndex: u32 = 0;
  private rtpWindow: ReplayWindow | null = null;
  private rtcpWindow: ReplayWindow | null = null;

  constructor(readonly ssrc: u32, private windowSize: i32) {}

  get rtpReplay(): ReplayWindow {
    let w = this.rtpWindow;
    if (w == null) this.rtpWindow = w = new ReplayWindow(this.windowSize);
    return w;
  }

  get rtcpReplay(): ReplayWindow {
    let w = this.rtcpWindow;
    if (w == null) this.rtcpWindow = w = new ReplayWindow(this.windowSize);
    return w;
  }
}
