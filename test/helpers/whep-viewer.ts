// A viewer for tests: any host/peer-api.ts PeerConnection (werift's adapter, host/peer.ts) doing WHEP
// against the device, plus small waits for channel events. Everything is bounded in time.
import type { DataChannel, PeerConnection } from "../../host/peer-api.js";

export interface WhepResult {
  status: number;
  location: string | null;
  contentType: string | null;
  answer: string;
}

export function waitFor<T>(what: string, ms: number, start: (resolve: (v: T) => void, reject: (e: Error) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    start((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

// Collects the peer's candidates from the moment it is called; `done` resolves at end-of-candidates.
export function collectCandidates(peer: PeerConnection): { lines: string[]; done: Promise<void> } {
  const lines: string[] = [];
  const done = waitFor<void>("ICE gathering", 10_000, (resolve) => {
    peer.onicecandidate = ({ candidate }) => {
      if (candidate && candidate.candidate) lines.push(candidate.candidate);
      else resolve();
    };
  });
  return { lines, done };
}

// POSTs the peer's offer. With trickle, the offer goes out without waiting for candidates (the
// caller PATCHes them); without, it waits for gathering so the offer carries them.
export async function postOffer(baseUrl: string, peer: PeerConnection, opts: { trickle?: boolean } = {}): Promise<WhepResult & { candidates: string[]; gathered: Promise<void> }> {
  const { lines, done } = collectCandidates(peer);
  const offer = await peer.createOffer();
  await peer.setLocalDescription(offer);
  let sdp = offer.sdp;
  if (!opts.trickle) {
    await done;
    sdp = peer.localDescription!.sdp;
  }
  const res = await fetch(new URL("/whep", baseUrl), { method: "POST", headers: { "Content-Type": "application/sdp" }, body: sdp, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, location: res.headers.get("location"), contentType: res.headers.get("content-type"), answer: await res.text(), candidates: lines, gathered: done };
}

// The whole WHEP exchange; resolves once the answer is applied.
export async function whepConnect(baseUrl: string, peer: PeerConnection, opts: { trickle?: boolean } = {}) {
  const r = await postOffer(baseUrl, peer, opts);
  if (r.status !== 201) throw new Error(`POST /whep: ${r.status} ${r.answer}`);
  await peer.setRemoteDescription({ type: "answer", sdp: r.answer });
  return r;
}

export async function patchFragment(baseUrl: string, location: string, body: string, contentType = "application/trickle-ice-sdpfrag") {
  const res = await fetch(new URL(location, baseUrl), { method: "PATCH", headers: { "Content-Type": contentType }, body, signal: AbortSignal.timeout(5000) });
  return { status: res.status, text: await res.text() };
}

export function waitConnected(peer: PeerConnection, ms = 15_000): Promise<void> {
  return waitFor("connectionState connected", ms, (resolve, reject) => {
    const check = () => {
      if (peer.connectionState === "connected") resolve();
      else if (peer.connectionState === "failed" || peer.connectionState === "closed") reject(new Error(`connection ${peer.connectionState}`));
    };
    peer.onconnectionstatechange = check;
    check();
  });
}

export function waitOpen(channel: DataChannel, ms = 10_000): Promise<void> {
  return waitFor(`channel ${channel.label} open`, ms, (resolve) => {
    if (channel.readyState === "open") return resolve();
    channel.onopen = () => resolve();
  });
}

export function waitChannel(peer: PeerConnection, label: string, ms = 10_000): Promise<DataChannel> {
  return waitFor(`channel ${label} from the device`, ms, (resolve) => {
    peer.ondatachannel = ({ channel }) => {
      if (channel.label === label) resolve(channel);
    };
  });
}

export function nextMessage(channel: DataChannel, ms = 5000): Promise<string | Uint8Array> {
  return waitFor(`a message on ${channel.label}`, ms, (resolve) => {
    channel.onmessage = ({ data }) => resolve(data);
  });
}

// Sends a control command and waits for the reply with the same id.
export function command(channel: DataChannel, cmd: Record<string, unknown>, ms = 5000): Promise<Record<string, unknown>> {
  const id = Math.floor(Math.random() * 1e9);
  return waitFor(`reply to ${JSON.stringify(cmd)}`, ms, (resolve) => {
    channel.onmessage = ({ data }) => {
      const reply = JSON.parse(String(data)) as Record<string, unknown>;
      if (reply.id === id) resolve(reply);
    };
    channel.send(JSON.stringify({ id, ...cmd }));
  });
}
