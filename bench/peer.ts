// Whole peer connections over real loopback UDP (ICE, DTLS, SCTP, DCEP): how long a data channel
// takes to open and how fast it carries bulk data, for wasmpeer against itself and against
// headless Chromium, with werift against Chromium as the yardstick; and what each wasmpeer
// connection costs in core linear memory. Figures only; nothing here asserts.
//
// A pair is named offerer→answerer. Open time runs from just before the offerer's createOffer()
// to its channel's open event, signaling included (in-process calls, or page.evaluate for
// Chromium, so both Chromium rows and both werift rows pay the same). Throughput: the offerer
// sends 16 KiB binary messages on a reliable ordered channel, keeping at most HIGH bytes buffered
// (refilled on bufferedamountlow), and the answerer times the first to the last message.
// The global performance, not node:perf_hooks': the page functions below run in Chromium and
// must keep that exact name, which the bundler would rename there if this module imported it.
import { randomBytes } from "node:crypto";
import { createPeerFactory, type PeerFactory } from "../host/peer.js";
import { createWeriftPeerFactory } from "../host/werift-peer.js";
import type { DataChannel, IceCandidateInit, PeerConnection } from "../host/peer-api.js";
import type { Provider } from "../host/core.js";
import { launchChromium, type ChromiumSession } from "../test/helpers/chromium.js";
import { printTable } from "./table.js";

const MIB = 1024 * 1024;
const MSG = 16 * 1024;
const FULL = 64 * MIB;
const REDUCED = 16 * MIB; // for a pair whose probe says 64 MiB would take longer than SLOW_MS
const PROBE = 4 * MIB;
const SLOW_MS = 16_000;
const HIGH = 1 * MIB;
const LOW = HIGH / 2;
const OPEN_LIMIT_MS = 20_000;
const MEMORY_CONNECTIONS = 8;
const BIND = { bindAddresses: ["127.0.0.1"] };

// One random message, sent over and over: the bytes' content costs nothing to produce and nobody
// checks it here (the tests do).
const payload = new Uint8Array(randomBytes(MSG));

function withTimeout<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout;
  const timeout = new Promise<T>((_, reject) => (t = setTimeout(() => reject(new Error(`${what}: no result in ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

// ---- Either end as a Node peer (wasmpeer or werift, both behind host/peer-api.ts) ----

function opened(ch: DataChannel): Promise<void> {
  return new Promise((resolve) => (ch.readyState === "open" ? resolve() : (ch.onopen = () => resolve())));
}

// Resolves with the receiver's own timing once `total` bytes have arrived.
function receiveOn(ch: DataChannel, total: number): Promise<Rate> {
  return new Promise((resolve) => {
    let got = 0, first = 0, firstSize = 0;
    ch.onmessage = (ev) => {
      const n = typeof ev.data === "string" ? Buffer.byteLength(ev.data) : ev.data.length;
      if (got === 0) (first = performance.now()), (firstSize = n);
      got += n;
      if (got >= total) resolve({ bytes: got - firstSize, ms: performance.now() - first });
    };
  });
}

// Sends `total` bytes, never more than HIGH buffered; resolves once all are handed to send().
function sendFrom(ch: DataChannel, total: number): Promise<void> {
  return new Promise((resolve) => {
    let sent = 0;
    ch.bufferedAmountLowThreshold = LOW;
    const fill = () => {
      while (sent < total && ch.bufferedAmount <= HIGH) {
        ch.send(payload);
        sent += MSG;
      }
      if (sent >= total) {
        ch.onbufferedamountlow = null;
        resolve();
      }
    };
    ch.onbufferedamountlow = fill;
    fill();
  });
}

interface Rate {
  bytes: number;
  ms: number;
}
const mibs = (r: Rate) => r.bytes / MIB / (r.ms / 1000);

// ---- Chromium's end, driven through page.evaluate ----
// The page keeps one RTCPeerConnection at a time in window.pc and its channel in window.dc.
// Candidates it gathers reach Node through one exposed function, routed to the current pair.

let pageCandidate: (c: IceCandidateInit) => void = () => {};

async function preparePage(s: ChromiumSession): Promise<void> {
  await s.page.goto("about:blank");
  await s.page.exposeFunction("benchCandidate", (c: IceCandidateInit) => pageCandidate(c));
}

// The page's candidates go to `to` once it can take them (after its remote description).
function routePageCandidates(to: PeerConnection, ready: Promise<void>): void {
  pageCandidate = (c) => void ready.then(() => to.addIceCandidate(c)).catch(() => {});
}

// Ours go to the page once it has our description.
function routeOurCandidates(s: ChromiumSession, from: PeerConnection, ready: Promise<void>): void {
  from.onicecandidate = ({ candidate }) => {
    if (!candidate) return;
    const c = { candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? "0", sdpMLineIndex: 0 };
    void ready.then(() => s.page.evaluate((c) => (window as any).pc.addIceCandidate(c), c)).catch(() => {});
  };
}

// Page receiver: installs the handler (so nothing is missed), then Node starts sending.
async function pageReceive(s: ChromiumSession, total: number): Promise<() => Promise<Rate>> {
  await s.page.evaluate((total) => {
    const w = window as any;
    w.recvDone = new Promise((resolve) => {
      let got = 0, first = 0, firstSize = 0;
      w.dc.onmessage = (e: MessageEvent) => {
        const n = typeof e.data === "string" ? e.data.length : (e.data as ArrayBuffer).byteLength;
        if (got === 0) (first = performance.now()), (firstSize = n);
        got += n;
        if (got >= total) resolve({ bytes: got - firstSize, ms: performance.now() - first });
      };
    });
  }, total);
  return () => s.page.evaluate(() => (window as any).recvDone);
}

async function pageSend(s: ChromiumSession, total: number): Promise<void> {
  await s.page.evaluate(async ({ total, msg, high, low }) => {
    const dc: RTCDataChannel = (window as any).dc;
    const data = new Uint8Array(msg);
    crypto.getRandomValues(data);
    dc.bufferedAmountLowThreshold = low;
    for (let sent = 0; sent < total; sent += msg) {
      if (dc.bufferedAmount > high) await new Promise<void>((r) => (dc.onbufferedamountlow = () => r()));
      dc.send(data);
    }
  }, { total, msg: MSG, high: HIGH, low: LOW });
}

async function closePage(s: ChromiumSession): Promise<void> {
  await s.page.evaluate(() => (window as any).pc?.close()).catch(() => {});
}

// ---- Pairs ----

interface PairResult {
  pair: string;
  openMs: number;
  mib: number; // transferred
  rate: number; // MiB/s at the receiver
  coreMemory: number | null; // the wasmpeer core's linear memory after the transfer
  note: string;
}

// A connected pair with the offerer's channel `tx` and the answerer's `rx`, as the transfer needs.
interface Connected {
  openMs: number;
  // Starts the receiver, then sends `total`; resolves with the receiver's timing.
  transfer(total: number): Promise<Rate>;
  close(): Promise<void>;
}

// Both ends in Node (wasmpeer↔wasmpeer), each with its own core like two devices would have.
async function nodePair(a: PeerConnection, b: PeerConnection): Promise<Connected> {
  a.onicecandidate = (e) => void b.addIceCandidate(e.candidate).catch(() => {});
  b.onicecandidate = (e) => void a.addIceCandidate(e.candidate).catch(() => {});
  const rxP = new Promise<DataChannel>((resolve) => (b.ondatachannel = (e) => resolve(e.channel)));
  const t0 = performance.now();
  const tx = a.createDataChannel("bench");
  const open = opened(tx);
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
  await withTimeout("channel open", OPEN_LIMIT_MS, open);
  const openMs = performance.now() - t0;
  const rx = await withTimeout("remote channel", OPEN_LIMIT_MS, rxP);
  return {
    openMs,
    async transfer(total) {
      const done = receiveOn(rx, total);
      await sendFrom(tx, total);
      return done;
    },
    async close() {
      a.close();
      b.close();
    },
  };
}

// Chromium's page offers, a Node peer answers; Chromium sends.
async function pageOffers(s: ChromiumSession, us: PeerConnection): Promise<Connected> {
  let pageReady!: () => void;
  const pageHasAnswer = new Promise<void>((r) => (pageReady = r));
  routeOurCandidates(s, us, pageHasAnswer);
  let usReady!: () => void;
  const usHasOffer = new Promise<void>((r) => (usReady = r));
  routePageCandidates(us, usHasOffer);
  const rxP = new Promise<DataChannel>((resolve) => (us.ondatachannel = (e) => resolve(e.channel)));
  const offer = await s.page.evaluate(async () => {
    const w = window as any;
    const pc = new RTCPeerConnection();
    w.pc = pc;
    pc.onicecandidate = (e) => e.candidate && w.benchCandidate(e.candidate.toJSON());
    w.t0 = performance.now();
    const dc = pc.createDataChannel("bench");
    dc.binaryType = "arraybuffer";
    w.dc = dc;
    w.opened = new Promise<number>((resolve) => (dc.onopen = () => resolve(performance.now() - w.t0)));
    await pc.setLocalDescription(await pc.createOffer());
    return pc.localDescription!.sdp;
  });
  await us.setRemoteDescription({ type: "offer", sdp: offer });
  usReady();
  await us.setLocalDescription(await us.createAnswer());
  await s.page.evaluate((sdp) => (window as any).pc.setRemoteDescription({ type: "answer", sdp }), us.localDescription!.sdp);
  pageReady();
  const openMs = await withTimeout("page channel open", OPEN_LIMIT_MS, s.page.evaluate(() => (window as any).opened as Promise<number>));
  const rx = await withTimeout("our channel", OPEN_LIMIT_MS, rxP);
  return {
    openMs,
    async transfer(total) {
      const done = receiveOn(rx, total);
      await pageSend(s, total);
      return done;
    },
    async close() {
      await closePage(s);
      us.close();
    },
  };
}

// A Node peer offers, Chromium's page answers; the Node peer sends.
async function weOffer(s: ChromiumSession, us: PeerConnection): Promise<Connected> {
  let pageReady!: () => void;
  const pageHasOffer = new Promise<void>((r) => (pageReady = r));
  routeOurCandidates(s, us, pageHasOffer);
  let usReady!: () => void;
  const usHasAnswer = new Promise<void>((r) => (usReady = r));
  routePageCandidates(us, usHasAnswer);
  const t0 = performance.now();
  const tx = us.createDataChannel("bench");
  const open = opened(tx);
  await us.setLocalDescription(await us.createOffer());
  const answer = await s.page.evaluate(async (sdp) => {
    const w = window as any;
    const pc = new RTCPeerConnection();
    w.pc = pc;
    pc.onicecandidate = (e) => e.candidate && w.benchCandidate(e.candidate.toJSON());
    w.remoteChannel = new Promise<void>((resolve) => {
      pc.ondatachannel = (e) => {
        e.channel.binaryType = "arraybuffer";
        w.dc = e.channel;
        resolve();
      };
    });
    await pc.setRemoteDescription({ type: "offer", sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    return pc.localDescription!.sdp;
  }, us.localDescription!.sdp);
  pageReady();
  await us.setRemoteDescription({ type: "answer", sdp: answer });
  usReady();
  await withTimeout("our channel open", OPEN_LIMIT_MS, open);
  const openMs = performance.now() - t0;
  await withTimeout("page channel", OPEN_LIMIT_MS, s.page.evaluate(() => (window as any).remoteChannel));
  return {
    openMs,
    async transfer(total) {
      const done = await pageReceive(s, total);
      await sendFrom(tx, total);
      return done();
    },
    async close() {
      us.close();
      await closePage(s);
    },
  };
}

// Opens a pair, probes its speed with PROBE bytes (which also warms the JIT), then sends FULL
// bytes, or REDUCED when FULL would take longer than SLOW_MS.
async function measure(name: string, connect: () => Promise<Connected>, core: PeerFactory | null = null, note = ""): Promise<PairResult> {
  let c: Connected | null = null;
  try {
    c = await connect();
    const probe = await withTimeout(`${name} probe`, 20_000, c.transfer(PROBE));
    const total = (FULL / MIB / mibs(probe)) * 1000 > SLOW_MS ? REDUCED : FULL;
    const r = await withTimeout(`${name} transfer`, 40_000, c.transfer(total));
    const reduced = total < FULL ? `${total / MIB} MiB: 64 would take > ${SLOW_MS / 1000} s` : "";
    return {
      pair: name, openMs: c.openMs, mib: total / MIB, rate: mibs(r),
      coreMemory: core ? core.core.memory.memory!.buffer.byteLength : null,
      note: [note, reduced].filter(Boolean).join("; "),
    };
  } catch (e) {
    return { pair: name, openMs: NaN, mib: 0, rate: NaN, coreMemory: null, note: `failed: ${(e as Error).message}` };
  } finally {
    await c?.close();
    // Let close's SHUTDOWN / close_notify go out before the next pair shares the loopback.
    await new Promise((r) => setTimeout(r, 300));
  }
}

// ---- Memory per connection ----

interface MemoryRow {
  provider: Provider;
  base: number;
  afterN: number;
  afterTransfer: number;
}

// N wasmpeer↔wasmpeer connections (offerers on one core, answerers on another), each with an
// open channel; then REDUCED bytes over one of them. The answerers' core is measured: linear
// memory only grows, so each figure is also the high-water mark so far.
async function memoryPerConnection(provider: Provider): Promise<MemoryRow> {
  const offerers = createPeerFactory({ provider });
  const answerers = createPeerFactory({ provider });
  const mem = () => answerers.core.memory.memory!.buffer.byteLength;
  const base = mem();
  const pairs: Connected[] = [];
  try {
    for (let i = 0; i < MEMORY_CONNECTIONS; i++) {
      pairs.push(await nodePair(offerers.createPeerConnection(BIND), answerers.createPeerConnection(BIND)));
    }
    const afterN = mem();
    await withTimeout("memory transfer", 40_000, pairs[0].transfer(REDUCED));
    return { provider, base, afterN, afterTransfer: mem() };
  } finally {
    for (const p of pairs) await p.close();
    await new Promise((r) => setTimeout(r, 300));
  }
}

// ---- The section ----

export async function benchPeer(): Promise<void> {
  const results: PairResult[] = [];
  const kib = (n: number | null) => (n === null ? "—" : (n / 1024).toFixed(0));

  for (const provider of ["pure", "host"] as Provider[]) {
    const fa = createPeerFactory({ provider });
    const fb = createPeerFactory({ provider });
    results.push(await measure(`wasmpeer→wasmpeer (${provider})`,
      () => nodePair(fa.createPeerConnection(BIND), fb.createPeerConnection(BIND)), fb));
  }

  let s: ChromiumSession | null = null;
  try {
    s = await launchChromium();
    await preparePage(s);
    const chromium = `Chromium ${s.version.split(".")[0]}`;
    const session = s;
    // The Chromium rows use the host provider (node:crypto AES-GCM), as a board uses its AES
    // engine; the wasmpeer↔wasmpeer rows above show what the pure provider costs.
    const ours = createPeerFactory({ provider: "host" });
    const werift = createWeriftPeerFactory(BIND);
    results.push(await measure(`${chromium}→wasmpeer (host)`, () => pageOffers(session, ours.createPeerConnection(BIND)), ours));
    results.push(await measure(`wasmpeer (host)→${chromium}`, () => weOffer(session, ours.createPeerConnection(BIND)), ours));
    results.push(await measure(`werift→${chromium}`, () => weOffer(session, werift())));
    results.push(await measure(`${chromium}→werift`, () => pageOffers(session, werift())));
  } catch (e) {
    results.push({ pair: "Chromium", openMs: NaN, mib: 0, rate: NaN, coreMemory: null, note: `not run: ${(e as Error).message}` });
  } finally {
    // A stuck browser must not hold the bench up.
    if (s) await Promise.race([s.close(), new Promise((r) => setTimeout(r, 10_000).unref())]);
  }

  printTable(
    `Data channel over loopback UDP: open time (createOffer → offerer's channel open) and throughput ` +
    `(offerer sends ${MSG / 1024} KiB messages, ≤ ${HIGH / MIB} MiB buffered, reliable ordered; MiB/s at the answerer)`,
    ["pair (offerer→answerer)", "open ms", "MiB sent", "MiB/s", "wasmpeer core KiB after", "note"],
    results.map((r) => [r.pair, r.openMs, r.mib, r.rate, kib(r.coreMemory), r.note]),
  );

  const mem: MemoryRow[] = [];
  for (const provider of ["pure", "host"] as Provider[]) mem.push(await memoryPerConnection(provider));
  printTable(
    `wasmpeer core linear memory (answering core, ${MEMORY_CONNECTIONS} connections with one open channel each, ` +
    `then ${REDUCED / MIB} MiB over one; memory.buffer.byteLength, which grows in 64 KiB pages and never shrinks)`,
    ["provider", "base KiB", `after ${MEMORY_CONNECTIONS} KiB`, "per connection KiB", "after transfer KiB"],
    mem.map((m) => [m.provider, kib(m.base), kib(m.afterN), kib((m.afterN - m.base) / MEMORY_CONNECTIONS), kib(m.afterTransfer)]),
  );
}

// Run on its own: node build/js/bench/peer.mjs
if (process.argv[1]?.endsWith("/bench/peer.mjs")) await benchPeer();
