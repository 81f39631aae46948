// Media between two wasmpeer peers over a virtual network (test/core/entry_peer_media.ts): SDP
// media negotiation, DTLS-SRTP keys, H.264 from ffmpeg sent by one and received bit-exact by the
// other (also at 5% loss, recovered by NACK), PLI -> keyframe request, audio both ways, garbage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadEntry, PROVIDERS, type Entry } from "../helpers/entry.js";
import { haveFfmpeg, FFMPEG_SKIP, h264Stream, accessUnits, annexB, splitNals } from "./rtp_support.js";

const skip = haveFfmpeg() ? false : FFMPEG_SKIP;
const AUDIO = 0, VIDEO = 1;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function received(e: Entry, peer: number): { track: number; codec: number; data: Uint8Array; ts: number; level: number }[] {
  const x = e.x;
  const out = [];
  for (let i = 0; i < x.frame_count(peer); i++) {
    const len = Number(x.frame_info(peer, i, 2));
    const ptr = e.alloc(len);
    x.frame_copy(peer, i, ptr);
    out.push({ track: Number(x.frame_info(peer, i, 0)), codec: Number(x.frame_info(peer, i, 1)), data: e.get(ptr, len),
      ts: Number(x.frame_info(peer, i, 3)), level: Number(x.frame_info(peer, i, 4)) });
    e.free(ptr);
  }
  return out;
}

function send(e: Entry, peer: number, track: number, frame: Uint8Array, ts: number, key = false): number {
  const ptr = e.put(frame);
  const r = e.x.send_frame(peer, track, ptr, frame.length, ts >>> 0, key ? 1 : 0) as number;
  e.free(ptr);
  return r;
}

// Video from peer 0 to peer 1 at 15 fps; returns the access units sent.
function sendVideo(e: Entry, aus: Uint8Array[][]): Uint8Array[] {
  const video = e.x.track_of(0, VIDEO) as number;
  const sent: Uint8Array[] = [];
  aus.forEach((au, i) => {
    const frame = annexB(au);
    const n = send(e, 0, video, frame, i * 6000, au.some((n) => (n[0] & 0x1f) === 5));
    assert.ok(n > 0, `frame ${i}: ${n}`);
    sent.push(frame);
    e.x.advance(66);
  });
  e.x.advance(3000);
  return sent;
}

for (const provider of PROVIDERS) {
  for (const loss of [0, 5]) {
    test(`[${provider}] H.264 from ffmpeg arrives bit-exact at ${loss}% loss (NACK recovers)`, { skip }, () => {
      const e = loadEntry("entry_peer_media", provider);
      assert.equal(e.x.setup(11 + loss, loss, 0), 0);
      assert.equal(e.x.track_count(0), 2, "video + audio on the device");
      assert.equal(e.x.track_count(1), 2);
      const aus = accessUnits(h264Stream(3, "320x240", 15));
      const sent = sendVideo(e, aus);
      const got = received(e, 1).filter((f) => f.codec === 1);
      const video1 = e.x.track_of(1, VIDEO);
      const video0 = e.x.track_of(0, VIDEO);
      const stats = [0, 1, 2, 3, 4, 5, 6, 7].map((w) => [Number(e.x.mstat(0, video0, w)), Number(e.x.mstat(1, video1, w))]);
      assert.equal(got.length, sent.length, `frames received; lost ${e.x.lost()}, stats ${JSON.stringify(stats)}`);
      // Compare NAL units: the depacketizer writes its own start codes.
      for (let i = 0; i < sent.length; i++) {
        assert.deepEqual(splitNals(got[i].data).map(hex), splitNals(sent[i]).map(hex), `frame ${i}`);
        assert.equal(got[i].ts, i * 6000);
      }
      if (loss > 0) {
        assert.ok(e.x.lost() > 0, "the network lost something");
        assert.ok(Number(e.x.mstat(1, video1, 1)) > 0, "the viewer sent NACKs");
        assert.ok(Number(e.x.mstat(0, video0, 0)) > 0, "the device retransmitted");
      }
      assert.equal(Number(e.x.mstat(1, video1, 6)), 0, "no SRTP failures");
    });
  }

  // The history is a budget from configuration: too small for the frames in flight, NACKs ask for
  // packets already gone, which are counted and frames are lost; the default recovers (above).
  test(`[${provider}] a 16-packet retransmission history cannot answer NACKs for large frames at 5% loss`, { skip }, () => {
    const e = loadEntry("entry_peer_media", provider);
    e.x.set_video_history(16);
    try {
      assert.equal(e.x.setup(21, 5, 0), 0);
      const aus = accessUnits(h264Stream(3, "320x240", 15, ["-vf", "noise=alls=30:allf=t", "-b:v", "3M"]));
      const sent = sendVideo(e, aus);
      const got = received(e, 1).filter((f) => f.codec === 1);
      const video0 = e.x.track_of(0, VIDEO);
      const unanswered = Number(e.x.mstat(0, video0, 8));
      assert.ok(unanswered > 0, "NACKed packets no longer in the history were counted");
      assert.ok(got.length < sent.length, `frames lost for good: ${got.length} of ${sent.length}`);
    } finally {
      e.x.set_video_history(128);
    }
  });

  test(`[${provider}] PLI from the viewer raises a keyframe request on the device`, () => {
    const e = loadEntry("entry_peer_media", provider);
    assert.equal(e.x.setup(3, 0, 0), 0);
    const video0 = e.x.track_of(0, VIDEO), video1 = e.x.track_of(1, VIDEO);
    // A receiver exists once media flows: one small (non-IDR) H.264 frame.
    assert.ok(send(e, 0, video0, new Uint8Array([0, 0, 0, 1, 0x41, 0x9a, 0x01, 0x02]), 0) > 0);
    e.x.advance(200);
    assert.equal(e.x.keyframe_requests(0), 0);
    assert.equal(e.x.request_keyframe(1, video1), 1);
    e.x.advance(200);
    assert.equal(e.x.keyframe_requests(0), 1);
    assert.equal(Number(e.x.mstat(0, video0, 3)), 1, "PLI counted by the sender");
    assert.equal(e.x.request_keyframe(0, video0), 0, "the device does not receive video");
  });

  for (const [name, codecs] of [["Opus", 0], ["PCMU", 1]] as const) {
    test(`[${provider}] ${name} audio both ways`, () => {
      const e = loadEntry("entry_peer_media", provider);
      assert.equal(e.x.setup(5, 0, codecs), 0);
      const a0 = e.x.track_of(0, AUDIO), a1 = e.x.track_of(1, AUDIO);
      const frames: Uint8Array[] = [];
      for (let i = 0; i < 25; i++) {
        // Opus: arbitrary TOC + bytes (one packet per frame); PCMU: 160 samples of a square wave.
        const f = codecs === 0 ? new Uint8Array(40).map((_, k) => (i * 7 + k) & 0xff)
          : new Uint8Array(160).map((_, k) => ((k >> 3) & 1 ? 0x20 : 0xa0));
        frames.push(f);
        assert.ok(send(e, 0, a0, f, i * (codecs === 0 ? 960 : 160)) > 0);
        assert.ok(send(e, 1, a1, f, i * (codecs === 0 ? 960 : 160)) > 0);
        e.x.advance(20);
      }
      e.x.advance(500);
      for (const peer of [0, 1]) {
        const got = received(e, peer).filter((f) => f.codec === (codecs === 0 ? 3 : 4));
        assert.equal(got.length, 25, `peer ${peer} audio frames`);
        for (let i = 0; i < 25; i++) assert.equal(hex(got[i].data), hex(frames[i]));
        if (codecs === 1) assert.ok(got[0].level > 0 && got[0].level < 40, `G.711 level ${got[0].level} -dBov`);
      }
    });
  }

  test(`[${provider}] RTP/RTCP garbage into a media peer is counted and dropped`, () => {
    const e = loadEntry("entry_peer_media", provider);
    assert.equal(e.x.setup(9, 0, 0), 0);
    assert.equal(e.x.garbage(1, 2000), 0);
    assert.ok(Number(e.x.mstat(1, 0, 6)) > 0, "SRTP failures counted");
  });
}
