// DTLS 1.2 interop over loopback UDP with OpenSSL's s_server and s_client: exported SRTP keying
// material must match byte for byte. Skipped when no openssl binary is installed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { X509Certificate, createHash } from "node:crypto";
import { loadEntry, toHex, type Entry } from "../helpers/entry.js";
import { DTLS_EVENT, pollDtlsEvents, type DtlsEvent } from "../helpers/dtls_entry.js";

const haveOpenssl = spawnSync("openssl", ["version"]).status === 0;
const { Connected: EV_CONNECTED, KeyingMaterial: EV_KEYING, ApplicationData: EV_APPDATA, Failed: EV_FAILED } = DTLS_EVENT;
const CAP = 20000;

type Ev = DtlsEvent;

function opensslIdentity(dir: string, curve = "P-256") {
  const key = join(dir, "key.pem"), cert = join(dir, "cert.pem");
  const r = spawnSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", `ec_paramgen_curve:${curve}`, "-nodes",
    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=openssl"]);
  assert.equal(r.status, 0, r.stderr.toString());
  const der = new X509Certificate(readFileSync(cert)).raw;
  return { key, cert, fingerprint: createHash("sha256").update(der).digest() };
}

// Our endpoint on a UDP socket, driven by real time.
class UdpEndpoint {
  events: Ev[] = [];
  remote: { port: number; address: string } | null = null;
  private buf: number;
  private timer: NodeJS.Timeout | null = null;
  private t0 = Date.now();
  private waiters: (() => void)[] = [];

  constructor(public e: Entry, public h: number, public sock: Socket) {
    this.buf = e.alloc(CAP);
    sock.on("message", (msg, rinfo) => {
      if (!this.remote) this.remote = { port: rinfo.port, address: rinfo.address };
      const p = e.put(new Uint8Array(msg));
      e.x.conn_input(h, p, msg.length, this.now());
      e.free(p);
      this.flush();
    });
  }

  now() {
    return Date.now() - this.t0;
  }

  start() {
    this.e.x.conn_start(this.h, this.now());
    this.flush();
  }

  send(data: Uint8Array) {
    const p = this.e.put(data);
    assert.ok(this.e.x.conn_send(this.h, p, data.length));
    this.e.free(p);
    this.flush();
  }

  close() {
    this.e.x.conn_close(this.h);
    this.flush();
  }

  flush() {
    const x = this.e.x;
    for (;;) {
      const n = x.conn_poll_transmit(this.h, this.buf, CAP);
      if (n < 0) break;
      if (this.remote) this.sock.send(this.e.get(this.buf, n), this.remote.port, this.remote.address);
    }
    this.events.push(...pollDtlsEvents(this.e, this.h));
    if (this.timer) clearTimeout(this.timer);
    const d = x.conn_deadline(this.h);
    if (d >= 0) {
      this.timer = setTimeout(() => {
        x.conn_timeout(this.h, this.now());
        this.flush();
      }, Math.max(0, d - this.now()));
    }
    for (const w of this.waiters.splice(0)) w();
  }

  // Resolves when pred holds (checked after every flush), rejects after ms.
  until(pred: () => boolean, ms: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timeout waiting for ${what}`)), ms);
      const check = () => {
        if (pred()) {
          clearTimeout(t);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  find(kind: number) {
    return this.events.find((v) => v.kind === kind);
  }

  stop() {
    if (this.timer) clearTimeout(this.timer);
    this.sock.close();
  }
}

function bound(): Promise<Socket> {
  return new Promise((resolve) => {
    const s = createSocket("udp4");
    s.bind(0, "127.0.0.1", () => resolve(s));
  });
}

async function freePort(): Promise<number> {
  const s = await bound();
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

// Collects a child's output and waits for text in it.
function watch(child: ChildProcess) {
  let out = "";
  const waiters: (() => void)[] = [];
  const on = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on("data", on);
  child.stderr!.on("data", on);
  return {
    get text() {
      return out;
    },
    waitFor(re: RegExp, ms: number): Promise<RegExpMatchArray> {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timeout waiting for ${re} in:\n${out}`)), ms);
        const check = () => {
          const m = out.match(re);
          if (m) {
            clearTimeout(t);
            resolve(m);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

const PROFILES: [string, number, number][] = [
  ["SRTP_AES128_CM_SHA1_80", 0x0001, 60],
  ["SRTP_AEAD_AES_128_GCM", 0x0007, 56],
  ["SRTP_AEAD_AES_256_GCM", 0x0008, 88],
];

const CASES: { cipher: string; suite: number; groups: string; profile: [string, number, number] }[] = [
  // OpenSSL checks the client certificate's curve against its groups, so P-256 stays listed.
  { cipher: "ECDHE-ECDSA-AES128-GCM-SHA256", suite: 0xc02b, groups: "X25519:P-256", profile: PROFILES[0] },
  { cipher: "ECDHE-ECDSA-AES256-GCM-SHA384", suite: 0xc02c, groups: "P-256", profile: PROFILES[1] },
  { cipher: "ECDHE-ECDSA-AES128-GCM-SHA256", suite: 0xc02b, groups: "P-256", profile: PROFILES[2] },
];

function keyingMaterial(text: string): string {
  const m = text.match(/Keying material:\s*([0-9A-Fa-f]+)/);
  assert.ok(m, `no keying material in:\n${text}`);
  return m![1].toLowerCase();
}

for (const provider of ["pure", "host"] as const) {
  for (const c of CASES) {
    test(`dtls ${provider} client <-> openssl s_server: ${c.cipher} ${c.groups} ${c.profile[0]}`, { skip: !haveOpenssl }, async () => {
      const dir = mkdtempSync(join(tmpdir(), "wasmpeer-dtls-"));
      const osl = opensslIdentity(dir);
      const port = await freePort();
      const srv = spawn("openssl", ["s_server", "-dtls1_2", "-accept", `127.0.0.1:${port}`, "-cert", osl.cert, "-key", osl.key,
        "-cipher", c.cipher, "-groups", c.groups, "-use_srtp", c.profile[0], "-keymatexport", "EXTRACTOR-dtls_srtp",
        "-keymatexportlen", String(c.profile[2]), "-verify", "1", "-mtu", "1200"], { stdio: ["pipe", "pipe", "pipe"] });
      const so = watch(srv);
      const e = loadEntry("entry_dtls", provider);
      const id = e.x.identity_new();
      const fp = e.put(osl.fingerprint);
      const h = e.x.conn_new(true, id, fp, 0, 0, 0, 0);
      const ep = new UdpEndpoint(e, h, await bound());
      try {
        await so.waitFor(/ACCEPT/, 5000);
        ep.remote = { port, address: "127.0.0.1" };
        ep.start();
        await ep.until(() => !!ep.find(EV_CONNECTED) || !!ep.find(EV_FAILED), 10000, "handshake");
        assert.equal(ep.find(EV_FAILED), undefined, `${ep.find(EV_FAILED)?.reason} ${ep.find(EV_FAILED)?.alert}\n${so.text}`);
        const conn = ep.find(EV_CONNECTED)!;
        assert.equal(conn.suite, c.suite);
        assert.equal(conn.profile, c.profile[1]);
        await so.waitFor(/Keying material:\s*[0-9A-Fa-f]+\s/, 5000);
        assert.equal(toHex(ep.find(EV_KEYING)!.data), keyingMaterial(so.text));
        ep.send(Buffer.from("ping from wasmpeer\n"));
        await so.waitFor(/ping from wasmpeer/, 5000);
        srv.stdin!.write("pong from openssl\n");
        await ep.until(() => ep.events.some((v) => v.kind === EV_APPDATA && Buffer.from(v.data).toString().includes("pong")), 5000, "app data");
        ep.close();
      } finally {
        ep.stop();
        srv.kill();
      }
    });
  }

  const CLIENT_CASES = [
    { cipher: "ECDHE-ECDSA-AES128-GCM-SHA256", suite: 0xc02b, groups: "X25519:P-256", mtu: 1200, srtp: 1 },
    // A small MTU on both sides: OpenSSL reassembles our fragments and we reassemble its own.
    { cipher: "ECDHE-ECDSA-AES256-GCM-SHA384", suite: 0xc02c, groups: "P-256", mtu: 300, srtp: 1 },
  ];
  for (const cc of CLIENT_CASES) {
    test(`dtls ${provider} server <-> openssl s_client: ${cc.cipher} ${cc.groups} mtu ${cc.mtu}`, { skip: !haveOpenssl }, async () => {
      const dir = mkdtempSync(join(tmpdir(), "wasmpeer-dtls-"));
      const osl = opensslIdentity(dir);
      const e = loadEntry("entry_dtls", provider);
      const id = e.x.identity_new();
      const fp = e.put(osl.fingerprint);
      const h = e.x.conn_new(false, id, fp, 0, 0, cc.srtp, cc.mtu);
      const ep = new UdpEndpoint(e, h, await bound());
      const port = ep.sock.address().port;
      const cli = spawn("openssl", ["s_client", "-dtls1_2", "-connect", `127.0.0.1:${port}`, "-cert", osl.cert, "-key", osl.key,
        "-cipher", cc.cipher, "-groups", cc.groups,
        "-use_srtp", "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM", "-keymatexport", "EXTRACTOR-dtls_srtp",
        "-keymatexportlen", "60", "-mtu", String(cc.mtu)], { stdio: ["pipe", "pipe", "pipe"] });
      const co = watch(cli);
      try {
        await ep.until(() => !!ep.find(EV_CONNECTED) || !!ep.find(EV_FAILED), 10000, "handshake");
        assert.equal(ep.find(EV_FAILED), undefined, `${ep.find(EV_FAILED)?.reason}\n${co.text}`);
        assert.equal(ep.find(EV_CONNECTED)!.profile, 0x0001);
        assert.equal(ep.find(EV_CONNECTED)!.suite, cc.suite);
        await co.waitFor(/Keying material:\s*[0-9A-Fa-f]+\s/, 5000);
        assert.equal(toHex(ep.find(EV_KEYING)!.data), keyingMaterial(co.text));
        assert.match(co.text, /Extended master secret: yes/);
        cli.stdin!.write("ping from openssl\n");
        await ep.until(() => ep.events.some((v) => v.kind === EV_APPDATA && Buffer.from(v.data).toString().includes("ping")), 5000, "app data");
        ep.send(Buffer.from("pong from wasmpeer\n"));
        await co.waitFor(/pong from wasmpeer/, 5000);
      } finally {
        ep.stop();
        cli.kill();
      }
    });
  }
}
