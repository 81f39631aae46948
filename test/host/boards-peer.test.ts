// The board host as a real peer: boards/linux's `wasmpeer-linux serve` runs the core in the wasm3
// interpreter over POSIX sockets, and werift (a WebRTC stack nobody here wrote) connects to it
// through WHEP and uses its `echo` channel. Needs wasm3, which is not part of the project: without
// WASM3_DIR the test is skipped with a message saying so (boards/linux/README.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { createWeriftPeerFactory } from "../../host/werift-peer.js";
import { projectRoot } from "../../host/core.js";
import { whepConnect, waitOpen, waitFor } from "../helpers/whep-viewer.js";
import type { DataChannel } from "../../host/peer-api.js";
import { launchChromium } from "../helpers/chromium.js";

const root = projectRoot();
const BIN = resolve(root, "boards/linux/build/wasmpeer-linux");
// Both crypto providers: "host" (mbedTLS imports, what a board runs) and "pure" (all in wasm3).
const CORES = ["host", "pure"].map((p) => resolve(root, `build/core-${p}.wasm`));

// Builds the board host when wasm3 is there; says why when it cannot run.
function skipReason(): string | false {
  const wasm3 = process.env.WASM3_DIR;
  if (!wasm3) return "WASM3_DIR is not set: the board host needs a wasm3 build (see boards/linux/README.md)";
  try {
    execFileSync("make", ["-C", resolve(root, "boards/linux"), `WASM3_DIR=${wasm3}`], { stdio: "pipe" });
  } catch (e) {
    return `building boards/linux failed: ${String((e as { stderr?: Buffer }).stderr ?? e).slice(0, 400)}`;
  }
  if (!existsSync(BIN)) return `no ${BIN} after make`;
  for (const core of CORES) if (!existsSync(core)) return `no ${core}: run make build`;
  return false;
}

const skip = skipReason();
if (skip) console.log(`# boards-peer: SKIPPED: ${skip}`);

interface Served {
  proc: ChildProcess;
  base: string;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

// Starts `serve` on free ports (0) and waits for its first line, which names them.
async function startServe(core: string): Promise<Served> {
  const proc = spawn(BIN, ["--log-level", "1", "serve", core, "--port", "0", "--bind", "127.0.0.1"], { stdio: ["ignore", "pipe", "pipe"] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((r) => proc.on("exit", (code) => r(code)));
  proc.stderr!.on("data", (b: Buffer) => stderr.push(b.toString()));
  const base = await waitFor<string>("serve's first line", 20_000, (ok, fail) => {
    let buf = "";
    proc.stdout!.on("data", (b: Buffer) => {
      buf += b.toString();
      stdout.push(b.toString());
      const m = /serve: http=([\d.]+):(\d+)/.exec(buf);
      if (m) ok(`http://${m[1]}:${m[2]}`);
    });
    proc.on("exit", (code) => fail(new Error(`serve exited (${code}): ${stderr.join("")}`)));
  });
  return { proc, base, stdout, stderr, exited };
}

async function stop(s: Served): Promise<string> {
  s.proc.kill("SIGTERM");
  const code = await waitFor("serve to exit", 10_000, (ok) => void s.exited.then(ok));
  assert.equal(code, 0, `serve's exit status; stderr: ${s.stderr.join("").slice(-2000)}`);
  return s.stdout.join("");
}

function echoOf(ch: DataChannel, send: string | Uint8Array): Promise<string | Uint8Array> {
  const got = waitFor<string | Uint8Array>(`the echo on ${ch.label}`, 30_000, (ok) => {
    ch.onmessage = ({ data }) => ok(data);
  });
  ch.send(send);
  return got;
}

for (const core of CORES) {
const name = core.replace(/.*\//, "");
test(`werift connects to wasmpeer-linux serve ${name} (in wasm3) over WHEP; echo channel echoes text and 64 KiB binary`, { skip, timeout: 120_000 }, async () => {
  const served = await startServe(core);
  const peer = createWeriftPeerFactory({ bindAddresses: ["127.0.0.1"] })();
  try {
    const echo = peer.createDataChannel("echo");
    const r = await whepConnect(served.base, peer);
    assert.equal(r.status, 201);
    assert.equal(r.contentType, "application/sdp");
    assert.match(r.location ?? "", /^\/whep\/[\w-]+$/);
    assert.match(r.answer, /^a=candidate:.* 127\.0\.0\.1 \d+ typ host/m, "the answer carries our host candidate");
    assert.match(r.answer, /^a=end-of-candidates/m);
    await waitOpen(echo, 30_000);

    assert.equal(await echoOf(echo, "hello from werift"), "hello from werift");
    const big = new Uint8Array(randomBytes(65536));
    const back = await echoOf(echo, big);
    assert.ok(back instanceof Uint8Array, "binary comes back binary");
    assert.equal(back.length, big.length);
    assert.ok(Buffer.from(back).equals(Buffer.from(big)), "64 KiB binary echoed intact");

    const status = await (await fetch(new URL("/status", served.base))).json();
    assert.equal(status.handshakes.count, 1);
    assert.ok(status.handshakes.last_cpu_ms > 0);
    assert.ok(status.memory.pages_peak >= status.memory.pages && status.memory.pages > 0);
    assert.equal(status.sessions.length, 1);
    assert.equal(status.sessions[0].state, "connected");
    assert.equal(status.sessions[0].echoed_messages, 2);
    console.log(`# ${name} in wasm3: handshake ${status.handshakes.last_ms.toFixed(0)} ms wall, ${status.handshakes.last_cpu_ms.toFixed(0)} ms CPU; ` +
      `linear memory ${status.memory.pages} pages (peak ${status.memory.pages_peak}), RSS peak ${status.memory.rss_peak_kib} KiB`);

    const del = await fetch(new URL(r.location!, served.base), { method: "DELETE" });
    assert.equal(del.status, 200);
    assert.equal((await fetch(new URL(r.location!, served.base), { method: "DELETE" })).status, 404, "the session is gone");
    assert.equal((await fetch(new URL("/whep", served.base), { method: "POST", headers: { "Content-Type": "text/plain" }, body: "x" })).status, 415);
    assert.equal((await fetch(new URL("/whep", served.base), { method: "POST", headers: { "Content-Type": "application/sdp" }, body: "not sdp" })).status, 400);
  } finally {
    peer.close();
    const out = await stop(served);
    assert.match(out, /serve: sessions=1 handshakes=1 .*pages_peak=\d+/);
  }
});
}

// A browser as the other peer. The page is served by wasmpeer-linux itself (/status), so its fetch to
// /whep is same-origin; Chromium gathers 127.0.0.1 (test/helpers/chromium.ts flags).
test("headless Chromium connects to wasmpeer-linux serve core-host.wasm over WHEP; echo channel echoes text and 64 KiB binary", { skip, timeout: 120_000 }, async (t) => {
  const served = await startServe(CORES[0]);
  const browser = await launchChromium();
  try {
    t.diagnostic(`chromium ${browser.version}`);
    await browser.page.goto(new URL("/status", served.base).href);
    const result = await browser.page.evaluate(async () => {
      const within = <T,>(what: string, ms: number, p: Promise<T>) =>
        Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`timed out: ${what}`)), ms))]);
      const pc = new RTCPeerConnection();
      const dc = pc.createDataChannel("echo");
      dc.binaryType = "arraybuffer";
      await pc.setLocalDescription(await pc.createOffer());
      await within("ICE gathering", 10_000, new Promise<void>((r) => {
        if (pc.iceGatheringState === "complete") return r();
        pc.onicegatheringstatechange = () => pc.iceGatheringState === "complete" && r();
      }));
      const res = await fetch("/whep", { method: "POST", headers: { "Content-Type": "application/sdp" }, body: pc.localDescription!.sdp });
      const answer = await res.text();
      if (res.status !== 201) throw new Error(`POST /whep: ${res.status} ${answer}`);
      await pc.setRemoteDescription({ type: "answer", sdp: answer });
      await within("channel open", 30_000, new Promise<void>((r) => (dc.onopen = () => r())));
      const echo = (m: string | ArrayBuffer) => within("echo", 30_000, new Promise<any>((r) => {
        dc.onmessage = (ev) => r(ev.data);
        dc.send(m as any);
      }));
      const text = await echo("hello from chromium");
      const big = new Uint8Array(65536).map((_, i) => (i * 7 + 3) & 255);
      const back = new Uint8Array(await echo(big.buffer));
      const same = back.length === big.length && back.every((b, i) => b === big[i]);
      const del = await fetch(res.headers.get("Location")!, { method: "DELETE" });
      pc.close();
      return { text, bigLength: back.length, same, deleted: del.status };
    });
    assert.equal(result.text, "hello from chromium");
    assert.equal(result.bigLength, 65536);
    assert.ok(result.same, "64 KiB binary echoed intact");
    assert.equal(result.deleted, 200);
    const status = await (await fetch(new URL("/status", served.base))).json();
    assert.equal(status.handshakes.count, 1);
    t.diagnostic(`core-host.wasm in wasm3 with Chromium: handshake ${status.handshakes.last_ms.toFixed(0)} ms wall, ${status.handshakes.last_cpu_ms.toFixed(0)} ms CPU`);
  } finally {
    await browser.close();
    await stop(served);
  }
});
