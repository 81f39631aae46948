// Two wasmpeer processes over real loopback UDP: this one offers, a child Node process
// (test/helpers/peer-child.ts) answers, with signaling as JSON lines over the child's stdin and
// stdout. Unlike peer-loopback.test.ts the peers share no core and no event loop, so nothing can
// pass between them except the datagrams. One channel carries 1 MiB of random binary to the child
// and back; then both sides close and the child exits on its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createPeerConnection } from "../../host/peer.js";
import type { IceCandidateInit } from "../../host/peer-api.js";

// Bundled next to this test by scripts/bundle.mjs (build/js/test/helpers/peer-child.mjs).
const CHILD = fileURLToPath(new URL("../helpers/peer-child.mjs", import.meta.url));
const TOTAL = 1024 * 1024;
const MESSAGE = 16 * 1024;

class Child {
  readonly proc: ChildProcess;
  readonly messages: any[] = [];
  stderr = "";
  exited: Promise<number | null>;
  private waiters: { match: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  onMessage: ((m: any) => void) | null = null;

  constructor() {
    this.proc = spawn(process.execPath, ["--enable-source-maps", CHILD], { stdio: ["pipe", "pipe", "pipe"] });
    this.exited = new Promise((resolve) => this.proc.on("exit", (code) => resolve(code)));
    this.proc.stderr!.on("data", (d) => (this.stderr += d));
    createInterface({ input: this.proc.stdout! }).on("line", (line) => {
      const m = JSON.parse(line);
      this.messages.push(m);
      this.onMessage?.(m);
      for (const w of this.waiters.filter((w) => w.match(m))) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(m);
      }
    });
  }

  send(msg: object): void {
    this.proc.stdin!.write(JSON.stringify(msg) + "\n");
  }

  // The first line (already seen or still to come) that matches, or a rejection after ms.
  wait(what: string, match: (m: any) => boolean, ms: number): Promise<any> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`child: timed out waiting for ${what}; ` +
        `lines ${JSON.stringify(this.messages.map((m) => m.type))}; stderr ${this.stderr.slice(-2000)}`)), ms);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(t), resolve(m)) });
    });
  }
}

// `what` is a function so that the message describes the moment of the timeout, not of the call.
function within<T>(what: () => string, ms: number, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (t = setTimeout(() => reject(new Error(`timed out: ${what()}`)), ms)))])
    .finally(() => clearTimeout(t));
}

test("two wasmpeer processes over loopback UDP: signaling on stdio, 1 MiB echoed on a channel, both close",
  { timeout: 90_000 }, async () => {
    const child = new Child();
    const pc = createPeerConnection({ bindAddresses: ["127.0.0.1"] });
    try {
      // Our candidates go after the offer, so the child never sees one without a description.
      let offered = false;
      const early: (IceCandidateInit | null)[] = [];
      pc.onicecandidate = (e) => (offered ? child.send({ type: "candidate", candidate: e.candidate }) : early.push(e.candidate));

      // The child's lines are applied in order: its candidates wait for its answer.
      let chain = Promise.resolve();
      child.onMessage = (m) => {
        if (m.type === "answer") chain = chain.then(() => pc.setRemoteDescription({ type: "answer", sdp: m.sdp }));
        else if (m.type === "candidate") chain = chain.then(() => pc.addIceCandidate(m.candidate));
      };

      const ch = pc.createDataChannel("echo");
      const opened = new Promise<void>((resolve) => (ch.onopen = () => resolve()));
      await pc.setLocalDescription(await pc.createOffer());
      child.send({ type: "offer", sdp: pc.localDescription!.sdp });
      offered = true;
      for (const c of early.splice(0)) child.send({ type: "candidate", candidate: c });

      await within(() => `channel open (child stderr: ${child.stderr})`, 20_000, opened);
      await chain;
      assert.equal(pc.connectionState, "connected");
      assert.ok(child.messages.some((m) => m.type === "state" && m.state === "connected"), "the child reports connected");

      // 1 MiB out in 16 KiB messages, paced by bufferedAmountLowThreshold like a browser app.
      const data = new Uint8Array(randomBytes(TOTAL));
      // Checked after the fact: an assertion thrown in this handler would land in the host's
      // error report, not in the test.
      const echoed: (string | Uint8Array)[] = [];
      let echoedBytes = 0;
      const allBack = new Promise<void>((resolve) => {
        ch.onmessage = (ev) => {
          echoed.push(ev.data);
          echoedBytes += ev.data.length;
          if (echoedBytes >= TOTAL) resolve();
        };
      });
      ch.bufferedAmountLowThreshold = 256 * 1024;
      let offset = 0;
      const pump = () => {
        while (offset < TOTAL && ch.bufferedAmount <= ch.bufferedAmountLowThreshold) {
          ch.send(data.subarray(offset, offset + MESSAGE));
          offset += MESSAGE;
        }
      };
      ch.onbufferedamountlow = pump;
      pump();
      await within(() => `1 MiB echoed (got ${echoedBytes} B so far; child stderr: ${child.stderr})`, 40_000, allBack);
      assert.equal(echoedBytes, TOTAL);
      assert.ok(echoed.every((d) => d instanceof Uint8Array), "binary stays binary");
      assert.ok(Buffer.concat(echoed as Uint8Array[]).equals(Buffer.from(data)), "the echo is byte for byte what was sent");
      assert.equal(echoed.length, TOTAL / MESSAGE, "message boundaries kept");
      assert.ok(!child.messages.some((m) => m.type === "error"), JSON.stringify(child.messages.filter((m) => m.type === "error")));

      // Closing the channel closes it on the child, which then closes its peer and exits.
      const closed = new Promise<void>((resolve) => (ch.onclose = () => resolve()));
      ch.close();
      await within(() => "our channel closed", 10_000, closed);
      await child.wait("closed", (m) => m.type === "closed", 10_000);
      assert.equal(await within(() => `child exit (stderr: ${child.stderr})`, 10_000, child.exited), 0, child.stderr);
      pc.close();
      assert.equal(pc.connectionState, "closed");
    } finally {
      pc.close();
      if (child.proc.exitCode === null && child.proc.signalCode === null) {
        child.proc.kill("SIGKILL");
        await child.exited;
      }
    }
  });
