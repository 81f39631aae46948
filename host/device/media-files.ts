// The camera's clips: made by ffmpeg from a test pattern the first time a viewer needs them, kept in
// build/media/ (a build product, never committed), and read back as whole frames ready to send.
//   H.264  constrained baseline, an access-unit delimiter before every frame (so frames split on it),
//          SPS/PPS before every IDR (a viewer that asks for a keyframe needs them again)
//   VP8    IVF container, no hidden alt-ref frames (each IVF frame is one displayed picture)
import { execFile } from "node:child_process";
import { mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { projectRoot } from "../core.js";

export type ClipCodec = "H264" | "VP8";

export interface VideoFrame {
  data: Uint8Array; // one H.264 access unit (Annex B) or one VP8 frame
  keyframe: boolean;
}

export interface VideoClip {
  codec: ClipCodec;
  fps: number;
  width: number;
  height: number;
  frames: VideoFrame[];
}

export const CLIP = { width: 640, height: 480, fps: 15, seconds: 6, gop: 15 } as const;

export function mediaDir(): string {
  return resolve(projectRoot(), "build", "media");
}

function runFfmpeg(args: string[]): Promise<void> {
  return new Promise((ok, fail) => {
    execFile("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args], { timeout: 120_000 }, (err, _out, stderr) =>
      err ? fail(new Error(`ffmpeg failed: ${stderr.trim() || err.message}`)) : ok());
  });
}

// The picture: testsrc2's moving pattern with the clip time and codec written on it, so a looping
// or frozen stream is visible at a glance. Without drawtext (ffmpeg built without freetype, or no
// font) the plain pattern will do.
function source(label: string, withText: boolean): string[] {
  const { width, height, fps, seconds } = CLIP;
  let filter = `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`;
  if (withText) {
    filter += `,drawtext=text='wasmpeer camera  ${label}  %{pts\\:hms}':x=16:y=h-48:fontsize=24:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6`;
  }
  return ["-f", "lavfi", "-i", filter];
}

function encoder(codec: ClipCodec): string[] {
  const { gop } = CLIP;
  if (codec === "H264") {
    return ["-c:v", "libx264", "-profile:v", "baseline", "-level:v", "3.1", "-pix_fmt", "yuv420p", "-tune", "zerolatency",
      "-g", String(gop), "-keyint_min", String(gop), "-sc_threshold", "0", "-b:v", "700k", "-maxrate", "900k", "-bufsize", "900k",
      "-x264-params", "aud=1:repeat-headers=1", "-bsf:v", "h264_mp4toannexb", "-f", "h264"];
  }
  return ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-g", String(gop), "-keyint_min", String(gop),
    "-auto-alt-ref", "0", "-lag-in-frames", "0", "-b:v", "700k", "-f", "ivf"];
}

const fileName = (codec: ClipCodec) => `camera-${CLIP.width}x${CLIP.height}-${CLIP.fps}fps.${codec === "H264" ? "h264" : "ivf"}`;

// Makes the clip unless it is there already. ffmpeg writes to a private name that is renamed into
// place, so concurrent devices (parallel tests) never read a half-written file.
async function ensureFile(codec: ClipCodec): Promise<string> {
  const dir = mediaDir();
  const path = join(dir, fileName(codec));
  try {
    if ((await stat(path)).size > 0) return path;
  } catch {
    // not made yet
  }
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    try {
      await runFfmpeg([...source(codec, true), ...encoder(codec), tmp]);
    } catch {
      await runFfmpeg([...source(codec, false), ...encoder(codec), tmp]);
    }
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
  return path;
}

// Start-code positions in an Annex B stream: [offset of the code, offset of the NAL unit].
function startCodes(b: Uint8Array): [number, number][] {
  const found: [number, number][] = [];
  for (let i = 2; i < b.length; i++) {
    if (b[i] !== 1 || b[i - 1] !== 0 || b[i - 2] !== 0) continue;
    found.push([i >= 3 && b[i - 3] === 0 ? i - 3 : i - 2, i + 1]);
  }
  return found;
}

// Splits at each access-unit delimiter (NAL type 9), which the encoder put before every frame.
export function h264Frames(stream: Uint8Array): VideoFrame[] {
  const codes = startCodes(stream);
  const frames: VideoFrame[] = [];
  let begin = -1;
  let key = false;
  for (const [at, nal] of codes) {
    const type = stream[nal] & 0x1f;
    if (type === 9) {
      if (begin >= 0) frames.push({ data: stream.slice(begin, at), keyframe: key });
      begin = at;
      key = false;
    } else if (type === 5) {
      key = true;
    }
  }
  if (begin >= 0) frames.push({ data: stream.slice(begin), keyframe: key });
  return frames;
}

// IVF: a 32-byte file header (its own length at byte 6), then frames, each after a 12-byte header
// holding its size. A VP8 keyframe has bit 0 of its first byte clear (RFC 6386 §9.1).
export function ivfFrames(file: Uint8Array): VideoFrame[] {
  if (Buffer.from(file.subarray(0, 4)).toString("latin1") !== "DKIF") throw new Error("not an IVF file");
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const frames: VideoFrame[] = [];
  for (let at = view.getUint16(6, true); at + 12 <= file.length;) {
    const size = view.getUint32(at, true);
    const data = file.slice(at + 12, at + 12 + size);
    if (data.length > 0) frames.push({ data, keyframe: (data[0] & 1) === 0 });
    at += 12 + size;
  }
  return frames;
}

const clips = new Map<ClipCodec, Promise<VideoClip>>();

// The clip for a codec, made at most once per process; a failure is remembered too (no retry loop
// of ffmpeg runs per viewer).
export function loadClip(codec: ClipCodec): Promise<VideoClip> {
  let p = clips.get(codec);
  if (!p) {
    p = ensureFile(codec).then(async (path) => {
      const bytes = new Uint8Array(await readFile(path));
      const frames = codec === "H264" ? h264Frames(bytes) : ivfFrames(bytes);
      if (!frames[0]?.keyframe) throw new Error(`${path}: the clip does not start with a keyframe`);
      return { codec, fps: CLIP.fps, width: CLIP.width, height: CLIP.height, frames };
    });
    clips.set(codec, p);
  }
  return p;
}
