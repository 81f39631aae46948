// `make run` as a user meets it: the command line starts the device, prints the URL to open, serves
// the page there, and stops cleanly on SIGTERM; --help lists the options; bad options are refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { projectRoot } from "../../host/core.js";

const CLI = resolve(projectRoot(), "build", "js", "host", "cli.mjs");

test("--help lists every option", () => {
  const r = spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8", timeout: 10_000 });
  assert.equal(r.status, 0);
  for (const option of ["--host", "--port", "--max-viewers", "--ice-server", "--provider", "--peer", "--telemetry-hz", "--selftest"]) {
    assert.ok(r.stdout.includes(option), `--help mentions ${option}`);
  }
});

test("an unknown option or a bad value exits 2 with a reason", () => {
  const unknown = spawnSync(process.execPath, [CLI, "--colour", "blue"], { encoding: "utf8", timeout: 10_000 });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /colour/);
  const badPort = spawnSync(process.execPath, [CLI, "--port", "eighty"], { encoding: "utf8", timeout: 10_000 });
  assert.equal(badPort.status, 2);
  assert.match(badPort.stderr, /--port eighty/);
});

for (const peer of ["wasmpeer", "werift"]) {
  test(`the device starts (--peer ${peer}), prints its URL, serves the page, and stops on SIGTERM`, { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, [CLI, "--port", "0", "--peer", peer, "--max-viewers", "3"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (out += d));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      const deadline = Date.now() + 15_000;
      while (!/open (http:\/\/\S+)/.test(out)) {
        if (Date.now() > deadline) throw new Error(`no URL printed: ${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const url = /open (http:\/\/\S+)/.exec(out)![1];
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(url, { signal: AbortSignal.timeout(5000) });
      assert.equal(page.status, 200);
      const status = await (await fetch(new URL("/status", url), { signal: AbortSignal.timeout(5000) })).json();
      assert.equal(status.maxViewers, 3);
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal(await exited, 0, out);
  });
}
