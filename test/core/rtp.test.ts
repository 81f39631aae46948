// RTP/RTCP codec (assembly/rtp): RFC 3550 header, CSRCs and padding, RFC 8285 extensions, RTCP
// SR/RR/SDES/BYE, RFC 4585 NACK/PLI, RFC 5104 FIR, REMB, compounds and RFC 5506 reduced size,
// byte layouts from the RFCs' figures, werift cross-checks both ways, and malformed input.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  RtpPacket as WRtpPacket, RtpHeader as WRtpHeader, RtcpPacketConverter, GenericNack, RtcpSrPacket, RtcpSenderInfo,
  RtcpRrPacket, RtcpReceiverInfo, PictureLossIndication, ReceiverEstimatedMaxBitrate, RtcpPayloadSpecificFeedback,
  RtcpTransportLayerFeedback,
} from "werift";
import { PROVIDERS, hex, toHex } from "../helpers/entry.js";
import { RtpEntry } from "./rtp_support.js";

const h = (s: string) => hex(s.replace(/\s+/g, ""));

for (const provider of PROVIDERS) {
  const r = new RtpEntry(provider);

  test(`${provider}: RTP fixed header and CSRC list, RFC 3550 §5.1 layout`, () => {
    const b = r.buildRtp({ pt: 96, marker: true, seq: 0x1234, ts: 0xdeadbeef, ssrc: 0x11223344, csrcs: [1, 0xfffffffe],
      payload: Buffer.from("abc") });
    assert.equal(toHex(b), "82e01234deadbeef11223344" + "00000001fffffffe" + "616263");
    const p = r.parseRtp(b);
    assert.deepEqual([p.err, p.marker, p.pt, p.seq, p.ts, p.ssrc, p.csrcs, p.payload],
      [0, true, 96, 0x1234, 0xdeadbeef, 0x11223344, [1, 0xfffffffe], "616263"]);
  });

  test(`${provider}: padding (§5.1 P bit) is counted by the last octet and removed`, () => {
    const b = r.buildRtp({ pt: 0, seq: 7, payload: h("0102"), padding: 4 });
    assert.equal(toHex(b), "a0000007" + "00000000" + "00000000" + "0102" + "00000004");
    const p = r.parseRtp(b);
    assert.equal(p.padding, 4);
    assert.equal(p.payload, "0102");
    // Zero padding count, and a count longer than the packet, are both invalid.
    const zero = b.slice(); zero[zero.length - 1] = 0;
    assert.equal(r.parseRtp(zero).err, -5);
    const huge = b.slice(); huge[huge.length - 1] = 200;
    assert.equal(r.parseRtp(huge).err, -5);
  });

  test(`${provider}: RFC 8285 §4.2 one-byte extension layout`, () => {
    const b = r.buildRtp({ pt: 111, seq: 1, ts: 2, ssrc: 3,
      ext: [[1, h("aa")], [2, h("bbcc")], [3, h("01020304")]], payload: h("ff") });
    // 0xBEDE, 3 words: ID=1 L=0, ID=2 L=1, ID=3 L=3, then 2 octets of padding.
    assert.equal(toHex(b), "906f00010000000200000003" + "bede0003" + "10aa21bbcc3301020304" + "0000" + "ff");
    const p = r.parseRtp(b);
    assert.equal(p.extProfile, 0xbede);
    assert.deepEqual(p.ext, [[1, "aa"], [2, "bbcc"], [3, "01020304"]]);
    assert.equal(p.payload, "ff");
  });

  test(`${provider}: RFC 8285 §4.3 two-byte extensions (id > 14, empty or > 16-byte values)`, () => {
    const big = new Uint8Array(20).fill(7);
    const b = r.buildRtp({ pt: 96, ext: [[1, new Uint8Array(0)], [200, big]], payload: h("01") });
    const p = r.parseRtp(b);
    assert.equal(p.extProfile, 0x1000);
    assert.deepEqual(p.ext, [[1, ""], [200, toHex(big)]]);
    // Layout: 0x1000, length 6 words: 01 00 | c8 14 + 20 bytes, then 0 padding.
    assert.equal(toHex(b.subarray(12, 16)), "10000006");
    assert.equal(toHex(b.subarray(16, 20)), "0100c814");
  });

  test(`${provider}: one-byte extension parsing: padding octets, ID 15 stops, element overruns rejected`, () => {
    const mk = (ext: string, words: number) => h("90600001 00000002 00000003 bede" + words.toString(16).padStart(4, "0") + ext + "ee");
    let p = r.parseRtp(mk("00 10aa 00 21bbcc 00", 2));
    assert.deepEqual(p.ext, [[1, "aa"], [2, "bbcc"]]);
    p = r.parseRtp(mk("10aa f0 21bbcc 00", 2));
    assert.deepEqual(p.ext, [[1, "aa"]], "processing stops at ID 15");
    p = r.parseRtp(mk("10aa 2f bbcc000000", 2));
    assert.equal(p.err, 0);
    assert.equal(p.extOk, false, "an element longer than the block");
    // An extension length (in words) beyond the datagram: the packet is rejected.
    assert.equal(r.parseRtp(mk("10aa0000", 0xffff)).err, -4);
    assert.equal(r.parseRtp(mk("10aa0000", 2)).err, -4);
    // Two-byte form, element length past the end.
    const two = h("90600001 00000002 00000003 10000001 01ff0000 ee");
    assert.equal(r.parseRtp(two).extOk, false);
  });

  test(`${provider}: short, wrong-version and truncated RTP packets never trap`, () => {
    for (let n = 0; n < 12; n++) assert.equal(r.parseRtp(new Uint8Array(n).fill(0x80)).err, -1);
    assert.equal(r.parseRtp(h("40600001000000020000000300")).err, -2);
    assert.equal(r.parseRtp(h("8f600001000000020000000300000001")).err, -3, "15 CSRCs claimed, 1 present");
    assert.equal(r.parseRtp(h("906000010000000200000003bede")).err, -4, "extension header cut");
    for (let i = 0; i < 2000; i++) {
      const junk = new Uint8Array(1 + (i % 60)).map(() => (Math.random() * 256) | 0);
      junk[0] = (junk[0] & 0x3f) | 0x80;
      r.parseRtp(junk);
    }
  });

  test(`${provider}: werift parses our RTP and we parse werift's (extensions both forms)`, () => {
    const ours = r.buildRtp({ pt: 100, marker: true, seq: 65535, ts: 4000000000, ssrc: 0xcafebabe, csrcs: [9],
      ext: [[3, h("0102")], [5, h("ff")]], payload: h("00112233"), padding: 3 });
    const w = WRtpPacket.deSerialize(Buffer.from(ours));
    assert.equal(w.header.marker, true);
    assert.equal(w.header.payloadType, 100);
    assert.equal(w.header.sequenceNumber, 65535);
    assert.equal(w.header.timestamp, 4000000000);
    assert.equal(w.header.ssrc, 0xcafebabe);
    assert.deepEqual(w.header.csrc, [9]);
    assert.deepEqual(w.header.extensions.map((e) => [e.id, toHex(e.payload)]), [[3, "0102"], [5, "ff"]]);
    assert.equal(toHex(w.payload), "00112233");
    for (const profile of [0xbede, 0x1000] as const) {
      const theirs = new WRtpPacket(new WRtpHeader({ payloadType: 97, sequenceNumber: 42, timestamp: 1234, ssrc: 77,
        marker: false, extension: true, extensionProfile: profile,
        extensions: [{ id: 1, payload: Buffer.from("ab", "hex") }, { id: 4, payload: Buffer.from("0102030405", "hex") }] }),
        Buffer.from("deadbeef", "hex")).serialize();
      const p = r.parseRtp(theirs);
      assert.equal(p.err, 0);
      assert.deepEqual([p.pt, p.seq, p.ts, p.ssrc, p.extProfile, p.payload], [97, 42, 1234, 77, profile, "deadbeef"]);
      assert.deepEqual(p.ext, [[1, "ab"], [4, "0102030405"]]);
    }
  });

  test(`${provider}: RTCP SR with a report block and SDES CNAME, §6.4.1/§6.5 layout`, () => {
    const b = r.buildRtcp([
      ["sr", 0x11111111, 0xe8a3b2c1_80000000n, 0x01020304, 10, 1000],
      ["report", 0x22222222, 0x40, -5, 0x00010005, 17, 0xb2c18000, 0x00010000],
      ["sdes", 0x11111111, "abc"],
    ]);
    assert.equal(toHex(b),
      "81c8000c" + "11111111" + "e8a3b2c180000000" + "01020304" + "0000000a" + "000003e8" +
      "22222222" + "40fffffb" + "00010005" + "00000011" + "b2c18000" + "00010000" +
      "81ca0003" + "11111111" + "0103616263000000");
    const p = r.parseRtcp(b);
    assert.equal(p.err, 0);
    assert.equal(p.reducedSize, false);
    const [sr, sdes] = p.packets;
    assert.equal(sr.ntp, (0xe8a3b2c1_80000000n).toString());
    assert.deepEqual([sr.ssrc, sr.rtpTime, sr.packetCount, sr.octetCount], [0x11111111, 0x01020304, 10, 1000]);
    assert.deepEqual(sr.reports[0], { ssrc: 0x22222222, fractionLost: 0x40, cumulativeLost: -5, extendedHighestSeq: 0x10005,
      jitter: 17, lastSr: 0xb2c18000, delaySinceLastSr: 0x10000 });
    assert.deepEqual(sdes.chunks, [{ ssrc: 0x11111111, cname: "abc" }]);
    // werift reads the same compound.
    const w = RtcpPacketConverter.deSerialize(Buffer.from(b));
    assert.ok(w[0] instanceof RtcpSrPacket);
    const wsr = w[0] as RtcpSrPacket;
    assert.equal(wsr.senderInfo.ntpTimestamp, 0xe8a3b2c1_80000000n);
    // werift keeps the 24-bit field unsigned; sign-extended it is the same -5.
    assert.equal((wsr.reports[0].packetsLost << 8) >> 8, -5);
    assert.equal(wsr.reports[0].jitter, 17);
  });

  test(`${provider}: RR, BYE with reason, and a reduced-size (RFC 5506) lone PLI`, () => {
    const b = r.buildRtcp([["rr", 5], ["report", 6, 0, 0x7fffff, 1, 2, 3, 4], ["report", 7, 255, -0x800000, 5, 6, 7, 8],
      ["bye", 5, "bye now"]]);
    const p = r.parseRtcp(b);
    assert.equal(p.packets[0].type, 201);
    assert.equal(p.packets[0].reports.length, 2);
    assert.equal(p.packets[0].reports[0].cumulativeLost, 0x7fffff);
    assert.equal(p.packets[0].reports[1].cumulativeLost, -0x800000);
    assert.deepEqual([p.packets[1].ssrcs, p.packets[1].reason], [[5], "bye now"]);
    // BYE: header, SSRC, then length 7 + "bye now" = 8 octets (already aligned).
    assert.equal(toHex(b.subarray(b.length - 16)), "81cb0003" + "00000005" + "07627965206e6f77");
    const pli = r.buildRtcp([["pli", 1, 2]]);
    assert.equal(toHex(pli), "81ce0002" + "00000001" + "00000002");
    const q = r.parseRtcp(pli);
    assert.equal(q.reducedSize, true);
    assert.deepEqual([q.packets[0].sender, q.packets[0].media], [1, 2]);
    const wp = RtcpPacketConverter.deSerialize(Buffer.from(pli))[0] as RtcpPayloadSpecificFeedback;
    assert.ok(wp.feedback instanceof PictureLossIndication);
  });

  test(`${provider}: RFC 4585 §6.2.1 generic NACK: PID+BLP packing, 16-bit wrap, werift both ways`, () => {
    const b = r.buildRtcp([["nack", 0xaaaa, 0xbbbb, [100, 101, 103, 117, 118, 200]]]);
    assert.equal(toHex(b), "81cd0005" + "0000aaaa" + "0000bbbb" + "00640005" + "00750001" + "00c80000");
    assert.deepEqual(r.parseRtcp(b).packets[0].fci, [[100, 5], [117, 1], [200, 0]]);
    const wrap = r.buildRtcp([["nack", 1, 2, [65534, 65535, 0, 1]]]);
    assert.deepEqual(r.parseRtcp(wrap).packets[0].fci, [[65534, 7]]);
    const wn = (RtcpPacketConverter.deSerialize(Buffer.from(b))[0] as RtcpTransportLayerFeedback).feedback as GenericNack;
    assert.deepEqual(wn.lost, [100, 101, 103, 117, 118, 200]);
    const theirs = new RtcpTransportLayerFeedback({ feedback: new GenericNack({ senderSsrc: 9, mediaSourceSsrc: 10,
      lost: [5, 6, 7, 30] }) }).serialize();
    const p = r.parseRtcp(theirs);
    assert.deepEqual([p.packets[0].sender, p.packets[0].media, p.packets[0].fci], [9, 10, [[5, 3], [30, 0]]]);
  });

  test(`${provider}: RFC 5104 §4.3.1 FIR and REMB (draft-alvestrand-rmcat-remb §2.2)`, () => {
    const fir = r.buildRtcp([["fir", 1, 0x55, 9]]);
    assert.equal(toHex(fir), "84ce0004" + "00000001" + "00000000" + "00000055" + "09000000");
    assert.deepEqual(r.parseRtcp(fir).packets[0].entries, [[0x55, 9]]);
    const remb = r.buildRtcp([["remb", 3, 1_000_000, [0x10, 0x20]]]);
    // 1,000,000 = 250,000 << 2: exponent 2, mantissa 250000 (0x3d090).
    assert.equal(toHex(remb), "8fce0006" + "00000003" + "00000000" + "52454d42" + "020bd090" + "00000010" + "00000020");
    const p = r.parseRtcp(remb).packets[0];
    assert.deepEqual([p.remb, p.bitrate, p.ssrcs], [true, 1_000_000, [0x10, 0x20]]);
    const wr = (RtcpPacketConverter.deSerialize(Buffer.from(remb))[0] as RtcpPayloadSpecificFeedback).feedback as ReceiverEstimatedMaxBitrate;
    assert.equal(Number(wr.bitrate), 1_000_000);
    const theirs = new RtcpPayloadSpecificFeedback({ feedback: new ReceiverEstimatedMaxBitrate({ senderSsrc: 4, mediaSsrc: 0,
      brExp: 3, brMantissa: 100000, ssrcNum: 1, ssrcFeedbacks: [77] }) }).serialize();
    const q = r.parseRtcp(theirs).packets[0];
    assert.deepEqual([q.sender, q.bitrate, q.ssrcs], [4, 800000, [77]]);
  });

  test(`${provider}: werift-built SR and RR parse here`, () => {
    const sr = new RtcpSrPacket({ ssrc: 1234, senderInfo: new RtcpSenderInfo({ ntpTimestamp: 0x0102030405060708n,
      rtpTimestamp: 99, packetCount: 3, octetCount: 4 }), reports: [new RtcpReceiverInfo({ ssrc: 5, fractionLost: 6,
      packetsLost: 7, highestSequence: 8, jitter: 9, lsr: 10, dlsr: 11 })] }).serialize();
    const rr = new RtcpRrPacket({ ssrc: 42, reports: [] }).serialize();
    const p = r.parseRtcp(Buffer.concat([sr, rr]));
    assert.equal(p.err, 0);
    assert.equal(p.packets[0].ntp, (0x0102030405060708n).toString());
    assert.deepEqual(p.packets[0].reports[0], { ssrc: 5, fractionLost: 6, cumulativeLost: 7, extendedHighestSeq: 8, jitter: 9,
      lastSr: 10, delaySinceLastSr: 11 });
    assert.deepEqual([p.packets[1].type, p.packets[1].ssrc], [201, 42]);
  });

  test(`${provider}: malformed RTCP is rejected whole (§A.2), never traps`, () => {
    assert.equal(r.parseRtcp(h("")).err, -1);
    assert.equal(r.parseRtcp(h("81c8")).err, -1);
    assert.equal(r.parseRtcp(h("41c90001 00000001")).err, -2, "version 1");
    assert.equal(r.parseRtcp(h("81c90007 00000001")).err, -3, "length past the datagram");
    // Padding on a packet that is not the last one.
    assert.equal(r.parseRtcp(h("a0c90001 00000004 80c90001 00000001")).err, -4);
    assert.equal(r.parseRtcp(h("a0c90001 00000000")).err, -4, "padding count 0");
    // A count that promises more report blocks than the packet holds: the packet is bad.
    assert.equal(r.parseRtcp(h("82c90001 00000001")).packets[0].bad, true);
    // SDES item running past its packet.
    assert.equal(r.parseRtcp(h("81ca0002 00000001 01ff6162")).packets[0].bad, true);
    // More than 32 packets in one datagram.
    assert.equal(r.parseRtcp(Buffer.concat(Array.from({ length: 40 }, () => Buffer.from("80c9000100000001", "hex")))).err, -5);
    for (let i = 0; i < 3000; i++) {
      const junk = new Uint8Array(4 + (i % 80)).map(() => (Math.random() * 256) | 0);
      junk[0] = (junk[0] & 0x3f) | 0x80;
      junk[1] = 200 + (i % 7);
      junk[2] = 0;
      junk[3] = (junk.length >> 2) - 1 - (i & 1);
      r.parseRtcp(junk);
    }
  });

  test(`${provider}: G.711 known values and level meter`, () => {
    const s = new Int16Array([0, 8, -8, 32767, -32768, 1000, -1000]);
    const mu = r.g711Encode(false, s);
    assert.equal(mu[0], 0xff, "mu-law zero");
    assert.equal(mu[3], 0x80);
    assert.equal(mu[4], 0x00);
    const al = r.g711Encode(true, s);
    assert.equal(al[0], 0xd5, "A-law zero");
    assert.equal(al[3], 0xaa);
    assert.equal(al[4], 0x2a);
    assert.deepEqual(Array.from(r.g711Decode(false, h("ff7f8000"))), [0, 0, 32124, -32124]);
    assert.deepEqual(Array.from(r.g711Decode(true, h("d555aa2a"))), [8, -8, 32256, -32256]);
    // Every code word decodes and re-encodes to itself (mu-law 0x7f is -0, which encodes as 0xff).
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const alaw of [false, true]) {
      const back = r.g711Encode(alaw, r.g711Decode(alaw, all));
      for (let i = 0; i < 256; i++) if (!(i === 0x7f && !alaw)) assert.equal(back[i], i, `${alaw ? "A" : "mu"}-law ${i}`);
    }
    assert.equal(r.g711Level(false, new Uint8Array(160).fill(0xff)), 127, "silence");
    const full = r.g711Encode(false, Int16Array.from({ length: 160 }, (_, i) => (i & 1 ? 32767 : -32767)));
    assert.ok(r.g711Level(false, full) <= 1, "full-scale square wave");
    const sine = r.g711Encode(true, Int16Array.from({ length: 160 }, (_, i) => Math.round(3276.8 * Math.sin(i / 3))));
    const lvl = r.g711Level(true, sine);
    assert.ok(lvl >= 22 && lvl <= 24, `-20 dBFS sine is about 23 dBov, got ${lvl}`);
  });
}
