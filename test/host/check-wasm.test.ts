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
  const path = emit("passive", (m) => {
    m.setMemory(1, 1, "memory", [{ passive: true, offset: null, data: new Uint8Array([1, 2, 3]) }]);
    m.addFunction("f", binaryen.none, binaryen.none, [],
      m.memory.init("0", m.i32.const(0), m.i32.const(0), m.i32.const(3)));
    m.addFunctionExport("f", "f");
  });
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
