// Sender and receiver helpers (assembly/rtp/rtp_sender.ts, rtp_receiver.ts) driven with a virtual
// clock and network: NACK and RTX recovery under loss and reordering, RR statistics (RFC 3550
// §A.3 loss, §A.8 jitter) against a reference computation, SR timing and NTP time, RTT,
// PLI/FIR events, and hostile input: NACK storms, SSRC floods, malformed packets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RtcpPacketConverter, RtcpSrPacket, RtcpRrPacket, RtpPacket as WRtpPacket } from "werift";
import { toHex } from "../helpers/entry.js";
import { RtpEntry, KIND, haveFfmpeg, FFMPEG_SKIP, h264Stream, accessUnits, annexB } from "./rtp_support.js";

const r = new RtpEntry("pure");
const SSRC = 0x1234abcd, RTX = 0x55667788;

// Deterministic pseudo-random numbers, so a failure replays.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

// Synthetic "frames": sizes that need from 1 to several packets, content that identifies them.
function frames(n: number, seed = 1): Uint8Array[] {
  const rand = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const len = 10 + Math.floor(rand() * 5000);
    const f = new Uint8Array(len).map((_, j) => (j * 7 + i) & 0xff);
    f[0] = i % 10 === 0 ? 0x10 : 0x11; // VP8 frame tag: key frame every tenth
    return f;
  });
}

type Net = { loss: number; reorder: number; dup: number; delay: number; jitter: number };

// Runs a VP8 stream sender -> receiver over a lossy network with RTCP flowing back.
function runStream(o: { net: Net; rtx?: boolean; nack?: boolean; n?: number; seed?: number; maxDelayMs?: number }) {
  const s = r.sender({ kind: KIND.VP8, ssrc: SSRC, pt: 96, maxPacket: 500, rtxSsrc: o.rtx ? RTX : 0, rtxPt: 97 });
  const rx = r.receiver({ kind: KIND.VP8, localSsrc: 9, remoteSsrc: SSRC, rtxSsrc: o.rtx ? RTX : 0, rtxPt: 97,
    nack: o.nack ?? true, maxDelayMs: o.maxDelayMs ?? 400, nackRetryMs: 60 });
  const rand = rng(o.seed ?? 7);
  const input = frames(o.n ?? 150, o.seed ?? 7);
  const queue: { at: number; data: Uint8Array; toRx: boolean; rtcp: boolean }[] = [];
  const send = (data: Uint8Array, toRx: boolean, rtcp: boolean, now: number) => {
    // Feedback travels over the same network but is not dropped (the test is about media loss).
    // The first frame travels cleanly: a receiver's stream starts at the first packet it sees,
    // so a reordered or lost stream start is a keyframe request, not a NACK (tested separately).
    if (now === 1000) {
      queue.push({ at: now + o.net.delay, data, toRx, rtcp });
      return;
    }
    if (toRx && rand() < o.net.loss) return;
    const copies = toRx && rand() < o.net.dup ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      let at = now + o.net.delay + rand() * o.net.jitter;
      if (toRx && rand() < o.net.reorder) at += 30;
      queue.push({ at, data, toRx, rtcp });
    }
  };
  const got: { data: Uint8Array; ts: number; keyframe: boolean }[] = [];
  let now = 1000;
  const end = now + (input.length + 30) * 33;
  let next = 0;
  for (; now < end; now += 1) {
    if (next < input.length && now >= 1000 + next * 33) {
      s.send(input[next], next * 3000, now);
      next++;
    }
    if (s.next() >= 0 && s.next() <= now) s.timeout(now);
    for (const p of s.drain()) send(p.data, true, p.rtcp, now);
    queue.sort((a, b) => a.at - b.at);
    while (queue.length && queue[0].at <= now) {
      const q = queue.shift()!;
      if (q.toRx) {
        if (q.rtcp) rx.rtcp(q.data, now);
        else rx.rtp(q.data, now);
      } else s.rtcp(q.data, now);
    }
    const t = rx.next();
    if (t >= 0 && t <= now) rx.timeout(now);
    for (const p of rx.drain()) send(p, false, true, now);
    got.push(...rx.frames());
  }
  return { input, got, tx: s.counters(), rx: rx.counters(), events: s.events() };
}

test("lossless VP8 stream: every frame delivered in order, bit-exact; RR/SR exchanged", () => {
  const { input, got, tx, rx } = runStream({ net: { loss: 0, reorder: 0, dup: 0, delay: 20, jitter: 0 } });
  assert.equal(got.length, input.length);
  got.forEach((f, i) => {
    assert.equal(toHex(f.data), toHex(input[i]));
    assert.equal(f.ts, i * 3000);
    assert.equal(f.keyframe, i % 10 === 0);
  });
  assert.equal(rx.cumulativeLost, 0);
  assert.equal(rx.nacksSent, 0);
  assert.ok(tx.srsSent >= 4 && rx.srsReceived === tx.srsSent);
  assert.ok(rx.rrsSent >= 4);
  // RTT from the RR's LSR/DLSR: twice the 20 ms one-way delay, to a millisecond or so.
  assert.ok(Math.abs(tx.rttMs - 40) <= 2, `rtt ${tx.rttMs}`);
});

for (const rtx of [false, true]) {
  test(`5% loss, reordering and duplicates: NACK ${rtx ? "with RTX (RFC 4588)" : "with plain retransmission"} recovers every frame`, () => {
    const { input, got, tx, rx } = runStream({ net: { loss: 0.05, reorder: 0.05, dup: 0.02, delay: 25, jitter: 10 }, rtx, seed: rtx ? 3 : 4 });
    assert.ok(rx.nacksSent > 0 && tx.retransmitted > 0);
    if (rtx) assert.ok(rx.rtxReceived > 0);
    else assert.equal(rx.rtxReceived, 0);
    assert.deepEqual(input.map((_, i) => i).filter((i) => !got.some((f) => f.ts === i * 3000)), [], JSON.stringify(rx));
    got.forEach((f, i) => assert.equal(toHex(f.data), toHex(input[i]), `frame ${i}`));
    assert.equal(rx.framesDropped, 0);
    assert.ok(rx.nackRecovered > 0);
  });
}

test("without NACK, loss drops frames, a PLI asks for a keyframe, and the stream goes on", () => {
  const { input, got, rx, events } = runStream({ net: { loss: 0.05, reorder: 0, dup: 0, delay: 10, jitter: 0 }, nack: false, seed: 11 });
  assert.ok(got.length < input.length && got.length > input.length / 2);
  assert.ok(rx.plisSent > 0);
  assert.ok(events.includes(1), "the sender surfaced a keyframe request");
  // Every delivered frame is one of the inputs, whole.
  for (const f of got) assert.equal(toHex(f.data), toHex(input[f.ts / 3000]));
});

// RFC 3550 §A.8 reference, straight from the appendix's arithmetic in floating point.
function referenceJitter(arrivalsMs: number[], stamps: number[], rate: number) {
  let j = 0;
  for (let i = 1; i < stamps.length; i++) {
    const d = Math.abs((Math.floor(arrivalsMs[i] * rate / 1000) - stamps[i]) - (Math.floor(arrivalsMs[i - 1] * rate / 1000) - stamps[i - 1]));
    j += (d - j) / 16;
  }
  return j;
}

test("RR statistics: §A.3 cumulative and fractional loss, §A.8 jitter, extended highest sequence across the wrap", () => {
  const tx = r.sender({ kind: KIND.OPUS, ssrc: SSRC, clockRate: 48000 });
  const rx = r.receiver({ kind: KIND.OPUS, localSsrc: 2, clockRate: 48000, nack: false });
  const rand = rng(5);
  const arrivals: number[] = [], stamps: number[] = [];
  let sent = 0, dropped = 0;
  let firstSeq = -1;
  for (let i = 0; i < 1000; i++) {
    tx.send(new Uint8Array([i & 0xff, 1, 2]), i * 960, 1000 + i * 20);
    const [p] = tx.drain().filter((x) => !x.rtcp);
    if (firstSeq < 0) firstSeq = WRtpPacket.deSerialize(Buffer.from(p.data)).header.sequenceNumber;
    sent++;
    if (i % 10 === 3) {
      dropped++;
      continue;
    }
    const at = 1000 + i * 20 + 40 + Math.floor(rand() * 15);
    rx.rtp(p.data, at);
    arrivals.push(at);
    stamps.push(i * 960);
  }
  const c = rx.counters();
  assert.equal(c.cumulativeLost, dropped);
  assert.equal(c.expected, sent);
  const want = referenceJitter(arrivals, stamps, 48000);
  assert.ok(Math.abs(c.jitter - want) <= 1 + want * 0.02, `jitter ${c.jitter} vs ${want.toFixed(1)}`);
  // The RR carries it: fraction lost 10% = 25/256, extended highest seq across the wrap.
  rx.timeout(1e9);
  const out = rx.drain();
  const rr = out.map((b) => r.parseRtcp(b)).find((p) => p.packets[0].type === 201)!;
  const block = rr.packets[0].reports[0];
  assert.equal(block.ssrc, SSRC);
  assert.equal(block.cumulativeLost, dropped);
  assert.equal(block.fractionLost, Math.floor((dropped * 256) / sent));
  assert.equal(block.extendedHighestSeq, firstSeq + sent - 1);
  assert.equal(block.jitter, c.jitter);
  // werift reads our RR + SDES compound the same way.
  const w = RtcpPacketConverter.deSerialize(Buffer.from(out.find((b) => b[1] === 201)!))[0] as RtcpRrPacket;
  assert.ok(w instanceof RtcpRrPacket);
  assert.deepEqual([w.reports[0].fractionLost, w.reports[0].packetsLost, w.reports[0].jitter],
    [block.fractionLost, dropped, c.jitter]);
});

test("SR every interval with NTP from the host wall clock and extrapolated RTP time; werift parses it", () => {
  const s = r.sender({ kind: KIND.VP8, ssrc: SSRC, srIntervalMs: 2000 });
  const unixAtZero = 1_700_000_000_000; // the host's wall clock when `now` was 0
  s.setWallClock(unixAtZero);
  assert.equal(s.next(), -1, "no SR before media");
  s.send(new Uint8Array([0x10, 1, 2, 3]), 90000, 5000);
  s.drain();
  assert.equal(s.next(), 5000);
  const srs: { now: number; sr: RtcpSrPacket }[] = [];
  for (let now = 5000; now <= 11000; now += 50) {
    if (s.next() <= now) s.timeout(now);
    for (const p of s.drain()) {
      assert.ok(p.rtcp);
      srs.push({ now, sr: RtcpPacketConverter.deSerialize(Buffer.from(p.data))[0] as RtcpSrPacket });
    }
  }
  assert.deepEqual(srs.map((x) => x.now), [5000, 7000, 9000, 11000]);
  for (const { now, sr } of srs) {
    const ntp = sr.senderInfo.ntpTimestamp;
    const secs = Number(ntp >> 32n) - 2208988800 + Number(ntp & 0xffffffffn) / 2 ** 32;
    assert.ok(Math.abs(secs * 1000 - (unixAtZero + now)) < 1, "NTP = wall clock");
    assert.equal(sr.senderInfo.rtpTimestamp, 90000 + ((now - 5000) * 90));
    assert.equal(sr.senderInfo.packetCount, 1);
    assert.equal(sr.senderInfo.octetCount, 8); // 4-byte descriptor + 4-byte frame
  }
});

test("PLI and FIR surface as keyframe requests; a repeated FIR sequence number does not", () => {
  const s = r.sender({ kind: KIND.VP8, ssrc: SSRC });
  s.rtcp(r.buildRtcp([["pli", 9, SSRC]]), 10);
  s.rtcp(r.buildRtcp([["pli", 9, 0x999]]), 10); // another stream's
  s.rtcp(r.buildRtcp([["rr", 9], ["fir", 9, SSRC, 1]]), 20);
  s.rtcp(r.buildRtcp([["rr", 9], ["fir", 9, SSRC, 1]]), 30);
  s.rtcp(r.buildRtcp([["remb", 9, 300000, [SSRC]]]), 40);
  // PLI, FIR (the repeat with the same command sequence number is not a new request), REMB;
  // the RRs carry no block about this stream, so no report event.
  assert.deepEqual(s.events(), [1, 2, 3]);
  const c = s.counters();
  assert.deepEqual([c.plisReceived, c.firsReceived, c.rembBitrate], [1, 1, 300000]);
});

test("NACK storm: work and resends stay bounded by configuration", () => {
  const s = r.sender({ kind: KIND.VP8, ssrc: SSRC, maxPacket: 200, history: 64, maxResendsPerNack: 16 });
  for (let i = 0; i < 100; i++) s.send(new Uint8Array(150).fill(i), i * 3000, 1000 + i);
  s.drain();
  // One NACK naming every sequence number (65536 of them), then the same again at once.
  const all = Array.from({ length: 65536 }, (_, i) => i);
  const storm = r.buildRtcp([["nack", 9, SSRC, all]]);
  assert.ok(storm.length < 70000);
  const t0 = performance.now();
  s.rtcp(storm, 1200);
  s.rtcp(storm, 1201);
  assert.ok(performance.now() - t0 < 2000);
  const resent = s.drain();
  // 16 per NACK; the repeat skips the packets just resent (minimum resend interval) and
  // answers the next 16.
  assert.equal(resent.length, 32);
  assert.equal(new Set(resent.map((p) => toHex(p.data.subarray(2, 4)))).size, 32, "no packet resent twice");
  const c = s.counters();
  assert.equal(c.retransmitted, 32);
  assert.equal(c.nackSeqsRequested, 2 * 65536);
  // Past maxResendAgeMs nothing is resent.
  s.rtcp(storm, 5000);
  assert.equal(s.drain().length, 0);
});

test("receiver NACKs: PID/BLP content, retry limit, gap larger than the list turns into a PLI", () => {
  const tx = r.sender({ kind: KIND.OPUS, ssrc: SSRC, clockRate: 48000 });
  const pk: Uint8Array[] = [];
  for (let i = 0; i < 400; i++) {
    tx.send(new Uint8Array([1, 2, 3]), i * 960, i);
    pk.push(tx.drain()[0].data);
  }
  const seq0 = WRtpPacket.deSerialize(Buffer.from(pk[0])).header.sequenceNumber;
  const rx = r.receiver({ kind: KIND.OPUS, localSsrc: 2, clockRate: 48000, nackRetryMs: 100, nackMaxRetries: 3, nackCapacity: 50 });
  for (const i of [0, 1, 4, 6, 30]) rx.rtp(pk[i], 100);
  rx.timeout(100);
  const nacks = rx.drain().map((b) => r.parseRtcp(b)).filter((p) => p.packets[0].type === 205);
  assert.equal(nacks.length, 1);
  const lost = [2, 3, 5, ...Array.from({ length: 23 }, (_, k) => 7 + k)].map((i) => (seq0 + i) & 0xffff);
  const fci: number[][] = nacks[0].packets[0].fci;
  const named = fci.flatMap(([pid, blp]) => [pid, ...Array.from({ length: 16 }, (_, b) => (blp >> b) & 1 ? (pid + b + 1) & 0xffff : -1)]).filter((x) => x >= 0);
  assert.deepEqual(named, lost);
  assert.equal(nacks[0].reducedSize, true);
  // 3 arrives; retries at 200 and 300; after the third NACK the rest are given up.
  rx.rtp(pk[3], 150);
  for (const t of [200, 300, 400, 500]) rx.timeout(t);
  const c = rx.counters();
  assert.equal(c.nacksSent, 3);
  assert.equal(c.nackRecovered, 1);
  assert.equal(c.nackGaveUp, lost.length - 1);
  assert.equal(c.nackPending, 0);
  assert.ok(c.plisSent >= 1, "abandoned packets ask for a keyframe");
  // A gap larger than the NACK list: no NACK for it, a PLI instead (rate-limited).
  rx.rtp(pk[200], 2000);
  rx.timeout(2000);
  const after = rx.counters();
  assert.equal(after.nackOverflows, 1);
  assert.equal(after.nacksSent, 3);
  assert.equal(after.plisSent, c.plisSent + 1);
});

test("jitter buffer: heavy reordering within the window still yields every frame in order", () => {
  const s = r.sender({ kind: KIND.VP8, ssrc: SSRC, maxPacket: 300 });
  const rx = r.receiver({ kind: KIND.VP8, remoteSsrc: SSRC, nack: false, jitterSlots: 64, maxDelayMs: 200 });
  const input = frames(60, 21);
  const pkts: Uint8Array[] = [];
  input.forEach((f, i) => {
    s.send(f, i * 3000, i);
    pkts.push(...s.drain().filter((p) => !p.rtcp).map((p) => p.data));
  });
  const rand = rng(99);
  // Shuffle within blocks of 20 packets. The first packet stays first: a receiver's stream
  // starts at the first packet it sees, and anything older is late by definition.
  for (let i = 1; i < pkts.length; i += 20) {
    const blk = pkts.slice(i, i + 20).sort(() => rand() - 0.5);
    pkts.splice(i, blk.length, ...blk);
  }
  const got: Uint8Array[] = [];
  pkts.forEach((p, i) => {
    rx.rtp(p, 1000 + i);
    got.push(...rx.frames().map((f) => f.data));
  });
  rx.timeout(5000);
  got.push(...rx.frames().map((f) => f.data));
  assert.deepEqual(got.map(toHex), input.map(toHex));
});

test("hostile input: SSRC flood, malformed and short packets are counted; memory stays flat", () => {
  const rx = r.receiver({ kind: KIND.H264, remoteSsrc: SSRC, jitterSlots: 128 });
  const mem0 = r.e.core.memory.memory!.buffer.byteLength;
  const rand = rng(1);
  let flood = 0;
  for (let i = 0; i < 20000; i++) {
    const ssrc = (rand() * 2 ** 32) >>> 0;
    if (ssrc === SSRC) continue;
    const p = r.buildRtp({ pt: 96, seq: i, ts: i, ssrc, payload: new Uint8Array([0x65, 1, 2]) });
    rx.rtp(p, i);
    flood++;
  }
  const ssrc = SSRC.toString(16);
  const bad = [new Uint8Array(0), new Uint8Array(5).fill(0x80),
    Buffer.from(`9060000100000002${ssrc}`, "hex"), // X set, no extension header
    Buffer.from(`9060000100000002${ssrc}bedeffff10aa`, "hex"), // extension length of 65535 words
    Buffer.from(`a060000100000002${ssrc}65ff`, "hex"), // padding longer than the packet
    Buffer.from(`4060000100000002${ssrc}65`, "hex")]; // version 1
  for (const b of bad) assert.equal(rx.rtp(b, 30000), false);
  for (let i = 0; i < 5000; i++) {
    const junk = new Uint8Array(12 + (i % 100)).map(() => (rand() * 256) | 0);
    junk[0] = 0x80 | (junk[0] & 0x3f);
    rx.rtp(junk, 30000 + i);
    rx.rtcp(junk, 30000 + i);
  }
  const c = rx.counters();
  assert.ok(c.unknownSsrc >= flood);
  assert.ok(c.short >= 2 && c.badExtension >= 1 && c.badPadding >= 1 && c.badVersion >= 1);
  assert.equal(c.packets, 0);
  assert.ok(r.e.core.memory.memory!.buffer.byteLength - mem0 <= 4 << 20, "bounded growth");
  // Sender side: junk RTCP is counted, never trusted.
  const s = r.sender({ kind: KIND.VP8, ssrc: SSRC });
  for (let i = 0; i < 3000; i++) {
    const junk = new Uint8Array(8 + (i % 64)).map(() => (rand() * 256) | 0);
    junk[0] = 0x80 | (junk[0] & 0x1f);
    junk[1] = 200 + (i % 7);
    s.rtcp(junk, i);
  }
  assert.ok(s.counters().rtcpMalformed > 0);
});

test("H.264 from ffmpeg through sender and receiver with 3% loss: every access unit arrives, SPS/PPS ahead of IDRs", { skip: haveFfmpeg() ? false : FFMPEG_SKIP }, () => {
  const aus = accessUnits(h264Stream(2));
  const s = r.sender({ kind: KIND.H264, ssrc: SSRC, maxPacket: 1200, rtxSsrc: RTX, rtxPt: 97 });
  const rx = r.receiver({ kind: KIND.H264, localSsrc: 3, remoteSsrc: SSRC, rtxSsrc: RTX, rtxPt: 97, maxDelayMs: 300, nackRetryMs: 50 });
  const rand = rng(17);
  const inFlight: { at: number; data: Uint8Array; back: boolean }[] = [];
  const got: Uint8Array[] = [];
  let now = 0;
  for (let i = 0; i < aus.length + 20; i++) {
    if (i < aus.length) s.send(annexB(aus[i]), i * 6000, now);
    for (let step = 0; step < 66; step++, now++) {
      for (const p of s.drain()) {
        if (!p.rtcp) {
          const w = WRtpPacket.deSerialize(Buffer.from(p.data)); // werift parses every packet we send
          assert.ok(w.header.ssrc === SSRC || w.header.ssrc === RTX);
        }
        if (p.rtcp || rand() >= 0.03) inFlight.push({ at: now + 15, data: p.data, back: false });
      }
      for (const p of rx.drain()) inFlight.push({ at: now + 15, data: p, back: true });
      for (const q of inFlight.filter((q) => q.at <= now)) {
        if (q.back) s.rtcp(q.data, now);
        else if (q.data[1] >= 192 && q.data[1] <= 223) rx.rtcp(q.data, now); // RFC 7983 / RFC 5761 demux
        else rx.rtp(q.data, now);
      }
      inFlight.splice(0, inFlight.length, ...inFlight.filter((q) => q.at > now));
      if (s.next() >= 0 && s.next() <= now) s.timeout(now);
      if (rx.next() >= 0 && rx.next() <= now) rx.timeout(now);
      got.push(...rx.frames().map((f) => f.data));
    }
  }
  assert.deepEqual(got.map(toHex), aus.map((au) => toHex(annexB(au))));
  assert.ok(rx.counters().rtxReceived > 0);
});
