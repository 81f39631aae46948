// The build's wasm3 feature gate (scripts/check-wasm.mjs) must reject what wasm3 cannot run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import binaryen from "binaryen";
// @ts-ignore: a plain .mjs script without types
import { checkModule } from "../../scripts/check-wasm.mjs";
import { corePath } from "../../host/core.js";

const dir = mkdtempSync(join(tmpdir(), "wasmpeer-check-"));

function emit(name: string, build: (m: binaryen.Module) => void): string {
  const m = new binaryen.Module();
  m.setFeatures(binaryen.Features.All);
  build(m);
  const path = join(dir, `${name}.wasm`);
  writeFileSync(path, m.emitBinary());
  m.dispose();
  return path;
}

test("the built cores pass the gate", () => {
  for (const p of ["pure", "host"] as const) assert.deepEqual(checkModule(corePath(p)), []);
});

test("a module using SIMD is rejected", () => {
  const path = emit("simd", (m) => {
    m.addFunction("f", binaryen.none, binaryen.v128, [], m.v128.const([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]));
    m.addFunctionExport("f", "f");
  });
  assert.ok(checkModule(path).some((p: string) => p.includes("feature set")));
});

test("passive data and memory.init are rejected", () => {
  // Hand-assembled: binaryen.js cannot emit a passive segment. One function runs memory.init 0.
  const wasm = Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type: () -> ()
    0x03, 0x02, 0x01, 0x00, // function 0 has type 0
    0x05, 0x03, 0x01, 0x00, 0x01, // memory: min 1 page
    0x0c, 0x01, 0x01, // data count: 1
    0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x03, 0xfc, 0x08, 0x00, 0x00, 0x0b,
    0x0b, 0x06, 0x01, 0x01, 0x03, 0x01, 0x02, 0x03, // data: one passive segment of 3 bytes
  ]);
  assert.ok(WebAssembly.validate(wasm), "the hand-assembled module is valid wasm");
  const path = join(dir, "passive.wasm");
  writeFileSync(path, wasm);
  const problems = checkModule(path);
  assert.ok(problems.some((p: string) => p.includes("not active")), problems.join("; "));
  assert.ok(problems.some((p: string) => p.includes("memory.init")), problems.join("; "));
});

test("imports from outside the wasmpeer module are rejected", () => {
  const path = emit("foreign", (m) => {
    m.addFunctionImport("g", "env", "seed", binaryen.none, binaryen.f64);
    m.addFunction("f", binaryen.none, binaryen.f64, [], m.call("g", [], binaryen.f64));
    m.addFunctionExport("f", "f");
  });
  assert.ok(checkModule(path).some((p: string) => p.includes("env.seed")));
});

test("a plain MVP module passes", () => {
  const path = emit("mvp", (m) => {
    m.addFunction("f", binaryen.i32, binaryen.i32, [], m.i32.add(m.local.get(0, binaryen.i32), m.i32.const(1)));
    m.addFunctionExport("f", "f");
  });
  assert.deepEqual(checkModule(path), []);
});
