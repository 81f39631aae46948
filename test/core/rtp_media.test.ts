// Packetizers and depacketizers (assembly/rtp) on real encoded streams made by ffmpeg in a temp
// dir: H.264 (RFC 6184), VP8 (RFC 7741), Opus (RFC 7587), G.711 (RFC 3551). Bit-exact round
// trips, MTU and marker/timestamp rules, werift depacketizing ours and us depacketizing werift's,
// and loss: gaps and FU-A fragments without a start drop the frame.
import { test } from "node:test";
import assert from "node:assert/strict";
import { H264RtpPayload, Vp8RtpPayload, H264Packetizer as WH264Packetizer, Vp8Packetizer as WVp8Packetizer } from "werift";
import { toHex } from "../helpers/entry.js";
import {
  RtpEntry, KIND, haveFfmpeg, FFMPEG_SKIP, h264Stream, vp8Frames, opusFrames, accessUnits, annexB, splitNals, ffmpeg,
} from "./rtp_support.js";

const skip = haveFfmpeg() ? false : FFMPEG_SKIP;
if (skip) console.log(`# rtp_media: ${FFMPEG_SKIP}; real-stream tests skipped`);
const r = new RtpEntry("pure");

// The access units a receiver should see: each IDR preceded by SPS and PPS (taken from the
// latest seen when the access unit itself lacks them), NAL units unchanged otherwise.
function expectedAus(aus: Uint8Array[][]): Uint8Array[][] {
  let sps: Uint8Array | null = null, pps: Uint8Array | null = null;
  return aus.map((au) => {
    const out: Uint8Array[] = [];
    let haveSps = false, havePps = false, idrDone = false;
    for (const nal of au) {
      const t = nal[0] & 0x1f;
      if (t === 7) { sps = nal; haveSps = true; }
      if (t === 8) { pps = nal; havePps = true; }
      if (t === 5 && !idrDone) {
        idrDone = true;
        if (!haveSps && sps) out.push(sps);
        if (!havePps && pps) out.push(pps);
      }
      out.push(nal);
    }
    return out;
  });
}

type Pkt = { payload: Uint8Array; marker: boolean; seq: number; ts: number };

function packetizeAll(kind: number, maxPayload: number, frames: Uint8Array[], tsStep: number, param = 0): Pkt[] {
  const pk = r.packetizer(kind, maxPayload, param);
  const out: Pkt[] = [];
  let seq = 65000; // crosses the 16-bit wrap
  frames.forEach((f, i) => {
    const ps = pk.packetize(f);
    assert.ok(ps, `frame ${i} refused`);
    for (const p of ps!) out.push({ payload: p.payload, marker: p.marker, seq: seq++ & 0xffff, ts: (i * tsStep + p.tsOffset) >>> 0 });
  });
  return out;
}

function depacketizeAll(kind: number, pkts: Pkt[]) {
  const dp = r.depacketizer(kind);
  const frames: { data: Uint8Array; ts: number; keyframe: boolean }[] = [];
  for (const p of pkts) {
    dp.push(p.payload, p.seq, p.ts, p.marker);
    for (let f = dp.poll(); f; f = dp.poll()) frames.push(f);
  }
  return { frames, counters: dp.counters() };
}

test("Annex B: start codes of 3 and 4 bytes, leading junk and trailing zeros", () => {
  const s = Buffer.from("ff ee 00 00 01 67 42 00 00 00 01 68 ce 00 00 00 00 01 65 88 84 00 00 03 00 01 00 00 01 41 9a 00".replace(/ /g, ""), "hex");
  const nals = r.annexB(s).map(([o, n]) => toHex(s.subarray(o, o + n)));
  assert.deepEqual(nals, ["6742", "68ce", "6588840000030001", "419a"]);
  assert.deepEqual(r.annexB(Buffer.from("000001", "hex")), []);
  assert.deepEqual(r.annexB(new Uint8Array(0)), []);
});

test("H.264: Annex B split agrees with the test's own on an x264 stream", { skip }, () => {
  const s = h264Stream(1);
  const ours = r.annexB(s).map(([o, n]) => toHex(s.subarray(o, o + n)));
  assert.deepEqual(ours, splitNals(s).map(toHex));
});

// The NAL unit types inside a STAP-A payload (RFC 6184 §5.7.1: 16-bit size, then the unit).
function stapTypes(payload: Uint8Array): number[] {
  const types: number[] = [];
  for (let o = 1; o + 2 < payload.length; ) {
    const n = (payload[o] << 8) | payload[o + 1];
    types.push(payload[o + 2] & 0x1f);
    o += 2 + n;
  }
  return types;
}

for (const maxPayload of [1188, 300, 40]) {
  test(`H.264 RFC 6184 mode 1, max payload ${maxPayload}: bit-exact round trip, MTU, markers, STAP-A and FU-A`, { skip }, () => {
    const aus = accessUnits(h264Stream(2, "320x240", 15, ["-g", "10"]));
    // Drop the SPS/PPS in front of every IDR but the first, so the packetizer must repeat them.
    let first = true;
    const input = aus.map((au) => {
      if (au.some((n) => (n[0] & 0x1f) === 5)) {
        if (!first) au = au.filter((n) => ![7, 8].includes(n[0] & 0x1f));
        first = false;
      }
      return au;
    });
    const want = expectedAus(input);
    const pkts = packetizeAll(KIND.H264, maxPayload, input.map((au) => annexB(au, [0, 0, 1])), 6000);
    let stapA = 0, fuA = 0;
    for (const p of pkts) {
      assert.ok(p.payload.length <= maxPayload, "fits the MTU");
      const t = p.payload[0] & 0x1f;
      if (t === 24) stapA++;
      if (t === 28) fuA++;
    }
    const idrs = input.filter((au) => au.some((n) => (n[0] & 0x1f) === 5)).length;
    assert.ok(idrs >= 3, "several IDRs");
    if (maxPayload > 100) {
      // Each keyframe opens with one STAP-A that carries its SPS and PPS (with whatever small units follow).
      const firstOfAu = pkts.filter((p, i) => i === 0 || pkts[i - 1].marker);
      const opening = input.flatMap((au, i) => (au.some((n) => (n[0] & 0x1f) === 5) ? [firstOfAu[i].payload] : []));
      assert.equal(opening.length, idrs);
      for (const pl of opening) {
        assert.equal(pl[0] & 0x1f, 24, "a keyframe starts with a STAP-A");
        assert.deepEqual(stapTypes(pl).slice(0, 2), [7, 8], "SPS then PPS first in it");
      }
      assert.ok(stapA >= idrs);
    }
    assert.ok(fuA > 0);
    // One marker per access unit, on its last packet; one timestamp per access unit.
    assert.equal(pkts.filter((p) => p.marker).length, input.length);
    for (let i = 1; i < pkts.length; i++) if (!pkts[i - 1].marker) assert.equal(pkts[i].ts, pkts[i - 1].ts);
    const { frames, counters } = depacketizeAll(KIND.H264, pkts);
    assert.equal(frames.length, want.length);
    assert.equal(counters.framesDropped, 0);
    frames.forEach((f, i) => {
      assert.equal(toHex(f.data), toHex(annexB(want[i])), `access unit ${i}`);
      assert.equal(f.ts, i * 6000);
      assert.equal(f.keyframe, want[i].some((n) => (n[0] & 0x1f) === 5));
    });
    // werift's depacketizer reassembles the same access units from our packets.
    let frag: Buffer | undefined;
    let cur: Buffer[] = [];
    const wf: string[] = [];
    for (const p of pkts) {
      const d = H264RtpPayload.deSerialize(Buffer.from(p.payload), frag);
      frag = d.fragment;
      if (d.payload) cur.push(d.payload);
      if (p.marker) {
        wf.push(Buffer.concat(cur).toString("hex"));
        cur = [];
      }
    }
    assert.deepEqual(wf, want.map((au) => toHex(annexB(au))));
  });
}

test("H.264: werift-packetized access units depacketize here bit-exactly", { skip }, () => {
  const aus = accessUnits(h264Stream(1));
  const wp = new WH264Packetizer({ maxPayloadSize: 500, payloadType: 96, sequenceNumber: 65530, ssrc: 1 });
  const dp = r.depacketizer(KIND.H264);
  const got: string[] = [];
  aus.forEach((au, i) => {
    for (const p of wp.packetize(Buffer.from(annexB(au)), i * 6000)) {
      dp.push(p.payload, p.header.sequenceNumber, p.header.timestamp, p.header.marker);
      for (let f = dp.poll(); f; f = dp.poll()) got.push(toHex(f.data));
    }
  });
  assert.deepEqual(got, aus.map((au) => toHex(annexB(au))));
});

test("H.264 loss: a missing FU-A fragment drops its access unit only; a FU-A without its start is dropped", { skip }, () => {
  const aus = accessUnits(h264Stream(1)).slice(0, 6);
  const pkts = packetizeAll(KIND.H264, 100, aus.map((au) => annexB(au)), 6000);
  // An access unit of three or more packets; lose its second packet (a middle FU-A fragment).
  const k = [1, 2, 3, 4].find((i) => pkts.filter((p) => p.ts === i * 6000).length >= 3)!;
  assert.ok(k, "an access unit spanning three packets");
  const firstOfK = pkts.findIndex((p) => p.ts === k * 6000);
  const others = [0, 1, 2, 3, 4, 5].filter((i) => i !== k).map((i) => i * 6000);
  const lossy = pkts.filter((_, i) => i !== firstOfK + 1);
  const { frames, counters } = depacketizeAll(KIND.H264, lossy);
  assert.deepEqual(frames.map((f) => f.ts), others);
  assert.equal(counters.framesDropped, 1);
  // The access unit's first packet (the FU-A start) lost: the rest of it is dropped as well.
  const b = depacketizeAll(KIND.H264, pkts.filter((_, i) => i !== firstOfK));
  assert.deepEqual(b.frames.map((f) => f.ts), others);
  // The previous access unit's marker packet lost: with H.264 nothing proves the next access
  // unit is whole (its SPS/PPS could have been in the lost packet), so it goes too.
  const c = depacketizeAll(KIND.H264, pkts.filter((_, i) => i !== firstOfK - 1));
  assert.deepEqual(c.frames.map((f) => f.ts), others.filter((t) => t !== (k - 1) * 6000));
  // A lone FU-A middle fragment with no predecessor at all.
  const dp = r.depacketizer(KIND.H264);
  dp.push(Buffer.from("7c05aabbcc", "hex"), 10, 1, true);
  assert.equal(dp.poll(), null);
  assert.equal(dp.counters().framesDropped, 1);
});

test("H.264 depacketizer: malformed STAP-A, FU-A and reserved types are counted, never trap", () => {
  const dp = r.depacketizer(KIND.H264);
  const bad = ["18", "180005aabb", "1800", "7c", "7c85", "1d00", "00aa", "1f00", "9801"];
  bad.forEach((x, i) => dp.push(Buffer.from(x, "hex"), i, i, true));
  assert.equal(dp.poll(), null);
  const c = dp.counters();
  assert.equal(c.frames, 0);
  assert.equal(c.framesDropped, bad.length);
  // A FU-A reassembly larger than maxFrameSize is dropped.
  const small = r.depacketizer(KIND.H264, 100);
  small.push(Buffer.concat([Buffer.from("7c85", "hex"), Buffer.alloc(80, 1)]), 1, 5, false);
  small.push(Buffer.concat([Buffer.from("7c45", "hex"), Buffer.alloc(80, 1)]), 2, 5, true);
  assert.equal(small.poll(), null);
  assert.equal(small.counters().oversize, 1);
  for (let i = 0; i < 3000; i++) {
    const junk = new Uint8Array(1 + (i % 40)).map(() => (Math.random() * 256) | 0);
    dp.push(junk, 100 + i, i >> 2, (i & 3) === 3);
  }
});

test("VP8 RFC 7741: descriptor, PictureID per frame, S bit, key frames; round trip with werift both ways", { skip }, () => {
  const frames = vp8Frames(2);
  assert.ok(frames.length >= 30);
  const pkts = packetizeAll(KIND.VP8, 400, frames, 6000, 32760);
  let pic = 32760;
  let prevMarker = true;
  for (const p of pkts) {
    assert.ok(p.payload.length <= 400);
    assert.equal(p.payload[0] & 0xef, 0x80, "X=1, N=0, PID=0");
    assert.equal((p.payload[0] & 0x10) !== 0, prevMarker, "S only on a frame's first packet");
    assert.equal(p.payload[1], 0x80, "I=1");
    assert.equal(((p.payload[2] & 0x7f) << 8) | p.payload[3], pic, "15-bit PictureID");
    assert.equal(p.payload[2] & 0x80, 0x80, "M=1");
    if (p.marker) pic = (pic + 1) & 0x7fff;
    prevMarker = p.marker;
  }
  const { frames: got, counters } = depacketizeAll(KIND.VP8, pkts);
  assert.equal(counters.framesDropped, 0);
  assert.deepEqual(got.map((f) => toHex(f.data)), frames.map(toHex));
  assert.equal(got[0].keyframe, true);
  assert.deepEqual(got.map((f) => f.keyframe), frames.map((f) => (f[0] & 1) === 0));
  // werift reads our packets.
  let cur: Buffer[] = [];
  const wf: string[] = [];
  for (const p of pkts) {
    const d = Vp8RtpPayload.deSerialize(Buffer.from(p.payload));
    if (d.payload) cur.push(d.payload);
    if (p.marker) {
      wf.push(Buffer.concat(cur).toString("hex"));
      cur = [];
    }
  }
  assert.deepEqual(wf, frames.map(toHex));
  // And we read werift's.
  const wp = new WVp8Packetizer({ maxPayloadSize: 300, sequenceNumber: 65535, pictureId: 5 });
  const dp = r.depacketizer(KIND.VP8);
  const ours: string[] = [];
  frames.forEach((f, i) => {
    for (const p of wp.packetize(Buffer.from(f), i * 6000)) {
      dp.push(p.payload, p.header.sequenceNumber, p.header.timestamp, p.header.marker);
      for (let x = dp.poll(); x; x = dp.poll()) ours.push(toHex(x.data));
    }
  });
  assert.deepEqual(ours, frames.map(toHex));
});

test("VP8 loss: a frame missing a packet is dropped; the next frame (S=1) is delivered even if the marker was lost", { skip }, () => {
  const frames = vp8Frames(1).slice(0, 5);
  const pkts = packetizeAll(KIND.VP8, 200, frames, 3000);
  const lastOf1 = pkts.findIndex((p) => p.ts === 3000 && p.marker);
  const { frames: got } = depacketizeAll(KIND.VP8, pkts.filter((_, i) => i !== lastOf1));
  assert.deepEqual(got.map((f) => f.ts), [0, 6000, 9000, 12000]);
});

test("VP8 descriptor variants: 7-bit PictureID, TL0PICIDX, TID/KEYIDX, truncation", () => {
  const dp = r.depacketizer(KIND.VP8);
  // X=1 S=1; I L T K; 7-bit PictureID 0x12; TL0PICIDX; TID|Y|KEYIDX; payload 0x9d (key frame bit 0 clear? 0x9d is odd: inter)
  dp.push(Buffer.from("90f012aa40" + "9d0102", "hex"), 1, 100, true);
  const f = dp.poll()!;
  assert.equal(toHex(f.data), "9d0102");
  assert.equal(f.keyframe, false);
  dp.push(Buffer.from("10" + "00", "hex"), 2, 200, true); // no X: one-byte descriptor, key frame
  const g = dp.poll()!;
  assert.deepEqual([toHex(g.data), g.keyframe], ["00", true]);
  for (const bad of ["", "80", "9080", "90c0", "90f012aa", "10"]) dp.push(Buffer.from(bad, "hex"), 3, 300, true);
  assert.equal(dp.poll(), null);
});

test("Opus RFC 7587: one frame per packet, 960-sample timestamps, oversize frames refused", { skip }, () => {
  const frames = opusFrames(1);
  assert.ok(frames.length >= 45);
  const pkts = packetizeAll(KIND.OPUS, 1188, frames, 960);
  assert.equal(pkts.length, frames.length);
  const { frames: got } = depacketizeAll(KIND.OPUS, pkts);
  assert.deepEqual(got.map((f) => toHex(f.data)), frames.map(toHex));
  assert.deepEqual(got.map((f) => f.ts), frames.map((_, i) => i * 960));
  assert.equal(r.packetizer(KIND.OPUS, 100).packetize(new Uint8Array(101)), null);
});

test("G.711 RFC 3551: mu-law/A-law match ffmpeg's codecs; 20 ms packets with advancing timestamps", { skip }, () => {
  const pcm = ffmpeg(["-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=8000", "-t", "0.5", "-f", "s16le", "-ac", "1"], "a.raw");
  const samples = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength));
  for (const [alaw, fmt] of [[false, "mulaw"], [true, "alaw"]] as const) {
    const theirs = ffmpeg(["-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=8000", "-t", "0.5", "-ac", "1", "-c:a", `pcm_${fmt}`,
      "-f", fmt], `a.${fmt}`);
    const ours = r.g711Encode(alaw, samples);
    assert.equal(ours.length, theirs.length);
    let diff = 0;
    for (let i = 0; i < ours.length; i++) if (ours[i] !== theirs[i]) diff++;
    assert.equal(diff, 0, `${fmt}: ${diff} code words differ from ffmpeg's encoder`);
    // ffmpeg decodes all 256 code words; our tables agree.
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const dec = ffmpeg(["-f", fmt, "-ar", "8000", "-ac", "1", "-i", "{in}", "-f", "s16le"], "d.raw", all);
    assert.deepEqual(Array.from(r.g711Decode(alaw, all)), Array.from(new Int16Array(dec.buffer.slice(dec.byteOffset, dec.byteOffset + dec.byteLength))));
  }
  const codes = r.g711Encode(false, samples);
  const pkts = packetizeAll(KIND.G711, 1188, [codes], 0, 160);
  assert.equal(pkts.length, Math.ceil(codes.length / 160));
  assert.deepEqual(pkts.map((p) => p.ts), pkts.map((_, i) => i * 160));
  assert.equal(toHex(Buffer.concat(depacketizeAll(KIND.G711, pkts).frames.map((f) => f.data))), toHex(codes));
});
