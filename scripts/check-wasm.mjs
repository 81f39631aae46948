// Fails the build when a module uses anything outside wasm3's feature set (DESIGN.md §2):
// MVP + mutable globals, sign-extension, non-trapping f2i, multi-value and bulk memory
// (memory.copy/fill only: wasm3 0.5 rejects passive data, so no memory.init/data.drop).
import { readFileSync } from "node:fs";
import binaryen from "binaryen";

const ALLOWED_IMPORT_MODULES = new Set(["wasmpeer"]);

function sections(bytes) {
  const out = [];
  let p = 8;
  const leb = () => {
    let v = 0, shift = 0, b;
    do { b = bytes[p++]; v |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
    return v >>> 0;
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    out.push({ id, start: p, size });
    p += size;
  }
  return { out, leb: (at) => { p = at; const v = leb(); return [v, p]; } };
}

export function checkModule(path) {
  const bytes = readFileSync(path);
  const problems = [];
  const { out, leb } = sections(bytes);
  // A DataCount section is harmless (wasm3 skips it); passive segments and memory.init are not.
  const data = out.find((s) => s.id === 11);
  if (data) {
    let [count, p] = leb(data.start);
    for (let i = 0; i < count; i++) {
      const [flags, q] = leb(p);
      if (flags !== 0) { problems.push(`data segment ${i} is not active (flags ${flags})`); break; }
      // Skip the offset expression (i32.const N end) and the bytes.
      p = q + 1;
      let v; [v, p] = leb(p); p++; // const value, end opcode
      let len; [len, p] = leb(p);
      p += len;
    }
  }

  const mod = binaryen.readBinary(bytes);
  const F = binaryen.Features;
  mod.setFeatures(F.MVP | F.MutableGlobals | F.SignExt | F.NontrappingFPToInt | F.Multivalue | F.BulkMemory);
  if (!mod.validate()) problems.push("does not validate with wasm3's feature set (MVP + mutable-globals, sign-ext, nontrapping-f2i, multivalue, bulk-memory)");
  const text = mod.emitText();
  for (const op of ["memory.init", "data.drop"]) {
    if (text.includes(op)) problems.push(`uses ${op}, which wasm3 0.5 rejects`);
  }
  for (let i = 0; i < mod.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(mod.getFunctionByIndex(i));
    if (info.module && !ALLOWED_IMPORT_MODULES.has(info.module)) problems.push(`imports ${info.module}.${info.base}`);
  }
  mod.dispose();
  return problems;
}

if (process.argv[1]?.endsWith("/check-wasm.mjs")) {
  let failed = false;
  for (const path of process.argv.slice(2)) {
    const problems = checkModule(path);
    if (problems.length) {
      failed = true;
      for (const p of problems) console.error(`${path}: ${p}`);
    } else {
      console.log(`${path}: within wasm3's feature set (${readFileSync(path).length} bytes)`);
    }
  }
  process.exit(failed ? 1 : 0);
}
