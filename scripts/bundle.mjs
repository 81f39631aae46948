// Bundles the TypeScript host, tests and benches with esbuild into build/ (ESM, Node 20), and the
// viewer page (host/web) for browsers into build/web.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";

const find = (dir, re) => readdirSync(dir, { recursive: true })
  .filter((f) => re.test(f)).map((f) => `${dir}/${f}`);

const entryPoints = [
  "host/cli.ts",
  ...find("test", /\.test\.ts$/),
  // Programs that tests start as child processes (peer-two-process.test.ts).
  ...find("test/helpers", /^peer-child[^/]*\.ts$/),
  ...find("bench", /^[^/]*\.ts$/),
];

await build({
  entryPoints,
  outdir: "build/js",
  outbase: ".",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "inline",
  outExtension: { ".js": ".mjs" },
  logLevel: "warning",
});

// The page the device serves: one script for current browsers, plus its HTML and CSS as they are.
await build({
  entryPoints: ["host/web/viewer.ts"],
  outfile: "build/web/viewer.js",
  bundle: true,
  platform: "browser",
  format: "esm",
  target: ["chrome110", "firefox110", "safari16"],
  sourcemap: "linked",
  logLevel: "warning",
});
mkdirSync("build/web", { recursive: true });
for (const f of ["index.html", "style.css"]) copyFileSync(`host/web/${f}`, `build/web/${f}`);
