// DTLS 1.2: handshake CPU time with both endpoints in one process, record protection throughput,
// and linear memory per endpoint; both crypto providers on V8 and under wasm3, and werift's DTLS
// (the same kind of in-memory link, in this run) as the yardstick. Kernels: test/core/entry_dtls_bench.ts.
import { existsSync } from "node:fs";
import { CipherContext, DtlsClient, DtlsServer, HashAlgorithm, NamedCurveAlgorithm, SignatureAlgorithm } from "werift";
import { loadEntry } from "../test/helpers/entry.js";
import type { Provider } from "../host/core.js";
import { opsPerSecond, printTable } from "./table.js";
import { testWasm, wasm3Call, wasm3Host } from "./stun.js";

const GROUPS = [[1, "P-256"], [2, "X25519"]] as const;
const RECORD = 1200;
const MiB = 1024 * 1024;

// ---- werift: a client and a server over an in-memory datagram link ----

type Link = { type: string; address: any; closed: boolean; onData: (d: Buffer, a?: any) => void; send: (d: Buffer) => Promise<void>; close: () => Promise<void> };

// Each side's send delivers to the other's onData on a later macrotask, as a socket would: werift's
// flights are async functions, and delivering inside send() would re-enter them.
function linkPair(): [Link, Link] {
  const mk = (): Link => ({ type: "udp", address: {}, closed: false, onData: () => {}, send: async () => {}, close: async () => {} });
  const a = mk(), b = mk();
  a.send = async (d) => { setImmediate(() => b.onData(Buffer.from(d), {})); };
  b.send = async (d) => { setImmediate(() => a.onData(Buffer.from(d), {})); };
  return [a, b];
}

type WeriftCert = { certPem: string; keyPem: string; signatureHash: any };

async function weriftCert(): Promise<WeriftCert> {
  return CipherContext.createSelfSignedCertificateWithKey(
    { signature: SignatureAlgorithm.ecdsa_3, hash: HashAlgorithm.sha256_4 }, NamedCurveAlgorithm.secp256r1_23) as Promise<WeriftCert>;
}

async function weriftPair(cc: WeriftCert, sc: WeriftCert) {
  const [lc, ls] = linkPair();
  const opts = (c: WeriftCert, t: Link) => ({ cert: c.certPem, key: c.keyPem, signatureHash: c.signatureHash, transport: t as any, extendedMasterSecret: true });
  const server = new DtlsServer({ ...opts(sc, ls), certificateRequest: true });
  const client = new DtlsClient(opts(cc, lc));
  const done = Promise.all([
    new Promise<void>((r, f) => { server.onConnect.once(() => r()); server.onError.once(f); }),
    new Promise<void>((r, f) => { client.onConnect.once(() => r()); client.onError.once(f); }),
  ]);
  client.connect();
  await done;
  return { client, server };
}

// Wall time per handshake: werift is asynchronous, so this includes its event-loop turns (but no
// timer ever fires on a lossless link).
async function weriftHandshakeMs(n: number): Promise<{ ms: number; curve: number }> {
  const [cc, sc] = [await weriftCert(), await weriftCert()];
  let curve = 0;
  await weriftPair(cc, sc); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const { client, server } = await weriftPair(cc, sc);
    curve = (server as any).cipher.namedCurve;
    client.close();
    server.close();
  }
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6 / n, curve };
}

// MiB/s of application data through a connected werift pair (send on one, onData on the other).
async function weriftRecordsMiBs(len: number, n: number): Promise<number> {
  const { client, server } = await weriftPair(await weriftCert(), await weriftCert());
  const payload = Buffer.alloc(len, 7);
  let got = 0;
  const t0 = process.hrtime.bigint();
  await new Promise<void>((r) => {
    server.onData.subscribe(() => { if (++got === n) r(); });
    for (let i = 0; i < n; i++) client.send(payload);
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  client.close();
  server.close();
  return (n * len) / MiB / s;
}

// ---- the core ----

// (time of iters handshakes - time of the setup alone) / iters, in ms, under wasm3.
function wasm3HandshakeMs(provider: Provider, group: number, iters: number): number {
  const wasm = testWasm("entry_dtls_bench", provider);
  const setup = wasm3Call(wasm, "bench_dtls_handshake", [group, 0]);
  const run = wasm3Call(wasm, "bench_dtls_handshake", [group, iters], provider === "pure" ? 2 : 3);
  return run.result === iters ? (run.us - setup.us) / 1000 / iters : NaN;
}

function wasm3RecordsMiBs(provider: Provider, fn: string, iters: number): number {
  const wasm = testWasm("entry_dtls_bench", provider);
  const setup = wasm3Call(wasm, fn, [RECORD, 0]);
  const run = wasm3Call(wasm, fn, [RECORD, iters]);
  return run.result === iters ? (iters * RECORD) / MiB / ((run.us - setup.us) / 1e6) : NaN;
}

// Linear memory per endpoint, from memory.buffer.byteLength. The AssemblyScript runtime exposes no
// live-heap counter and its allocator doubles memory when it grows, so one reading is only a bound
// within 2x. Instead pairs are added one at a time and held, with a full collection after each, so
// the heap holds only what the pairs keep; when memory grows from M1 to M2 the heap was full at M1,
// and at the next growth full at M2: (M2 - M1) / (pairs added in between) is what one pair keeps.
// The same module allocates the same way on any engine, so the figures hold under wasm3 too.
function memoryPerEndpoint(provider: Provider, group: number, steps: number, maxPairs: number) {
  const e = loadEntry("entry_dtls_bench", provider);
  const bytes = () => (e.core.exports.memory as WebAssembly.Memory).buffer.byteLength;
  e.x.bench_dtls_handshake(group, 1);
  e.x.gc_collect();
  // At each growth: how many pairs were held, and the size the heap had filled.
  const full: { pairs: number; bytes: number }[] = [];
  let size = bytes();
  for (let n = 1; n <= maxPairs && full.length < 3; n++) {
    e.x.pairs_new(group, 1, steps);
    e.x.gc_collect();
    if (bytes() > size) {
      full.push({ pairs: n - 1, bytes: size });
      size = bytes();
    }
  }
  if (full.length < 2) return NaN;
  const [a, b] = full.slice(-2);
  return (b.bytes - a.bytes) / (b.pairs - a.pairs) / 2;
}

// The high-water mark with many handshakes at once and garbage left to the incremental collector,
// as a device would run: pairs stepped in lockstep, memory read after every step.
function concurrentPeak(provider: Provider, group: number, pairs: number) {
  const e = loadEntry("entry_dtls_bench", provider);
  const bytes = () => (e.core.exports.memory as WebAssembly.Memory).buffer.byteLength;
  e.x.bench_dtls_handshake(group, 1);
  e.x.gc_collect();
  const base = bytes();
  e.x.pairs_new(group, pairs, 0);
  let peak = bytes();
  while (e.x.pairs_step() > 0) peak = Math.max(peak, bytes());
  return { base, peak, connected: e.x.pairs_connected() };
}

export async function benchDtls(): Promise<void> {
  const haveWasm3 = existsSync(wasm3Host);
  const pure = loadEntry("entry_dtls_bench", "pure").x;
  const host = loadEntry("entry_dtls_bench", "host").x;
  pure.bench_dtls_handshake(1, 0);
  host.bench_dtls_handshake(1, 0);

  const werift = await weriftHandshakeMs(20);
  const curveName = werift.curve === 29 ? "X25519" : werift.curve === 23 ? "P-256" : `group ${werift.curve}`;
  const hsRows: (string | number)[][] = [];
  for (const [g, name] of GROUPS) {
    const perMs = (x: Record<string, any>) => 1000 / opsPerSecond((n) => { if (x.bench_dtls_handshake(g, n) !== n) throw new Error("handshake failed"); });
    hsRows.push([
      name,
      perMs(pure),
      perMs(host),
      haveWasm3 ? wasm3HandshakeMs("pure", g, 3) : NaN,
      haveWasm3 ? wasm3HandshakeMs("host", g, 20) : NaN,
      name === curveName ? werift.ms : NaN,
    ]);
  }
  printTable("DTLS 1.2 full handshake, client + server in one process (ms per handshake; lower is better)",
    ["key exchange", "pure on V8", "host (node:crypto) on V8", "pure on wasm3", "host (mbedTLS) on wasm3", `werift (V8, wall)`], hsRows);
  console.log(`\nECDHE_ECDSA_WITH_AES_128_GCM_SHA256, HelloVerifyRequest, certificates both ways, fingerprints checked,
extended master secret, use_srtp; certificates made once, outside the timing. werift negotiates ${curveName}
with itself (its client offers X25519 first); its time is wall time of an async handshake over setImmediate.`);

  const recRows: (string | number)[][] = [];
  const v8MiBs = (x: Record<string, any>, fn: string) => {
    x[fn](RECORD, 0);
    return (opsPerSecond((n) => x[fn](RECORD, n)) * RECORD) / MiB;
  };
  recRows.push([
    "record layer: write (seal) + read (replay window, open)",
    v8MiBs(pure, "bench_dtls_records"),
    v8MiBs(host, "bench_dtls_records"),
    haveWasm3 ? wasm3RecordsMiBs("pure", "bench_dtls_records", 1000) : NaN,
    haveWasm3 ? wasm3RecordsMiBs("host", "bench_dtls_records", 4000) : NaN,
    NaN,
  ]);
  recRows.push([
    "endpoints: send() → input() → ApplicationData event",
    v8MiBs(pure, "bench_dtls_conn_records"),
    v8MiBs(host, "bench_dtls_conn_records"),
    haveWasm3 ? wasm3RecordsMiBs("pure", "bench_dtls_conn_records", 1000) : NaN,
    haveWasm3 ? wasm3RecordsMiBs("host", "bench_dtls_conn_records", 4000) : NaN,
    await weriftRecordsMiBs(RECORD, 4000),
  ]);
  printTable(`DTLS records of ${RECORD} bytes of application data, AES-128-GCM, protect + unprotect (MiB/s; higher is better)`,
    ["path", "pure on V8", "host (node:crypto) on V8", "pure on wasm3", "host (mbedTLS) on wasm3", "werift (V8, wall)"], recRows);

  const memRows: (string | number)[][] = [];
  const PAIRS = 32;
  for (const provider of ["pure", "host"] as const) {
    for (const [g, name] of GROUPS) {
      const mid = memoryPerEndpoint(provider, g, 2, 400);
      const held = memoryPerEndpoint(provider, g, -1, 400);
      const c = concurrentPeak(provider, g, PAIRS);
      memRows.push([`${provider}, ${name}`, mid / 1024, held / 1024, c.base / 1024, c.peak / 1024, `${c.connected}/${PAIRS}`]);
    }
  }
  printTable("DTLS linear memory (KiB; lower is better)",
    ["provider, key exchange", "per endpoint, mid-handshake", "per endpoint, connected",
      "module after 1 handshake", `peak, ${PAIRS} pairs handshaking at once`, "connected"], memRows);
  console.log(`\nPer endpoint: what a client/server pair holds, halved, from where the allocator had to grow while pairs
were added and held one at a time with a full collection after each (mid-handshake: each pair stopped with the
client's flight 5 queued, when both ends hold the most state). Peak: memory.buffer.byteLength, in whole 64 KiB
pages, while ${PAIRS} pairs handshake in lockstep with garbage left to the incremental collector; the allocator
doubles memory when it grows, so this is a bound within 2x.`);
  if (!haveWasm3) console.log("\n(wasm3 columns empty: build boards/linux with WASM3_DIR to fill them)");
}
