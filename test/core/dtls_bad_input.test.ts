// DTLS 1.2 under hostile or broken input (RFC 6347, RFC 5246, RFC 8422): forged signatures, invalid
// key shares, tampered, replayed, truncated and oversized records and fragments, and peers that stop.
// Two endpoints of test/core/entry_dtls.ts in one module, joined by a scripted network that rewrites
// datagrams in flight. Every case: nothing traps, the counters say what was dropped, and linear memory
// stays within a bound.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as nc from "node:crypto";
import { loadEntry, PROVIDERS, type Entry } from "../helpers/entry.js";
import { DTLS_EVENT, pollDtlsEvents, type DtlsEvent } from "../helpers/dtls_entry.js";

const EV = DTLS_EVENT;
const ALERT = { BadCertificate: 42, IllegalParameter: 47, DecryptError: 51 };
const ST = { Handshaking: 0, Connected: 1, Failed: 3 };
const STAT = { malformed: 0, badRecordMac: 1, replayed: 2, unexpectedEpoch: 3, rejectedFragments: 4, retransmissions: 5, replacedFragments: 6 };
const HS = { ClientHello: 1, ServerHello: 2, Certificate: 11, ServerKeyExchange: 12, CertificateVerify: 15, ClientKeyExchange: 16, Finished: 20 };
const GROUPS = [[1, "P-256"], [2, "X25519"]] as const;
const CAP = 70000;
const KiB = 1024;

type Ev = DtlsEvent;

// One endpoint's sans-IO calls through the entry's exports.
class Peer {
  events: Ev[] = [];
  private buf: number;
  constructor(public e: Entry, public h: number) {
    this.buf = e.alloc(CAP);
  }
  input(d: Uint8Array, now: number) {
    const p = this.e.put(d);
    this.e.x.conn_input(this.h, p, d.length, now);
    this.e.free(p);
  }
  drain(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let n; (n = this.e.x.conn_poll_transmit(this.h, this.buf, CAP)) >= 0;) out.push(this.e.get(this.buf, n));
    return out;
  }
  pollEvents() {
    this.events.push(...pollDtlsEvents(this.e, this.h));
  }
  failed(): Ev | undefined { return this.events.find((v) => v.kind === EV.Failed); }
  count(kind: number) { return this.events.filter((v) => v.kind === kind).length; }
  get state(): number { return this.e.x.conn_state(this.h); }
  deadline(): number { return this.e.x.conn_deadline(this.h); }
  stat(i: number): number { return this.e.x.conn_stat(this.h, i); }
  send(d: Uint8Array): Uint8Array {
    const p = this.e.put(d);
    assert.ok(this.e.x.conn_send(this.h, p, d.length), "send accepted");
    this.e.free(p);
    const out = this.drain();
    assert.equal(out.length, 1);
    return out[0];
  }
}

const memBytes = (e: Entry) => (e.core.exports.memory as WebAssembly.Memory).buffer.byteLength;

// Linear memory never shrinks, so its growth over a case bounds everything the case made the core
// hold, garbage included. A fresh module after one handshake holds 256 KiB (bench/dtls.ts).
function assertGrowth(e: Entry, before: number, limit: number) {
  const grown = memBytes(e) - before;
  if (process.env.DTLS_BAD_INPUT_MEMORY) console.log(`memory growth ${grown} bytes`);
  assert.ok(grown <= limit, `linear memory grew by ${grown} bytes (bound ${limit})`);
}

function identityKey(e: Entry, id: number): Buffer {
  const p = e.alloc(32);
  e.x.identity_key(id, p);
  const k = Buffer.from(e.get(p, 32));
  e.free(p);
  return k;
}

// A client and a server that expect each other's fingerprints. groups: 0 both, 1 P-256, 2 X25519.
function makePair(e: Entry, groups = 0, wrongFingerprint = false) {
  const ci = e.x.identity_new(), si = e.x.identity_new();
  assert.ok(ci >= 0 && si >= 0);
  const fp = (id: number) => {
    const p = e.alloc(32);
    e.x.identity_fingerprint(id, p);
    return p;
  };
  const fpc = fp(wrongFingerprint ? e.x.identity_new() : si), fps = fp(ci);
  const c = new Peer(e, e.x.conn_new(true, ci, fpc, 1, groups, 0, 0));
  const s = new Peer(e, e.x.conn_new(false, si, fps, 1, groups, 0, 0));
  e.free(fpc, fps);
  return { c, s, serverKey: identityKey(e, si) };
}

type Dir = "c2s" | "s2c";
// Rewrites each batch (all one endpoint emitted after one call) on its way; batch counts per direction.
type Filter = (dir: Dir, batch: number, dgrams: Uint8Array[]) => Uint8Array[];
const pass: Filter = (_d, _b, g) => g;

// Drives both endpoints on a virtual clock until both are done or nothing is left to do; returns
// the final time. Datagrams are delivered in order, without delay.
function drive(c: Peer, s: Peer, filter: Filter = pass, limitMs = 400000): number {
  let now = 0;
  const batches = { c2s: 0, s2c: 0 };
  const queue: { to: Peer; d: Uint8Array }[] = [];
  const collect = () => {
    for (const [from, to, dir] of [[c, s, "c2s"], [s, c, "s2c"]] as const) {
      const g = from.drain();
      if (g.length) for (const d of filter(dir, batches[dir]++, g)) queue.push({ to, d });
      from.pollEvents();
    }
  };
  c.e.x.conn_start(c.h, now);
  for (let steps = 0; ; steps++) {
    assert.ok(steps < 200000, "runaway exchange");
    collect();
    if (queue.length) {
      const { to, d } = queue.shift()!;
      to.input(d, now);
      continue;
    }
    if (c.state >= ST.Connected && s.state >= ST.Connected) break;
    const ds = [c.deadline(), s.deadline()].filter((d) => d >= 0);
    if (!ds.length) break;
    now = Math.max(now, Math.min(...ds));
    if (now > limitMs) break;
    c.e.x.conn_timeout(c.h, now);
    s.e.x.conn_timeout(s.h, now);
  }
  collect();
  return now;
}

function assertConnected(c: Peer, s: Peer) {
  const f = c.failed() ?? s.failed();
  assert.equal(f, undefined, f ? `failed: ${f.reason}` : "");
  assert.equal(c.state, ST.Connected);
  assert.equal(s.state, ST.Connected);
}

// ---- the wire format, enough to find and rewrite handshake messages ----

interface Rec { type: number; epoch: number; seq: number; body: Uint8Array }
interface Frag { msgType: number; length: number; seq: number; off: number; body: Uint8Array }

function records(d: Uint8Array): Rec[] {
  const out: Rec[] = [];
  for (let p = 0; p + 13 <= d.length;) {
    const len = (d[p + 11] << 8) | d[p + 12];
    const seq = Number(Buffer.from(d.subarray(p + 5, p + 11)).readUIntBE(0, 6));
    out.push({ type: d[p], epoch: (d[p + 3] << 8) | d[p + 4], seq, body: d.slice(p + 13, p + 13 + len) });
    p += 13 + len;
  }
  return out;
}

function fragments(body: Uint8Array): Frag[] {
  const out: Frag[] = [];
  for (let p = 0; p + 12 <= body.length;) {
    const u24 = (i: number) => (body[i] << 16) | (body[i + 1] << 8) | body[i + 2];
    const fl = u24(p + 9);
    out.push({ msgType: body[p], length: u24(p + 1), seq: (body[p + 4] << 8) | body[p + 5], off: u24(p + 6), body: body.slice(p + 12, p + 12 + fl) });
    p += 12 + fl;
  }
  return out;
}

const u16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const u24 = (v: number) => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const u48 = (v: number) => [...u16(Math.floor(v / 2 ** 32)), ...[24, 16, 8, 0].map((s) => (v >>> s) & 0xff)];

function encodeFragment(f: Frag, fragLength = f.body.length): number[] {
  return [f.msgType, ...u24(f.length), ...u16(f.seq), ...u24(f.off), ...u24(fragLength), ...f.body];
}

function encodeRecord(r: Rec, length = r.body.length): number[] {
  return [r.type, 0xfe, 0xfd, ...u16(r.epoch), ...u48(r.seq), ...u16(length), ...r.body];
}

// A datagram with the whole (unfragmented) plaintext handshake message of msgType replaced by
// edit(body); lengths are rewritten. Datagrams without it come back unchanged.
function rewriteMessage(d: Uint8Array, msgType: number, edit: (body: Uint8Array) => Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const r of records(d)) {
    if (r.type === 22 && r.epoch === 0 && fragments(r.body).some((f) => f.msgType === msgType)) {
      const body = fragments(r.body).flatMap((f) => {
        if (f.msgType !== msgType) return encodeFragment(f);
        assert.ok(f.off === 0 && f.body.length === f.length, "message in one fragment");
        const nb = edit(f.body);
        return encodeFragment({ ...f, length: nb.length, body: nb });
      });
      out.push(...encodeRecord({ ...r, body: new Uint8Array(body) }));
    } else out.push(...encodeRecord(r));
  }
  return new Uint8Array(out);
}

function hasMessage(d: Uint8Array, msgType: number): boolean {
  return records(d).some((r) => r.type === 22 && r.epoch === 0 && fragments(r.body).some((f) => f.msgType === msgType));
}

function findMessage(g: Uint8Array[], msgType: number): Uint8Array | undefined {
  for (const d of g) for (const r of records(d)) if (r.type === 22 && r.epoch === 0) {
    for (const f of fragments(r.body)) if (f.msgType === msgType && f.off === 0 && f.body.length === f.length) return f.body;
  }
  return undefined;
}

// Flips the last byte of a DER ECDSA signature (the low byte of s): still well-formed DER, no
// longer a valid signature. The digitally-signed struct ends the ServerKeyExchange and is the whole
// CertificateVerify.
function flipLastByte(body: Uint8Array): Uint8Array {
  const b = body.slice();
  b[b.length - 1] ^= 0x01;
  return b;
}

// Invalid key shares: a point that is not on P-256 (y changed), P-256 coordinates >= p, and
// X25519's all-zero and u = 1 (small-order points: the shared secret would be zero, RFC 7748 §6.1).
const BAD_SHARES: { group: number; name: string; make: (valid: Uint8Array) => Uint8Array }[] = [
  { group: 1, name: "off-curve P-256 point", make: (v) => { const b = v.slice(); b[64] ^= 1; return b; } },
  { group: 1, name: "P-256 coordinates >= p", make: () => new Uint8Array(65).fill(0xff, 1).fill(4, 0, 1) },
  { group: 1, name: "compressed P-256 point", make: (v) => { const b = v.slice(0, 33); b[0] = 2 + (v[64] & 1); return b; } },
  { group: 2, name: "all-zero X25519 key", make: () => new Uint8Array(32) },
  { group: 2, name: "X25519 u = 1 (small order)", make: () => { const b = new Uint8Array(32); b[0] = 1; return b; } },
];

// Signs the ServerKeyExchange params as the server would (RFC 8422 §5.4) with its identity key.
function signAsServer(priv: Buffer, clientRandom: Uint8Array, serverRandom: Uint8Array, params: Uint8Array): Buffer {
  const ecdh = nc.createECDH("prime256v1");
  ecdh.setPrivateKey(priv);
  const pub = ecdh.getPublicKey();
  const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64url");
  const key = nc.createPrivateKey({ key: { kty: "EC", crv: "P-256", d: b64(priv), x: b64(pub.subarray(1, 33)), y: b64(pub.subarray(33)) }, format: "jwk" });
  return nc.sign("sha256", Buffer.concat([clientRandom, serverRandom, params]), { key, dsaEncoding: "der" });
}

for (const provider of PROVIDERS) {
  test(`dtls bad input ${provider}: a certificate that does not match the fingerprint`, () => {
    const e = loadEntry("entry_dtls", provider);
    const { c, s } = makePair(e, 0, true);
    const before = memBytes(e);
    drive(c, s);
    assert.equal(c.failed()?.alert, ALERT.BadCertificate);
    assert.equal(s.failed()?.alert, ALERT.BadCertificate, "the server got the alert");
    assert.equal(c.count(EV.Connected) + s.count(EV.Connected), 0);
    assertGrowth(e, before, 256 * KiB);
  });

  test(`dtls bad input ${provider}: a forged ServerKeyExchange signature fails the client with decrypt_error`, () => {
    const e = loadEntry("entry_dtls", provider);
    const { c, s } = makePair(e);
    const before = memBytes(e);
    let forged = 0;
    drive(c, s, (dir, _b, g) => dir === "s2c" ? g.map((d) => {
      if (!hasMessage(d, HS.ServerKeyExchange)) return d;
      forged++;
      return rewriteMessage(d, HS.ServerKeyExchange, flipLastByte);
    }) : g);
    assert.equal(forged, 1, "one ServerKeyExchange");
    const f = c.failed();
    assert.ok(f, "client failed");
    assert.equal(f!.alert, ALERT.DecryptError);
    assert.match(f!.reason, /ServerKeyExchange signature/);
    assert.equal(s.failed()?.alert, ALERT.DecryptError, "the server got the alert");
    assert.equal(c.count(EV.Connected) + s.count(EV.Connected), 0);
    assertGrowth(e, before, 256 * KiB);
  });

  test(`dtls bad input ${provider}: a forged CertificateVerify fails the server with decrypt_error`, () => {
    const e = loadEntry("entry_dtls", provider);
    const { c, s } = makePair(e);
    const before = memBytes(e);
    drive(c, s, (dir, _b, g) => dir === "c2s" ? g.map((d) => rewriteMessage(d, HS.CertificateVerify, flipLastByte)) : g);
    const f = s.failed();
    assert.ok(f, "server failed");
    assert.equal(f!.alert, ALERT.DecryptError);
    assert.match(f!.reason, /CertificateVerify/);
    assert.equal(c.failed()?.alert, ALERT.DecryptError, "the client got the alert");
    assert.equal(c.count(EV.Connected) + s.count(EV.Connected), 0);
    assertGrowth(e, before, 256 * KiB);
  });

  for (const bad of BAD_SHARES) {
    test(`dtls bad input ${provider}: ClientKeyExchange with ${bad.name} -> illegal_parameter`, () => {
      const e = loadEntry("entry_dtls", provider);
      const { c, s } = makePair(e, bad.group);
      const before = memBytes(e);
      let replaced = 0;
      drive(c, s, (dir, _b, g) => dir === "c2s" ? g.map((d) => rewriteMessage(d, HS.ClientKeyExchange, (body) => {
        replaced++;
        const share = bad.make(body.subarray(1));
        return new Uint8Array([share.length, ...share]);
      })) : g);
      assert.equal(replaced, 1);
      const f = s.failed();
      assert.ok(f, "server failed");
      assert.equal(f!.alert, ALERT.IllegalParameter, f!.reason);
      assert.match(f!.reason, /client key share/);
      assert.equal(c.failed()?.alert, ALERT.IllegalParameter, "the client got the alert");
      assertGrowth(e, before, 256 * KiB);
    });

    // The share is replaced and the params signed again with the server's own key, as a server that
    // means harm (or is broken) would: the signature verifies, so the share itself must be refused.
    test(`dtls bad input ${provider}: ServerKeyExchange with ${bad.name}, validly signed -> illegal_parameter`, () => {
      const e = loadEntry("entry_dtls", provider);
      const { c, s, serverKey } = makePair(e, bad.group);
      const before = memBytes(e);
      let clientRandom: Uint8Array | undefined;
      let replaced = 0;
      drive(c, s, (dir, _b, g) => {
        if (dir === "c2s") {
          const ch = findMessage(g, HS.ClientHello);
          if (ch) clientRandom = ch.subarray(2, 34);
          return g;
        }
        const sh = findMessage(g, HS.ServerHello);
        if (!sh) return g;
        const serverRandom = sh.subarray(2, 34);
        return g.map((d) => rewriteMessage(d, HS.ServerKeyExchange, (body) => {
          replaced++;
          assert.equal(body[0], 3, "named_curve");
          const share = bad.make(body.subarray(4, 4 + body[3]));
          const params = new Uint8Array([3, body[1], body[2], share.length, ...share]);
          const sig = signAsServer(serverKey, clientRandom!, serverRandom, params);
          return new Uint8Array([...params, 0x04, 0x03, ...u16(sig.length), ...sig]);
        }));
      });
      assert.equal(replaced, 1);
      const f = c.failed();
      assert.ok(f, "client failed");
      assert.equal(f!.alert, ALERT.IllegalParameter, f!.reason);
      assert.match(f!.reason, /server key share/, "the signature verified; the share was refused");
      assert.equal(s.failed()?.alert, ALERT.IllegalParameter, "the server got the alert");
      assertGrowth(e, before, 256 * KiB);
    });
  }

  // RFC 6347 §4.1.2.7: a record that fails to authenticate is discarded silently (no alert: it cannot
  // be told from noise or from a packet of another association). So a tampered Finished looks like a
  // lost one: the client retransmits its flight on the timer and a clean copy completes the
  // handshake; if every copy is tampered with, both ends give up by timeout, with no alert.
  test(`dtls bad input ${provider}: a tampered client Finished once is dropped, then retransmitted`, () => {
    const e = loadEntry("entry_dtls", provider);
    const { c, s } = makePair(e);
    const before = memBytes(e);
    let tampered = 0;
    const t = drive(c, s, (dir, _b, g) => dir === "c2s" && tampered === 0 ? g.map((d) => tamperEpoch1(d, () => tampered++)) : g);
    assert.equal(tampered, 1);
    assertConnected(c, s);
    assert.ok(s.stat(STAT.badRecordMac) >= 1, "counted");
    assert.ok(t >= 1000, `completed after the retransmission timer (t=${t})`);
    assertGrowth(e, before, 256 * KiB);
  });

  test(`dtls bad input ${provider}: a client Finished tampered every time fails both ends by timeout`, () => {
    const e = loadEntry("entry_dtls", provider);
    const { c, s } = makePair(e);
    const before = memBytes(e);
    let tampered = 0;
    drive(c, s, (dir, _b, g) => dir === "c2s" ? g.map((d) => tamperEpoch1(d, () => tampered++)) : g);
    assert.ok(tampered >= 8, `every retransmission tampered (${tampered})`);
    for (const p of [c, s]) {
      const f = p.failed();
      assert.ok(f, "failed");
      assert.equal(f!.reason, "handshake timeout");
      assert.equal(f!.alert, -1, "no alert for what did not authenticate");
    }
    assert.equal(s.stat(STAT.badRecordMac), tampered);
    assertGrowth(e, before, 256 * KiB);
  });

  test(`dtls bad input ${provider}: a server Finished tampered every time: the client fails by timeout`, () => {
    const e = loadEntry("entry_dtls", provider);
    const { c, s } = makePair(e);
    const before = memBytes(e);
    let tampered = 0;
    drive(c, s, (dir, _b, g) => dir === "s2c" ? g.map((d) => tamperEpoch1(d, () => tampered++)) : g);
    assert.ok(tampered >= 2, "the server repeated its Finished when the client repeated its flight");
    assert.equal(c.failed()?.reason, "handshake timeout");
    assert.equal(c.stat(STAT.badRecordMac), tampered);
    // The server cannot know: its Finished went out and it holds no timer for it (§4.2.4).
    assert.equal(s.state, ST.Connected);
    assertGrowth(e, before, 256 * KiB);
  });

  test(`dtls bad input ${provider}: records with bad tags after connecting are counted and dropped`, () => {
    const e = loadEntry("entry_dtls", provider);
    const { c, s } = makePair(e);
    drive(c, s);
    assertConnected(c, s);
    const before = memBytes(e);
    // Every byte the tag covers, one at a time: the header (type, version, epoch, sequence and length
    // are the AAD), the explicit nonce, the ciphertext, the tag. A changed epoch is another epoch's
    // record (no keys: dropped as unexpected); a shortened length leaves a stray byte (malformed).
    const expect = { badRecordMac: 0, unexpectedEpoch: 0, malformed: 0 };
    for (let i = 0; i < 60; i++) {
      const d = c.send(new Uint8Array(100 + i).fill(i));
      const at = [0, 2, 4, 10, 12, 13, 20, 21, 60, d.length - 17, d.length - 16, d.length - 1][i % 12];
      const forged = d.slice();
      if (at === 12) {
        forged[12] -= 1;
        expect.malformed++;
      } else forged[at] ^= 0x80;
      if (at === 4) expect.unexpectedEpoch++;
      else expect.badRecordMac++;
      s.input(forged, 1);
      // A record shorter than explicit nonce + tag.
      s.input(d.slice(0, 13 + 10).map((v, k) => (k === 12 ? 10 : v)), 1);
      expect.badRecordMac++;
    }
    s.pollEvents();
    assert.equal(s.count(EV.ApplicationData), 0, "nothing delivered");
    assert.equal(s.stat(STAT.badRecordMac), expect.badRecordMac);
    assert.equal(s.stat(STAT.unexpectedEpoch), expect.unexpectedEpoch);
    assert.equal(s.stat(STAT.malformed), expect.malformed);
    assert.equal(s.state, ST.Connected);
    // The connection goes on: the next good record is delivered.
    s.input(c.send(Buffer.from("still here")), 2);
    s.pollEvents();
    assert.equal(Buffer.from(s.events.find((v) => v.kind === EV.ApplicationData)!.data).toString(), "still here");
    assertGrowth(e, before, 128 * KiB);
  });

  test(`dtls bad input ${provider}: replayed records are counted and dropped`, () => {
    const e = loadEntry("entry_dtls", provider);
    const { c, s } = makePair(e);
    const flight5: Uint8Array[] = [];
    drive(c, s, (dir, b, g) => {
      if (dir === "c2s" && b === 2) flight5.push(...g);
      return g;
    });
    assertConnected(c, s);
    const before = memBytes(e);
    const recs = Array.from({ length: 100 }, (_, i) => c.send(new Uint8Array([i])));
    // Deliver 30..99, then replay all of them, then 0..29, which are now older than the 64-record window.
    for (const d of recs.slice(30)) s.input(d, 1);
    for (const d of recs.slice(30)) s.input(d, 1);
    for (const d of recs.slice(0, 30)) s.input(d, 1);
    // The client's whole last flight again, handshake records and Finished: replays too. Its plaintext
    // ChangeCipherSpec delivered no handshake message, so the epoch-0 window never recorded it
    // (conn.ts): once connected it is dropped as unexpected plaintext instead.
    const unexpected0 = s.stat(STAT.unexpectedEpoch);
    for (const d of flight5) s.input(d, 1);
    s.pollEvents();
    assert.equal(s.count(EV.ApplicationData), 70);
    const flight5Records = flight5.flatMap(records);
    const ccs = flight5Records.filter((r) => r.type === 20).length;
    assert.equal(ccs, 1);
    assert.equal(s.stat(STAT.replayed), 70 + 30 + flight5Records.length - ccs);
    assert.equal(s.stat(STAT.unexpectedEpoch) - unexpected0, ccs);
    assert.equal(s.state, ST.Connected);
    assert.equal(c.count(EV.Failed) + s.count(EV.Failed), 0);
    assertGrowth(e, before, 128 * KiB);
  });

  // Cut copies arrive before the real datagrams. Cuts at a record boundary carry whole records,
  // which are read (they are real); others end in a partial record, which ends the datagram. Copies
  // with a well-formed record around a cut fragment agree with the real message's bytes, so they are
  // buffered, and the real fragment completes the message: a record moves the epoch-0 replay window
  // only once a message it completed is delivered, so the real record is not dropped as a replay.
  for (const [dir, batch, name] of [["s2c", 1, "server flight 4"], ["c2s", 2, "client flight 5"]] as const) {
    test(`dtls bad input ${provider}: ${name} truncated at every length`, () => {
      const e = loadEntry("entry_dtls", provider);
      const { c, s } = makePair(e);
      const receiver = dir === "s2c" ? c : s;
      const before = memBytes(e);
      let injected = 0;
      const t = drive(c, s, (d, b, g) => {
        if (d !== dir || b !== batch) return g;
        const cuts: Uint8Array[] = [];
        for (const dg of g) {
          for (let n = 0; n < dg.length; n++) cuts.push(dg.slice(0, n));
          for (const r of records(dg)) {
            // The record cut short, with its length field saying so.
            for (let n = 0; n < r.body.length; n++) cuts.push(new Uint8Array(encodeRecord({ ...r, body: r.body.slice(0, n) })));
            if (r.type !== 22 || r.epoch !== 0) continue;
            for (const f of fragments(r.body)) {
              for (let n = 0; n < f.body.length; n++) {
                const cut = { ...f, body: f.body.slice(0, n) };
                // fragment_length still the original (claims bytes that are not there), and corrected.
                cuts.push(new Uint8Array(encodeRecord({ ...r, body: new Uint8Array(encodeFragment(cut, f.body.length)) })));
                cuts.push(new Uint8Array(encodeRecord({ ...r, body: new Uint8Array(encodeFragment(cut)) })));
              }
            }
          }
        }
        injected += cuts.length;
        return [...cuts, ...g];
      });
      assert.ok(injected > 1000, `${injected} cut copies`);
      assertConnected(c, s);
      assert.ok(receiver.stat(STAT.malformed) > 0, "cuts counted as malformed");
      assert.ok(t < 10000, `completed within a few retransmissions (t=${t})`);
      assertGrowth(e, before, 512 * KiB);
    });
  }

  test(`dtls bad input ${provider}: oversized fragments are rejected without allocating them`, () => {
    const e = loadEntry("entry_dtls", provider);
    const { c } = makePair(e);
    // The client waits for the server's first flight; its reassembly is live.
    c.e.x.conn_start(c.h, 0);
    c.drain();
    let seq = 100;
    const frag = (msgType: number, length: number, mseq: number, off: number, n: number) =>
      new Uint8Array(encodeRecord({ type: 22, epoch: 0, seq: seq++, body: new Uint8Array(encodeFragment({ msgType, length, seq: mseq, off, body: new Uint8Array(n).fill(0xaa) })) }));
    // Warm up the allocator on inputs of the same sizes, then measure.
    for (let i = 0; i < 4; i++) c.input(frag(2, 0xffffff, 0, 0, 1000), 0);
    const before = memBytes(e);
    const rejected0 = c.stat(STAT.rejectedFragments);
    let sent = 0;
    for (let i = 0; i < 200; i++) {
      // A fragment of a message that claims 16 MB (the largest a u24 says), and one of 8 KiB + 1 (just
      // over maxHandshakeMessage), at several message_seq values and offsets.
      c.input(frag(2 + (i % 3), 0xffffff, i % 4, (i * 4099) % 0xfff000, 1000), 0);
      c.input(frag(11, 8193, i % 4, 0, 1000), 0);
      sent += 2;
    }
    // One fragment of 16000 bytes in a 16 KB record: larger than any message may be.
    c.input(frag(11, 16000, 0, 0, 16000), 0);
    sent++;
    assert.equal(c.stat(STAT.rejectedFragments) - rejected0, sent);
    assertGrowth(e, before, 0);
    // Records that claim more bytes than the datagram has: malformed, nothing read.
    const m0 = c.stat(STAT.malformed);
    const big = frag(2, 100, 0, 0, 100);
    big[11] = 0xff;
    big[12] = 0xff;
    c.input(big, 0);
    assert.equal(c.stat(STAT.malformed), m0 + 1);
    // Nothing was buffered: a real handshake still completes.
    const { c: c2, s: s2 } = makePair(e);
    drive(c2, s2);
    assertConnected(c2, s2);
    assert.equal(c.state, ST.Handshaking);
  });

  test(`dtls bad input ${provider}: reassembly stays within maxReassemblyBytes and maxMessagesAhead`, () => {
    const e = loadEntry("entry_dtls", provider);
    const { c } = makePair(e);
    c.e.x.conn_start(c.h, 0);
    c.drain();
    const before = memBytes(e);
    let seq = 10;
    const rejected0 = c.stat(STAT.rejectedFragments);
    // Partial fragments of 8000-byte messages at message_seq 2..20: 16 KiB of reassembly holds two;
    // seq 8 and above are too far ahead of the next expected (0, before any ServerHello) for
    // maxMessagesAhead = 8: 4 + 13 rejected.
    for (let m = 2; m <= 20; m++) {
      c.input(new Uint8Array(encodeRecord({ type: 22, epoch: 0, seq: seq++, body: new Uint8Array(encodeFragment({ msgType: 11, length: 8000, seq: m, off: 0, body: new Uint8Array(500) })) })), 0);
    }
    assert.equal(c.stat(STAT.rejectedFragments) - rejected0, 17);
    assertGrowth(e, before, 64 * KiB);
  });

  test(`dtls bad input ${provider}: a server that never finishes fails the client by timeout`, () => {
    const e = loadEntry("entry_dtls", provider);
    const { c, s } = makePair(e);
    const before = memBytes(e);
    // The server's Finished flight never arrives.
    const t = drive(c, s, (dir, b, g) => (dir === "s2c" && b >= 2 ? [] : g));
    const f = c.failed();
    assert.ok(f, "client failed");
    assert.equal(f!.reason, "handshake timeout");
    assert.equal(c.count(EV.Failed), 1);
    assert.ok(t >= 100000, `after the backed-off retransmissions (t=${t})`);
    assert.equal(c.deadline(), -1, "no timer left");
    assertGrowth(e, before, 256 * KiB);
  });

  test(`dtls bad input ${provider}: a client that stops after its hello fails the server by timeout`, () => {
    const e = loadEntry("entry_dtls", provider);
    const { c, s } = makePair(e);
    const before = memBytes(e);
    const t = drive(c, s, (dir, b, g) => (dir === "c2s" && b >= 2 ? [] : g));
    const f = s.failed();
    assert.ok(f, "server failed");
    assert.equal(f!.reason, "handshake timeout");
    assert.equal(s.count(EV.Failed), 1);
    assert.ok(t >= 100000, `t=${t}`);
    assert.equal(s.deadline(), -1);
    assertGrowth(e, before, 256 * KiB);
  });

  // RFC 6347 §4.2.1: until a ClientHello returns its cookie the server keeps no state, so one forged
  // plaintext record sent ahead of the client (spoofing its address) must not block it: not a
  // fragment of another message at the hello's message_seq, not a hello fragment of another length,
  // not a record sequence number far ahead of the client's.
  for (const [name, msgType, length, recSeq] of [
    ["a Certificate fragment at message_seq 0", 11, 8000, 0],
    ["a ClientHello fragment of another length", 1, 5000, 0],
    ["a ClientHello fragment in a record numbered 2^40", 1, 5000, 2 ** 40],
    ["a Certificate fragment in a record numbered 2^40", 11, 8000, 2 ** 40],
  ] as const) {
    test(`dtls bad input ${provider}: ${name} sent to the server before the client's hello does not block it`, () => {
      const e = loadEntry("entry_dtls", provider);
      const { c, s } = makePair(e);
      const before = memBytes(e);
      const forged = { type: 22, epoch: 0, seq: recSeq, body: new Uint8Array(encodeFragment({ msgType, length, seq: 0, off: 0, body: new Uint8Array(100).fill(1) })) };
      s.input(new Uint8Array(encodeRecord(forged)), 0);
      let hvrSeq = -1;
      const t = drive(c, s, (dir, b, g) => {
        if (dir === "s2c" && b === 0) hvrSeq = records(g[0])[0].seq;
        return g;
      });
      assertConnected(c, s);
      assert.equal(t, 0, "no retransmission was needed");
      assert.equal(hvrSeq, 0, "the HelloVerifyRequest echoes the client's record, not the forged one");
      assertGrowth(e, before, 256 * KiB);
    });
  }
}

// RFC 6347 §4.1.2.6, §4.2.2: nothing in epoch 0 is authenticated, and once the server holds state (and
// the client always) the endpoint must still not be held up by one forged plaintext datagram spoofing
// its peer's address: not by a fragment that contradicts the message being reassembled at its
// message_seq (the newer fragment replaces the partial one, so the peer's own fragments win), not by
// a record numbered far ahead (the epoch-0 window records only records of delivered messages), not by
// partial messages claiming the whole reassembly budget further ahead (nearer messages evict them),
// not by a first-message fragment that moves the expected message_seq. Each forged datagram goes in
// just before the flight it targets; the flight completes with no retransmission.
const frag = (recSeq: number, msgType: number, length: number, mseq: number, n = 100): Rec =>
  ({ type: 22, epoch: 0, seq: recSeq, body: new Uint8Array(encodeFragment({ msgType, length, seq: mseq, off: 0, body: new Uint8Array(n).fill(0xee) })) });
const ccsAt = (recSeq: number): Rec => ({ type: 20, epoch: 0, seq: recSeq, body: new Uint8Array([1]) });
// The flights targeted: the server's flight 4 (ServerHello at message_seq 1, Certificate at 2,
// ServerKeyExchange 3, CertificateRequest 4, ServerHelloDone 5) and the client's flight 5
// (Certificate at message_seq 2, ClientKeyExchange 3, CertificateVerify 4, Finished 5).
const ONE_DATAGRAM: { name: string; client: Rec[]; server: Rec[] }[] = [
  { name: "a Certificate fragment of another length", client: [frag(5, 11, 8000, 2)], server: [frag(5, 11, 8000, 2)] },
  { name: "a fragment of another type at the next message_seq", client: [frag(3, 16, 300, 1)], server: [frag(3, 16, 300, 2)] },
  { name: "a ChangeCipherSpec record numbered 2^40", client: [ccsAt(2 ** 40)], server: [ccsAt(2 ** 40)] },
  { name: "a conflicting fragment in a record numbered 2^40", client: [frag(2 ** 40, 11, 8000, 2)], server: [frag(2 ** 40, 11, 8000, 2)] },
  { name: "partial messages claiming all of the reassembly budget further ahead", client: [frag(7, 11, 8000, 7), frag(8, 11, 8000, 8)], server: [frag(7, 11, 8000, 8), frag(8, 11, 8000, 9)] },
  { name: "a first-message fragment at an earlier message_seq", client: [frag(9, 2, 500, 0)], server: [frag(9, 1, 500, 0)] },
];

// A small deterministic generator (mulberry32): the same flood every run.
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

// One forged plaintext record: mostly handshake fragments (one to three) of handshake types at
// message_seq 0..9, claiming up to 3000 bytes and never carrying a whole message, else a
// ChangeCipherSpec; numbered anywhere in the 48-bit space or among the peer's own first numbers.
// Whole forged messages are left out on purpose: DTLS 1.2 cannot tell a forged complete message at
// the expected message_seq from the real one, and reads it (a forged alert likewise).
function forgedRecord(rnd: () => number): number[] {
  const seq = rnd() < 0.5 ? Math.floor(rnd() * 2 ** 48) : Math.floor(rnd() * 64);
  if (rnd() < 0.1) return encodeRecord(ccsAt(seq));
  const body: number[] = [];
  for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
    const length = 2 + Math.floor(rnd() * 2999);
    const off = Math.floor(rnd() * length);
    const n = Math.min(length - off, Math.floor(rnd() * 200), length - 1);
    const msgType = [1, 2, 3, 11, 12, 13, 14, 15, 16, 20][Math.floor(rnd() * 10)];
    const b = new Uint8Array(n).map(() => Math.floor(rnd() * 256));
    body.push(...encodeFragment({ msgType, length, seq: Math.floor(rnd() * 10), off, body: b }));
  }
  return encodeRecord({ type: 22, epoch: 0, seq, body: new Uint8Array(body) });
}

for (const provider of PROVIDERS) {
  for (const { name, client, server } of ONE_DATAGRAM) {
    for (const [victim, recs] of [["client", client], ["server", server]] as const) {
      test(`dtls bad input ${provider}: ${name} sent to the ${victim} mid-handshake does not block it`, () => {
        const e = loadEntry("entry_dtls", provider);
        const { c, s } = makePair(e);
        const before = memBytes(e);
        const forged = new Uint8Array(recs.flatMap((r) => encodeRecord(r)));
        const [dir, batch] = victim === "client" ? ["s2c", 1] : ["c2s", 2];
        const t = drive(c, s, (d, b, g) => (d === dir && b === batch ? [forged, ...g] : g));
        assertConnected(c, s);
        assert.equal(t, 0, "no retransmission was needed");
        assertGrowth(e, before, 256 * KiB);
      });
    }
  }

  // §4.2.1: a server treats a hello whose cookie it does not accept like one without, and asks again.
  // So a forged HelloVerifyRequest that races the real one costs the client one hello, no more: the
  // real server's next HelloVerifyRequest (at the message_seq of the hello that answered the forgery)
  // is followed too.
  test(`dtls bad input ${provider}: a forged HelloVerifyRequest sent to the client ahead of the real one does not block it`, () => {
    const e = loadEntry("entry_dtls", provider);
    const { c, s } = makePair(e);
    const before = memBytes(e);
    const hvr = [0xfe, 0xff, 16, ...new Array(16).fill(0x5a)];
    const forged = new Uint8Array(encodeRecord({ type: 22, epoch: 0, seq: 0, body: new Uint8Array(encodeFragment({ msgType: 3, length: hvr.length, seq: 0, off: 0, body: new Uint8Array(hvr) })) }));
    let hellos = 0;
    const t = drive(c, s, (d, b, g) => {
      if (d === "c2s") hellos += g.filter((x) => hasMessage(x, HS.ClientHello)).length;
      return d === "s2c" && b === 0 ? [forged, ...g] : g;
    });
    assertConnected(c, s);
    assert.equal(hellos, 3, "the first hello, one with the forged cookie, one with the real cookie");
    assert.equal(t, 0, "no retransmission was needed");
    assertGrowth(e, before, 256 * KiB);
  });

  // 1000 forged records (in datagrams of one to three) spread over the first three batches the victim
  // receives, before, between and after the real datagrams: the handshake still completes, and what
  // the forgeries made the core hold stays bounded.
  for (const victim of ["client", "server"] as const) {
    test(`dtls bad input ${provider}: a flood of 1000 forged epoch-0 records sent to the ${victim} does not block it`, () => {
      const e = loadEntry("entry_dtls", provider);
      const { c, s } = makePair(e);
      const target = victim === "client" ? c : s;
      const rnd = prng(victim === "client" ? 6347 : 4225);
      const dgrams: Uint8Array[] = [];
      for (let left = 1000; left > 0;) {
        const d: number[] = [];
        for (let k = Math.min(left, 1 + Math.floor(rnd() * 3)); k > 0; k--, left--) d.push(...forgedRecord(rnd));
        dgrams.push(new Uint8Array(d));
      }
      const before = memBytes(e);
      const dir = victim === "client" ? "s2c" : "c2s";
      let sent = 0;
      const t = drive(c, s, (d, b, g) => {
        if (d !== dir || b > 2) return g;
        const share = b < 2 ? Math.floor(dgrams.length / 3) : dgrams.length;
        const mine = dgrams.splice(0, share);
        sent += mine.length;
        const out = [...g];
        for (const f of mine) out.splice(Math.floor(rnd() * (out.length + 1)), 0, f);
        return out;
      });
      assert.equal(dgrams.length, 0, "every forged datagram was sent");
      assert.ok(sent > 333, `${sent} forged datagrams`);
      assertConnected(c, s);
      assert.ok(target.stat(STAT.replacedFragments) > 0, "forged fragments were replaced by real ones");
      assert.ok(t < 10000, `completed within a few retransmissions (t=${t})`);
      assertGrowth(e, before, 512 * KiB);
    });
  }
}

// Flips a ciphertext byte of every epoch-1 record in the datagram (the encrypted Finished during
// the handshake), calling hit for each.
function tamperEpoch1(d: Uint8Array, hit: () => void): Uint8Array {
  const out = d.slice();
  for (let p = 0; p + 13 <= out.length;) {
    const len = (out[p + 11] << 8) | out[p + 12];
    if (((out[p + 3] << 8) | out[p + 4]) === 1 && len > 24) {
      out[p + 13 + 8 + 2] ^= 0x40;
      hit();
    }
    p += 13 + len;
  }
  return out;
}

