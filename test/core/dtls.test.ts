// DTLS 1.2: two endpoints in one module over a virtual network and clock (loss, duplication, reordering).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadEntry, PROVIDERS, toHex, type Entry } from "../helpers/entry.js";
import { projectRoot } from "../../host/core.js";
import { DTLS_EVENT, pollDtlsEvents, type DtlsEvent } from "../helpers/dtls_entry.js";

const EV = DTLS_EVENT;
const SUITE_128 = 0xc02b;
const SUITE_256 = 0xc02c;
const SRTP_CM = 0x0001;
const SRTP_GCM128 = 0x0007;
const SRTP_GCM256 = 0x0008;
const CAP = 20000;

type Ev = DtlsEvent;

class Endpoint {
  events: Ev[] = [];
  private buf: number;
  constructor(public e: Entry, public h: number) {
    this.buf = e.alloc(CAP);
  }
  start(now: number) { this.e.x.conn_start(this.h, now); }
  input(d: Uint8Array, now: number) {
    const p = this.e.put(d);
    this.e.x.conn_input(this.h, p, d.length, now);
    this.e.free(p);
  }
  timeout(now: number) { this.e.x.conn_timeout(this.h, now); }
  deadline(): number { return this.e.x.conn_deadline(this.h); }
  transmit(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (;;) {
      const n = this.e.x.conn_poll_transmit(this.h, this.buf, CAP);
      if (n < 0) break;
      out.push(this.e.get(this.buf, n));
    }
    return out;
  }
  pollEvents() {
    this.events.push(...pollDtlsEvents(this.e, this.h));
  }
  has(kind: number) { return this.events.some((v) => v.kind === kind); }
  find(kind: number) { return this.events.find((v) => v.kind === kind); }
  get state(): number { return this.e.x.conn_state(this.h); }
  send(d: Uint8Array): boolean {
    const p = this.e.put(d);
    const ok = this.e.x.conn_send(this.h, p, d.length);
    this.e.free(p);
    return !!ok;
  }
  exporter(label: string, len: number): Uint8Array | null {
    const l = this.e.put(Buffer.from(label));
    const o = this.e.alloc(len);
    const ok = this.e.x.conn_export(this.h, l, label.length, o, len);
    const r = ok ? this.e.get(o, len) : null;
    this.e.free(l, o);
    return r;
  }
  stat(i: number): number { return this.e.x.conn_stat(this.h, i); }
  dispose() {
    this.e.free(this.buf);
    this.e.x.conn_free(this.h);
  }
}

interface PairOpts {
  clientSuites?: number; serverSuites?: number; clientGroups?: number; serverGroups?: number;
  clientSrtp?: number; serverSrtp?: number; mtu?: number; wrongFingerprint?: boolean; serverWrongFingerprint?: boolean;
}

function fingerprint(e: Entry, id: number): number {
  const p = e.alloc(32);
  e.x.identity_fingerprint(id, p);
  return p;
}

function makePair(e: Entry, o: PairOpts = {}) {
  const ci = e.x.identity_new();
  const si = e.x.identity_new();
  assert.ok(ci >= 0 && si >= 0, "identities");
  const other = o.wrongFingerprint ? e.x.identity_new() : si;
  const fpc = fingerprint(e, other), fps = fingerprint(e, o.serverWrongFingerprint ? e.x.identity_new() : ci);
  const c = e.x.conn_new(true, ci, fpc, o.clientSuites ?? 0, o.clientGroups ?? 0, o.clientSrtp ?? 0, o.mtu ?? 0);
  const s = e.x.conn_new(false, si, fps, o.serverSuites ?? 0, o.serverGroups ?? 0, o.serverSrtp ?? 0, o.mtu ?? 0);
  e.free(fpc, fps);
  return { client: new Endpoint(e, c), server: new Endpoint(e, s), ci, si };
}

// Decides the fate of each batch of datagrams (all an endpoint emitted after one call):
// returns what reaches the other side, in order. batch counts per direction from 0.
type Filter = (dir: "c2s" | "s2c", batch: number, dgrams: Uint8Array[]) => Uint8Array[];

function run(a: Endpoint, b: Endpoint, filter: Filter = (_d, _b, g) => g, limitMs = 300000) {
  let now = 0;
  const batches = { c2s: 0, s2c: 0 };
  const inflight: { to: Endpoint; d: Uint8Array }[] = [];
  const collect = () => {
    for (const [from, to, dir] of [[a, b, "c2s"], [b, a, "s2c"]] as const) {
      const g = from.transmit();
      if (g.length) for (const d of filter(dir, batches[dir]++, g)) inflight.push({ to, d });
      from.pollEvents();
    }
  };
  a.start(now);
  let steps = 0;
  for (;;) {
    collect();
    if (inflight.length) {
      const { to, d } = inflight.shift()!;
      to.input(d, now);
      if (++steps > 10000) throw new Error("too many steps");
      continue;
    }
    const done = (x: Endpoint) => x.state >= 1; // connected, closed or failed
    if (done(a) && done(b)) break;
    const ds = [a.deadline(), b.deadline()].filter((d) => d >= 0);
    if (!ds.length) break;
    now = Math.max(now, Math.min(...ds));
    if (now > limitMs) break;
    a.timeout(now);
    b.timeout(now);
  }
  collect();
  return now;
}

function assertConnected(c: Endpoint, s: Endpoint, suite = SUITE_128, profile = SRTP_GCM128) {
  const failed = [...c.events, ...s.events].find((v) => v.kind === EV.Failed);
  assert.equal(failed, undefined, failed ? `failed: ${failed.reason}` : "");
  const cc = c.find(EV.Connected), sc = s.find(EV.Connected);
  assert.ok(cc && sc, "both connected");
  assert.equal(cc!.suite, suite);
  assert.equal(sc!.suite, suite);
  assert.equal(cc!.profile, profile);
  assert.equal(sc!.profile, profile);
  if (profile) {
    const ck = c.find(EV.KeyingMaterial)!, sk = s.find(EV.KeyingMaterial)!;
    const len = { [SRTP_CM]: 60, [SRTP_GCM128]: 56, [SRTP_GCM256]: 88 }[profile];
    assert.equal(ck.data.length, len);
    assert.equal(toHex(ck.data), toHex(sk.data));
  }
  const ce = c.exporter("EXPERIMENTAL-test", 40), se = s.exporter("EXPERIMENTAL-test", 40);
  assert.ok(ce && se);
  assert.equal(toHex(ce!), toHex(se!));
}

for (const provider of PROVIDERS) {
  test(`dtls ${provider}: handshake, fingerprints, exporter, application data, close_notify`, () => {
    const e = loadEntry("entry_dtls", provider);
    const { client: c, server: s, ci, si } = makePair(e);
    const t = run(c, s);
    assertConnected(c, s);
    assert.equal(t, 0, "no retransmission needed on a clean network");
    assert.equal(c.stat(2) + s.stat(2), 0, "nothing taken for a replay");
    assert.equal(toHex(c.find(EV.PeerFingerprint)!.data), toHex(e.get(fingerprint(e, si), 32)));
    assert.equal(toHex(s.find(EV.PeerFingerprint)!.data), toHex(e.get(fingerprint(e, ci), 32)));

    assert.ok(c.send(Buffer.from("hello server")));
    assert.ok(s.send(Buffer.from("hello client")));
    for (const d of c.transmit()) s.input(d, 10);
    for (const d of s.transmit()) c.input(d, 10);
    c.pollEvents();
    s.pollEvents();
    assert.equal(Buffer.from(s.find(EV.ApplicationData)!.data).toString(), "hello server");
    assert.equal(Buffer.from(c.find(EV.ApplicationData)!.data).toString(), "hello client");

    // The largest payload fills the MTU exactly.
    const max = e.x.conn_max_payload(c.h);
    assert.equal(max, 1200 - 13 - 8 - 16);
    assert.ok(c.send(new Uint8Array(max)));
    const full = c.transmit();
    assert.equal(full.length, 1);
    assert.equal(full[0].length, 1200);
    s.input(full[0], 10);

    // A replayed record is dropped, not delivered twice.
    assert.ok(c.send(Buffer.from("once")));
    const rec = c.transmit()[0];
    s.input(rec, 11);
    s.input(rec, 12);
    s.pollEvents();
    assert.equal(s.events.filter((v) => v.kind === EV.ApplicationData).length, 3);
    assert.equal(s.stat(2), 1);

    // A record with a flipped bit fails authentication and is counted.
    assert.ok(c.send(Buffer.from("tampered")));
    const bad = c.transmit()[0];
    bad[bad.length - 1] ^= 1;
    s.input(bad, 13);
    assert.equal(s.stat(1), 1);

    c.e.x.conn_close(c.h);
    for (const d of c.transmit()) s.input(d, 20);
    s.pollEvents();
    assert.ok(s.has(EV.Closed));
    assert.equal(s.state, 2);
  });

  for (const [suites, suite] of [[1, SUITE_128], [2, SUITE_256]] as const) {
    for (const [groups, name] of [[1, "P-256"], [2, "X25519"]] as const) {
      test(`dtls ${provider}: suite ${suite.toString(16)} with ${name}`, () => {
        const e = loadEntry("entry_dtls", provider);
        const { client: c, server: s } = makePair(e, { clientSuites: suites, clientGroups: groups });
        run(c, s);
        assertConnected(c, s, suite);
      });
    }
  }
}

test("dtls: the server picks the suite and SRTP profile by its own preference", () => {
  const e = loadEntry("entry_dtls", "pure");
  const { client: c, server: s } = makePair(e, { serverSuites: 3, clientSrtp: 0, serverSrtp: 5 });
  run(c, s);
  assertConnected(c, s, SUITE_256, SRTP_CM);
  const p2 = makePair(e, { serverSrtp: 3 });
  run(p2.client, p2.server);
  assertConnected(p2.client, p2.server, SUITE_128, SRTP_GCM256);
  const p3 = makePair(e, { clientSrtp: 1, serverSrtp: 2 });
  run(p3.client, p3.server);
  assertConnected(p3.client, p3.server, SUITE_128, 0);
});

for (const dir of ["c2s", "s2c"] as const) {
  for (let flight = 0; flight < 3; flight++) {
    test(`dtls: loss of ${dir} flight ${flight} is recovered by retransmission`, () => {
      const e = loadEntry("entry_dtls", "pure");
      const { client: c, server: s } = makePair(e);
      let dropped = 0;
      const t = run(c, s, (d, b, g) => {
        if (d === dir && b === flight) {
          dropped += g.length;
          return [];
        }
        return g;
      });
      assert.ok(dropped > 0, "a flight was dropped");
      assertConnected(c, s);
      assert.ok(t >= 1000 && t < 10000, `recovered within a few timeouts (t=${t})`);
      // The server's last flight has no timer: it comes back only because the client repeated its own.
      if (dir === "s2c" && flight === 2) assert.ok(s.stat(5) >= 1, "server answered the repeated flight");
    });
  }
}

test("dtls: every datagram duplicated", () => {
  const e = loadEntry("entry_dtls", "pure");
  const { client: c, server: s } = makePair(e);
  run(c, s, (_d, _b, g) => g.flatMap((x) => [x, x.slice()]));
  assertConnected(c, s);
});

test("dtls: small MTU, each batch reversed (fragments out of order)", () => {
  const e = loadEntry("entry_dtls", "pure");
  const { client: c, server: s } = makePair(e, { mtu: 200 });
  let multi = 0;
  run(c, s, (_d, _b, g) => {
    for (const x of g) assert.ok(x.length <= 200, `datagram of ${x.length} over the MTU`);
    if (g.length > 1) multi++;
    return [...g].reverse();
  });
  assert.ok(multi >= 2, "flights were split across datagrams");
  assertConnected(c, s);
});

test("dtls: random loss, duplication and reordering", () => {
  const e = loadEntry("entry_dtls", "pure");
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < 6; i++) {
    const { client: c, server: s } = makePair(e, { mtu: 300 });
    run(c, s, (_d, _b, g) => {
      const out: Uint8Array[] = [];
      for (const x of g) {
        if (rnd() < 0.25) continue;
        out.push(x);
        if (rnd() < 0.2) out.push(x.slice());
      }
      for (let j = out.length - 1; j > 0; j--) {
        const k = Math.floor(rnd() * (j + 1));
        [out[j], out[k]] = [out[k], out[j]];
      }
      return out;
    });
    assertConnected(c, s);
  }
});

test("dtls: a certificate that does not match the fingerprint fails with bad_certificate", () => {
  const e = loadEntry("entry_dtls", "pure");
  const { client: c, server: s } = makePair(e, { wrongFingerprint: true });
  run(c, s);
  const f = c.find(EV.Failed);
  assert.ok(f, "client failed");
  assert.equal(f!.alert, 42);
  assert.ok(!c.has(EV.Connected));
  const sf = s.find(EV.Failed);
  assert.ok(sf, "server got the alert");
  assert.equal(sf!.alert, 42);
});

test("dtls: the server checks the client certificate against its fingerprint too", () => {
  const e = loadEntry("entry_dtls", "pure");
  const { client: c, server: s } = makePair(e, { serverWrongFingerprint: true });
  run(c, s);
  const sf = s.find(EV.Failed);
  assert.ok(sf, "server failed");
  assert.equal(sf!.alert, 42);
  assert.ok(!s.has(EV.Connected));
  const cf = c.find(EV.Failed);
  assert.ok(cf, "client got the alert");
  assert.equal(cf!.alert, 42);
  assert.ok(!c.has(EV.Connected));
});

test("dtls: garbage never traps and is counted", () => {
  const e = loadEntry("entry_dtls", "pure");
  const { client: c, server: s } = makePair(e);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < 300; i++) {
    const d = new Uint8Array((i % 3 === 0 ? 13 : 1) + Math.floor(rnd() * 300));
    for (let j = 0; j < d.length; j++) d[j] = Math.floor(rnd() * 256);
        const n = d.length - 13;
    if (i % 3 === 0) d.set([22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, i & 0xff, n >> 8, n & 0xff], 0);
    // Some of them a handshake header that claims a 16 MB message.
    if (i % 6 === 0 && n >= 12) d.set([1, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0], 13);
    s.input(d, 0);
    c.input(d, 0);
  }
  s.pollEvents();
  // The stateless server is still able to complete a handshake afterwards.
  run(c, s);
  assertConnected(c, s);
});

// ---- hand-made records, for what our own client never sends ----

function u16(v: number) { return [v >> 8, v & 0xff]; }
function u24(v: number) { return [v >> 16, (v >> 8) & 0xff, v & 0xff]; }
function ext(type: number, body: number[]) { return [...u16(type), ...u16(body.length), ...body]; }

// A ClientHello shaped like Chromium's when it offers DTLS 1.3 with a post-quantum key share.
function chromiumLikeHello(cookie: number[]): number[] {
  const exts = [
    ...ext(10, [...u16(6), ...u16(0x11ec), ...u16(29), ...u16(23)]),
    ...ext(11, [1, 0]),
    ...ext(13, [...u16(6), ...u16(0x0403), ...u16(0x0804), ...u16(0x0401)]),
    ...ext(14, [...u16(4), ...u16(7), ...u16(1), 0]),
    ...ext(23, []),
    ...ext(0xff01, [0]),
    ...ext(43, [4, ...u16(0xfefc), ...u16(0xfefd)]),
    ...ext(51, [...u16(4 + 1216 + 4 + 32), ...u16(0x11ec), ...u16(1216), ...new Array(1216).fill(0x55),
      ...u16(29), ...u16(32), ...new Array(32).fill(0x66)]),
    ...ext(45, [1, 1]),
  ];
  return [...u16(0xfefd), ...new Array(32).fill(0x42), 0, cookie.length, ...cookie,
    ...u16(8), ...u16(0x1301), ...u16(0xc02b), ...u16(0xc02f), ...u16(0xc02c), 1, 0, ...u16(exts.length), ...exts];
}

// The message as fragments, one record per datagram, each fragment at most max bytes.
function fragmentRecords(msgType: number, seq: number, body: number[], max: number, recSeq: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0; off < body.length; off += max) {
    const frag = body.slice(off, off + max);
    const hs = [msgType, ...u24(body.length), ...u16(seq), ...u24(off), ...u24(frag.length), ...frag];
    out.push(new Uint8Array([22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, ...u16(recSeq++), ...u16(hs.length), ...hs]));
  }
  return out;
}

// (record content type, handshake type, body) of each record of a plaintext datagram.
function records(d: Uint8Array): { type: number; hsType: number; body: Uint8Array }[] {
  const out = [];
  for (let p = 0; p + 13 <= d.length;) {
    const len = (d[p + 11] << 8) | d[p + 12];
    const rec = d.subarray(p + 13, p + 13 + len);
    out.push({ type: d[p], hsType: rec[0], body: rec.subarray(12) });
    p += 13 + len;
  }
  return out;
}

test("dtls: the server answers a fragmented Chromium-style DTLS 1.3 ClientHello with DTLS 1.2", () => {
  const e = loadEntry("entry_dtls", "pure");
  const { server: s } = makePair(e);
  const first = fragmentRecords(1, 0, chromiumLikeHello([]), 1000, 0);
  assert.ok(first.length >= 2);
  for (const d of first.reverse()) s.input(d, 0);
  const hvr = s.transmit();
  assert.equal(hvr.length, 1);
  const [r] = records(hvr[0]);
  assert.equal(r.type, 22);
  assert.equal(r.hsType, 3);
  const cookie = [...r.body.subarray(3, 3 + r.body[2])];
  assert.equal(cookie.length, 32);

  for (const d of fragmentRecords(1, 1, chromiumLikeHello(cookie), 700, 2)) s.input(d, 0);
  const flight = s.transmit().flatMap(records);
  assert.deepEqual(flight.map((x) => x.hsType), [2, 11, 12, 13, 14]);
  const sh = flight[0].body;
  assert.equal((sh[0] << 8) | sh[1], 0xfefd, "DTLS 1.2");
  const sidLen = sh[34];
  assert.equal((sh[35 + sidLen] << 8) | sh[36 + sidLen], 0xc02b);
  // Extensions answered: use_srtp with GCM-128 and extended_master_secret; no supported_versions.
  const exts = new Map<number, Uint8Array>();
  for (let p = 38 + sidLen + 2; p < sh.length;) {
    const t = (sh[p] << 8) | sh[p + 1], l = (sh[p + 2] << 8) | sh[p + 3];
    exts.set(t, sh.subarray(p + 4, p + 4 + l));
    p += 4 + l;
  }
  assert.ok(exts.has(23));
  assert.ok(exts.has(0xff01));
  assert.ok(!exts.has(43));
  assert.deepEqual([...exts.get(14)!], [0, 2, 0, 7, 0]);
  // The server picked X25519 (its preference) from the groups offered.
  assert.deepEqual([...flight[2].body.subarray(0, 4)], [3, 0, 29, 32]);
});

test("dtls: retransmission backs off exponentially, then the handshake fails", () => {
  const e = loadEntry("entry_dtls", "pure");
  const { client: c } = makePair(e);
  const sent: number[] = [];
  let now = 0;
  c.start(now);
  for (let i = 0; i < 20; i++) {
    if (c.transmit().length) sent.push(now);
    c.pollEvents();
    const d = c.deadline();
    if (d < 0) break;
    now = d;
    c.timeout(now);
  }
  assert.deepEqual(sent, [0, 1000, 3000, 7000, 15000, 31000, 63000, 123000]);
  const f = c.find(EV.Failed);
  assert.ok(f);
  assert.equal(f!.reason, "handshake timeout");
  assert.equal(now, 183000);
});

test("dtls: renegotiation is refused with a no_renegotiation warning", () => {
  const e = loadEntry("entry_dtls", "pure");
  const { client: c, server: s } = makePair(e);
  run(c, s);
  assertConnected(c, s);
  for (const d of fragmentRecords(1, 6, chromiumLikeHello([]), 2000, 50)) s.input(d, 100);
  const out = s.transmit();
  assert.equal(out.length, 1);
  assert.equal(out[0][0], 21, "an alert");
  assert.equal(out[0][4], 1, "in epoch 1");
  for (const d of out) c.input(d, 100);
  c.pollEvents();
  const a = c.find(EV.Alert);
  assert.ok(a);
  assert.equal(a!.alert, 100);
  assert.equal(s.state, 1, "still connected");
});

// Real captures from headless Chromium 156 (test/vectors/dtls/README.md): a 1413-byte ClientHello
// offering DTLS 1.3 with an X25519MLKEM768 key share, in two fragments, record version 0xFEFF.
function capture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(projectRoot(), "test/vectors/dtls", name)));
}

test("dtls: a real Chromium ClientHello gets a cookie, then a DTLS 1.2 flight", () => {
  const e = loadEntry("entry_dtls", "pure");
  const { server: s } = makePair(e);
  const d1 = capture("chromium-clienthello-1.bin"), d2 = capture("chromium-clienthello-2.bin");
  // Second fragment first: the hello is only parsed once both are in.
  s.input(d2, 0);
  assert.equal(s.transmit().length, 0);
  s.input(d1, 0);
  const hvr = s.transmit();
  assert.equal(hvr.length, 1);
  const [r] = records(hvr[0]);
  assert.equal(r.hsType, 3);
  assert.equal((hvr[0][9] << 8) | hvr[0][10], 1, "HelloVerifyRequest echoes the record sequence");
  const cookie = [...r.body.subarray(3, 3 + r.body[2])];

  // Chromium's own second hello carries another server's cookie: answered statelessly again.
  s.input(capture("chromium-clienthello-cookie-1.bin"), 1);
  s.input(capture("chromium-clienthello-cookie-2.bin"), 1);
  const again = s.transmit();
  assert.equal(again.length, 1);
  assert.equal(records(again[0])[0].hsType, 3);

  // Rebuild Chromium's hello with our cookie (as Chromium would) and send it in two fragments.
  const whole = new Uint8Array(1413);
  for (const d of [d1, d2]) {
    const off = (d[13 + 6] << 16) | (d[13 + 7] << 8) | d[13 + 8];
    const len = (d[13 + 9] << 16) | (d[13 + 10] << 8) | d[13 + 11];
    whole.set(d.subarray(25, 25 + len), off);
  }
  const at = 2 + 32 + 1 + whole[34];
  assert.equal(whole[at], 0, "the first hello has an empty cookie");
  const withCookie = [...whole.subarray(0, at), cookie.length, ...cookie, ...whole.subarray(at + 1)];
  for (const d of fragmentRecords(1, 1, withCookie, 1175, 4)) s.input(d, 2);
  const flight = s.transmit().flatMap(records);
  assert.deepEqual(flight.map((x) => x.hsType), [2, 11, 12, 13, 14]);
  const sh = flight[0].body;
  assert.equal((sh[0] << 8) | sh[1], 0xfefd, "answered with DTLS 1.2");
  assert.equal((sh[35 + sh[34]] << 8) | sh[36 + sh[34]], 0xc02b);
  assert.deepEqual([...flight[2].body.subarray(0, 4)], [3, 0, 29, 32], "x25519 key share");
  assert.equal(s.state, 0);
});

test("dtls: memory stays flat over repeated handshakes (connections freed)", () => {
  const e = loadEntry("entry_dtls", "pure");
  const mem = () => (e.core.exports.memory as WebAssembly.Memory).buffer.byteLength;
  const sizes: number[] = [];
  for (let i = 0; i < 24; i++) {
    const { client: c, server: s } = makePair(e);
    run(c, s);
    assertConnected(c, s);
    for (let k = 0; k < 20; k++) {
      c.send(new Uint8Array(1000));
      for (const d of c.transmit()) s.input(d, 10);
      s.pollEvents();
    }
    c.dispose();
    s.dispose();
    e.x.gc_collect();
    sizes.push(mem());
  }
  console.log(`dtls linear memory after each round (bytes): ${sizes.join(", ")}`);
  // Linear memory never shrinks; after warm-up it must stop growing.
  assert.equal(sizes[23], sizes[8], `linear memory per round: ${sizes.join(", ")}`);
  assert.ok(sizes[23] <= 2 * 1024 * 1024, `high-water mark ${sizes[23]} bytes`);
});
