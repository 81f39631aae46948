// WHEP-style signaling (draft-ietf-wish-whep, shaped like WHIP, RFC 9725 §4) served by the device itself:
//   POST   /whep       application/sdp offer           -> 201, application/sdp answer, Location: /whep/<id>
//   PATCH  /whep/<id>  application/trickle-ice-sdpfrag -> 204 (RFC 8840 candidates, end-of-candidates)
//                      with a new ice-ufrag/ice-pwd      -> 200, an sdpfrag with the device's new ones: an
//                                                           ICE restart (RFC 9725 §4.3.2), ETag/If-Match checked
//   DELETE /whep/<id>                                  -> 200, the session ends
// The answer carries the device's candidates and a=end-of-candidates, so a client never needs
// candidates trickled back from the server.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { IceCandidateInit, IceServer, PeerConfiguration, PeerConnection } from "../peer-api.js";
import { HttpError, readBody, requireMediaType, sendError, sendText } from "./http.js";
import { iceFragment, iceUfrag, parseSdpFragment, withCandidates, withIceCredentials, type SdpFragment } from "./sdpfrag.js";

export type PeerFactory = (config?: PeerConfiguration) => PeerConnection;

export interface WhepSession {
  readonly id: string;
  readonly peer: PeerConnection;
  readonly createdAt: number;
}

export interface WhepOptions {
  peerFactory: PeerFactory;
  peerConfig?: PeerConfiguration;
  maxSessions: number;
  basePath?: string; // default "/whep"
  // How long an answer waits for the device's own candidates before it goes out with what it has.
  gatherTimeoutMs?: number;
  // A session that never connects, or stays disconnected this long, is ended: its viewer is gone.
  connectTimeoutMs?: number;
  disconnectedGraceMs?: number;
  // Once the peer has accepted an offer: a reason to refuse it anyway (400), or null. The peer's own
  // parse runs first, so broken SDP gets the peer's precise reason and this sees only sound offers.
  checkOffer?: (sdp: string) => string | null;
  // Called before the offer is applied, so the app can hook ondatachannel before any channel opens.
  onSession?: (session: WhepSession) => void;
  onStateChange?: (session: WhepSession) => void;
  onSessionEnd?: (session: WhepSession, reason: string) => void;
}

// CORS, so WHEP players served from elsewhere can use the device too; Location must be readable.
const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "Location, Link, ETag",
};

interface LiveSession extends WhepSession {
  remoteUfrag: string | null;
  // The client's offer as last applied (an ICE restart rewrites its credentials), and the entity-tag
  // of the ICE session (RFC 9725 §4.3.1): a new one after each restart.
  offer: string;
  etag: string;
  restarting: boolean;
  timers: Set<ReturnType<typeof setTimeout>>;
  ended: boolean;
}

// A strong entity-tag for an ICE session (RFC 9110 §8.8.3); random, not derived from the ICE credentials.
function newEtag(): string {
  return `"${randomUUID()}"`;
}

export class WhepEndpoint {
  readonly sessions = new Map<string, LiveSession>();
  readonly basePath: string;

  constructor(private readonly options: WhepOptions) {
    this.basePath = options.basePath ?? "/whep";
  }

  // Handles the request when its path belongs to the endpoint; returns false otherwise.
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const base = this.basePath;
    if (path !== base && !path.startsWith(`${base}/`)) return false;
    const id = path === base ? null : decodeURIComponent(path.slice(base.length + 1));
    try {
      if (req.method === "OPTIONS") {
        res.writeHead(204, { ...CORS_HEADERS, "Access-Control-Allow-Methods": "POST, PATCH, DELETE, OPTIONS", "Access-Control-Allow-Headers": "Content-Type, If-Match" });
        res.end();
      } else if (id === null) {
        if (req.method !== "POST") throw new HttpError(405, `${req.method} not allowed on ${base}; POST an SDP offer`, { Allow: "POST, OPTIONS" });
        await this.create(req, res);
      } else {
        const session = this.sessions.get(id);
        if (!session) throw new HttpError(404, `no session ${id}`);
        if (req.method === "PATCH") await this.trickle(session, req, res);
        else if (req.method === "DELETE") {
          this.end(session, "deleted by the client");
          sendText(res, 200, `session ${id} ended`, CORS_HEADERS);
        } else throw new HttpError(405, `${req.method} not allowed on a session`, { Allow: "PATCH, DELETE, OPTIONS" });
      }
    } catch (e) {
      if (e instanceof HttpError) Object.assign(e.headers, CORS_HEADERS);
      sendError(res, e);
    }
    return true;
  }

  private async create(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requireMediaType(req, "application/sdp");
    const offer = await readBody(req);
    if (this.sessions.size >= this.options.maxSessions) {
      throw new HttpError(503, `too many viewers: ${this.options.maxSessions} already connected, try again later`, { "Retry-After": "5" });
    }
    const peer = this.options.peerFactory(this.options.peerConfig);
    // The session holds its slot from here on, so concurrent offers cannot overshoot the limit.
    const session: LiveSession = {
      id: randomUUID(), peer, createdAt: Date.now(), remoteUfrag: iceUfrag(offer), offer, etag: newEtag(), restarting: false,
      timers: new Set(), ended: false,
    };
    this.sessions.set(session.id, session);

    const candidates: string[] = [];
    let gatheringComplete = false;
    let gathered!: () => void;
    const gatheringDone = new Promise<void>((r) => (gathered = r));
    peer.onicecandidate = ({ candidate }) => {
      if (candidate && candidate.candidate) candidates.push(candidate.candidate);
      else {
        gatheringComplete = true;
        gathered();
      }
    };
    peer.onconnectionstatechange = () => this.watch(session);
    this.after(session, this.options.connectTimeoutMs ?? 30_000, () => {
      if (peer.connectionState !== "connected") this.end(session, "did not connect in time");
    });
    this.options.onSession?.(session);

    try {
      await peer.setRemoteDescription({ type: "offer", sdp: offer });
      const refusal = this.options.checkOffer?.(offer);
      if (refusal) throw new Error(refusal);
    } catch (e) {
      this.end(session, "bad offer");
      throw new HttpError(400, `bad SDP offer: ${e instanceof Error ? e.message : String(e)}`);
    }
    let answer: string;
    try {
      await peer.setLocalDescription(await peer.createAnswer());
      await Promise.race([gatheringDone, new Promise<void>((r) => this.after(session, this.options.gatherTimeoutMs ?? 2000, r))]);
      answer = withCandidates(peer.localDescription?.sdp ?? "", candidates, gatheringComplete);
    } catch (e) {
      this.end(session, "could not answer");
      throw new HttpError(400, `cannot answer this offer: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (session.ended) throw new HttpError(409, "the session ended while answering");
    res.writeHead(201, { ...CORS_HEADERS, "Content-Type": "application/sdp", Location: `${this.basePath}/${session.id}`, ETag: session.etag });
    res.end(answer);
  }

  private async trickle(session: LiveSession, req: IncomingMessage, res: ServerResponse): Promise<void> {
    requireMediaType(req, "application/trickle-ice-sdpfrag");
    let fragment;
    try {
      fragment = parseSdpFragment(await readBody(req));
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError(400, `bad SDP fragment: ${e instanceof Error ? e.message : String(e)}`);
    }
    // RFC 9725 §4.3.1: If-Match names the ICE session the client knows ("*" for a restart, which
    // starts a new one); a stale entity-tag is refused. Clients that send none are still served.
    const ifMatch = req.headers["if-match"];
    if (ifMatch !== undefined && ifMatch.trim() !== "*" && !ifMatch.split(",").some((t) => t.trim() === session.etag)) {
      throw new HttpError(412, `If-Match ${ifMatch} is not the ICE session's entity-tag`, { ETag: session.etag });
    }
    // New credentials: an ICE restart (RFC 9725 §4.3.2).
    if (fragment.ufrag && fragment.ufrag !== session.remoteUfrag) {
      await this.restart(session, fragment, res);
      return;
    }
    await this.addCandidates(session, fragment.candidates);
    res.writeHead(204, CORS_HEADERS);
    res.end();
  }

  // The negotiated session stays; only ICE credentials and candidates change. A restart that cannot
  // be done is refused with the session left as it was, not ended (RFC 9725 §4.3.2).
  private async restart(session: LiveSession, fragment: SdpFragment, res: ServerResponse): Promise<void> {
    if (!fragment.pwd) throw new HttpError(400, "an ICE restart needs a=ice-pwd with the new a=ice-ufrag");
    if (session.restarting) throw new HttpError(409, "an ICE restart of this session is already under way");
    session.restarting = true;
    let body: string;
    try {
      const offer = withIceCredentials(session.offer, fragment.ufrag!, fragment.pwd);
      try {
        await session.peer.setRemoteDescription({ type: "offer", sdp: offer });
      } catch (e) {
        throw new HttpError(422, `cannot restart ICE: ${e instanceof Error ? e.message : String(e)}`);
      }
      const answer = await session.peer.createAnswer();
      await session.peer.setLocalDescription(answer);
      session.offer = offer;
      session.remoteUfrag = fragment.ufrag;
      session.etag = newEtag();
      await this.addCandidates(session, fragment.candidates);
      body = iceFragment(withCandidates(answer.sdp, [], true));
    } finally {
      session.restarting = false;
    }
    res.writeHead(200, { ...CORS_HEADERS, "Content-Type": "application/trickle-ice-sdpfrag", ETag: session.etag });
    res.end(body);
  }

  private async addCandidates(session: LiveSession, candidates: IceCandidateInit[]): Promise<void> {
    for (const c of candidates) {
      try {
        await session.peer.addIceCandidate(c);
      } catch (e) {
        throw new HttpError(400, `bad candidate ${JSON.stringify(c.candidate)}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private watch(session: LiveSession): void {
    if (session.ended) return;
    this.options.onStateChange?.(session);
    const state = session.peer.connectionState;
    if (state === "failed" || state === "closed") this.end(session, `connection ${state}`);
    else if (state === "disconnected") {
      this.after(session, this.options.disconnectedGraceMs ?? 10_000, () => {
        if (session.peer.connectionState === "disconnected") this.end(session, "disconnected too long");
      });
    }
  }

  // A timer that dies with the session.
  private after(session: LiveSession, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      session.timers.delete(t);
      fn();
    }, ms);
    session.timers.add(t);
  }

  end(session: WhepSession, reason: string): void {
    const live = this.sessions.get(session.id);
    if (!live || live.ended) return;
    live.ended = true;
    this.sessions.delete(live.id);
    for (const t of live.timers) clearTimeout(t);
    live.timers.clear();
    try {
      live.peer.close();
    } catch {
      // closing twice, or a peer that failed half-way: it is gone either way
    }
    this.options.onSessionEnd?.(live, reason);
  }

  closeAll(reason = "device shutting down"): void {
    for (const s of [...this.sessions.values()]) this.end(s, reason);
  }
}
