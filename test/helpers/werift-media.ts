// Pieces for test/host/werift-media.test.ts: SDP candidate plumbing and a tiny lossy UDP relay that
// stands in for werift's address and drops a seeded-random share of the RTP we send it.
import { createSocket, type Socket, type RemoteInfo } from "node:dgram";

export function candidateLines(sdp: string): string[] {
  return sdp.split(/\r?\n/).filter((l) => l.startsWith("a=candidate:")).map((l) => l.slice(2));
}

// Without candidates in the SDP the peer learns them only from what we pass on (or, failing that,
// as the peer-reflexive source of the checks it gets).
export function stripCandidates(sdp: string): string {
  return sdp.split("\r\n").filter((l) => !l.startsWith("a=candidate:") && l !== "a=end-of-candidates").join("\r\n");
}

// "candidate:f c udp prio ADDR PORT typ host ..." with ADDR PORT replaced.
export function rewriteCandidate(line: string, to: { address: string; port: number }): string {
  const f = line.split(" ");
  f[4] = to.address;
  f[5] = String(to.port);
  return f.join(" ");
}

// Mulberry32: a small seeded PRNG, so a run's drop pattern is repeatable.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// One socket between "the client" (whoever is not the target) and the target. Datagrams from the
// client go to the target, and RTP among them (not STUN, DTLS or RTCP) is dropped with probability
// `loss` while `dropping` is on; everything from the target goes back to the last client address.
export class LossyRelay {
  dropping = false;
  private client: RemoteInfo | null = null;
  private target: { address: string; port: number } | null = null;
  private readonly random: () => number;
  private readonly dropped = new Map<number, number>(); // SSRC -> packets dropped
  private forwardedRtp = 0;

  private constructor(private readonly sock: Socket, private readonly loss: number, seed: number) {
    this.random = prng(seed);
    sock.on("message", (msg, from) => this.onMessage(msg, from));
  }

  static async start(loss: number, seed: number): Promise<LossyRelay> {
    const sock = createSocket("udp4");
    await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
    return new LossyRelay(sock, loss, seed);
  }

  // The target's address from its candidate line; the first one given stays.
  setTarget(candidate: string): void {
    const f = candidate.split(" ");
    this.target ??= { address: f[4], port: Number(f[5]) };
  }

  get address(): { address: string; port: number } {
    const a = this.sock.address();
    return { address: a.address, port: a.port };
  }

  droppedOf(ssrc: number): number {
    return this.dropped.get(ssrc >>> 0) ?? 0;
  }

  counts(): { forwardedRtp: number; dropped: Record<string, number> } {
    return { forwardedRtp: this.forwardedRtp, dropped: Object.fromEntries(this.dropped) };
  }

  close(): void {
    try {
      this.sock.close();
    } catch {
      // already closed
    }
  }

  private onMessage(msg: Buffer, from: RemoteInfo): void {
    const target = this.target;
    if (!target) return;
    const fromTarget = from.address === target.address && from.port === target.port;
    if (fromTarget) {
      if (this.client) this.sock.send(msg, this.client.port, this.client.address);
      return;
    }
    this.client = from;
    // RTP: version 2 (first byte 128-191) and not an RTCP packet type (200-206 in the second byte).
    const rtp = msg.length >= 12 && msg[0] >= 128 && msg[0] < 192 && !(msg[1] >= 192 && msg[1] <= 223);
    if (rtp) {
      if (this.dropping && this.random() < this.loss) {
        const ssrc = msg.readUInt32BE(8);
        this.dropped.set(ssrc, (this.dropped.get(ssrc) ?? 0) + 1);
        return;
      }
      this.forwardedRtp++;
    }
    this.sock.send(msg, target.port, target.address);
  }
}
