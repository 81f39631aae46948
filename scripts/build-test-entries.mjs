// Compiles each AssemblyScript test entry (test/core/entry_*.ts) with both crypto providers,
// to build/test/<name>-pure.wasm and build/test/<name>-host.wasm, for the node:test suites.
// entry_common.ts is the entries' shared helper, not an entry. Two compilations run at once.
import { readdirSync, mkdirSync, statSync, existsSync } from "node:fs";
import { spawn } from "node:child_process";
import { cpus } from "node:os";

const dir = "test/core";
const outDir = "build/test";
mkdirSync(outDir, { recursive: true });
const asc = "node_modules/.bin/asc";
const only = process.argv[2];
const newest = (d) => readdirSync(d, { recursive: true })
  .filter((f) => f.endsWith(".ts"))
  .reduce((m, f) => Math.max(m, statSync(`${d}/${f}`).mtimeMs), 0);
const sourcesChanged = Math.max(newest("assembly"), newest(dir));

const jobs = [];
for (const file of readdirSync(dir).filter((f) => /^entry_.*\.ts$/.test(f) && f !== "entry_common.ts")) {
  const name = file.slice(0, -3);
  if (only && !name.includes(only)) continue;
  for (const provider of ["pure", "host"]) {
    const out = `${outDir}/${name}-${provider}.wasm`;
    if (existsSync(out) && statSync(out).mtimeMs > sourcesChanged) continue;
    const args = [`${dir}/${file}`, "-o", out, "-O3", "--runtime", "incremental",
      "--exportStart", "_initialize", "--use", "abort=assembly/imports/coreAbort", "--config", "/dev/null"];
    if (provider === "host") args.push("--use", "CRYPTO_HOST=1");
    jobs.push({ out, args });
  }
}

const compile = ({ out, args }) => new Promise((resolve, reject) => {
  const child = spawn(asc, args, { stdio: "inherit" });
  child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`asc failed for ${out}`))));
});

async function worker() {
  for (let job = jobs.shift(); job; job = jobs.shift()) await compile(job);
}

const parallel = Math.max(1, Math.min(2, cpus().length));
await Promise.all(Array.from({ length: parallel }, worker)).catch((e) => {
  console.error(e.message);
  process.exit(1);
});
