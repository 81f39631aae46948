// The far end of bench/media.ts: a werift RTCPeerConnection in its own Node process that offers to
// receive H.264 video and counts the RTP packets that arrive, so the sender's process does nothing
// but send (its CPU time is what the bench measures). Signaling is JSON lines on stdin/stdout:
//
//   out: {"type":"offer","sdp":...} (candidates inline, gathered first)
//        {"type":"count","packets":n,"bytes":n,"srtpProfile":n|null} (answer to "count")
//        {"type":"error","message":...}
//   in:  {"type":"answer","sdp":...} {"type":"candidate","candidate":{...}|null} {"type":"count"} {"type":"close"}
import { createInterface } from "node:readline";
import { RTCPeerConnection, RTCRtpCodecParameters } from "werift";

// A parent that dies without closing us must not leave this process behind.
const LIFETIME_MS = 60_000;

const out = (msg: object): void => void process.stdout.write(JSON.stringify(msg) + "\n");

// H.264 only: both senders of the bench send it; NACK and PLI as a browser would offer them.
export const H264_CODEC = {
  mimeType: "video/H264",
  clockRate: 90000,
  rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }],
  parameters: "profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1",
};

// Loopback only, like the bench's other peers (same options as host/werift-peer.ts).
export const WERIFT_LOOPBACK = {
  iceUseIpv4: false,
  iceUseIpv6: false,
  iceAdditionalHostAddresses: ["127.0.0.1"],
  iceInterfaceAddresses: { udp4: "127.0.0.1" },
};

// The DTLS-SRTP profile the handshake chose (RFC 5764 §4.1.2 id), from werift's internals: it has
// no public getter, and the figures depend on it.
function srtpProfile(pc: RTCPeerConnection): number | null {
  const t = pc.getTransceivers()[0]?.dtlsTransport as any;
  return t?.srtp?.config?.profile ?? t?.dtls?.srtp?.srtpProfile ?? null;
}

async function main(): Promise<void> {
  const pc = new RTCPeerConnection({ codecs: { video: [new RTCRtpCodecParameters(H264_CODEC)] }, ...WERIFT_LOOPBACK });
  let packets = 0;
  let bytes = 0;
  pc.onTrack.subscribe((track) => {
    track.onReceiveRtp.subscribe((rtp) => {
      packets++;
      bytes += rtp.payload.length;
    });
  });
  pc.addTransceiver("video", { direction: "recvonly" });

  let exiting = false;
  const finish = (code: number) => {
    if (exiting) return;
    exiting = true;
    void pc.close().catch(() => {});
    setTimeout(() => process.exit(code), 200).unref();
  };

  const gathered = new Promise<void>((resolve) => {
    pc.iceGatheringStateChange.subscribe((s) => s === "complete" && resolve());
    setTimeout(resolve, 3000).unref();
  });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered;
  out({ type: "offer", sdp: pc.localDescription!.sdp });

  let chain = Promise.resolve();
  const apply = async (msg: any) => {
    if (msg.type === "answer") await pc.setRemoteDescription({ type: "answer", sdp: msg.sdp });
    else if (msg.type === "candidate") {
      if (msg.candidate?.candidate) await pc.addIceCandidate({ candidate: msg.candidate.candidate, sdpMid: msg.candidate.sdpMid ?? "0", sdpMLineIndex: 0 });
    } else if (msg.type === "count") out({ type: "count", packets, bytes, srtpProfile: srtpProfile(pc) });
    else if (msg.type === "close") finish(0);
  };
  createInterface({ input: process.stdin }).on("line", (line) => {
    if (!line.trim()) return;
    chain = chain.then(() => apply(JSON.parse(line))).catch((e) => out({ type: "error", message: String((e as Error)?.message ?? e) }));
  }).on("close", () => finish(0));

  setTimeout(() => {
    out({ type: "error", message: "lifetime exceeded" });
    finish(2);
  }, LIFETIME_MS).unref();
}

// Only as a program: bench/media.ts imports the constants above.
if (process.argv[1]?.endsWith("/bench/media-receiver.mjs")) {
  main().catch((e) => {
    out({ type: "error", message: String((e as Error)?.message ?? e) });
    process.exit(1);
  });
}
