// SCTP over DTLS in one module, for bench/sctp.ts: two DTLS 1.2 endpoints (ECDHE-ECDSA with
// AES-128-GCM, as WebRTC negotiates) carry two associations' packets as application data over a
// lossy in-memory link of 1 ms on a virtual clock. The crypto provider is the build's.
export { mem_alloc, mem_free } from "./entry_common";
import { p256Generate } from "../../assembly/crypto/p256";
import { createSelfSignedCertificate } from "../../assembly/crypto/x509";
import { digest, HashAlg } from "../../assembly/crypto/hash";
import { DtlsConfig } from "../../assembly/dtls/config";
import { ConnState, DtlsConn } from "../../assembly/dtls/conn";
import { DtlsClient } from "../../assembly/dtls/client";
import { DtlsServer } from "../../assembly/dtls/server";
import { DtlsEventKind } from "../../assembly/dtls/event";
import { NamedGroup } from "../../assembly/dtls/protocol";
import { TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 } from "../../assembly/dtls/cipher_suite";
import { Association, SEND_OK, AssocState } from "../../assembly/sctp/association";
import { SctpConfig } from "../../assembly/sctp/config";
import { EVENT_MESSAGE } from "../../assembly/sctp/event";
import { Prng } from "./sim_prng";

// What a DTLS 1.2 AES-GCM record adds to its payload (header 13, explicit nonce 8, tag 16): the
// SCTP packet shrinks by that much so each record fits one 1200-byte datagram, as in a peer.
const DTLS_GCM_OVERHEAD: i32 = 37;

class Identity {
  constructor(public cert: Uint8Array, public key: Uint8Array) {}
}

function identity(): Identity {
  const k = p256Generate();
  return new Identity(createSelfSignedCertificate(k, "wasmpeer", 1700000000, 1700000000 + 30 * 86400)!, k.priv);
}

function dtlsConfig(own: Identity, peer: Identity): DtlsConfig {
  const c = new DtlsConfig();
  c.certificate = own.cert;
  c.privateKey = own.key;
  c.expectedFingerprint = digest(HashAlg.SHA256, peer.cert);
  c.cipherSuites = [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
  c.groups = [<u16>NamedGroup.X25519];
  return c;
}

let stats = new StaticArray<i64>(8);

export function bench_stat(i: i32): i64 {
  return i >= 0 && i < 8 ? stats[i] : 0;
}

// The DTLS handshake runs first, losslessly at time 0; then `messages` reliable ordered messages
// of `size` bytes go from a to b on one stream, every SCTP packet sealed by one DTLS endpoint and
// opened by the other, with `lossPct` of datagrams lost. messages = 0 times the setup alone
// (identities and the handshake), for the caller to subtract. Returns 0 when every message arrived
// intact and in order, 3 when DTLS did not connect. Stats: 0 virtual ms, 1 datagram bytes on the
// wire, 2 datagrams dropped, 3 SCTP retransmissions, 4 records that failed to open (must be 0).
export function bench_sctp_dtls(messages: i32, size: i32, lossPct: f64, seed: i32): i32 {
  stats = new StaticArray<i64>(8);
  const ida = identity();
  const idb = identity();
  const dtlsA: DtlsConn = new DtlsClient(dtlsConfig(ida, idb));
  const dtlsB: DtlsConn = new DtlsServer(dtlsConfig(idb, ida));
  (<DtlsClient>dtlsA).start(0);
  for (let i = 0; i < 50 && !(dtlsA.state == ConnState.Connected && dtlsB.state == ConnState.Connected); i++) {
    for (let d = dtlsA.pollTransmit(); d != null; d = dtlsA.pollTransmit()) dtlsB.input(d, 0);
    for (let d = dtlsB.pollTransmit(); d != null; d = dtlsB.pollTransmit()) dtlsA.input(d, 0);
  }
  if (dtlsA.state != ConnState.Connected || dtlsB.state != ConnState.Connected) return 3;
  while (dtlsA.pollEvent() != null) {}
  while (dtlsB.pollEvent() != null) {}

  const ca = new SctpConfig();
  ca.mtu -= DTLS_GCM_OVERHEAD;
  const cb = new SctpConfig();
  cb.mtu -= DTLS_GCM_OVERHEAD;
  const a = new Association(ca);
  const b = new Association(cb);
  const rng = new Prng(<u64>seed * 0x9e3779b97f4a7c15 + 1);
  const threshold = <u32>(lossPct * 42949672.96);
  // Datagrams in flight (sealed), and which side they go to; each round arrives 1 ms later.
  let q: Array<Uint8Array> = [];
  let qTo: Array<i32> = [];
  let next: Array<Uint8Array> = [];
  let nextTo: Array<i32> = [];
  let now: i64 = 0;
  let sent = 0;
  let got = 0;
  let failure = 0;
  const payload = new Uint8Array(size);
  for (let i = 0; i < size; i++) payload[i] = <u8>(i * 31 + 7);
  a.connect(now);
  while (got < messages && now < 3600000) {
    if (a.state == AssocState.ESTABLISHED) {
      while (sent < messages) {
        const msg = payload.slice();
        msg[0] = <u8>(sent >> 16);
        msg[1] = <u8>(sent >> 8);
        msg[2] = <u8>sent;
        if (a.send(1, 53, msg, false, -1, -1, now) != SEND_OK) break;
        sent++;
      }
    }
    for (let side = 0; side < 2; side++) {
      const s = side == 0 ? a : b;
      const d = side == 0 ? dtlsA : dtlsB;
      // Each SCTP packet becomes one record in one datagram, collected at once so DTLS's
      // outgoing queue never fills.
      for (let p = s.pollTransmit(); p != null; p = s.pollTransmit()) {
        if (!d.send(p)) {
          failure = 4;
          break;
        }
        const dg = d.pollTransmit()!;
        stats[1] += dg.length;
        if (rng.next() < threshold) stats[2]++;
        else {
          next.push(dg);
          nextTo.push(1 - side);
        }
      }
    }
    for (let ev = b.pollEvent(); ev != null; ev = b.pollEvent()) {
      if (ev.kind != EVENT_MESSAGE) continue;
      const m = ev.data!;
      const n = (<i32>m[0] << 16) | (<i32>m[1] << 8) | <i32>m[2];
      if (m.length != size || n != (got & 0xffffff) || m[size - 1] != payload[size - 1]) failure = 2;
      got++;
    }
    while (a.pollEvent() != null) {}
    if (failure != 0) break;
    if (next.length > 0) {
      const t = q;
      q = next;
      next = t;
      const tt = qTo;
      qTo = nextTo;
      nextTo = tt;
      now += 1;
      for (let i = 0; i < q.length; i++) {
        const to = qTo[i];
        const d = to == 0 ? dtlsA : dtlsB;
        d.input(q[i], now);
        for (let e = d.pollEvent(); e != null; e = d.pollEvent()) {
          if (e.kind == DtlsEventKind.ApplicationData) (to == 0 ? a : b).input(e.data, now);
          else stats[4]++;
        }
      }
      q.length = 0;
      qTo.length = 0;
    } else {
      const dl = min(a.nextDeadline(), b.nextDeadline());
      if (dl == i64.MAX_VALUE) break;
      if (dl > now) now = dl;
    }
    if (a.nextDeadline() <= now) a.handleTimeout(now);
    if (b.nextDeadline() <= now) b.handleTimeout(now);
  }
  stats[0] = now;
  stats[3] = a.rtx.retransmissions;
  stats[4] += dtlsA.stats.badRecordMac + dtlsB.stats.badRecordMac;
  if (failure != 0) return failure;
  return got == messages ? 0 : 1;
}
