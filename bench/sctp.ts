// SCTP throughput and memory: our core against itself and werift against itself, in one process
// over an in-memory link (no sockets), without DTLS and with it (AES-128-GCM records carrying
// the packets, test/core/entry_sctp_dtls_bench.ts). Figures only.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { coreImports, CoreMemory, projectRoot } from "../host/core.js";
import { VirtualClock, Link, CoreEndpoint, WeriftEndpoint, runUntil, settle } from "../test/helpers/sctp_link.js";
import { Entry, loadEntry } from "../test/helpers/entry.js";
import type { Provider } from "../host/core.js";
import { printTable } from "./table.js";

const MSG = 16 * 1024;
const MESSAGES = 640; // 10 MiB
const MIB = 1024 * 1024;
const LOSSES = [0, 1];

// One module, compiled once (so the JIT's work carries over), instantiated fresh per run so
// that memory figures start from the module's own baseline.
function compile(): WebAssembly.Module {
  return new WebAssembly.Module(readFileSync(resolve(projectRoot(), "build/test/entry_sctp_peer-pure.wasm")));
}

function instance(mod: WebAssembly.Module): Entry {
  const memory = new CoreMemory();
  const inst = new WebAssembly.Instance(mod, coreImports(memory));
  const exports = inst.exports as Record<string, any>;
  memory.memory = exports.memory as WebAssembly.Memory;
  exports._initialize?.();
  return new Entry({ instance: inst, exports, memory });
}

interface CoreRun {
  ms: number;
  virtualMs: number;
  retransmissions: number;
  t3: number;
  base: number;
  afterHandshake: number;
  peak: number;
}

// Both associations and the link live inside the module: this is the core's own cost.
function coreInModule(mod: WebAssembly.Module, lossPct: number, collectEvery: number, messages = MESSAGES): CoreRun {
  const e = instance(mod);
  const t0 = process.hrtime.bigint();
  const r = e.x.bench_core(messages, MSG, lossPct, 7, collectEvery);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r !== 0) throw new Error(`bench_core failed: ${r}`);
  const s = (i: number) => Number(e.x.bench_stat(i));
  return { ms, virtualMs: s(0), retransmissions: s(3), t3: s(7), base: s(4), afterHandshake: s(5), peak: s(6) };
}

// The same loop with every packet sealed and opened by two DTLS endpoints (one module per
// provider). The identities and the handshake are timed apart (messages = 0) and subtracted, so
// the figure is the transfer alone.
function dtlsInModule(e: Entry, lossPct: number, messages = MESSAGES): { ms: number; virtualMs: number; retransmissions: number } {
  const run = (n: number) => {
    const t0 = process.hrtime.bigint();
    const r = e.x.bench_sctp_dtls(n, MSG, lossPct, 7);
    if (r !== 0) throw new Error(`bench_sctp_dtls failed: ${r}`);
    if (Number(e.x.bench_stat(4)) !== 0) throw new Error("records failed to open");
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const setup = run(0);
  const total = run(messages);
  const s = (i: number) => Number(e.x.bench_stat(i));
  return { ms: Math.max(total - setup, 1e-3), virtualMs: s(0), retransmissions: s(3) };
}

// A sender that keeps `window` bytes queued, as an application honouring bufferedAmount would.
interface Pair {
  clock: VirtualClock;
  link: Link;
  received: () => number;
  offer: () => void;
  eps: (CoreEndpoint | WeriftEndpoint)[];
}

async function timed(p: Pair, messages: number): Promise<{ ms: number; virtualMs: number }> {
  const t0 = process.hrtime.bigint();
  const v0 = p.clock.elapsed;
  const ok = await runUntil(p.clock, p.link, p.eps, () => {
    p.offer();
    return p.received() >= messages;
  }, 3_600_000);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!ok) throw new Error(`transfer stalled at ${p.received()} of ${messages}`);
  return { ms, virtualMs: p.clock.elapsed - v0 };
}

// Two werift SCTP associations (werift's own RTCSctpTransport), raw SCTP messages on stream 1.
async function weriftPair(lossPct: number, messages = MESSAGES): Promise<{ ms: number; virtualMs: number }> {
  const clock = new VirtualClock();
  clock.install();
  try {
    const link = new Link(clock, 7);
    link.delayMs = 1;
    const a = new WeriftEndpoint(link, 0, true);
    const b = new WeriftEndpoint(link, 1, false);
    await b.start();
    await a.start();
    if (!(await runUntil(clock, link, [a, b], () => a.connected && b.connected, 60_000))) throw new Error("werift: no association");
    link.lossPct = lossPct;
    let got = 0;
    b.sctp.onReceive.subscribe((_sid: number, _ppid: number, data: Buffer) => {
      if (data.length === MSG) got++;
    });
    const payload = Buffer.alloc(MSG, 7);
    let sent = 0;
    // werift has no send buffer limit: keep at most what our default send buffer holds queued.
    const window = Math.floor((320 * 1024) / MSG);
    const offer = () => {
      while (sent < messages && sent - got < window) {
        a.sctp.send(1, 53, payload, { ordered: true });
        sent++;
      }
    };
    const r = await timed({ clock, link, received: () => got, offer, eps: [a, b] }, messages);
    await a.transport.stop();
    await b.transport.stop();
    await settle();
    return r;
  } finally {
    clock.restore();
  }
}

// Our core the same way: two data-channel endpoints in one instance, driven packet by packet
// from JavaScript over the same link and clock as werift (the host's copies included).
async function corePairFromJs(mod: WebAssembly.Module, lossPct: number, messages = MESSAGES): Promise<{ ms: number; virtualMs: number }> {
  const clock = new VirtualClock();
  clock.install();
  try {
    const e = instance(mod);
    const link = new Link(clock, 7);
    link.delayMs = 1;
    const a = new CoreEndpoint(e, link, 0, true);
    const b = new CoreEndpoint(e, link, 1, false);
    a.connect();
    if (!(await runUntil(clock, link, [a, b], () => a.connected === 1 && b.connected === 1, 60_000))) throw new Error("core: no association");
    const id = a.create("bench", true);
    if (!(await runUntil(clock, link, [a, b], () => b.remoteOpened.length === 1, 60_000))) throw new Error("core: no channel");
    link.lossPct = lossPct;
    const payload = new Uint8Array(MSG).fill(7);
    let sent = 0;
    const offer = () => {
      while (sent < messages && a.send(id, payload) === 0) sent++;
    };
    let got = 0;
    // Counted, not kept.
    const received = () => {
      got += b.messages.length;
      b.messages.length = 0;
      return got;
    };
    return await timed({ clock, link, received, offer, eps: [a, b] }, messages);
  } finally {
    clock.restore();
  }
}

const mibs = (ms: number) => (MESSAGES * MSG) / MIB / (ms / 1000);
const kib = (b: number) => (b / 1024).toFixed(0);

export async function benchSctp(): Promise<void> {
  const mod = compile();
  // Warm-up runs, so the JIT has tiered up before anything is timed.
  coreInModule(mod, 0, 0, 64);
  await corePairFromJs(mod, 0, 32);
  await weriftPair(0, 32);
  const dtls: Record<Provider, Entry> = {
    pure: loadEntry("entry_sctp_dtls_bench", "pure"),
    host: loadEntry("entry_sctp_dtls_bench", "host"),
  };
  for (const p of ["pure", "host"] as const) dtlsInModule(dtls[p], 0, 64);

  // Each figure is the better of two runs (GC pauses and JIT tier-up make single runs noisy).
  const best = async <T extends { ms: number }>(f: () => T | Promise<T>): Promise<T> => {
    const x = await f();
    const y = await f();
    return x.ms <= y.ms ? x : y;
  };
  const rows: (string | number)[][] = [];
  for (const loss of LOSSES) {
    const c = await best(() => coreInModule(mod, loss, 0));
    rows.push([`wasmpeer core ↔ core, loop inside the module`, `${loss}%`, mibs(c.ms), c.virtualMs, String(c.retransmissions)]);
  }
  for (const provider of ["pure", "host"] as const) {
    for (const loss of LOSSES) {
      const c = await best(() => dtlsInModule(dtls[provider], loss));
      rows.push([`wasmpeer core ↔ core over DTLS (AES-128-GCM, ${provider} crypto), loop inside the module`, `${loss}%`, mibs(c.ms), c.virtualMs, String(c.retransmissions)]);
    }
  }
  for (const loss of LOSSES) {
    const c = await best(() => corePairFromJs(mod, loss));
    rows.push([`wasmpeer core ↔ core, driven from JS`, `${loss}%`, mibs(c.ms), c.virtualMs, "—"]);
  }
  for (const loss of LOSSES) {
    const w = await best(() => weriftPair(loss));
    rows.push([`werift ↔ werift (yardstick)`, `${loss}%`, mibs(w.ms), w.virtualMs, "—"]);
  }
  printTable(
    `SCTP throughput, one process, in-memory link of 1 ms on a virtual clock, without DTLS unless the row ` +
      `says so: ${MESSAGES} × 16 KiB reliable ordered messages on one stream (MiB/s of CPU time; protocol ` +
      `time in the clock column). Over DTLS the SCTP packet is 37 bytes smaller so each record fits 1200 bytes.`,
    ["pair", "loss", "MiB/s", "virtual ms", "retransmissions"],
    rows,
  );

  const mem: (string | number)[][] = [];
  for (const [label, every] of [["incremental GC as built", 0], ["full GC every 16 link rounds", 16]] as const) {
    for (const loss of LOSSES) {
      const c = coreInModule(mod, loss, every);
      mem.push([label, `${loss}%`, kib(c.base), kib(c.afterHandshake), kib(c.peak), kib((c.peak - c.base) / 2)]);
    }
  }
  printTable(
    "SCTP linear memory (KiB, whole 64 KiB pages) of the instance holding both associations at the default " +
      "configuration (send and receive buffers 320 KiB each) during the transfer above",
    ["garbage collection", "loss", "at start", "after handshake", "peak", "peak per association"],
    mem,
  );
  console.log(
    "\nFrom memory.buffer.byteLength (64 KiB pages; linear memory never shrinks, and the allocator grows it in\n" +
      "large steps). The AssemblyScript runtime exposes no live-heap counter, so these are high-water marks;\n" +
      "the forced-GC rows come closest to what the associations really hold.",
  );
}
