// Bundles the TypeScript host, tests and benches with esbuild into build/ (ESM, Node 20).
import { build } from "esbuild";
import { readdirSync } from "node:fs";

const find = (dir, re) => readdirSync(dir, { recursive: true })
  .filter((f) => re.test(f)).map((f) => `${dir}/${f}`);

const entryPoints = [
  "host/cli.ts",
  ...find("test", /\.test\.ts$/),
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
