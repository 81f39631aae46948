// Test entry for the DTLS 1.2 endpoint: identities, connections and their sans-IO calls over raw pointers.
export { mem_alloc, mem_free } from "./entry_common";
import { bytesAt, writeAt } from "./entry_common";
import { p256Generate, P256KeyPair } from "../../assembly/crypto/p256";
import { createSelfSignedCertificate } from "../../assembly/crypto/x509";
import { digest, HashAlg } from "../../assembly/crypto/hash";
import { DtlsConfig } from "../../assembly/dtls/config";
import { DtlsConn } from "../../assembly/dtls/conn";
import { DtlsClient } from "../../assembly/dtls/client";
import { DtlsServer } from "../../assembly/dtls/server";
import { DtlsEvent } from "../../assembly/dtls/event";
import { NamedGroup } from "../../assembly/dtls/protocol";
import {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
} from "../../assembly/dtls/cipher_suite";
import {
  SRTP_AEAD_AES_128_GCM, SRTP_AEAD_AES_256_GCM, SRTP_AES128_CM_SHA1_80,
} from "../../assembly/dtls/extension_use_srtp";

class Identity {
  constructor(public key: P256KeyPair, public cert: Uint8Array) {}
}

const identities = new Array<Identity>();
const conns = new Array<DtlsConn | null>();
let lastEvent: DtlsEvent | null = null;

// A fresh key and self-signed certificate; returns its id, or -1.
export function identity_new(): i32 {
  const key = p256Generate();
  const cert = createSelfSignedCertificate(key, "wasmpeer", 1700000000, 1700000000 + 30 * 86400);
  if (cert == null) return -1;
  identities.push(new Identity(key, cert));
  return identities.length - 1;
}

// Writes the certificate's SHA-256 (32 bytes) to out.
export function identity_fingerprint(id: i32, out: usize): void {
  writeAt(out, digest(HashAlg.SHA256, identities[id].cert));
}

export function identity_cert_len(id: i32): i32 {
  return identities[id].cert.length;
}

export function identity_cert(id: i32, out: usize): void {
  writeAt(out, identities[id].cert);
}

export function identity_key(id: i32, out: usize): void {
  writeAt(out, identities[id].key.priv);
}

// Codes for test configurations: suites 0 default, 1 AES-128 only, 2 AES-256 only, 3 both with 256 first;
// groups 0 default, 1 P-256 only, 2 X25519 only; srtp 0 default, 1 CM only, 2 GCM-128 only, 3 GCM-256 only,
// 4 none, 5 CM then GCM-256.
// fp: pointer to the 32-byte expected peer fingerprint, or 0 for none.
export function conn_new(isClient: bool, identity: i32, fp: usize, suites: i32, groups: i32, srtp: i32, mtu: i32): i32 {
  const cfg = new DtlsConfig();
  cfg.certificate = identities[identity].cert;
  cfg.privateKey = identities[identity].key.priv;
  if (fp != 0) cfg.expectedFingerprint = bytesAt(fp, 32);
  if (suites == 1) cfg.cipherSuites = [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
  else if (suites == 2) cfg.cipherSuites = [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384];
  else if (suites == 3) cfg.cipherSuites = [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
  if (groups == 1) cfg.groups = [<u16>NamedGroup.Secp256r1];
  else if (groups == 2) cfg.groups = [<u16>NamedGroup.X25519];
  if (srtp == 1) cfg.srtpProfiles = [SRTP_AES128_CM_SHA1_80];
  else if (srtp == 2) cfg.srtpProfiles = [SRTP_AEAD_AES_128_GCM];
  else if (srtp == 3) cfg.srtpProfiles = [SRTP_AEAD_AES_256_GCM];
  else if (srtp == 4) cfg.srtpProfiles = [];
  else if (srtp == 5) cfg.srtpProfiles = [SRTP_AES128_CM_SHA1_80, SRTP_AEAD_AES_256_GCM];
  if (mtu > 0) cfg.mtu = mtu;
  conns.push(isClient ? changetype<DtlsConn>(new DtlsClient(cfg)) : changetype<DtlsConn>(new DtlsServer(cfg)));
  return conns.length - 1;
}

export function conn_start(h: i32, now: f64): void {
  conns[h]!.start(<i64>now);
}

export function conn_input(h: i32, ptr: usize, len: i32, now: f64): void {
  conns[h]!.input(bytesAt(ptr, len), <i64>now);
}

export function conn_timeout(h: i32, now: f64): void {
  conns[h]!.handleTimeout(<i64>now);
}

// The next deadline in ms, or -1 for none.
export function conn_deadline(h: i32): f64 {
  const d = conns[h]!.nextDeadline();
  return d == i64.MAX_VALUE ? -1 : <f64>d;
}

// Copies the next datagram to out (at most cap bytes); its length, or -1 when none.
export function conn_poll_transmit(h: i32, out: usize, cap: i32): i32 {
  const d = conns[h]!.pollTransmit();
  if (d == null) return -1;
  if (d.length > cap) return -2;
  writeAt(out, d);
  return d.length;
}

// The next event's kind (0 when none); its fields through event_*.
export function conn_poll_event(h: i32): i32 {
  lastEvent = conns[h]!.pollEvent();
  return lastEvent == null ? 0 : lastEvent!.kind;
}

export function event_len(): i32 {
  return lastEvent!.data.length;
}

export function event_data(out: usize): void {
  writeAt(out, lastEvent!.data);
}

export function event_profile(): i32 {
  return lastEvent!.srtpProfile;
}

export function event_suite(): i32 {
  return lastEvent!.cipherSuite;
}

export function event_alert(): i32 {
  return lastEvent!.alertDescription;
}

export function event_reason_len(): i32 {
  return String.UTF8.byteLength(lastEvent!.reason);
}

export function event_reason(out: usize): void {
  writeAt(out, Uint8Array.wrap(String.UTF8.encode(lastEvent!.reason)));
}

export function conn_send(h: i32, ptr: usize, len: i32): bool {
  return conns[h]!.send(bytesAt(ptr, len));
}

export function conn_close(h: i32): void {
  conns[h]!.close();
}

export function conn_state(h: i32): i32 {
  return conns[h]!.state;
}

// RFC 5705 export with an ASCII label; 1 when written.
export function conn_export(h: i32, label: usize, labelLen: i32, out: usize, len: i32): i32 {
  const km = conns[h]!.exportKeyingMaterial(String.UTF8.decodeUnsafe(label, <usize>labelLen), null, len);
  if (km == null) return 0;
  writeAt(out, km);
  return 1;
}

// Counters: 0 malformed, 1 badRecordMac, 2 replayed, 3 unexpectedEpoch, 4 rejectedFragments, 5 retransmissions,
// 6 replacedFragments.
export function conn_stat(h: i32, which: i32): i32 {
  const s = conns[h]!.stats;
  if (which == 0) return s.malformed;
  if (which == 1) return s.badRecordMac;
  if (which == 2) return s.replayed;
  if (which == 3) return s.unexpectedEpoch;
  if (which == 4) return s.rejectedFragments;
  if (which == 6) return s.replacedFragments;
  return s.retransmissions;
}

export function conn_max_payload(h: i32): i32 {
  return conns[h]!.maxPayload;
}

// Drops a connection so the collector can take its memory.
export function conn_free(h: i32): void {
  conns[h] = null;
}

export function gc_collect(): void {
  __collect();
}
