// Captures real DTLS ClientHello datagrams from headless Chromium, as fixtures for the DTLS server
// tests (test/vectors/dtls/chromium-*.bin). Test tooling, not the core: a tiny ICE-lite responder on
// a UDP socket answers the browser's STUN binding requests (RFC 8489: XOR-MAPPED-ADDRESS,
// MESSAGE-INTEGRITY, FINGERPRINT), our hand-written SDP answer makes Chromium the DTLS client
// (a=setup:passive), and every DTLS datagram it sends is saved. Unless given --no-hvr, the script
// answers the first ClientHello with a HelloVerifyRequest (RFC 6347 §4.2.1) and captures the second.
//
//   npx esbuild scripts/capture-chromium-hello.ts --bundle --platform=node --format=esm --packages=external \
//     --outfile=build/tools/capture-chromium-hello.mjs && node build/tools/capture-chromium-hello.mjs \
//     [--no-hvr] [--out DIR] [--host IP]
//     [--timeout MS] [--chromium-arg=--some-switch ...]
// Run it from the repository root (the default output directory is relative to it). The bundle must
// sit inside the repository (not in /tmp) so that Node finds playwright-core in node_modules.
import { createSocket, type RemoteInfo } from "node:dgram";
import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "../test/helpers/chromium.js";

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : dflt;
};
const OUT_DIR = opt("--out", "test/vectors/dtls");
const HOST = opt("--host", "127.0.0.1");
const SEND_HVR = !argv.includes("--no-hvr");
const TIMEOUT_MS = Number(opt("--timeout", "30000"));
// Extra Chromium switches, e.g. --chromium-arg=--disable-field-trial-config (repeatable).
const CHROMIUM_ARGS = argv.filter((a) => a.startsWith("--chromium-arg=")).map((a) => a.slice("--chromium-arg=".length));

// ---------- STUN (RFC 8489), just enough for an ICE-lite responder ----------

const MAGIC = 0x2112a442;
const BINDING_REQUEST = 0x0001, BINDING_SUCCESS = 0x0101;
const ATTR_USERNAME = 0x0006, ATTR_MESSAGE_INTEGRITY = 0x0008, ATTR_XOR_MAPPED_ADDRESS = 0x0020;
const ATTR_FINGERPRINT = 0x8028;
const FINGERPRINT_XOR = 0x5354554e;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface StunAttr { type: number; value: Buffer; offset: number }

function parseStun(msg: Buffer): { type: number; txid: Buffer; attrs: StunAttr[] } | null {
  if (msg.length < 20 || (msg[0] & 0xc0) !== 0 || msg.readUInt32BE(4) !== MAGIC) return null;
  const len = msg.readUInt16BE(2);
  if (20 + len !== msg.length || len % 4 !== 0) return null;
  const attrs: StunAttr[] = [];
  let p = 20;
  while (p + 4 <= msg.length) {
    const type = msg.readUInt16BE(p), alen = msg.readUInt16BE(p + 2);
    if (p + 4 + alen > msg.length) return null;
    attrs.push({ type, value: msg.subarray(p + 4, p + 4 + alen), offset: p });
    p += 4 + ((alen + 3) & ~3);
  }
  return { type: msg.readUInt16BE(0), txid: msg.subarray(8, 20), attrs };
}

// HMAC-SHA1 over the message up to the MESSAGE-INTEGRITY attribute, with the header's length
// covering that attribute (RFC 8489 §14.5).
function integrity(upToMi: Buffer, key: string): Buffer {
  const copy = Buffer.from(upToMi);
  copy.writeUInt16BE(upToMi.length - 20 + 24, 2);
  return createHmac("sha1", key).update(copy).digest();
}

function checkRequestIntegrity(msg: Buffer, attrs: StunAttr[], key: string): boolean {
  const mi = attrs.find((a) => a.type === ATTR_MESSAGE_INTEGRITY);
  if (!mi) return false;
  return integrity(msg.subarray(0, mi.offset), key).equals(mi.value);
}

function attr(type: number, value: Buffer): Buffer {
  const pad = (4 - (value.length % 4)) % 4;
  const h = Buffer.alloc(4);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(value.length, 2);
  return Buffer.concat([h, value, Buffer.alloc(pad)]);
}

function xorMappedAddress(rinfo: RemoteInfo, txid: Buffer): Buffer {
  const v6 = rinfo.family === "IPv6";
  const v = Buffer.alloc(v6 ? 20 : 8);
  v[1] = v6 ? 0x02 : 0x01;
  v.writeUInt16BE(rinfo.port ^ (MAGIC >>> 16), 2);
  const cookieTx = Buffer.concat([Buffer.from([0x21, 0x12, 0xa4, 0x42]), txid]);
  const addr = v6 ? ipv6Bytes(rinfo.address) : Buffer.from(rinfo.address.split(".").map(Number));
  for (let i = 0; i < addr.length; i++) v[4 + i] = addr[i] ^ cookieTx[i];
  return attr(ATTR_XOR_MAPPED_ADDRESS, v);
}

function ipv6Bytes(a: string): Buffer {
  const [head, tail = ""] = a.split("%")[0].split("::");
  const h = head ? head.split(":") : [], t = tail ? tail.split(":") : [];
  const groups = a.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return b;
}

function bindingSuccess(txid: Buffer, rinfo: RemoteInfo, key: string): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(BINDING_SUCCESS, 0);
  header.writeUInt32BE(MAGIC, 4);
  txid.copy(header, 8);
  let msg = Buffer.concat([header, xorMappedAddress(rinfo, txid)]);
  msg = Buffer.concat([msg, attr(ATTR_MESSAGE_INTEGRITY, integrity(msg, key))]);
  const withFpLength = Buffer.from(msg);
  withFpLength.writeUInt16BE(msg.length - 20 + 8, 2);
  const fp = Buffer.alloc(4);
  fp.writeUInt32BE((crc32(withFpLength) ^ FINGERPRINT_XOR) >>> 0, 0);
  const out = Buffer.concat([withFpLength, attr(ATTR_FINGERPRINT, fp)]);
  return out;
}

// ---------- DTLS: just enough to see the ClientHello and answer it with a HelloVerifyRequest ----------

interface DtlsRecord { type: number; version: number; epoch: number; seq: Buffer; body: Buffer }
interface Fragment { msgType: number; length: number; msgSeq: number; fragOffset: number; fragLength: number; body: Buffer }

function parseRecords(d: Buffer): DtlsRecord[] {
  const out: DtlsRecord[] = [];
  let p = 0;
  while (p + 13 <= d.length) {
    const len = d.readUInt16BE(p + 11);
    if (p + 13 + len > d.length) break;
    out.push({ type: d[p], version: d.readUInt16BE(p + 1), epoch: d.readUInt16BE(p + 3), seq: d.subarray(p + 5, p + 11), body: d.subarray(p + 13, p + 13 + len) });
    p += 13 + len;
  }
  return out;
}

function parseFragments(body: Buffer): Fragment[] {
  const out: Fragment[] = [];
  let p = 0;
  while (p + 12 <= body.length) {
    const fragLength = body.readUIntBE(p + 9, 3);
    out.push({
      msgType: body[p], length: body.readUIntBE(p + 1, 3), msgSeq: body.readUInt16BE(p + 4),
      fragOffset: body.readUIntBE(p + 6, 3), fragLength, body: body.subarray(p + 12, p + 12 + fragLength),
    });
    p += 12 + fragLength;
  }
  return out;
}

// Reassembles one handshake message from its fragments.
class Reassembly {
  buf: Buffer | null = null;
  have: boolean[] = [];
  add(f: Fragment): void {
    if (!this.buf) {
      this.buf = Buffer.alloc(f.length);
      this.have = new Array(f.length).fill(false);
    }
    f.body.copy(this.buf, f.fragOffset);
    for (let i = 0; i < f.fragLength; i++) this.have[f.fragOffset + i] = true;
  }
  get complete(): boolean {
    return this.buf !== null && this.have.every(Boolean);
  }
}

function helloVerifyRequest(recordSeq: Buffer, cookie: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from([0xfe, 0xff, cookie.length]), cookie]);
  const hs = Buffer.alloc(12);
  hs[0] = 3; // hello_verify_request
  hs.writeUIntBE(body.length, 1, 3);
  hs.writeUInt16BE(0, 4); // message_seq
  hs.writeUIntBE(0, 6, 3);
  hs.writeUIntBE(body.length, 9, 3);
  const rec = Buffer.alloc(13);
  rec[0] = 22;
  rec.writeUInt16BE(0xfeff, 1); // DTLS 1.0 record version, as RFC 6347 §4.2.1 recommends
  rec.writeUInt16BE(0, 3);
  recordSeq.copy(rec, 5);
  rec.writeUInt16BE(hs.length + body.length, 11);
  return Buffer.concat([rec, hs, body]);
}

const hex = (n: number, w = 4) => "0x" + n.toString(16).padStart(w, "0");

const EXTENSIONS: { [k: number]: string } = {
  0: "server_name", 10: "supported_groups", 11: "ec_point_formats", 13: "signature_algorithms", 14: "use_srtp",
  16: "application_layer_protocol_negotiation", 23: "extended_master_secret", 35: "session_ticket",
  41: "pre_shared_key", 42: "early_data", 43: "supported_versions", 44: "cookie", 45: "psk_key_exchange_modes",
  51: "key_share", 0xff01: "renegotiation_info", 27: "compress_certificate", 18: "signed_certificate_timestamp",
  5: "status_request", 21: "padding", 65037: "encrypted_client_hello",
};
const GROUPS: { [k: number]: string } = {
  23: "secp256r1", 24: "secp384r1", 25: "secp521r1", 29: "x25519", 30: "x448", 0x11ec: "X25519MLKEM768",
  0x11eb: "SecP256r1MLKEM768", 0x6399: "X25519Kyber768Draft00", 0x0200: "MLKEM768", 0x0201: "MLKEM1024",
};
const SUITES: { [k: number]: string } = {
  0x1301: "TLS_AES_128_GCM_SHA256", 0x1302: "TLS_AES_256_GCM_SHA384", 0x1303: "TLS_CHACHA20_POLY1305_SHA256",
  0xc02b: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xc02f: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  0xc02c: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xc030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
  0xcca9: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xcca8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
  0xc009: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xc013: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
  0xc00a: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", 0xc014: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
  0x009c: "TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009d: "TLS_RSA_WITH_AES_256_GCM_SHA384",
  0x002f: "TLS_RSA_WITH_AES_128_CBC_SHA", 0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA",
};
const SIGNATURE_SCHEMES: { [k: number]: string } = {
  0x0403: "ecdsa_secp256r1_sha256", 0x0503: "ecdsa_secp384r1_sha384", 0x0603: "ecdsa_secp521r1_sha512",
  0x0804: "rsa_pss_rsae_sha256", 0x0805: "rsa_pss_rsae_sha384", 0x0806: "rsa_pss_rsae_sha512",
  0x0401: "rsa_pkcs1_sha256", 0x0501: "rsa_pkcs1_sha384", 0x0601: "rsa_pkcs1_sha512", 0x0201: "rsa_pkcs1_sha1",
  0x0203: "ecdsa_sha1", 0x0807: "ed25519",
};
const SRTP_PROFILES: { [k: number]: string } = {
  1: "SRTP_AES128_CM_HMAC_SHA1_80", 2: "SRTP_AES128_CM_HMAC_SHA1_32", 7: "SRTP_AEAD_AES_128_GCM", 8: "SRTP_AEAD_AES_256_GCM",
};
const VERSIONS: { [k: number]: string } = { 0xfeff: "DTLS 1.0", 0xfefd: "DTLS 1.2", 0xfefc: "DTLS 1.3", 0x0304: "TLS 1.3", 0x0303: "TLS 1.2" };
const name = (t: { [k: number]: string }, v: number) => `${hex(v)}${t[v] ? " " + t[v] : ""}`;

function u16list(b: Buffer): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < b.length; i += 2) out.push(b.readUInt16BE(i));
  return out;
}

// A readable summary of a reassembled ClientHello body (RFC 6347 §4.2.1 / RFC 9147 §5.3).
function describeClientHello(ch: Buffer): string[] {
  const lines: string[] = [];
  let p = 0;
  const legacyVersion = ch.readUInt16BE(p); p += 2;
  p += 32;
  const sidLen = ch[p]; p += 1 + sidLen;
  const cookieLen = ch[p]; const cookie = ch.subarray(p + 1, p + 1 + cookieLen); p += 1 + cookieLen;
  const csLen = ch.readUInt16BE(p); const suites = u16list(ch.subarray(p + 2, p + 2 + csLen)); p += 2 + csLen;
  const compLen = ch[p]; p += 1 + compLen;
  lines.push(`body length ${ch.length}, legacy_version ${name(VERSIONS, legacyVersion)}, session_id ${sidLen} bytes, cookie ${cookieLen} bytes${cookieLen ? " (" + cookie.toString("hex") + ")" : ""}`);
  lines.push(`cipher_suites (${suites.length}): ${suites.map((s) => name(SUITES, s)).join(", ")}`);
  if (p + 2 > ch.length) return lines;
  const extEnd = p + 2 + ch.readUInt16BE(p); p += 2;
  const exts: string[] = [];
  while (p + 4 <= extEnd) {
    const type = ch.readUInt16BE(p), len = ch.readUInt16BE(p + 2);
    const v = ch.subarray(p + 4, p + 4 + len);
    p += 4 + len;
    let detail = "";
    if (type === 43) detail = u16list(v.subarray(1, 1 + v[0])).map((x) => name(VERSIONS, x)).join(", ");
    else if (type === 10) detail = u16list(v.subarray(2)).map((x) => name(GROUPS, x)).join(", ");
    else if (type === 51) {
      const shares: string[] = [];
      for (let q = 2; q + 4 <= v.length;) {
        const g = v.readUInt16BE(q), kl = v.readUInt16BE(q + 2);
        shares.push(`${name(GROUPS, g)} (${kl}-byte key)`);
        q += 4 + kl;
      }
      detail = shares.join(", ");
    } else if (type === 13) detail = u16list(v.subarray(2)).map((x) => name(SIGNATURE_SCHEMES, x)).join(", ");
    else if (type === 14) {
      const n = v.readUInt16BE(0);
      detail = "profiles " + u16list(v.subarray(2, 2 + n)).map((x) => name(SRTP_PROFILES, x)).join(", ") + `, mki ${v[2 + n]} bytes`;
    } else if (type === 11) detail = [...v.subarray(1)].join(", ");
    else if (len) detail = `${len} bytes: ${v.toString("hex")}`;
    exts.push(`${name(EXTENSIONS, type)}${detail ? ": " + detail : ""}`);
  }
  lines.push(`extensions (${exts.length}):`);
  for (const e of exts) lines.push(`  ${e}`);
  return lines;
}

// ---------- SDP answer ----------

function answerSdp(port: number, ufrag: string, pwd: string, mid: string): string {
  const fp = [...randomBytes(32)].map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
  return [
    "v=0",
    `o=- ${randomBytes(6).readUIntBE(0, 6)} 2 IN IP4 ${HOST}`,
    "s=-",
    "t=0 0",
    `a=group:BUNDLE ${mid}`,
    "a=ice-lite",
    `m=application ${port} UDP/DTLS/SCTP webrtc-datachannel`,
    `c=IN IP4 ${HOST}`,
    `a=mid:${mid}`,
    `a=ice-ufrag:${ufrag}`,
    `a=ice-pwd:${pwd}`,
    // A throwaway value: the handshake never gets as far as checking the certificate.
    `a=fingerprint:sha-256 ${fp}`,
    "a=setup:passive",
    "a=sctp-port:5000",
    "a=max-message-size:262144",
    `a=candidate:1 1 udp 2130706431 ${HOST} ${port} typ host`,
    "a=end-of-candidates",
    "",
  ].join("\r\n");
}

// ---------- main ----------

async function main(): Promise<void> {
  const ufrag = "wpcap" + randomBytes(3).toString("hex");
  const pwd = randomBytes(18).toString("base64").replace(/[^A-Za-z0-9]/g, "x"); // 24 ice-chars
  const sock = createSocket(HOST.includes(":") ? "udp6" : "udp4");
  await new Promise<void>((r) => sock.bind(0, HOST, r));
  const port = sock.address().port;
  console.log(`ICE-lite responder on ${HOST}:${port} (ufrag ${ufrag})`);

  const flights: Buffer[][] = [[], []]; // datagrams of the first ClientHello, of the one after HVR
  const hellos = [new Reassembly(), new Reassembly()];
  const others: string[] = [];
  let stunRequests = 0, stunBadIntegrity = 0;
  let finished: () => void = () => {};
  const done = new Promise<void>((r) => (finished = r));
  const cookie = randomBytes(20);

  sock.on("message", (msg, rinfo) => {
    const first = msg[0];
    if (first <= 3) {
      const m = parseStun(msg);
      if (!m || m.type !== BINDING_REQUEST) return;
      stunRequests++;
      const user = m.attrs.find((a) => a.type === ATTR_USERNAME)?.value.toString() ?? "";
      if (!user.startsWith(ufrag + ":")) return;
      if (!checkRequestIntegrity(msg, m.attrs, pwd)) {
        stunBadIntegrity++;
        return;
      }
      sock.send(bindingSuccess(m.txid, rinfo, pwd), rinfo.port, rinfo.address);
      return;
    }
    if (first < 20 || first > 63) return;
    const records = parseRecords(msg);
    const desc = records.map((r) => {
      const frags = r.type === 22 && r.epoch === 0 ? parseFragments(r.body) : [];
      return `record type ${r.type} version ${name(VERSIONS, r.version)} epoch ${r.epoch} seq ${r.seq.toString("hex")} length ${r.body.length}` +
        frags.map((f) => ` [handshake type ${f.msgType} length ${f.length} message_seq ${f.msgSeq} fragment ${f.fragOffset}+${f.fragLength}]`).join("");
    });
    let used = false;
    for (const r of records) {
      if (r.type !== 22 || r.epoch !== 0) continue;
      for (const f of parseFragments(r.body)) {
        if (f.msgType !== 1 || f.msgSeq > 1) continue;
        const which = f.msgSeq;
        if (which === 1 && !SEND_HVR) continue;
        if (hellos[which].complete) continue; // a retransmission
        hellos[which].add(f);
        if (!used) flights[which].push(Buffer.from(msg));
        used = true;
        if (hellos[which].complete) {
          console.log(`ClientHello message_seq ${which} complete (${hellos[which].buf!.length} bytes) from ${rinfo.address}:${rinfo.port}`);
          if (which === 0 && SEND_HVR) sock.send(helloVerifyRequest(r.seq, cookie), rinfo.port, rinfo.address);
          if (which === 1 || !SEND_HVR) finished();
        }
      }
    }
    console.log(`${used ? "kept" : "skipped"} DTLS datagram of ${msg.length} bytes: ${desc.join("; ")}`);
    if (!used) others.push(`${msg.length} bytes: ${desc.join("; ")}`);
  });

  const session = await launchChromium({ args: CHROMIUM_ARGS, onConsole: (t) => console.log(`page: ${t}`) });
  console.log(`chromium ${session.version}`);
  let failure: unknown = null;
  try {
    const { page } = session;
    await page.goto("about:blank");
    const offer: string = await page.evaluate(async () => {
      const pc = new RTCPeerConnection();
      (globalThis as any).pc = pc;
      pc.createDataChannel("capture");
      pc.oniceconnectionstatechange = () => console.log(`iceConnectionState ${pc.iceConnectionState}`);
      pc.onconnectionstatechange = () => console.log(`connectionState ${pc.connectionState}`);
      await pc.setLocalDescription(await pc.createOffer());
      return pc.localDescription!.sdp;
    });
    const mid = /^a=mid:(\S+)/m.exec(offer)?.[1] ?? "0";
    await page.evaluate(async (sdp) => {
      await (globalThis as any).pc.setRemoteDescription({ type: "answer", sdp });
    }, answerSdp(port, ufrag, pwd, mid));

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    });
    try {
      await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
    await page.evaluate(() => (globalThis as any).pc.close());
  } catch (e) {
    failure = e;
  } finally {
    await session.close();
    sock.close();
  }
  console.log(`STUN binding requests: ${stunRequests} (${stunBadIntegrity} with a bad MESSAGE-INTEGRITY)`);
  if (failure) throw failure;

  // Replace the previous capture's files, then write this one's.
  mkdirSync(OUT_DIR, { recursive: true });
  for (const f of readdirSync(OUT_DIR)) if (/^chromium-clienthello.*\.bin$/.test(f)) unlinkSync(join(OUT_DIR, f));
  const names = ["chromium-clienthello", "chromium-clienthello-cookie"];
  for (let w = 0; w < 2; w++) {
    if (!hellos[w].complete) continue;
    console.log(`\n== ${names[w]}: ${flights[w].length} datagram(s)`);
    flights[w].forEach((d, i) => {
      const file = join(OUT_DIR, `${names[w]}-${i + 1}.bin`);
      writeFileSync(file, d);
      const recs = parseRecords(d).map((r) => `record version ${name(VERSIONS, r.version)} length ${r.body.length}`);
      console.log(`${file}: ${d.length} bytes, ${recs.join("; ")}`);
    });
    for (const l of describeClientHello(hellos[w].buf!)) console.log(l);
  }
  if (others.length) console.log(`\nother DTLS datagrams (not saved):\n${others.join("\n")}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
