// Compiles each AssemblyScript test entry (test/core/entry_*.ts) with both crypto providers,
// to build/test/<name>-pure.wasm and build/test/<name>-host.wasm, for the node:test suites.
import { readdirSync, mkdirSync, statSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";

const dir = "test/core";
const outDir = "build/test";
mkdirSync(outDir, { recursive: true });
const asc = "node_modules/.bin/asc";
const only = process.argv[2];
const newest = (d) => readdirSync(d, { recursive: true })
  .filter((f) => f.endsWith(".ts"))
  .reduce((m, f) => Math.max(m, statSync(`${d}/${f}`).mtimeMs), 0);
const sourcesChanged = Math.max(newest("assembly"), newest(dir));

for (const file of readdirSync(dir).filter((f) => /^entry_.*\.ts$/.test(f))) {
  const name = file.slice(0, -3);
  if (only && !name.includes(only)) continue;
  for (const provider of ["pure", "host"]) {
    const out = `${outDir}/${name}-${provider}.wasm`;
    if (existsSync(out) && statSync(out).mtimeMs > sourcesChanged) continue;
    const args = [`${dir}/${file}`, "-o", out, "-O3", "--runtime", "incremental",
      "--exportStart", "_initialize", "--use", "abort=assembly/imports/coreAbort", "--config", "/dev/null"];
    if (provider === "host") args.push("--use", "CRYPTO_HOST=1");
    execFileSync(asc, args, { stdio: "inherit" });
  }
}
