// SRTP/SRTCP against libsrtp2 (Debian's libsrtp2-dev), an implementation nobody here wrote: for
// every profile, packets the core protects are unprotected by libsrtp and the reverse, across a
// ROC wrap, with CSRCs and header extensions; RTP output must also match libsrtp byte for byte.
// Skipped, saying why, when a C compiler or libsrtp2-dev is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { projectRoot } from "../../host/core.js";
import { PROVIDERS, toHex, hex } from "../helpers/entry.js";
import { SrtpEntry, PROFILE_LIST, OP, keyLengths, rtpPacket, rtcpPacket } from "../helpers/libsrtp/srtp_entry.js";

const HEADER = "/usr/include/srtp2/srtp.h";
const SOURCE = resolve(projectRoot(), "test/helpers/libsrtp/srtp_helper.c");

function buildHelper(): { bin: string; dir: string } | string {
  if (!existsSync(HEADER)) {
    return `libsrtp2-dev is not installed (no ${HEADER}); run: bash scripts/ensure-packages.sh libsrtp2-dev:${HEADER}`;
  }
  const dir = mkdtempSync(join(tmpdir(), "wasmpeer-libsrtp-"));
  const bin = join(dir, "srtp_helper");
  try {
    execFileSync("cc", ["-O2", "-o", bin, SOURCE, "-lsrtp2"], { stdio: "pipe" });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    return `cannot compile the libsrtp helper with cc -lsrtp2: ${(e as Error).message.split("\n")[0]}`;
  }
  return { bin, dir };
}

const helper = buildHelper();
const skip = typeof helper === "string" ? helper : false;
if (skip) console.log(`# skipping libsrtp cross-checks: ${skip}`);
process.on("exit", () => { if (typeof helper !== "string") rmSync(helper.dir, { recursive: true, force: true }); });

type Packet = { kind: "rtp" | "rtcp"; bytes: Uint8Array };

// One libsrtp session over a list of packets: each result is the output bytes or an error code.
function libsrtp(profile: number, dir: "in" | "out", key: Uint8Array, salt: Uint8Array, packets: Packet[]): (Uint8Array | string)[] {
  if (typeof helper === "string") throw new Error(helper);
  const input = [`${profile} ${dir} ${toHex(key)} ${toHex(salt)}`, ...packets.map((p) => `${p.kind} ${toHex(p.bytes)}`)].join("\n") + "\n";
  const r = spawnSync(helper.bin, { input, encoding: "utf8", maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `libsrtp helper failed: ${r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, packets.length);
  return lines.map((l) => (l.startsWith("ok ") ? hex(l.slice(3)) : l));
}

const payload = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 7) & 0xff);

// RTP across a ROC wrap in varied shapes, interleaved with RTCP from the same SSRCs.
function traffic(): Packet[] {
  const out: Packet[] = [];
  for (let k = 0; k < 90; k++) {
    const seq = (65490 + k) & 0xffff;
    const ssrc = k % 3 === 0 ? 0x5eed0002 : 0x5eed0001;
    const shape = k % 4 === 0 ? { csrcs: [k, k + 1] } : k % 4 === 1 ? { extWords: k % 5 } : k % 4 === 2 ? { csrcs: [7], extWords: 1 } : {};
    out.push({ kind: "rtp", bytes: rtpPacket(seq, ssrc, payload((k * 37) % 1100, k), shape) });
    if (k % 10 === 0) out.push({ kind: "rtcp", bytes: rtcpPacket(ssrc, 4 * (k % 7)) });
  }
  return out;
}

for (const provider of PROVIDERS) {
  for (const { name, id } of PROFILE_LIST) {
    test(`${provider}: ${name} core -> libsrtp and libsrtp -> core, RTP and RTCP`, { skip }, () => {
      const s = new SrtpEntry(provider);
      const { key: kl, salt: sl } = keyLengths(id);
      const key = new Uint8Array(randomBytes(kl)), salt = new Uint8Array(randomBytes(sl));
      const packets = traffic();

      // Core protects; libsrtp unprotects. libsrtp numbers SRTCP from 1, so the core does too here,
      // which makes the protected RTCP comparable byte for byte as well.
      const tx = s.session(id, key, salt);
      for (const ssrc of [0x5eed0001, 0x5eed0002]) assert.ok(s.setRtcpIndex(tx, ssrc, 1));
      const ours = packets.map((p) => ({ kind: p.kind, bytes: s.run(tx, p.kind === "rtp" ? OP.PROTECT_RTP : OP.PROTECT_RTCP, p.bytes).slice() }));
      const back = libsrtp(id, "in", key, salt, ours);
      back.forEach((b, i) => assert.equal(typeof b === "string" ? b : toHex(b), toHex(packets[i].bytes), `libsrtp unprotect #${i} (${packets[i].kind})`));

      // libsrtp protects; the core unprotects.
      const theirs = libsrtp(id, "out", key, salt, packets);
      const rx = s.session(id, key, salt);
      theirs.forEach((t, i) => {
        assert.ok(typeof t !== "string", `libsrtp protect #${i}: ${t}`);
        assert.equal(toHex(t as Uint8Array), toHex(ours[i].bytes), `protected #${i} (${packets[i].kind}) differs from libsrtp's`);
        const op = packets[i].kind === "rtp" ? OP.UNPROTECT_RTP : OP.UNPROTECT_RTCP;
        assert.equal(toHex(s.run(rx, op, t as Uint8Array)), toHex(packets[i].bytes), `core unprotect #${i}`);
      });
      const c = s.counters(rx);
      assert.equal(c.authFailed + c.replayed + c.tooOld + c.malformed, 0);
    });

    test(`${provider}: ${name} libsrtp rejects what the core rejects: tampered packets`, { skip }, () => {
      const s = new SrtpEntry(provider);
      const { key: kl, salt: sl } = keyLengths(id);
      const key = new Uint8Array(randomBytes(kl)), salt = new Uint8Array(randomBytes(sl));
      const tx = s.session(id, key, salt);
      const good = s.protectRtp(tx, rtpPacket(100, 0xfeed, payload(100, 1), { extWords: 2 })).slice();
      const bad: Packet[] = [];
      for (const at of [1, 5, 20, 40, good.length - 1]) {
        const b = good.slice();
        b[at] ^= 0x10;
        bad.push({ kind: "rtp", bytes: b });
      }
      for (const r of libsrtp(id, "in", key, salt, bad)) assert.equal(typeof r, "string");
      const rx = s.session(id, key, salt);
      for (const b of bad) assert.ok(s.op(rx, OP.UNPROTECT_RTP, b.bytes).r < 0);
    });
  }
}
