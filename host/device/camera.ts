// The device's camera, speaker and microphone, for viewers whose offer has video/audio sections and
// whose peer can carry media (host/peer.ts; the werift yardstick stack sends none).
//   video  the looped clip (media-files.ts) at its frame rate, RTP timestamps on the 90 kHz clock
//   audio  a chirp once a second, G.711 μ-law in 20 ms frames (tone.ts)
//   mic    the viewer's G.711 audio: its level (dBFS) goes into telemetry as micLevel
// One clock paces every viewer, so they all see the same frame at the same time; each viewer has
// its own place in the clip only because a keyframe request moves it back to the last keyframe.
import type { MediaConfiguration, MediaFrameEvent, MediaPeer, PeerConnection } from "../peer-api.js";
import { loadClip, type ClipCodec, type VideoClip } from "./media-files.js";
import { FRAME_MS, FRAME_SAMPLES, toneFrame } from "./tone.js";

// What the device asks of its peers: it sends video (H.264 preferred, VP8 for browsers without it)
// and sends and receives G.711, whose level the core measures without decoding anything else.
export const DEVICE_MEDIA: MediaConfiguration = { videoSend: ["H264", "VP8"], audioSend: ["PCMU"], audioReceive: ["PCMU"] };

const VIDEO_CLOCK = 90_000;
// A level this old no longer counts as "the viewer is talking".
const MIC_HOLD_MS = 1000;
// Browsers ask again while the keyframe is on its way; one answer per this long is enough.
const KEYFRAME_MIN_GAP_MS = 500;
// After a stall (a busy event loop) this many frames late are skipped rather than sent in a burst.
const MAX_CATCH_UP_FRAMES = 8;

export function asMediaPeer(peer: PeerConnection): MediaPeer | null {
  const p = peer as Partial<MediaPeer>;
  return typeof p.sendVideoFrame === "function" && typeof p.mediaTracks === "function" ? (peer as MediaPeer) : null;
}

const random32 = () => Math.floor(Math.random() * 0x1_0000_0000) >>> 0;

export interface ViewerMediaStats {
  videoCodec: string;
  videoFramesSent: number;
  videoFramesRefused: number;
  keyframeRequests: number;
  audioFramesSent: number;
  micFrames: number;
}

// One viewer's media. Nothing is sent until the peer is connected and its tracks are known.
export class ViewerMedia {
  private clip: VideoClip | null = null;
  private codecAsked = false;
  private sendsAudio = false;
  private cursor = 0;
  private streaming = false; // the first keyframe went out; until then only a keyframe may start it
  private keyframeWanted = false;
  private lastKeyframeAnswer = -Infinity;
  private readonly videoBase = random32(); // RFC 3550 §5.1: timestamps start at a random value
  private readonly audioBase = random32();
  private micLevels: { at: number; level: number }[] = [];
  readonly stats: ViewerMediaStats = { videoCodec: "", videoFramesSent: 0, videoFramesRefused: 0, keyframeRequests: 0, audioFramesSent: 0, micFrames: 0 };

  constructor(private readonly peer: MediaPeer, private readonly log: (line: string) => void) {
    peer.onkeyframerequest = () => {
      this.stats.keyframeRequests++;
      this.keyframeWanted = true;
    };
    peer.onmediaframe = (ev) => this.onFrame(ev);
  }

  private onFrame(ev: MediaFrameEvent): void {
    if (ev.kind !== "audio" || ev.levelDbfs === null) return;
    this.stats.micFrames++;
    const now = performance.now();
    this.micLevels.push({ at: now, level: ev.levelDbfs });
    while (this.micLevels.length > 0 && now - this.micLevels[0].at > MIC_HOLD_MS) this.micLevels.shift();
  }

  // The loudest frame of the last second, or null when the viewer sent no audio in that time.
  micPeak(now: number): number | null {
    let peak: number | null = null;
    for (const m of this.micLevels) if (now - m.at <= MIC_HOLD_MS && (peak === null || m.level > peak)) peak = m.level;
    return peak;
  }

  // Learns, once connected, what the answer settled: the video codec (then loads its clip) and
  // whether audio is sent at all.
  private ready(): boolean {
    if (this.peer.connectionState !== "connected") return false;
    if (!this.codecAsked) {
      this.codecAsked = true;
      const tracks = this.peer.mediaTracks();
      const video = tracks.find((t) => t.kind === "video" && t.codec !== "");
      this.sendsAudio = tracks.some((t) => t.kind === "audio" && t.codec !== "");
      if (video) {
        const codec = video.codec as ClipCodec;
        this.stats.videoCodec = codec;
        loadClip(codec).then((c) => (this.clip = c), (e) => this.log(`camera: no ${codec} clip (${e instanceof Error ? e.message : String(e)})`));
      }
    }
    return true;
  }

  // Frame number `n` of the device clock is due.
  sendVideo(n: number, fps: number): void {
    if (!this.ready() || !this.clip) return;
    const frames = this.clip.frames;
    const now = performance.now();
    if (this.keyframeWanted && now - this.lastKeyframeAnswer >= KEYFRAME_MIN_GAP_MS) {
      // Back to the start of the current group of pictures: the keyframe goes out with this tick.
      while (this.cursor > 0 && !frames[this.cursor].keyframe) this.cursor--;
      this.lastKeyframeAnswer = now;
      this.keyframeWanted = false;
    }
    if (!this.streaming) while (!frames[this.cursor].keyframe) this.cursor = (this.cursor + 1) % frames.length;
    const frame = frames[this.cursor];
    const ts = (this.videoBase + Math.round((n * VIDEO_CLOCK) / fps)) >>> 0;
    const r = this.peer.sendVideoFrame(frame.data, ts, frame.keyframe);
    if (r < 0) {
      this.stats.videoFramesRefused++;
      // Until SRTP is keyed frames are refused: keep offering the first keyframe.
      if (!this.streaming) return;
    } else {
      this.stats.videoFramesSent++;
      this.streaming = true;
    }
    this.cursor = (this.cursor + 1) % frames.length;
  }

  // Audio frame `n` of the device clock is due; `frame` is the same bytes for every viewer.
  sendAudio(n: number, frame: Uint8Array): void {
    if (!this.ready() || !this.sendsAudio) return;
    if (this.peer.sendAudioFrame(frame, (this.audioBase + n * FRAME_SAMPLES) >>> 0) >= 0) this.stats.audioFramesSent++;
  }

  detach(): void {
    this.peer.onkeyframerequest = null;
    this.peer.onmediaframe = null;
  }
}

// The clock: runs while any viewer has media, and tells each one which frames are due.
export class Camera {
  private readonly viewers = new Set<ViewerMedia>();
  private timer: NodeJS.Timeout | null = null;
  private start = 0;
  private videoNext = 0;
  private audioNext = 0;

  constructor(readonly fps: number) {}

  add(v: ViewerMedia): void {
    this.viewers.add(v);
    if (this.timer) return;
    this.start = performance.now();
    this.videoNext = 0;
    this.audioNext = 0;
    // Half a frame of audio: often enough that 20 ms pacing stays within a few ms.
    this.timer = setInterval(() => this.tick(), FRAME_MS / 2);
    this.timer.unref();
  }

  remove(v: ViewerMedia): void {
    v.detach();
    this.viewers.delete(v);
    if (this.viewers.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  // The loudest microphone among the viewers, in dBFS (one decimal), or null when nobody talks.
  micLevel(): number | null {
    const now = performance.now();
    let peak: number | null = null;
    for (const v of this.viewers) {
      const p = v.micPeak(now);
      if (p !== null && (peak === null || p > peak)) peak = p;
    }
    return peak === null ? null : Math.round(peak * 10) / 10;
  }

  private tick(): void {
    const elapsed = performance.now() - this.start;
    const videoDue = Math.floor((elapsed * this.fps) / 1000);
    if (videoDue - this.videoNext > MAX_CATCH_UP_FRAMES) this.videoNext = videoDue - 1;
    for (; this.videoNext <= videoDue; this.videoNext++) for (const v of this.viewers) v.sendVideo(this.videoNext, this.fps);
    const audioDue = Math.floor(elapsed / FRAME_MS);
    if (audioDue - this.audioNext > MAX_CATCH_UP_FRAMES) this.audioNext = audioDue - 1;
    for (; this.audioNext <= audioDue; this.audioNext++) {
      const frame = toneFrame(this.audioNext);
      for (const v of this.viewers) v.sendAudio(this.audioNext, frame);
    }
  }
}
