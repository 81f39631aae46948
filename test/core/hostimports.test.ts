// The Node host crypto provider (host/crypto-node.ts) against the known answers in
// entry_hostimports.ts. The same module runs under wasm3 with the mbedTLS provider
// (`wasmpeer-linux selftest build/test/entry_hostimports-host.wasm`, scripts/test-boards.sh),
// so both providers are held to one set of vectors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { instantiate, projectRoot } from "../../host/core.js";
import { Entry, loadEntry } from "../helpers/entry.js";

const NAME = "entry_hostimports";

test("host imports: selftest() reports no failures", () => {
  const e = loadEntry(NAME, "host");
  assert.equal(e.x.selftest(), 0);
});

// One node:test case per PASS/FAIL line, so a failure names its vector.
const lines: string[] = [];
const e = new Entry(instantiate(resolve(projectRoot(), "build/test", `${NAME}-host.wasm`), (_level, message) => lines.push(message)));
const failures = e.x.selftest() as number;

test("host imports: every check logs a line", () => {
  assert.ok(lines.length >= 30, `only ${lines.length} lines`);
  assert.equal(lines.filter((l) => l.startsWith("FAIL ")).length, failures);
});

for (const line of lines) {
  test(`host imports: ${line.slice(5)}`, () => {
    assert.ok(line.startsWith("PASS "), line);
  });
}

// Node signs with a random k, so the RFC 6979 signature comes out only from deterministic hosts
// (mbedTLS). Any valid signature is fine; this pins down that the export runs and answers 0/1.
test("host imports: p256_sign_is_rfc6979 answers 0 under Node (random k)", () => {
  assert.equal(e.x.p256_sign_is_rfc6979(), 0);
});
