// Code size of each core build, raw and gzip-compressed (what a board's flash and an OTA update pay).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { corePath } from "../host/core.js";
import { printTable } from "./table.js";

export function benchSizes(): void {
  const rows = (["pure", "host"] as const).map((p) => {
    const bytes = readFileSync(corePath(p));
    return [`core-${p}.wasm`, String(bytes.length), String(gzipSync(bytes, { level: 9 }).length)];
  });
  printTable("Core module size (bytes)", ["build", "raw", "gzip -9"], rows);
}
