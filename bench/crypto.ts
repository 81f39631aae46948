// Crypto throughput: the core's pure provider on V8 and under wasm3, against node:crypto (OpenSSL).
import * as nc from "node:crypto";
import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { projectRoot } from "../host/core.js";
import { loadEntry } from "../test/helpers/entry.js";
import { opsPerSecond, printTable } from "./table.js";

const SIZES = [1200, 16384];
const root = projectRoot();
const benchWasm = (provider: string) => resolve(root, `build/test/entry_bench-${provider}.wasm`);
const wasm3Host = resolve(root, "boards/linux/build/wasmpeer-linux");

type Kernel = { name: string; fn: string; node: (len: number) => (iters: number) => void };

const key16 = nc.randomBytes(16);
const key20 = nc.randomBytes(20);
const iv12 = nc.randomBytes(12);
const aad = nc.randomBytes(13);
const ctr16 = nc.randomBytes(16);

const BULK: Kernel[] = [
  { name: "SHA-256", fn: "bench_sha256", node: (len) => { const d = nc.randomBytes(len); return (n) => { for (let i = 0; i < n; i++) nc.createHash("sha256").update(d).digest(); }; } },
  { name: "HMAC-SHA1", fn: "bench_hmac_sha1", node: (len) => { const d = nc.randomBytes(len); return (n) => { for (let i = 0; i < n; i++) nc.createHmac("sha1", key20).update(d).digest(); }; } },
  { name: "AES-128-GCM seal", fn: "bench_aes128_gcm", node: (len) => { const d = nc.randomBytes(len); return (n) => { for (let i = 0; i < n; i++) { const c = nc.createCipheriv("aes-128-gcm", key16, iv12); c.setAAD(aad); c.update(d); c.final(); c.getAuthTag(); } }; } },
  { name: "AES-128-CTR", fn: "bench_aes128_ctr", node: (len) => { const d = nc.randomBytes(len); return (n) => { for (let i = 0; i < n; i++) nc.createCipheriv("aes-128-ctr", key16, ctr16).update(d); }; } },
];

const alice = nc.createECDH("prime256v1");
alice.generateKeys();
const bob = nc.createECDH("prime256v1");
bob.generateKeys();
const { privateKey, publicKey } = nc.generateKeyPairSync("ec", { namedCurve: "P-256" });
const msg = nc.randomBytes(100);
const sig = nc.sign("sha256", msg, privateKey);
const x1 = nc.generateKeyPairSync("x25519");
const x2 = nc.generateKeyPairSync("x25519");

const PUBLIC_KEY: { name: string; fn: string; node: (n: number) => void }[] = [
  { name: "P-256 ECDH", fn: "bench_p256_ecdh", node: (n) => { for (let i = 0; i < n; i++) alice.computeSecret(bob.getPublicKey()); } },
  { name: "P-256 ECDSA sign", fn: "bench_p256_sign", node: (n) => { for (let i = 0; i < n; i++) nc.sign("sha256", msg, privateKey); } },
  { name: "P-256 ECDSA verify", fn: "bench_p256_verify", node: (n) => { for (let i = 0; i < n; i++) nc.verify("sha256", msg, publicKey, sig); } },
  { name: "X25519", fn: "bench_x25519", node: (n) => { for (let i = 0; i < n; i++) nc.diffieHellman({ privateKey: x1.privateKey, publicKey: x2.publicKey }); } },
];

// Under wasm3 one call runs `iters` iterations; the tool prints the elapsed microseconds.
function wasm3OpsPerSecond(provider: string, fn: string, len: number, iters: number): number {
  const out = execFileSync(wasm3Host, ["call", benchWasm(provider), fn, String(len), String(iters)], { encoding: "utf8" });
  const us = Number(/us=(\d+)/.exec(out)?.[1]);
  return us > 0 ? (iters * 1e6) / us : NaN;
}

export function benchCrypto(): void {
  const pure = loadEntry("entry_bench", "pure").x;
  const haveWasm3 = existsSync(wasm3Host);
  const mb = (opsPerSec: number, len: number) => (opsPerSec * len) / (1024 * 1024);

  const rows: (string | number)[][] = [];
  for (const k of BULK) {
    for (const len of SIZES) {
      const v8 = mb(opsPerSecond((n) => pure[k.fn](len, n)), len);
      const node = mb(opsPerSecond(k.node(len)), len);
      const iters = Math.max(4, Math.round(2e6 / len));
      const w3 = haveWasm3 ? mb(wasm3OpsPerSecond("pure", k.fn, len, iters), len) : NaN;
      const w3host = haveWasm3 ? mb(wasm3OpsPerSecond("host", k.fn, len, iters * 4), len) : NaN;
      rows.push([`${k.name}, ${len} B`, v8, w3, w3host, node]);
    }
  }
  printTable("Crypto throughput (MiB/s; higher is better)",
    ["primitive", "pure on V8", "pure on wasm3", "host (mbedTLS) on wasm3", "node:crypto"], rows);

  const pkRows: (string | number)[][] = [];
  for (const k of PUBLIC_KEY) {
    const v8 = opsPerSecond((n) => pure[k.fn](0, n));
    const node = opsPerSecond(k.node);
    const w3 = haveWasm3 ? wasm3OpsPerSecond("pure", k.fn, 0, 3) : NaN;
    const w3host = haveWasm3 ? wasm3OpsPerSecond("host", k.fn, 0, 20) : NaN;
    pkRows.push([k.name, v8, w3, w3host, node]);
  }
  printTable("Public-key operations (ops/s; higher is better)",
    ["operation", "pure on V8", "pure on wasm3", "host (mbedTLS) on wasm3", "node:crypto"], pkRows);
  if (!haveWasm3) console.log("\n(wasm3 columns empty: build boards/linux with WASM3_DIR to fill them)");
}
