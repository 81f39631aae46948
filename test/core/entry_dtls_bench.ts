// DTLS benchmark kernels, timed from outside (V8 by bench/dtls.ts, wasm3 by `wasmpeer-linux call`):
// full handshakes with both endpoints in this module, record protection, and endpoints kept alive
// so the host can read linear memory per endpoint. Nothing here reads a clock (the core has none).
export { mem_alloc, mem_free } from "./entry_common";
import { p256Generate } from "../../assembly/crypto/p256";
import { createSelfSignedCertificate } from "../../assembly/crypto/x509";
import { digest, HashAlg } from "../../assembly/crypto/hash";
import { ByteReader, ByteWriter } from "../../assembly/util/bytes";
import { DtlsConfig } from "../../assembly/dtls/config";
import { ConnState } from "../../assembly/dtls/conn";
import { DtlsClient } from "../../assembly/dtls/client";
import { DtlsServer } from "../../assembly/dtls/server";
import { ContentType, NamedGroup } from "../../assembly/dtls/protocol";
import { TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 } from "../../assembly/dtls/cipher_suite";
import { RecordHeader } from "../../assembly/dtls/record_header";
import { RecordLayer } from "../../assembly/dtls/record_layer";
import { RecordCipher } from "../../assembly/dtls/record_protection";
import { ReplayWindow } from "../../assembly/dtls/replay_window";

// ---- a client and a server joined by a lossless in-memory link ----

class Side {
  constructor(public cert: Uint8Array, public key: Uint8Array) {}
}

let clientSide: Side | null = null;
let serverSide: Side | null = null;

// Identities are made once per module instance: a WebRTC endpoint makes its certificate once,
// not per handshake, so its cost stays out of the handshake figure.
function side(): Side {
  const k = p256Generate();
  const cert = createSelfSignedCertificate(k, "wasmpeer", 1700000000, 1700000000 + 30 * 86400);
  return new Side(cert!, k.priv);
}

function sides(): void {
  if (clientSide == null) {
    clientSide = side();
    serverSide = side();
  }
}

// group: 1 P-256, 2 X25519. Both ends check the other's fingerprint, as WebRTC does.
function config(own: Side, peer: Side, group: i32): DtlsConfig {
  const c = new DtlsConfig();
  c.certificate = own.cert;
  c.privateKey = own.key;
  c.expectedFingerprint = digest(HashAlg.SHA256, peer.cert);
  c.cipherSuites = [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
  c.groups = [group == 1 ? <u16>NamedGroup.Secp256r1 : <u16>NamedGroup.X25519];
  return c;
}

class Pair {
  client: DtlsClient;
  server: DtlsServer;

  constructor(group: i32) {
    sides();
    this.client = new DtlsClient(config(clientSide!, serverSide!, group));
    this.server = new DtlsServer(config(serverSide!, clientSide!, group));
  }

  // Moves every queued datagram across once, both ways; returns how many moved.
  step(): i32 {
    let moved = 0;
    for (let d = this.client.pollTransmit(); d != null; d = this.client.pollTransmit()) {
      this.server.input(d, 0);
      moved++;
    }
    for (let d = this.server.pollTransmit(); d != null; d = this.server.pollTransmit()) {
      this.client.input(d, 0);
      moved++;
    }
    // Events are drained as a host would; the bench only needs the states.
    while (this.client.pollEvent() != null) {}
    while (this.server.pollEvent() != null) {}
    return moved;
  }

  get connected(): bool {
    return this.client.state == ConnState.Connected && this.server.state == ConnState.Connected;
  }

  // The whole handshake at time 0 (nothing is lost, so no timer ever fires); true when both connect.
  handshake(): bool {
    this.client.start(0);
    while (!this.connected && this.step() > 0) {}
    return this.connected;
  }
}

// Runs iters full handshakes (HelloVerifyRequest, both certificates, fingerprints); returns how many
// connected. iters = 0 only makes the identities, so a caller can subtract that setup time.
export function bench_dtls_handshake(group: i32, iters: i32): i32 {
  sides();
  let ok = 0;
  for (let i = 0; i < iters; i++) if (new Pair(group).handshake()) ok++;
  return ok;
}

// ---- record protection ----

const recKey = new Uint8Array(16);
const recSalt = new Uint8Array(4);
let sealer: RecordLayer | null = null;
let opener: RecordCipher | null = null;
const replay = new ReplayWindow();
const payload = new Uint8Array(16384);
const datagram = new Uint8Array(16384 + 64);

// iters records of len bytes of application data (AES-128-GCM): each written by the record layer
// (header, explicit nonce, seal) and read back the way DtlsConn reads one (header, replay window,
// open). Returns the number that authenticated.
export function bench_dtls_records(len: i32, iters: i32): i32 {
  if (sealer == null) {
    for (let i = 0; i < 16; i++) recKey[i] = <u8>(i * 3 + 1);
    const rl = new RecordLayer();
    rl.writeCipher = new RecordCipher(recKey, recSalt);
    sealer = rl;
    opener = new RecordCipher(recKey, recSalt);
  }
  if (len < 0 || len > payload.length) return 0;
  const data = payload.subarray(0, len);
  const h = new RecordHeader();
  let ok = 0;
  for (let i = 0; i < iters; i++) {
    const w = new ByteWriter(datagram);
    if (!sealer!.write(w, ContentType.ApplicationData, 1, data)) break;
    const r = new ByteReader(w.written());
    if (!h.read(r)) break;
    const body = r.view(<i32>h.length);
    if (!replay.check(h.sequence)) continue;
    const plain = opener!.open(h, body);
    if (plain == null) continue;
    replay.accept(h.sequence);
    ok++;
  }
  return ok;
}

// The same through two connected endpoints' public surface: send() on one, input() and the
// ApplicationData event on the other (one handshake first; iters = 0 times just that).
let linked: Pair | null = null;
export function bench_dtls_conn_records(len: i32, iters: i32): i32 {
  if (linked == null) {
    const p = new Pair(2);
    if (!p.handshake()) return -1;
    linked = p;
  }
  const p = linked!;
  const data = payload.subarray(0, len);
  let ok = 0;
  for (let i = 0; i < iters; i++) {
    if (!p.client.send(data)) break;
    const d = p.client.pollTransmit();
    if (d == null) break;
    p.server.input(d, 0);
    const e = p.server.pollEvent();
    if (e != null && e.data.length == len) ok++;
  }
  return ok;
}

// ---- endpoints kept alive, for linear memory per endpoint ----

const held = new Array<Pair>();

// Adds n pairs and starts their handshakes, each stepped on its own `steps` times (-1: until it
// connects or stalls). Two steps leave both ends holding the most handshake state: the server its
// flight and transcript, the client its keys, transcript and flight 5 (queued, not yet delivered).
export function pairs_new(group: i32, n: i32, steps: i32): void {
  for (let i = 0; i < n; i++) {
    const p = new Pair(group);
    p.client.start(0);
    for (let k = 0; steps < 0 || k < steps; k++) if (p.step() == 0) break;
    held.push(p);
  }
}

// One step of every held pair, in lockstep, so all of them are mid-handshake at once; returns
// the datagrams moved.
export function pairs_step(): i32 {
  let moved = 0;
  for (let i = 0; i < held.length; i++) moved += held[i].step();
  return moved;
}

export function pairs_connected(): i32 {
  let n = 0;
  for (let i = 0; i < held.length; i++) if (held[i].connected) n++;
  return n;
}

export function pairs_free(): void {
  held.length = 0;
}

export function gc_collect(): void {
  __collect();
}

// Linear memory in 64 KiB pages (what wasm3 also reports), for hosts without the memory object.
export function memory_pages(): i32 {
  return memory.size();
}

// The end of static data: where the heap starts.
export function heap_base(): i32 {
  return <i32>__heap_base;
}

