// SRTP/SRTCP (assembly/srtp) for both crypto providers: RFC 3711 §B.2/§B.3 and RFC 7714 §16/§17
// vectors byte for byte, round trips for every profile, ROC rollover, reordering and the replay
// window, tampering, malformed and short packets, SSRC floods, and pure against host.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { PROVIDERS, hex, toHex } from "../helpers/entry.js";
import {
  SrtpEntry, PROFILE_LIST, PROFILES, ERR, OP, keyLengths, rtpPacket, rtcpPacket,
} from "../helpers/libsrtp/srtp_entry.js";

const h = (s: string) => hex(s.replace(/\s+/g, ""));

// RFC 3711 Appendix B.3.
const B3_KEY = h("E1F97A0D3E018BE0D64FA32C06DE4139");
const B3_SALT = h("0EC675AD498AFEEBB6960B3AABE6");
const B3_CIPHER_KEY = "c61e7a93744f39ee10734afe3ff7a087";
const B3_CIPHER_SALT = "30cbbc08863d8c85d49db34a9ae1";
const B3_AUTH_KEY = (
  "CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE E049646C43D9327AD175578EF7227098 " +
  "6371C10C9A369AC2F94A8C5FBCDDDC25 6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2"
).replace(/\s+/g, "").toLowerCase();

// RFC 7714 §16 and §17: keys 00..0f / 00..1f, salt "Quid pro quo".
const GCM_KEY128 = h("000102030405060708090a0b0c0d0e0f");
const GCM_KEY256 = h("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
const GCM_SALT = h("517569642070726f2071756f");
const RTP_PLAIN = h(`8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976
  69736120 696e2070 61727465 73207472 6573`);
// §16.1.1 and §16.2.1 "Encrypted and tagged packet".
const RTP_GCM128 = h(`8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5
  0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce`);
const RTP_GCM256 = h(`8040f17b 8041f8d3 5501a0b2 32b1de78 a822fe12 ef9f78fa 332e33aa b1801238
  9a58e2f3 b50b2a02 76ffae0f 1ba63799 b87b7aa3 db36dfff d6b0f9bb 7878d7a7 6c13`);
// §17.1 (and §17.2-§17.4) plaintext RTCP packet, SRTCP index 0x5d4.
const RTCP_PLAIN = h(`81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
  deadbeef deadbeef deadbeef deadbeef deadbeef`);
const RTCP_GCM128 = h(`81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d
  c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade 800005d4`);
// §17.2 "Decrypting the following packet" (AEAD_AES_256_GCM).
const RTCP_GCM256 = h(`81c8000d 4d617273 d50ae4d1 f5ce5d30 4ba297e4 7d470c28 2c3ece5d bffe0a50
  a2eaa5c1 110555be 8415f658 c61de047 6f1b6fad 1d1eb30c 4446839f 57ff6f6c b26ac3be 800005d4`);
// §17.3 "Tagged packet" (AES-128, E = 0) and §17.4 "Verifying the following packet" (AES-256).
const RTCP_TAG128 = h(`81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
  deadbeef deadbeef deadbeef deadbeef deadbeef 841dd968 3dd78ec9 2ae58790 125f62b3 000005d4`);
const RTCP_TAG256 = h(`81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
  deadbeef deadbeef deadbeef deadbeef deadbeef 91db4afb feee5a97 8fab4393 ed2615fe 000005d4`);

function keysFor(profile: number) {
  const { key, salt } = keyLengths(profile);
  return { key: new Uint8Array(randomBytes(key)), salt: new Uint8Array(randomBytes(salt)) };
}

function pair(s: SrtpEntry, profile: number, o = {}) {
  const { key, salt } = keysFor(profile);
  return { tx: s.session(profile, key, salt, o), rx: s.session(profile, key, salt, o), key, salt };
}

const payload = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

for (const provider of PROVIDERS) {
  const s = new SrtpEntry(provider);

  test(`${provider}: RFC 3711 §B.3 key derivation`, () => {
    assert.equal(toHex(s.kdf(B3_KEY, B3_SALT, 0x00, 16)!), B3_CIPHER_KEY);
    assert.equal(toHex(s.kdf(B3_KEY, B3_SALT, 0x02, 14)!), B3_CIPHER_SALT);
    assert.equal(toHex(s.kdf(B3_KEY, B3_SALT, 0x01, 94)!), B3_AUTH_KEY);
    assert.equal(s.kdf(B3_KEY, new Uint8Array(15), 0, 16), null, "a salt longer than 112 bits");
  });

  test(`${provider}: RFC 3711 §B.2 AES-CM keystream through protectRtp (SSRC 0, index 0)`, () => {
    // Session key and salt of §B.2; protecting 65282 blocks of zeros exposes the keystream.
    const h0 = s.sessionWithSessionKeys(PROFILES.AES128_CM_HMAC_SHA1_80, h("2B7E151628AED2A6ABF7158809CF4F3C"),
      h("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"));
    assert.ok(s.ok(h0));
    const n = 1044512;
    const out = s.protectRtp(h0, rtpPacket(0, 0, new Uint8Array(n), { ts: 0 }));
    assert.equal(out.length, 12 + n + 10);
    const ks = out.subarray(12, 12 + n);
    assert.equal(toHex(ks.subarray(0, 48)),
      "e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab41e95b3bb0a2e8dd477901e4fca894c0");
    assert.equal(toHex(ks.subarray(n - 48)),
      "ec8cdf7398607cb0f2d21675ea9ea1e4362b7c3c6773516318a077d7fc5073ae6a2cc3787889374fbeb4c81b17ba6c44");
  });

  test(`${provider}: RFC 7714 §16.1.1/§16.2.1 SRTP encryption, §16.1.2/§16.2.2 decryption`, () => {
    for (const [profile, key, expected] of [[7, GCM_KEY128, RTP_GCM128], [8, GCM_KEY256, RTP_GCM256]] as const) {
      const tx = s.sessionWithSessionKeys(profile, key, GCM_SALT);
      assert.equal(toHex(s.protectRtp(tx, RTP_PLAIN)), toHex(expected));
      const rx = s.sessionWithSessionKeys(profile, key, GCM_SALT);
      assert.equal(toHex(s.unprotectRtp(rx, expected)), toHex(RTP_PLAIN));
      // One flipped bit anywhere no longer authenticates (or no longer parses).
      for (const at of [3, 12, 30, expected.length - 1]) {
        const bad = expected.slice();
        bad[at] ^= 1;
        assert.ok(s.op(s.sessionWithSessionKeys(profile, key, GCM_SALT), OP.UNPROTECT_RTP, bad).r === ERR.AUTH);
      }
    }
  });

  test(`${provider}: RFC 7714 §17.1 SRTCP encryption, §17.2 decryption`, () => {
    const tx = s.sessionWithSessionKeys(7, GCM_KEY128, GCM_SALT);
    assert.ok(s.setRtcpIndex(tx, 0x4d617273, 0x5d4));
    assert.equal(toHex(s.protectRtcp(tx, RTCP_PLAIN)), toHex(RTCP_GCM128));
    const rx128 = s.sessionWithSessionKeys(7, GCM_KEY128, GCM_SALT);
    assert.equal(toHex(s.unprotectRtcp(rx128, RTCP_GCM128)), toHex(RTCP_PLAIN));
    const rx256 = s.sessionWithSessionKeys(8, GCM_KEY256, GCM_SALT);
    assert.equal(toHex(s.unprotectRtcp(rx256, RTCP_GCM256)), toHex(RTCP_PLAIN));
  });

  test(`${provider}: RFC 7714 §17.3 SRTCP tagging only, §17.4 tag verification`, () => {
    const tx = s.sessionWithSessionKeys(7, GCM_KEY128, GCM_SALT, false);
    assert.ok(s.setRtcpIndex(tx, 0x4d617273, 0x5d4));
    assert.equal(toHex(s.protectRtcp(tx, RTCP_PLAIN)), toHex(RTCP_TAG128));
    const rx128 = s.sessionWithSessionKeys(7, GCM_KEY128, GCM_SALT);
    assert.equal(toHex(s.unprotectRtcp(rx128, RTCP_TAG128)), toHex(RTCP_PLAIN));
    const rx256 = s.sessionWithSessionKeys(8, GCM_KEY256, GCM_SALT);
    assert.equal(toHex(s.unprotectRtcp(rx256, RTCP_TAG256)), toHex(RTCP_PLAIN));
    const bad = RTCP_TAG256.slice();
    bad[20] ^= 0x80;
    assert.equal(s.op(s.sessionWithSessionKeys(8, GCM_KEY256, GCM_SALT), OP.UNPROTECT_RTCP, bad).r, ERR.AUTH);
  });

  test(`${provider}: keying material split by DTLS role (RFC 5764 §4.2)`, () => {
    for (const { id } of PROFILE_LIST) {
      const { key, salt } = keyLengths(id);
      const m = Uint8Array.from({ length: 2 * (key + salt) }, (_, i) => i);
      const c = s.split(id, m, true)!, sv = s.split(id, m, false)!;
      assert.deepEqual(c.localKey, m.slice(0, key));
      assert.deepEqual(c.remoteKey, m.slice(key, 2 * key));
      assert.deepEqual(c.localSalt, m.slice(2 * key, 2 * key + salt));
      assert.deepEqual(c.remoteSalt, m.slice(2 * key + salt));
      assert.deepEqual(sv.localKey, c.remoteKey);
      assert.deepEqual(sv.localSalt, c.remoteSalt);
      assert.deepEqual(sv.remoteKey, c.localKey);
      assert.equal(s.split(id, m.subarray(1), true), null);
    }
    assert.equal(s.split(0x0005, new Uint8Array(60), true), null);
  });

  test(`${provider}: sessions refuse unknown profiles and wrong key lengths`, () => {
    assert.ok(!s.ok(s.session(0x0005, new Uint8Array(16), new Uint8Array(14))));
    assert.ok(!s.ok(s.session(1, new Uint8Array(16), new Uint8Array(12))));
    assert.ok(!s.ok(s.session(7, new Uint8Array(16), new Uint8Array(14))));
    assert.ok(!s.ok(s.session(8, new Uint8Array(16), new Uint8Array(12))));
    const bad = s.session(8, new Uint8Array(16), new Uint8Array(12));
    assert.equal(s.op(bad, OP.PROTECT_RTP, rtpPacket(1, 1, payload(10))).r, ERR.NOT_KEYED);
    assert.equal(s.op(bad, OP.UNPROTECT_RTCP, rtcpPacket(1)).r, ERR.NOT_KEYED);
  });

  for (const { name, id } of PROFILE_LIST) {
    test(`${provider}: ${name} RTP and RTCP round trips, CSRCs and header extensions`, () => {
      const { tx, rx } = pair(s, id);
      const tag = id === 2 ? 4 : id === 1 ? 10 : 16;
      const shapes = [
        rtpPacket(1, 0x11223344, payload(160)),
        rtpPacket(2, 0x11223344, payload(0)),
        rtpPacket(3, 0x11223344, payload(1200), { csrcs: [1, 2, 3] }),
        rtpPacket(4, 0x11223344, payload(33), { extWords: 2 }),
        rtpPacket(5, 0x11223344, payload(17), { csrcs: [9], extWords: 0, marker: true }),
        rtpPacket(6, 0x11223344, payload(1), { csrcs: Array.from({ length: 15 }, (_, i) => i), extWords: 5 }),
      ];
      for (const p of shapes) {
        const prot = s.protectRtp(tx, p);
        assert.equal(prot.length, p.length + tag);
        const hdr = p.length - (p === shapes[0] ? 160 : 0);
        // The header stays in the clear, the payload does not.
        assert.deepEqual(prot.subarray(0, 12), p.subarray(0, 12));
        if (p.length > 40 && hdr > 0) assert.notDeepEqual(prot.subarray(p.length - 16, p.length), p.subarray(p.length - 16));
        assert.deepEqual(s.unprotectRtp(rx, prot), p);
      }
      for (let i = 0; i < 5; i++) {
        const p = rtcpPacket(0x11223344, 4 * i);
        const prot = s.protectRtcp(tx, p);
        assert.equal(prot.length, p.length + 4 + (id <= 2 ? 10 : 16));
        assert.deepEqual(s.unprotectRtcp(rx, prot), p);
      }
      const c = s.counters(rx);
      assert.equal(c.rtpUnprotected, shapes.length);
      assert.equal(c.rtcpUnprotected, 5);
      assert.equal(c.authFailed + c.malformed + c.replayed, 0);
    });

    test(`${provider}: ${name} ROC rollover across 65535 -> 0, with reordering around the wrap`, () => {
      const { tx, rx } = pair(s, id);
      const ssrc = 0xcafe0001;
      const seqs = Array.from({ length: 40 }, (_, i) => (65515 + i) & 0xffff);
      const prot = seqs.map((q) => s.protectRtp(tx, rtpPacket(q, ssrc, payload(50, q))));
      // Deliver in order except for pairs swapped across the wrap.
      const order = [...prot.keys()];
      [order[19], order[21]] = [order[21], order[19]];
      [order[20], order[25]] = [order[25], order[20]];
      for (const i of order) assert.deepEqual(s.unprotectRtp(rx, prot[i]), rtpPacket(seqs[i], ssrc, payload(50, seqs[i])));
      // On to the second wrap (ROC 1 -> 2) in steps the receiver can follow, holding back 65535.
      const send = (q: number) => s.unprotectRtp(rx, s.protectRtp(tx, rtpPacket(q, ssrc, payload(8, q))));
      for (let q = 1000; q <= 65000; q += 1000) assert.equal(send(q).length, 20);
      const held = s.protectRtp(tx, rtpPacket(65535, ssrc, payload(8, 7)));
      send(0);
      send(1);
      // The late packet's SEQ is guessed to be from before the wrap (v = ROC - 1, Appendix A).
      assert.deepEqual(s.unprotectRtp(rx, held), rtpPacket(65535, ssrc, payload(8, 7)));
      assert.equal(s.op(rx, OP.UNPROTECT_RTP, held).r, ERR.REPLAY);
      // At ROC 0, a SEQ more than 2^15 ahead reads as one from before the stream began (v = -1).
      const { tx: t2, rx: r2 } = pair(s, id);
      s.unprotectRtp(r2, s.protectRtp(t2, rtpPacket(100, 9, payload(4))));
      assert.equal(s.op(t2, OP.PROTECT_RTP, rtpPacket(40000, 9, payload(4))).r, ERR.TOO_OLD);
      const forged = rtpPacket(40000, 9, payload(4 + 16));
      assert.equal(s.op(r2, OP.UNPROTECT_RTP, forged).r, ERR.TOO_OLD);
      assert.equal(s.counters(r2).tooOld, 1);
      assert.equal(s.counters(rx).authFailed, 0);
    });

    test(`${provider}: ${name} replay window: reordering inside it, replays and too-old packets outside`, () => {
      const { tx, rx } = pair(s, id);
      const ssrc = 7;
      const prot = Array.from({ length: 300 }, (_, q) => s.protectRtp(tx, rtpPacket(q, ssrc, payload(20, q))));
      // 0..199 shuffled within blocks of 32, except 120 held back.
      for (let b = 0; b < 200; b += 32) {
        const block = [...Array(Math.min(32, 200 - b)).keys()].map((i) => b + i).filter((q) => q !== 120).reverse();
        for (const q of block) assert.ok(s.op(rx, OP.UNPROTECT_RTP, prot[q]).r > 0, `seq ${q}`);
      }
      let c = s.counters(rx);
      assert.equal(c.rtpUnprotected, 199);
      // Replays: rejected and counted; state unchanged.
      for (const q of [199, 150, 140]) assert.equal(s.op(rx, OP.UNPROTECT_RTP, prot[q]).r, ERR.REPLAY);
      // 120 is 79 behind 199, past the default 64-packet window.
      assert.equal(s.op(rx, OP.UNPROTECT_RTP, prot[120]).r, ERR.TOO_OLD);
      assert.equal(s.op(rx, OP.UNPROTECT_RTP, prot[10]).r, ERR.TOO_OLD);
      c = s.counters(rx);
      assert.equal(c.replayed, 3);
      assert.equal(c.tooOld, 2);
      // A 128-packet window accepts 120 after 199.
      const { key, salt } = keysFor(id);
      const tx3 = s.session(id, key, salt), rx3 = s.session(id, key, salt, { replayWindow: 128 });
      const p3 = Array.from({ length: 200 }, (_, q) => s.protectRtp(tx3, rtpPacket(q, ssrc, payload(4))));
      for (let q = 0; q < 200; q++) if (q !== 120 && q !== 71) assert.ok(s.op(rx3, OP.UNPROTECT_RTP, p3[q]).r > 0);
      assert.ok(s.op(rx3, OP.UNPROTECT_RTP, p3[120]).r > 0);
      assert.equal(s.op(rx3, OP.UNPROTECT_RTP, p3[71]).r, ERR.TOO_OLD);
      // SRTCP has its own window over the SRTCP index.
      const r1 = s.protectRtcp(tx, rtcpPacket(ssrc)), r2 = s.protectRtcp(tx, rtcpPacket(ssrc));
      assert.ok(s.op(rx, OP.UNPROTECT_RTCP, r2).r > 0);
      assert.ok(s.op(rx, OP.UNPROTECT_RTCP, r1).r > 0);
      assert.equal(s.op(rx, OP.UNPROTECT_RTCP, r1).r, ERR.REPLAY);
      for (let i = 0; i < 70; i++) s.unprotectRtcp(rx, s.protectRtcp(tx, rtcpPacket(ssrc)));
      assert.equal(s.op(rx, OP.UNPROTECT_RTCP, r1).r, ERR.TOO_OLD);
    });

    test(`${provider}: ${name} tampered packets are rejected, counted, and change no state`, () => {
      const { tx, rx } = pair(s, id);
      const p = rtpPacket(1000, 0xabcdef01, payload(64), { csrcs: [5], extWords: 1 });
      const prot = s.protectRtp(tx, p);
      let failures = 0;
      for (let i = 0; i < prot.length; i++) {
        for (const bit of [0x01, 0x80]) {
          const bad = prot.slice();
          bad[i] ^= bit;
          const { r } = s.op(rx, OP.UNPROTECT_RTP, bad);
          assert.ok(r < 0, `byte ${i} bit ${bit} accepted`);
          failures++;
        }
      }
      const c = s.counters(rx);
      assert.equal(c.authFailed + c.malformed + c.streamLimit, failures);
      assert.equal(s.streams(rx, true), 0, "no context for a packet that never authenticated");
      assert.deepEqual(s.unprotectRtp(rx, prot), p);
      // Truncated tags.
      for (let cut = 1; cut < prot.length; cut++) assert.ok(s.op(rx, OP.UNPROTECT_RTP, prot.subarray(0, cut)).r < 0);
      // SRTCP, every byte.
      const rp = s.protectRtcp(tx, rtcpPacket(0xabcdef01, 16));
      for (let i = 0; i < rp.length; i++) {
        const bad = rp.slice();
        bad[i] ^= 0x04;
        assert.ok(s.op(rx, OP.UNPROTECT_RTCP, bad).r < 0, `rtcp byte ${i}`);
      }
      assert.ok(s.op(rx, OP.UNPROTECT_RTCP, rp).r > 0);
    });

    test(`${provider}: ${name} short, malformed and hostile packets never trap`, () => {
      const { tx, rx } = pair(s, id);
      for (let n = 0; n < 40; n++) {
        const junk = new Uint8Array(randomBytes(n));
        for (const op of [OP.PROTECT_RTP, OP.UNPROTECT_RTP, OP.PROTECT_RTCP, OP.UNPROTECT_RTCP]) {
          const r = s.op(op % 2 === 0 ? tx : rx, op, junk).r;
          if (op !== OP.PROTECT_RTP && op !== OP.PROTECT_RTCP) assert.ok(r < 0, `op ${op} len ${n}`);
        }
      }
      // Absurd header extension lengths and CSRC counts.
      const ext = rtpPacket(1, 1, payload(30), { extWords: 1 });
      new DataView(ext.buffer).setUint16(14, 0xffff);
      assert.equal(s.op(tx, OP.PROTECT_RTP, ext).r, ERR.MALFORMED);
      assert.equal(s.op(rx, OP.UNPROTECT_RTP, ext).r, ERR.MALFORMED);
      const cc = rtpPacket(1, 1, payload(20));
      cc[0] = 0x8f;
      assert.equal(s.op(tx, OP.PROTECT_RTP, cc).r, ERR.MALFORMED);
      const xOnly = rtpPacket(1, 1, new Uint8Array(2));
      xOnly[0] |= 0x10;
      assert.equal(s.op(tx, OP.PROTECT_RTP, xOnly).r, ERR.MALFORMED);
      const v1 = rtpPacket(1, 1, payload(20));
      v1[0] = 0x40;
      assert.equal(s.op(tx, OP.PROTECT_RTP, v1).r, ERR.MALFORMED);
      // No room for the tag or the SRTCP trailer.
      assert.equal(s.op(tx, OP.PROTECT_RTP, rtpPacket(1, 1, payload(20)), 3).r, ERR.NO_ROOM);
      assert.equal(s.op(tx, OP.PROTECT_RTCP, rtcpPacket(1), 13).r, ERR.NO_ROOM);
      // A length that lies about the buffer.
      for (const op of [0, 1, 2, 3]) {
        assert.equal(s.opLen(op % 2 === 0 ? tx : rx, op, rtpPacket(1, 1, payload(20)), 5000), ERR.MALFORMED);
      }
      // Random garbage that starts like version 2.
      for (let i = 0; i < 300; i++) {
        const junk = new Uint8Array(randomBytes(1 + (i % 90)));
        junk[0] = 0x80 | (junk[0] & 0x3f);
        assert.ok(s.op(rx, OP.UNPROTECT_RTP, junk).r < 0);
        assert.ok(s.op(rx, OP.UNPROTECT_RTCP, junk).r < 0);
      }
      assert.equal(s.streams(rx, true), 0);
      const c = s.counters(tx);
      assert.ok(c.malformed >= 5 && c.noRoom === 2);
    });

    test(`${provider}: ${name} SSRC floods stay within maxStreams`, () => {
      const { tx, rx } = pair(s, id, { maxStreams: 4 });
      const ok: Uint8Array[] = [];
      for (let i = 0; i < 10; i++) {
        const { r, out } = s.op(tx, OP.PROTECT_RTP, rtpPacket(1, 1000 + i, payload(10)));
        if (i < 4) { assert.ok(r > 0); ok.push(out.slice()); } else assert.equal(r, ERR.STREAM_LIMIT);
      }
      assert.equal(s.streams(tx, false), 4);
      assert.equal(s.counters(tx).streamLimit, 6);
      // Forged packets with fresh SSRCs do not take slots; real ones do, up to the bound.
      for (let i = 0; i < 500; i++) {
        const forged = rtpPacket(i, 50000 + i, payload(30 + (i % 7)));
        assert.equal(s.op(rx, OP.UNPROTECT_RTP, new Uint8Array([...forged, ...new Uint8Array(16)])).r, ERR.AUTH);
      }
      assert.equal(s.streams(rx, true), 0);
      for (const p of ok) assert.ok(s.op(rx, OP.UNPROTECT_RTP, p).r > 0);
      assert.equal(s.streams(rx, true), 4);
      const tx2 = s.session(id, new Uint8Array(keyLengths(id).key), new Uint8Array(keyLengths(id).salt));
      const rx2 = s.session(id, new Uint8Array(keyLengths(id).key), new Uint8Array(keyLengths(id).salt), { maxStreams: 2 });
      for (let i = 0; i < 5; i++) {
        const r = s.op(rx2, OP.UNPROTECT_RTP, s.protectRtp(tx2, rtpPacket(1, 99 + i, payload(10)))).r;
        assert.equal(r > 0, i < 2);
      }
      assert.equal(s.counters(rx2).streamLimit, 3);
      // Forgetting an SSRC frees its slot.
      s.e.x.srtp_remove_stream(rx2, 99);
      assert.equal(s.streams(rx2, true), 1);
      assert.ok(s.op(rx2, OP.UNPROTECT_RTP, s.protectRtp(tx2, rtpPacket(2, 200, payload(10)))).r > 0);
    });

    test(`${provider}: ${name} SRTCP index exhaustion and received E=0 packets`, () => {
      const { tx, rx, key, salt } = pair(s, id);
      assert.ok(s.setRtcpIndex(tx, 5, 0x7fffffff));
      const last = s.protectRtcp(tx, rtcpPacket(5));
      assert.ok(s.op(rx, OP.UNPROTECT_RTCP, last).r > 0);
      assert.equal(s.op(tx, OP.PROTECT_RTCP, rtcpPacket(5)).r, ERR.EXHAUSTED);
      assert.equal(s.counters(tx).exhausted, 1);
      const plainTx = s.session(id, key, salt, { encryptRtcp: false });
      const p = rtcpPacket(6, 8);
      const tagged = s.protectRtcp(plainTx, p);
      assert.deepEqual(tagged.subarray(8, p.length - (id <= 2 ? 0 : 0)).subarray(0, 8), p.subarray(8, 16), "not encrypted");
      assert.deepEqual(s.unprotectRtcp(rx, tagged), p);
    });
  }
}

test("pure and host providers interoperate for every profile", () => {
  const pure = new SrtpEntry("pure"), host = new SrtpEntry("host");
  for (const { id } of PROFILE_LIST) {
    const { key, salt } = keysFor(id);
    for (const [a, b] of [[pure, host], [host, pure]]) {
      const tx = a.session(id, key, salt), rx = b.session(id, key, salt);
      for (let q = 65500; q < 65600; q += 3) {
        const p = rtpPacket(q & 0xffff, 0x1234, payload(q % 300, q), { csrcs: q % 2 ? [1] : [] });
        assert.deepEqual(b.unprotectRtp(rx, a.protectRtp(tx, p)), p);
        const c = rtcpPacket(0x1234, 4 * (q % 5));
        assert.deepEqual(b.unprotectRtcp(rx, a.protectRtcp(tx, c)), c);
      }
    }
  }
});

test("replay window and ROC guess (RFC 3711 §3.3.1, §3.3.2, Appendix A)", () => {
  const s = new SrtpEntry("pure");
  const g = (roc: number, sl: number, seq: number) => Number(s.e.x.guess_roc(roc, sl, seq));
  assert.equal(g(0, 100, 101), 0);
  assert.equal(g(0, 65535, 0), 1);
  assert.equal(g(0, 65000, 100), 1);
  assert.equal(g(1, 100, 65000), 0);
  assert.equal(g(0, 100, 65000), -1);
  // s_l = 40000: SEQs below 40000 - 32768 = 7232 are taken to be after a wrap.
  assert.equal(g(5, 40000, 7000), 6);
  assert.equal(g(5, 40000, 7231), 6);
  assert.equal(g(5, 40000, 7232), 5);
  assert.equal(g(0xffffffff, 65535, 1), 0x100000000);
  const w = s.e.x.window_new(64);
  const chk = (i: number) => s.e.x.window_check(w, BigInt(i));
  const acc = (i: number) => s.e.x.window_accept(w, BigInt(i));
  assert.equal(chk(5), 0);
  acc(5);
  assert.equal(chk(5), 1);
  acc(100);
  // The window is top - 63 .. top.
  assert.equal(chk(36), 2);
  assert.equal(chk(37), 0);
  assert.equal(chk(38), 0);
  assert.equal(chk(100), 1);
  acc(38);
  assert.equal(chk(38), 1);
  acc(1000);
  assert.equal(chk(999), 0);
  assert.equal(chk(100), 2);
  acc(1063);
  assert.equal(chk(1000), 1);
  assert.equal(chk(999), 2);
  // A big window, sliding by more than a word at a time.
  const w2 = s.e.x.window_new(1000);
  for (let i = 0; i < 5000; i += 7) s.e.x.window_accept(w2, BigInt(i));
  for (let i = 4998 - 1023; i <= 4998; i++) assert.equal(s.e.x.window_check(w2, BigInt(i)), i % 7 === 0 ? 1 : 0, `${i}`);
  assert.equal(s.e.x.window_check(w2, BigInt(4998 - 1024)), 2);
});

test("RTP header length (RFC 3550 §5.1, §5.3.1)", () => {
  const s = new SrtpEntry("pure");
  const len = (p: Uint8Array) => { const ptr = s.e.put(p); const r = s.e.x.rtp_header_length(ptr, p.length); s.e.free(ptr); return r; };
  assert.equal(len(rtpPacket(1, 1, payload(5))), 12);
  assert.equal(len(rtpPacket(1, 1, payload(5), { csrcs: [1, 2] })), 20);
  assert.equal(len(rtpPacket(1, 1, payload(0), { csrcs: [1], extWords: 3 })), 32);
  assert.equal(len(rtpPacket(1, 1, payload(0), { extWords: 0 })), 16);
  assert.equal(len(new Uint8Array(11).fill(0x80)), -1);
});
