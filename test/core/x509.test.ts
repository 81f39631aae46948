// X.509 (RFC 5280 subset) for both crypto providers: generated certificates checked by node:crypto
// and openssl, keys read from openssl's certificates, and hostile DER that must give null.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as nc from "node:crypto";
import { loadEntry, PROVIDERS, toHex, type Entry } from "../helpers/entry.js";

interface Key { priv: Uint8Array; pub: Uint8Array }

function nodeKey(): Key {
  const { privateKey } = nc.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = privateKey.export({ format: "jwk" });
  const b = (s: string | undefined) => Buffer.from(s!, "base64url");
  return { priv: b(jwk.d), pub: Buffer.concat([Buffer.from([4]), b(jwk.x), b(jwk.y)]) };
}

function pointOf(key: nc.KeyObject): Uint8Array {
  const jwk = key.export({ format: "jwk" });
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
}

function lastResult(e: Entry, len: number): Uint8Array | null {
  if (len < 0) return null;
  const p = e.alloc(len);
  e.x.last_copy(p);
  const r = e.get(p, len);
  e.free(p);
  return r;
}

function create(e: Entry, key: Key, cn: string, notBefore: number, notAfter: number): Uint8Array | null {
  const name = Buffer.from(cn, "utf8");
  const pp = e.put(key.priv), pq = e.put(key.pub), pn = e.put(name);
  const len = e.x.x509_create(pp, pq, pn, name.length, BigInt(notBefore), BigInt(notAfter));
  e.free(pp, pq, pn);
  return lastResult(e, len);
}

function publicKey(e: Entry, der: Uint8Array): Uint8Array | null {
  const p = e.put(der);
  const len = e.x.x509_public_key(p, der.length);
  e.free(p);
  return lastResult(e, len);
}

function signatureValid(e: Entry, der: Uint8Array, pub: Uint8Array): boolean {
  const p = e.put(der), q = e.put(pub);
  const ok = e.x.x509_signature_valid(p, der.length, q, pub.length);
  e.free(p, q);
  return ok === 1;
}

function fingerprint(e: Entry, der: Uint8Array): string {
  const p = e.put(der);
  const len = e.x.x509_fingerprint(p, der.length);
  e.free(p);
  return Buffer.from(lastResult(e, len)!).toString("utf8");
}

// ---- a small DER model to build hostile variants of real certificates ----

type Der = { tag: number; value: Buffer; children?: Der[] };

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(value.length), value]);
}

// Parses well-formed DER (the test's own inputs only); constructed elements get children.
function parseDer(buf: Buffer): Der {
  const read = (at: number): [Der, number] => {
    const tag = buf[at];
    let len = buf[at + 1], p = at + 2;
    if (len >= 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + buf[p++];
    }
    const value = buf.subarray(p, p + len);
    const node: Der = { tag, value };
    if (tag & 0x20) {
      node.children = [];
      for (let q = 0; q < value.length;) {
        const [child, next] = read(p + q);
        node.children.push(child);
        q = next - p;
      }
    }
    return [node, p + len];
  };
  return read(0)[0];
}

function encodeDer(d: Der): Buffer {
  return tlv(d.tag, d.children ? Buffer.concat(d.children.map(encodeDer)) : d.value);
}

function headerLength(buf: Buffer, at: number): number {
  return buf[at + 1] < 0x80 ? 2 : 2 + (buf[at + 1] & 0x7f);
}

// Adds delta to the length of the element at buf[at], keeping its length's form.
function bumpLength(buf: Buffer, at: number, delta: number): void {
  if (buf[at + 1] < 0x80) {
    buf[at + 1] += delta;
    return;
  }
  const n = buf[at + 1] & 0x7f;
  buf.writeUIntBE(buf.readUIntBE(at + 2, n) + delta, at + 2, n);
}

const clone = (d: Der): Der => parseDer(encodeDer(d));

// The SubjectPublicKeyInfo of a parsed certificate (after [0] version, serial, alg, issuer, validity, subject).
const spkiOf = (cert: Der) => cert.children![0].children![6];

function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

// Certificates made by openssl req -x509, as DER, with the public key openssl reports.
function opensslCertificate(dir: string, name: string, newkey: string[]): { der: Buffer; spki: nc.KeyObject } {
  const key = join(dir, `${name}.key`), pem = join(dir, `${name}.pem`), der = join(dir, `${name}.der`);
  execFileSync("openssl", ["req", "-x509", ...newkey, "-keyout", key, "-out", pem, "-days", "2", "-nodes",
    "-subj", `/CN=${name}`], { stdio: "pipe" });
  execFileSync("openssl", ["x509", "-in", pem, "-outform", "DER", "-out", der], { stdio: "pipe" });
  const pubPem = execFileSync("openssl", ["x509", "-in", pem, "-noout", "-pubkey"], { stdio: "pipe" });
  return { der: readFileSync(der), spki: nc.createPublicKey(pubPem) };
}

const haveOpenssl = hasOpenssl();
const tmp = mkdtempSync(join(tmpdir(), "wasmpeer-x509-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
const opensslCerts = haveOpenssl ? {
  p256: opensslCertificate(tmp, "p256", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]),
  p384: opensslCertificate(tmp, "p384", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"]),
  rsa: opensslCertificate(tmp, "rsa", ["-newkey", "rsa:2048"]),
  ed25519: opensslCertificate(tmp, "ed25519", ["-newkey", "ed25519"]),
} : null;

const now = Math.floor(Date.now() / 1000);
const DAY = 86400;

for (const provider of PROVIDERS) {
  const e = loadEntry("entry_x509", provider);
  const key = nodeKey();
  const cert = create(e, key, "wasmpeer device", now - 3600, now + 30 * DAY)!;

  test(`${provider}: a generated certificate parses in node:crypto`, () => {
    assert.ok(cert);
    const x = new nc.X509Certificate(cert);
    assert.equal(x.subject, "CN=wasmpeer device");
    assert.equal(x.issuer, "CN=wasmpeer device");
    assert.equal(Date.parse(x.validFrom) / 1000, now - 3600);
    assert.equal(Date.parse(x.validTo) / 1000, now + 30 * DAY);
    assert.match(x.serialNumber, /^[0-7][0-9A-F]{31}$/, "positive 16-byte serial");
    assert.equal(toHex(pointOf(x.publicKey)), toHex(key.pub));
    assert.ok(x.verify(x.publicKey));
    assert.equal(x.fingerprint256, fingerprint(e, cert));
  });

  test(`${provider}: serial numbers differ between certificates`, () => {
    const again = create(e, key, "wasmpeer device", now - 3600, now + 30 * DAY)!;
    assert.notEqual(new nc.X509Certificate(again).serialNumber, new nc.X509Certificate(cert).serialNumber);
  });

  test(`${provider}: openssl reads and verifies generated certificates`, { skip: !haveOpenssl }, () => {
    // The second one's notAfter is past 2049, so it is a GeneralizedTime.
    const certs = [cert, create(e, key, "long lived", now - DAY, Date.UTC(2060, 0, 1) / 1000)!];
    certs.forEach((der, i) => {
      const derFile = join(tmp, `${provider}-${i}.der`), pemFile = join(tmp, `${provider}-${i}.pem`);
      writeFileSync(derFile, der);
      const text = execFileSync("openssl", ["x509", "-inform", "DER", "-in", derFile, "-text", "-noout"], { encoding: "utf8" });
      assert.match(text, /ecdsa-with-SHA256/);
      assert.match(text, /prime256v1/);
      execFileSync("openssl", ["x509", "-inform", "DER", "-in", derFile, "-out", pemFile]);
      // -check_ss_sig: without it openssl trusts a self-signed anchor without checking its signature.
      const out = execFileSync("openssl", ["verify", "-check_ss_sig", "-CAfile", pemFile, pemFile], { encoding: "utf8" });
      assert.match(out, /: OK/);
    });
  });

  test(`${provider}: validity times switch from UTCTime to GeneralizedTime after 2049`, () => {
    const at = (iso: string) => Date.parse(iso) / 1000;
    const hasTime = (der: Uint8Array, tag: number, text: string) =>
      Buffer.from(der).includes(tlv(tag, Buffer.from(text, "latin1")));
    const c1 = create(e, key, "t", at("1950-01-01T00:00:00Z"), at("2049-12-31T23:59:59Z"))!;
    assert.ok(hasTime(c1, 0x17, "500101000000Z"));
    assert.ok(hasTime(c1, 0x17, "491231235959Z"));
    const c2 = create(e, key, "t", at("1949-12-31T23:59:59Z"), at("2050-01-01T00:00:00Z"))!;
    assert.ok(hasTime(c2, 0x18, "19491231235959Z"));
    assert.ok(hasTime(c2, 0x18, "20500101000000Z"));
    const c3 = create(e, key, "t", at("1900-02-28T12:34:56Z"), at("2400-02-29T01:02:03Z"))!;
    assert.ok(hasTime(c3, 0x18, "19000228123456Z"));
    assert.ok(hasTime(c3, 0x18, "24000229010203Z"));
    const x = new nc.X509Certificate(c1);
    assert.equal(Date.parse(x.validTo) / 1000, at("2049-12-31T23:59:59Z"));
    const c4 = create(e, key, "t", 0, at("9999-12-31T23:59:59Z"))!;
    assert.ok(hasTime(c4, 0x17, "700101000000Z"));
    assert.ok(hasTime(c4, 0x18, "99991231235959Z"));
  });

  test(`${provider}: creation refuses bad arguments`, () => {
    assert.equal(create(e, key, "t", now, now - 1), null, "ends before it starts");
    assert.equal(create(e, key, "t", now, Date.UTC(10000, 0, 1) / 1000), null, "year 10000");
    assert.equal(create(e, key, "t", Number.MIN_SAFE_INTEGER, now), null, "before year 0");
    assert.equal(create(e, key, "t", now, Number.MAX_SAFE_INTEGER), null, "far future");
    assert.equal(create(e, key, "x".repeat(65), now, now + DAY), null, "name over 64 characters");
    assert.ok(create(e, key, "x".repeat(64), now, now + DAY));
    assert.equal(create(e, { priv: new Uint8Array(32), pub: key.pub }, "t", now, now + DAY), null, "zero private key");
    const badPub = Buffer.from(key.pub);
    badPub[0] = 2;
    assert.equal(create(e, { priv: key.priv, pub: badPub }, "t", now, now + DAY), null, "not an uncompressed point");
  });

  test(`${provider}: a UTF-8 common name round-trips`, () => {
    const der = create(e, key, "Gerät ☃", now, now + DAY)!;
    assert.ok(Buffer.from(der).includes(tlv(0x0c, Buffer.from("Gerät ☃", "utf8"))));
    assert.ok(new nc.X509Certificate(der).verify(new nc.X509Certificate(der).publicKey));
  });

  test(`${provider}: public key and signature of its own certificate`, () => {
    assert.equal(toHex(publicKey(e, cert)!), toHex(key.pub));
    assert.ok(signatureValid(e, cert, key.pub));
    assert.ok(!signatureValid(e, cert, nodeKey().pub), "another key");
    assert.ok(!signatureValid(e, cert, key.pub.subarray(0, 64)), "a short key");
  });

  test(`${provider}: certificates made by openssl`, { skip: !haveOpenssl }, () => {
    const c = opensslCerts!;
    assert.equal(toHex(publicKey(e, c.p256.der)!), toHex(pointOf(c.p256.spki)));
    assert.ok(signatureValid(e, c.p256.der, pointOf(c.p256.spki)));
    assert.equal(publicKey(e, c.p384.der), null, "P-384");
    assert.equal(publicKey(e, c.rsa.der), null, "RSA");
    assert.equal(publicKey(e, c.ed25519.der), null, "Ed25519");
    assert.ok(!signatureValid(e, c.rsa.der, key.pub));
    assert.ok(!signatureValid(e, c.ed25519.der, key.pub));
    // Every certificate reads back its fingerprint as node computes it.
    for (const { der } of Object.values(c)) assert.equal(fingerprint(e, der), new nc.X509Certificate(der).fingerprint256);
  });

  test(`${provider}: a flipped byte anywhere breaks the signature`, { skip: !haveOpenssl }, () => {
    for (const [der, pub] of [[cert, key.pub], [opensslCerts!.p256.der, pointOf(opensslCerts!.p256.spki)]] as const) {
      for (let i = 0; i < der.length; i++) {
        const bad = Buffer.from(der);
        bad[i] ^= 0x01 << (i % 8);
        // A flip in the key can still give a valid-looking certificate, but never for this key.
        assert.ok(!signatureValid(e, bad, pub), `byte ${i}`);
      }
    }
  });

  test(`${provider}: every truncation gives null`, () => {
    for (const der of [cert, ...(opensslCerts ? [opensslCerts.p256.der] : [])]) {
      for (let n = 0; n < der.length; n++) {
        const cut = der.subarray(0, n);
        assert.equal(publicKey(e, cut), null, `length ${n}`);
        assert.ok(!signatureValid(e, cut, key.pub), `length ${n}`);
      }
    }
  });

  test(`${provider}: lengths that lie and nesting tricks give null`, () => {
    const body = Buffer.from(cert).subarray(headerLength(Buffer.from(cert), 0));
    const parsed = parseDer(Buffer.from(cert));
    const withSpki = (f: (spki: Der) => void) => {
      const c = clone(parsed);
      f(spkiOf(c));
      return encodeDer(c);
    };
    const deep = (n: number) => {
      let d: Buffer = Buffer.alloc(0);
      for (let i = 0; i < n; i++) d = tlv(0x30, d);
      return d;
    };
    const bad: [string, Uint8Array][] = [
      ["empty", new Uint8Array(0)],
      ["one byte", Buffer.from([0x30])],
      ["trailing zero", Buffer.concat([cert, Buffer.from([0])])],
      ["two certificates", Buffer.concat([cert, cert])],
      ["length 0x84 ff ff ff ff", Buffer.concat([Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), body])],
      ["length 0x84 past the end", Buffer.concat([Buffer.from([0x30, 0x84, 0, 0, 0x10, 0]), body])],
      ["length one past the end", Buffer.concat([Buffer.from([0x30]), derLength(body.length + 1), body])],
      ["length one short", Buffer.concat([Buffer.from([0x30]), derLength(body.length - 1), body])],
      ["five length bytes", Buffer.concat([Buffer.from([0x30, 0x85, 0, 0, 0, 0x01, 0]), body])],
      ["indefinite length", Buffer.concat([Buffer.from([0x30, 0x80]), body, Buffer.from([0, 0])])],
      ["non-minimal length", Buffer.concat([Buffer.from([0x30, 0x83, 0, body.length >> 8, body.length & 0xff]), body])],
      ["multi-byte tag", Buffer.concat([Buffer.from([0x3f, 0x10]), derLength(body.length), body])],
      ["a SET for the SEQUENCE", Buffer.concat([Buffer.from([0x31]), derLength(body.length), body])],
      ["the point as a constructed BIT STRING", withSpki((s) => {
        s.children![1] = { tag: 0x23, value: Buffer.alloc(0), children: [{ tag: 0x03, value: s.children![1].value }] };
      })],
      ["a point with unused bits", withSpki((s) => { s.children![1].value = Buffer.from(s.children![1].value); s.children![1].value[0] = 1; })],
      ["a compressed point", withSpki((s) => {
        const v = s.children![1].value;
        s.children![1].value = Buffer.concat([Buffer.from([0, 2 + (v[65] & 1)]), v.subarray(2, 34)]);
      })],
      ["a 64-byte point", withSpki((s) => { s.children![1].value = s.children![1].value.subarray(0, 65); })],
      ["a point with a byte more", withSpki((s) => { s.children![1].value = Buffer.concat([s.children![1].value, Buffer.from([0])]); })],
      ["curve parameters NULL", withSpki((s) => { s.children![0].children![1] = { tag: 0x05, value: Buffer.alloc(0) }; })],
      ["curve P-384", withSpki((s) => { s.children![0].children![1].value = Buffer.from("2b81040022", "hex"); })],
      ["an extra SPKI element", withSpki((s) => { s.children!.push({ tag: 0x05, value: Buffer.alloc(0) }); })],
      ["an unexpected TBS element", (() => {
        const c = clone(parsed);
        c.children![0].children!.push({ tag: 0x05, value: Buffer.alloc(0) });
        return encodeDer(c);
      })()],
      ["SPKI length past its parent", (() => {
        // The TBS and the SPKI each claim 3 bytes more, so the SPKI runs into the signature algorithm.
        const b = Buffer.from(cert);
        const tbsAt = headerLength(b, 0);
        bumpLength(b, tbsAt, 3);
        bumpLength(b, b.indexOf(encodeDer(spkiOf(parsed))), 3);
        return b;
      })()],
      ["nested 10,000 deep", tlv(0x30, deep(10000))],
      ["nested 100 deep inside the issuer", (() => {
        const c = clone(parsed);
        c.children![0].children![3] = parseDer(deep(100));
        return encodeDer(c);
      })()],
      ["zero tag", Buffer.concat([Buffer.from([0x00]), derLength(body.length), body])],
    ];
    for (const [label, der] of bad) {
      assert.equal(publicKey(e, der), null, label);
      assert.ok(!signatureValid(e, der, key.pub), label);
    }
    // The model itself is faithful: re-encoding the certificate unchanged still works.
    assert.equal(toHex(publicKey(e, encodeDer(clone(parsed)))!), toHex(key.pub));
  });

  test(`${provider}: random byte flips never trap`, () => {
    let nulls = 0;
    for (let i = 0; i < 3000; i++) {
      const bad = Buffer.from(cert);
      const flips = 1 + (i % 4);
      for (let f = 0; f < flips; f++) bad[nc.randomInt(bad.length)] = nc.randomInt(256);
      const pub = publicKey(e, bad);
      if (pub === null) nulls++;
      else assert.equal(pub.length, 65);
      fingerprint(e, bad);
    }
    assert.ok(nulls > 0);
  });
}

test("pure and host agree: each verifies the other's certificates, and both read mutated ones alike", () => {
  const pure = loadEntry("entry_x509", "pure"), host = loadEntry("entry_x509", "host");
  const key = nodeKey();
  const fromPure = create(pure, key, "pure", now, now + DAY)!;
  const fromHost = create(host, key, "host", now, now + DAY)!;
  assert.ok(signatureValid(host, fromPure, key.pub));
  assert.ok(signatureValid(pure, fromHost, key.pub));
  for (let i = 0; i < 300; i++) {
    const bad = Buffer.from(i % 2 ? fromPure : fromHost);
    bad[nc.randomInt(bad.length)] = nc.randomInt(256);
    const a = publicKey(pure, bad), b = publicKey(host, bad);
    assert.equal(a && toHex(a), b && toHex(b), `case ${i}`);
    assert.equal(signatureValid(pure, bad, key.pub), signatureValid(host, bad, key.pub), `case ${i}`);
    assert.equal(fingerprint(pure, bad), fingerprint(host, bad));
  }
});
