// The simulated IoT device: an HTTP server that serves the viewer page and WHEP signaling, and a
// peer connection per viewer (through an injected factory) carrying telemetry and control.
//   GET  /              the viewer page (build/web, made by scripts/bundle.mjs)
//   GET  /config.json   what the page needs before it offers: ICE servers, telemetry rate
//   GET  /status        JSON: viewers connected, the limit, the device's state
//   POST|PATCH|DELETE /whep[/<id>]   signaling (host/signaling/whep.ts)
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve } from "node:path";
import { projectRoot } from "../core.js";
import type { IceServer, PeerConfiguration } from "../peer-api.js";
import { HttpError, sendError } from "../signaling/http.js";
import { WhepEndpoint, type PeerFactory, type WhepSession } from "../signaling/whep.js";
import { Camera, DEVICE_MEDIA, ViewerMedia, asMediaPeer } from "./camera.js";
import { ViewerChannels } from "./channels.js";
import { CLIP } from "./media-files.js";
import { SimulatedSensors } from "./sensors.js";

export interface DeviceOptions {
  peerFactory: PeerFactory;
  host?: string; // default 127.0.0.1
  port?: number; // default 8080; 0 picks a free port
  maxViewers?: number; // default 8
  iceServers?: IceServer[];
  // Passed to every peer (e.g. bindAddresses for tests that must stay on loopback).
  peerConfig?: PeerConfiguration;
  telemetryHz?: number; // default 10
  webRoot?: string; // default <project>/build/web
  name?: string;
  log?: (line: string) => void;
  // Session timing, shortened by tests.
  connectTimeoutMs?: number;
  disconnectedGraceMs?: number;
}

export interface Device {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly sensors: SimulatedSensors;
  readonly whep: WhepEndpoint;
  viewerCount(): number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
};
const STATIC_FILES = new Map([
  ["/", "index.html"],
  ["/index.html", "index.html"],
  ["/viewer.js", "viewer.js"],
  ["/style.css", "style.css"],
  ["/viewer.js.map", "viewer.js.map"],
]);

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

// What the device needs from an offer beyond what its peer checks, so that every device stack refuses
// the same offers in the same words (werift, for one, accepts both of these):
//  - a data channel section: telemetry and control are the device's point (audio and video only
//    come along with them), so an audio/video-only session would hold a viewer slot without them;
//  - a sha-256 certificate fingerprint: what browsers send and what the Wasm core verifies; sha-1
//    is too weak to tie the DTLS certificate to the signaled session.
export function offerProblem(sdp: string): string | null {
  const lines = sdp.split(/\r?\n/);
  const sections = lines.filter((l) => l.startsWith("m="));
  // Port 0 is a section the offerer has switched off.
  if (!sections.some((m) => /^m=application [1-9]\d* \S*SCTP\b/.test(m))) {
    const kinds = sections.map((m) => m.slice(2).split(" ")[0]).join(", ") || "none";
    return `no data channel section (m=application ... UDP/DTLS/SCTP webrtc-datachannel); the offer has ${kinds}, and this device needs a data channel (its audio and video come only alongside one)`;
  }
  const algorithms = [...new Set(lines.filter((l) => /^a=fingerprint:/i.test(l)).map((l) => l.slice("a=fingerprint:".length).split(" ")[0].toLowerCase()))];
  if (algorithms.length > 0 && !algorithms.includes("sha-256")) {
    return `unsupported DTLS fingerprint hash (${algorithms.join(", ")}); the device needs a sha-256 fingerprint`;
  }
  return null;
}

export async function startDevice(options: DeviceOptions): Promise<Device> {
  const log = options.log ?? (() => {});
  const maxViewers = options.maxViewers ?? 8;
  const telemetryHz = options.telemetryHz ?? 10;
  const iceServers = options.iceServers ?? [];
  // The page's RTCPeerConnection takes the browser's RTCIceServer shape: no tlsCa (a browser trusts
  // only its own roots), and a PEM has no business in a public JSON anyway.
  const browserIceServers = iceServers.map(({ urls, username, credential }) => ({ urls, username, credential }));
  const webRoot = options.webRoot ?? resolve(projectRoot(), "build", "web");
  const name = options.name ?? "wasmpeer simulated device";
  const sensors = new SimulatedSensors();
  const viewers = new Map<string, ViewerChannels>();
  // Camera, chirp and microphone, for the viewers whose peer carries media (camera.ts).
  const camera = new Camera(CLIP.fps);
  const media = new Map<string, ViewerMedia>();

  const whep = new WhepEndpoint({
    peerFactory: options.peerFactory,
    // By default every interface plus loopback, so a browser on this machine or the LAN gets a candidate.
    peerConfig: { includeLoopback: true, media: DEVICE_MEDIA, ...options.peerConfig, iceServers },
    maxSessions: maxViewers,
    connectTimeoutMs: options.connectTimeoutMs,
    disconnectedGraceMs: options.disconnectedGraceMs,
    checkOffer: offerProblem,
    onSession(session: WhepSession) {
      viewers.set(session.id, new ViewerChannels(session.peer, sensors, () => whep.end(session, "all its channels closed")));
      const mediaPeer = asMediaPeer(session.peer);
      if (mediaPeer) {
        const m = new ViewerMedia(mediaPeer, log);
        media.set(session.id, m);
        camera.add(m);
      }
      log(`viewer ${session.id.slice(0, 8)}: offer received (${viewers.size}/${maxViewers})`);
    },
    onStateChange(session: WhepSession) {
      viewers.get(session.id)?.connectionChanged();
      log(`viewer ${session.id.slice(0, 8)}: ${session.peer.connectionState}`);
    },
    onSessionEnd(session: WhepSession, reason: string) {
      viewers.delete(session.id);
      const m = media.get(session.id);
      if (m) {
        camera.remove(m);
        media.delete(session.id);
      }
      log(`viewer ${session.id.slice(0, 8)}: ended (${reason}); ${viewers.size}/${maxViewers} connected`);
    },
  });

  // One clock for the whole device: every viewer gets the same reading.
  const telemetryTimer = setInterval(() => {
    if (viewers.size === 0) return;
    const json = JSON.stringify({ ...sensors.read(), micLevel: camera.micLevel() });
    for (const v of viewers.values()) v.sendReading(json);
  }, 1000 / telemetryHz);

  async function serveStatic(res: ServerResponse, file: string): Promise<void> {
    let body: Buffer;
    try {
      body = await readFile(join(webRoot, file));
    } catch {
      throw new HttpError(500, `the viewer page is not built (${join(webRoot, file)} is missing); run make build`);
    }
    res.writeHead(200, { "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-cache" });
    res.end(body);
  }

  function sendJson(res: ServerResponse, value: unknown): void {
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache" });
    res.end(JSON.stringify(value));
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://device").pathname;
    if (await whep.handle(req, res, path)) return;
    if (req.method !== "GET" && req.method !== "HEAD") throw new HttpError(405, `${req.method} not allowed on ${path}`, { Allow: "GET" });
    const file = STATIC_FILES.get(path);
    if (file) return serveStatic(res, file);
    if (path === "/config.json") return sendJson(res, { name, iceServers: browserIceServers, telemetryHz, maxViewers, whep: whep.basePath });
    if (path === "/status") return sendJson(res, { name, viewers: viewers.size, maxViewers, ...sensors.status(), media: [...media.values()].map((m) => m.stats) });
    throw new HttpError(404, `nothing at ${path}`);
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((e) => sendError(res, e));
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off("error", reject);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${urlHost(host)}:${port}/`,
    host,
    port,
    sensors,
    whep,
    viewerCount: () => viewers.size,
    async close() {
      clearInterval(telemetryTimer);
      camera.stop();
      whep.closeAll();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
