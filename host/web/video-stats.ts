/// <reference lib="dom.iterable" />
// The figures the Camera card shows, from the video inbound-rtp entry of getStats(). The frame rate
// is measured between two calls (framesDecoded over time) because framesPerSecond is missing in
// some browsers and lags in others.

export interface VideoStats {
  framesDecoded: number;
  fps: number | null;
  width: number | null;
  height: number | null;
  packetsLost: number;
  nackCount: number;
  jitterMs: number | null;
  codec: string | null; // "H264", "VP8"
}

let previous: { at: number; frames: number } | null = null;

export async function readVideoStats(pc: RTCPeerConnection): Promise<VideoStats | null> {
  const report = await pc.getStats();
  const inbound = ([...report.values()] as Array<Record<string, any>>).find((s) => s.type === "inbound-rtp" && s.kind === "video");
  if (!inbound) return null;
  const frames = inbound.framesDecoded ?? 0;
  const now = performance.now();
  let fps: number | null = null;
  if (previous && now > previous.at && frames >= previous.frames) fps = ((frames - previous.frames) * 1000) / (now - previous.at);
  previous = { at: now, frames };
  const codec = inbound.codecId ? report.get(inbound.codecId) : undefined;
  return {
    framesDecoded: frames,
    fps,
    width: inbound.frameWidth ?? null,
    height: inbound.frameHeight ?? null,
    packetsLost: inbound.packetsLost ?? 0,
    nackCount: inbound.nackCount ?? 0,
    jitterMs: typeof inbound.jitter === "number" ? inbound.jitter * 1000 : null,
    codec: codec?.mimeType ? String(codec.mimeType).replace(/^video\//i, "") : null,
  };
}

// A new connection starts a new measurement.
export function resetVideoStats(): void {
  previous = null;
}
