// A lossy UDP relay between a browser and our peer, for tests of loss recovery (NACK/RTX). One
// socket faces the browser; for each browser address that writes to it, one socket faces our peer's
// real socket, so our peer sees every browser candidate as its own (peer-reflexive) remote.
// ("browser" and "peer" are roles: in front of werift, werift is the "peer" and we the "browser".)
// Only RTP is dropped (RFC 7983 / RFC 5761 demultiplexing): STUN and DTLS are never touched, so
// the handshake runs at full speed, and RTCP is kept so that the loss under test is media loss
// alone (a lost NACK or sender report would only add noise; lost retransmissions are RTP and do count).
import { createSocket, type Socket } from "node:dgram";
import { isIPv6 } from "node:net";
import type { Address } from "../../host/core.js";

// RFC 7983 §7: a first byte of 128..191 is RTP or RTCP; RFC 5761 §4: a second byte of 192..223 is
// an RTCP packet type (RTP payload types 64..95 are not used, so the ranges never overlap).
export function isRtp(b: Uint8Array): boolean {
  return b.length >= 12 && b[0] >= 128 && b[0] <= 191 && !(b[1] >= 192 && b[1] <= 223);
}

// mulberry32: a small seeded PRNG, so a lossy run drops the same packets every time.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DirectionCounters {
  datagrams: number; // everything that arrived for this direction
  rtp: number; // of which RTP
  dropped: number; // RTP packets not forwarded
}

export interface ImpairOptions {
  peer: Address; // our peer's real socket
  dropToBrowser?: number; // fraction (0..1) of RTP from our peer to the browser that is lost
  dropToPeer?: number; // the same for the other direction (both can be changed later: loss)
  seed?: number;
  // RTP packets of each SSRC forwarded before any loss (default 1): a receiver learns where a
  // stream starts from its first packet, so a lost first packet is never NACKed (only a keyframe
  // request recovers it) and would test that instead of retransmission.
  spareFirst?: number;
}

export class UdpImpair {
  readonly toBrowser: DirectionCounters = { datagrams: 0, rtp: 0, dropped: 0 };
  readonly toPeer: DirectionCounters = { datagrams: 0, rtp: 0, dropped: 0 };
  // The fractions lost now; a test may start a stream clean and turn loss on later.
  readonly loss: { toBrowser: number; toPeer: number };
  private peerSides = new Map<string, Socket>(); // browser address -> socket facing our peer
  private perSsrc = new Map<string, number>(); // direction and SSRC -> RTP packets seen
  private droppedSsrc = new Map<number, number>(); // SSRC -> RTP packets dropped (either direction)
  private random: () => number;
  private closed = false;

  private constructor(private browserSide: Socket, readonly address: Address, private opts: ImpairOptions) {
    this.random = seededRandom(opts.seed ?? 1);
    this.loss = { toBrowser: opts.dropToBrowser ?? 0, toPeer: opts.dropToPeer ?? 0 };
    browserSide.on("message", (msg, rinfo) => this.fromBrowser(msg, { ip: rinfo.address, port: rinfo.port }));
    browserSide.on("error", () => {}); // an unreachable browser port is a lost datagram
  }

  // Binds the browser-facing socket on the peer's IP (ephemeral port).
  static start(opts: ImpairOptions): Promise<UdpImpair> {
    const ip = opts.peer.ip;
    const s = createSocket(isIPv6(ip) ? "udp6" : "udp4");
    return new Promise((resolve, reject) => {
      s.once("error", reject);
      s.bind(0, ip, () => {
        s.removeListener("error", reject);
        resolve(new UdpImpair(s, { ip, port: s.address().port }, opts));
      });
    });
  }

  // A candidate line of our peer with its own address, rewritten to the relay's browser-facing one;
  // any other candidate is returned unchanged. Fields: foundation component transport priority ip port typ ...
  advertise(candidate: string): string {
    const f = candidate.split(" ");
    if (f.length < 8 || f[4] !== this.opts.peer.ip || Number(f[5]) !== this.opts.peer.port) return candidate;
    f[4] = this.address.ip;
    f[5] = String(this.address.port);
    return f.join(" ");
  }

  private lose(c: DirectionCounters, msg: Uint8Array, fraction: number): boolean {
    c.datagrams++;
    if (!isRtp(msg)) return false;
    c.rtp++;
    const ssrc = ((msg[8] << 24) | (msg[9] << 16) | (msg[10] << 8) | msg[11]) >>> 0;
    const key = `${c === this.toBrowser ? ">" : "<"}${ssrc}`;
    const seen = (this.perSsrc.get(key) ?? 0) + 1;
    this.perSsrc.set(key, seen);
    if (seen <= (this.opts.spareFirst ?? 1)) return false;
    if (fraction <= 0 || this.random() >= fraction) return false;
    c.dropped++;
    this.droppedSsrc.set(ssrc, (this.droppedSsrc.get(ssrc) ?? 0) + 1);
    return true;
  }

  // RTP packets of this SSRC the relay dropped.
  droppedOf(ssrc: number): number {
    return this.droppedSsrc.get(ssrc >>> 0) ?? 0;
  }

  private fromBrowser(msg: Buffer, from: Address): void {
    if (this.closed) return;
    const key = `${from.ip}|${from.port}`;
    let side = this.peerSides.get(key);
    if (!side) {
      // Bound on the peer's IP; node queues the first sends until the bind is done.
      side = createSocket(isIPv6(this.opts.peer.ip) ? "udp6" : "udp4");
      side.bind(0, this.opts.peer.ip);
      side.on("message", (m) => this.fromPeer(m, from));
      side.on("error", () => {});
      this.peerSides.set(key, side);
    }
    if (this.lose(this.toPeer, msg, this.loss.toPeer)) return;
    side.send(msg, this.opts.peer.port, this.opts.peer.ip);
  }

  private fromPeer(msg: Buffer, browser: Address): void {
    if (this.closed) return;
    if (this.lose(this.toBrowser, msg, this.loss.toBrowser)) return;
    this.browserSide.send(msg, browser.port, browser.ip);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [this.browserSide, ...this.peerSides.values()]) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
    this.peerSides.clear();
  }
}

// An SDP without its candidate lines: our peer then learns the browser only through the relay
// (as a peer-reflexive remote) and cannot reach it around the relay.
export function withoutCandidates(sdp: string): string {
  return sdp.split("\r\n").filter((l) => !l.startsWith("a=candidate:") && l !== "a=end-of-candidates").join("\r\n");
}
