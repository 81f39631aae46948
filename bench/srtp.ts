// SRTP (RFC 3711, RFC 7714) protect and unprotect throughput per DTLS-SRTP profile on 1200-byte
// RTP packets: the core with both crypto providers on V8 and under wasm3, and werift's SrtpSession
// in the same run as the yardstick. Kernels: test/core/entry_srtp_bench.ts.
//
// Unprotect needs a packet that was never received before (the replay window would reject a
// repeat cheaply), so every column times protect alone and protect+unprotect with the same packet
// count, and reports unprotect as the difference. werift gets the same treatment.
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { RtpHeader, SrtpSession } from "werift";
import { loadEntry } from "../test/helpers/entry.js";
import { opsPerSecond, printTable } from "./table.js";
import { testWasm, wasm3Call, wasm3Host } from "./stun.js";

const PACKET = 1200;
const HEADER = 12;
const MiB = 1024 * 1024;

// id (RFC 5764 §4.1.2, RFC 7714 §14.2), name, key and salt lengths; werift's number when it has the profile.
const PROFILES = [
  { id: 0x0001, name: "AES128_CM_HMAC_SHA1_80", key: 16, salt: 14, werift: true },
  { id: 0x0002, name: "AES128_CM_HMAC_SHA1_32", key: 16, salt: 14, werift: false },
  { id: 0x0007, name: "AEAD_AES_128_GCM", key: 16, salt: 12, werift: true },
  { id: 0x0008, name: "AEAD_AES_256_GCM", key: 32, salt: 12, werift: false },
];

type Rates = { protect: number; unprotect: number };

// From packets per second of protect alone (p) and of protect then unprotect (r): per-packet times
// add, so unprotect takes 1/r - 1/p seconds. NaN when noise makes that non-positive.
function rates(p: number, r: number): Rates {
  const tUnprotect = 1 / r - 1 / p;
  return { protect: (p * PACKET) / MiB, unprotect: tUnprotect > 0 ? PACKET / tUnprotect / MiB : NaN };
}

// The machine is shared: each figure is the best of REPEATS runs (the least disturbed one), with
// protect and roundtrip runs interleaved so that both see the same conditions.
const REPEATS = 4;

function best(protect: (n: number) => void, roundtrip: (n: number) => void): Rates {
  let p = 0;
  let r = 0;
  for (let i = 0; i < REPEATS; i++) {
    p = Math.max(p, opsPerSecond(protect, 150));
    r = Math.max(r, opsPerSecond(roundtrip, 150));
  }
  return rates(p, r);
}

const entries = new Map<string, Record<string, any>>();

function coreOnV8(provider: "pure" | "host", profile: number): Rates {
  if (!entries.has(provider)) {
    const x = loadEntry("entry_srtp_bench", provider).x;
    // Let V8 tier the kernels up before the first profile is timed (it would look slower).
    for (const prof of PROFILES) opsPerSecond((n) => x.bench_srtp_roundtrip(prof.id, PACKET, n), 50);
    entries.set(provider, x);
  }
  const x = entries.get(provider)!;
  const check = (n: number, got: number) => {
    if (got !== n) throw new Error(`entry_srtp_bench-${provider}: profile ${profile}: ${got} of ${n} packets`);
  };
  return best((n) => check(n, x.bench_srtp_protect(profile, PACKET, n)), (n) => check(n, x.bench_srtp_roundtrip(profile, PACKET, n)));
}

// A fresh wasm3 process per call: session setup (key derivation) is inside the timed call, so the
// packet count is large enough to make it negligible.
function coreOnWasm3(provider: "pure" | "host", profile: number): Rates {
  const n = provider === "pure" ? 400 : 4000;
  const wasm = testWasm("entry_srtp_bench", provider);
  const p = wasm3Call(wasm, "bench_srtp_protect", [profile, PACKET, n], REPEATS);
  const r = wasm3Call(wasm, "bench_srtp_roundtrip", [profile, PACKET, n], REPEATS);
  if (p.result !== n || r.result !== n) return { protect: NaN, unprotect: NaN };
  return rates((n * 1e6) / p.us, (n * 1e6) / r.us);
}

function werift(profile: (typeof PROFILES)[number]): Rates {
  if (!profile.werift) return { protect: NaN, unprotect: NaN };
  const key = randomBytes(profile.key);
  const salt = randomBytes(profile.salt);
  const keys = { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt };
  // The roundtrip has its own sender, so the receiver sees one unbroken run of SEQs from 1 and
  // tracks the ROC (werift's estimate cannot follow a jump of thousands of SEQs).
  const mk = () => new SrtpSession({ keys, profile: profile.id });
  const payload = randomBytes(PACKET - HEADER);
  const stream = () => {
    let seq = 0;
    let ts = 0;
    return () => {
      seq = (seq + 1) & 0xffff;
      ts = (ts + 3000) >>> 0;
      return new RtpHeader({ payloadType: 96, sequenceNumber: seq, timestamp: ts, ssrc: 0x1234abcd });
    };
  };
  const tx = mk();
  const next = stream();
  const tx2 = mk();
  const rx = mk();
  const next2 = stream();
  return best((n) => {
    for (let i = 0; i < n; i++) tx.encrypt(payload, next());
  }, (n) => {
    for (let i = 0; i < n; i++) {
      const out = rx.decrypt(tx2.encrypt(payload, next2()));
      if (out.length !== PACKET) throw new Error(`werift SRTP: ${out.length} bytes back`);
    }
  });
}

export function benchSrtp(): void {
  const haveWasm3 = existsSync(wasm3Host);
  const rows: (string | number)[][] = [];
  for (const prof of PROFILES) {
    const cols: Rates[] = [
      coreOnV8("pure", prof.id),
      coreOnV8("host", prof.id),
      haveWasm3 ? coreOnWasm3("pure", prof.id) : { protect: NaN, unprotect: NaN },
      haveWasm3 ? coreOnWasm3("host", prof.id) : { protect: NaN, unprotect: NaN },
      werift(prof),
    ];
    rows.push([`${prof.name} protect`, ...cols.map((c) => c.protect)]);
    rows.push([`${prof.name} unprotect`, ...cols.map((c) => c.unprotect)]);
  }
  printTable(`SRTP throughput (MiB/s of ${PACKET}-byte RTP packets; higher is better; "—": not supported)`,
    ["profile, operation", "pure on V8", "host (node:crypto) on V8", "pure on wasm3", "host (mbedTLS) on wasm3", "werift"], rows);
  if (!haveWasm3) console.log("\n(wasm3 columns empty: build boards/linux with WASM3_DIR to fill them)");
}
