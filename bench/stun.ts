// STUN: ICE connectivity checks answered per second (parse with FINGERPRINT, MESSAGE-INTEGRITY
// check, success response with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT), both crypto
// providers on V8 and under wasm3. The kernel is bench_stun_binding in test/core/entry_bench.ts.
import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { projectRoot } from "../host/core.js";
import { loadEntry } from "../test/helpers/entry.js";
import { opsPerSecond, printTable } from "./table.js";

const root = projectRoot();
export const wasm3Host = resolve(root, "boards/linux/build/wasmpeer-linux");
export const testWasm = (entry: string, provider: string) => resolve(root, `build/test/${entry}-${provider}.wasm`);

// One export called in a fresh wasm3 process, best of `runs` (the machine is shared, so the fastest
// run is the least disturbed one); its result and the call's own microseconds.
export function wasm3Call(wasm: string, fn: string, args: number[], runs = 3): { result: number; us: number } {
  let best = { result: NaN, us: Infinity };
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(wasm3Host, ["call", wasm, fn, ...args.map(String)], { encoding: "utf8" });
    const us = Number(/us=(\d+)/.exec(out)?.[1]);
    if (us < best.us) best = { result: Number(/result=(-?\d+)/.exec(out)?.[1]), us };
  }
  return best;
}

export function benchStun(): void {
  const haveWasm3 = existsSync(wasm3Host);
  const row: (string | number)[] = ["Binding request → signed success response"];
  for (const provider of ["pure", "host"]) {
    const x = loadEntry("entry_bench", provider as "pure" | "host").x;
    row.push(opsPerSecond((n) => x.bench_stun_binding(0, n)));
  }
  for (const provider of ["pure", "host"]) {
    if (!haveWasm3) {
      row.push(NaN);
      continue;
    }
    // The first request builds the prepared one; 2000 more make it negligible.
    const n = 2000;
    const { result, us } = wasm3Call(testWasm("entry_bench", provider), "bench_stun_binding", [0, n]);
    row.push(result === n && us > 0 ? (n * 1e6) / us : NaN);
  }
  printTable("STUN Binding requests handled (per second; higher is better; 88-byte request, 64-byte response)",
    ["work", "pure on V8", "host (node:crypto) on V8", "pure on wasm3", "host (mbedTLS) on wasm3"], [row]);
  if (!haveWasm3) console.log("\n(wasm3 columns empty: build boards/linux with WASM3_DIR to fill them)");
}
