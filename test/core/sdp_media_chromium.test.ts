// SDP with media against headless Chromium (/usr/bin/chromium via test/helpers/chromium.ts):
// Chromium accepts the device's media answer and media offer (setRemoteDescription), and the
// codecs it then uses are the ones the device negotiated (read back from its transceivers and
// its own SDP).
import { test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, type ChromiumSession } from "../helpers/chromium.js";
import { loadEntry } from "../helpers/entry.js";
import { sdpCall as call, sdpOut as out, sdpMediaResult as result } from "../helpers/sdp_entry.js";

const FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
const CFG = `ufrag=devU\npwd=devicePassword0123456789\nfingerprint=${FP}\nmaxmsg=262144\nsessionid=42\n` +
  "candidate=candidate:1 1 udp 2130706431 127.0.0.1 9 typ host\neoc=1";
const MEDIA = "video.ssrc=1111\nvideo.rtxssrc=2222\naudio.ssrc=3333\ncname=devcname\nstream=devstream\nvideo.track=cam\naudio.track=mic";

// What Chromium reports about its transceivers after a description is set.
type Seen = {
  ok: boolean; error?: string; state?: string;
  transceivers?: { mid: string | null; kind: string; direction: string | null; sendCodecs: any[]; remoteTracks: string }[];
  sdp?: string;
};

test("Chromium 156 and the device's media SDP", async (t) => {
  let chromium: ChromiumSession | undefined;
  try {
    chromium = await launchChromium();
    const page = chromium.page;
    const e = loadEntry("entry_sdp", "pure");

    for (const [label, media, expectVideo] of [
      ["H.264 first (default)", "", "video/H264"],
      ["VP8 first", "video.send=vp8,h264", "video/VP8"],
    ] as const) {
      await t.test(`Chromium offer (video+audio+data) -> our media answer (${label}) -> setRemoteDescription`, async () => {
        const offerSdp: string = await page.evaluate(async () => {
          (globalThis as any).pc?.close();
          const pc = new RTCPeerConnection();
          (globalThis as any).pc = pc;
          pc.addTransceiver("video", { direction: "sendrecv" });
          pc.addTransceiver("audio", { direction: "sendrecv" });
          pc.createDataChannel("chat");
          await pc.setLocalDescription(await pc.createOffer());
          return pc.localDescription!.sdp;
        });
        const a = call(e, "sdp_media_answer", offerSdp, CFG, MEDIA + "\n" + media);
        assert.equal(a.code, 0, a.text);
        const r = result(e);
        const seen: Seen = await page.evaluate(async (sdp) => {
          const pc = (globalThis as any).pc as RTCPeerConnection;
          try {
            await pc.setRemoteDescription({ type: "answer", sdp });
            return {
              ok: true,
              state: pc.signalingState,
              transceivers: pc.getTransceivers().map((x) => ({
                mid: x.mid, kind: x.receiver.track.kind, direction: x.currentDirection,
                sendCodecs: x.sender.getParameters().codecs ?? [],
                remoteTracks: x.receiver.track.id,
              })),
            };
          } catch (err) {
            return { ok: false, error: String(err) };
          }
        }, a.text);
        assert.equal(seen.ok, true, `${seen.error}\n--- answer ---\n${a.text}`);
        assert.equal(seen.state, "stable");
        const [v, au] = seen.transceivers!;
        // From Chromium's side: the device sends video only, audio both ways.
        assert.equal(v.direction, "recvonly");
        assert.equal(au.direction, "sendrecv");
        // Chromium sends audio with the codec the device put first, under the offer's payload type.
        assert.equal(au.sendCodecs[0].mimeType.toLowerCase(), "audio/opus");
        assert.equal(au.sendCodecs[0].payloadType, r.media[1].send.pt);
        assert.equal(r.media[0].send.codec.toLowerCase(), expectVideo.slice(6).toLowerCase());
        // Chromium's receive side for video: ask it for its stats-free view, the answer it holds.
        const remote: string = await page.evaluate(() => ((globalThis as any).pc as RTCPeerConnection).currentRemoteDescription!.sdp);
        assert.ok(remote.includes(`a=rtpmap:${r.media[0].send.pt} ${expectVideo.slice(6)}/90000`));
      });
    }

    await t.test("our media offer -> Chromium answer -> applyMediaAnswer; Chromium receives H.264 and sends Opus", async () => {
      const o = call(e, "sdp_media_offer", CFG, MEDIA);
      assert.equal(o.code, 0, o.text);
      const seen: Seen = await page.evaluate(async (sdp) => {
        (globalThis as any).pc?.close();
        const pc = new RTCPeerConnection();
        (globalThis as any).pc = pc;
        try {
          await pc.setRemoteDescription({ type: "offer", sdp });
          // The intercom viewer: receives video, talks back on audio (a silent generated track).
          const ctx = new AudioContext();
          const dst = ctx.createMediaStreamDestination();
          const osc = ctx.createOscillator();
          osc.connect(dst);
          for (const x of pc.getTransceivers()) {
            if (x.receiver.track.kind === "audio") {
              x.direction = "sendrecv";
              await x.sender.replaceTrack(dst.stream.getAudioTracks()[0]);
            } else x.direction = "recvonly";
          }
          await pc.setLocalDescription(await pc.createAnswer());
          return {
            ok: true,
            state: pc.signalingState,
            sdp: pc.localDescription!.sdp,
            transceivers: pc.getTransceivers().map((x) => ({
              mid: x.mid, kind: x.receiver.track.kind, direction: x.currentDirection,
              sendCodecs: x.sender.getParameters().codecs ?? [], remoteTracks: x.receiver.track.id,
            })),
          };
        } catch (err) {
          return { ok: false, error: String(err) };
        }
      }, o.text);
      assert.equal(seen.ok, true, `${seen.error}\n--- offer ---\n${o.text}`);
      assert.equal(seen.state, "stable");
      const ap = call(e, "sdp_media_apply", seen.sdp!);
      assert.equal(ap.code, 0, ap.text + "\n" + seen.sdp);
      const r = result(e);
      assert.equal(r.dataAccepted, true);
      const [v, a] = r.media;
      assert.equal(v.accepted, true, v.reason);
      assert.equal(v.direction, "sendonly");
      assert.equal(v.send.codec, "H264");
      assert.equal(v.send.pt, 96);
      assert.equal(v.send.rtx, 97, "Chromium kept our rtx");
      assert.equal(v.send.fmtp.includes("profile-level-id=42e01f"), true, v.send.fmtp);
      assert.ok((v.send.fb & 3) === 3, "nack and pli kept");
      assert.equal(a.direction, "sendrecv");
      assert.equal(a.send.codec, "opus");
      assert.ok(a.receive.some((c: any) => c.pt === 111));
      assert.ok(a.remoteSsrcs.length >= 1, "Chromium announced the SSRC it sends audio from");
      // Chromium's own view: it receives video (recvonly), sends Opus with payload type 111.
      const [cv, ca] = seen.transceivers!;
      assert.equal(cv.direction, "recvonly");
      assert.equal(ca.direction, "sendrecv");
      assert.equal(ca.sendCodecs[0].mimeType.toLowerCase(), "audio/opus");
      assert.equal(ca.sendCodecs[0].payloadType, 111);
    });
  } finally {
    await chromium?.close();
  }
});
