// SDP with media (assembly/sdp/media_*.ts): the device's answers to Chromium 156's and werift's
// video+audio+data offers, H.264 profile-level-id matching (RFC 6184 §8.1-§8.2.2), direction
// negotiation (RFC 3264 §6.1), rtx binding (RFC 4588), rejection when no codec matches, one
// BUNDLE transport, the device's media offer applied to werift's answer, and hostile fmtp lines
// that must never trap.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { RTCPeerConnection, RTCRtpCodecParameters } from "werift";
import { loadEntry, type Entry } from "../helpers/entry.js";
import { projectRoot } from "../../host/core.js";
import { sdpCall as call, sdpOut as out, sdpMediaResult } from "../helpers/sdp_entry.js";

const VECTORS = resolve(projectRoot(), "test/vectors/sdp");
const fixture = (name: string) => readFileSync(resolve(VECTORS, name), "latin1");
const CHROMIUM = fixture("chromium156_video_audio_data_offer.sdp");
const WERIFT = fixture("werift_video_audio_data_offer.sdp");

const FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
const CFG = `ufrag=devU\npwd=devicePassword0123456789\nfingerprint=${FP}\nmaxmsg=262144\nsessionid=42\n` +
  "candidate=candidate:1 1 udp 2130706431 127.0.0.1 9 typ host\neoc=1";
// Fixed SSRCs and names so the written lines can be checked.
const MEDIA = "video.ssrc=1111\nvideo.rtxssrc=2222\naudio.ssrc=3333\ncname=devcname\nstream=devstream\nvideo.track=cam\naudio.track=mic";
const FB = { nack: 1, pli: 2, fir: 4, remb: 8 };
const E = { None: 0, NoAcceptableSection: 17, UnknownMid: 16, BadConfig: 15 };

const enc = new TextEncoder();
const dec = new TextDecoder();
const e = loadEntry("entry_sdp", "pure");
const result = (x: Entry = e) => sdpMediaResult(x);

function mediaAnswer(offer: string, media = ""): { code: number; text: string; r: any } {
  const a = call(e, "sdp_media_answer", offer, CFG, MEDIA + "\n" + media);
  return { ...a, r: result() };
}

// The lines of one m= section of a description (by index).
function section(sdp: string, i: number): string[] {
  const parts = sdp.split(/\r?\n(?=m=)/);
  return parts[i + 1].split(/\r?\n/).filter((l) => l.length > 0);
}

// A minimal bundled offer with one video section carrying the given formats and lines.
function videoOffer(formats: string, lines: string[], direction = "sendrecv", audio?: { formats: string; lines: string[] }): string {
  const head = ["v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", `a=group:BUNDLE 0${audio ? " 1" : ""}`];
  const transport = ["c=IN IP4 0.0.0.0", "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
    `a=fingerprint:sha-256 ${FP}`, "a=setup:actpass", "a=rtcp-mux"];
  const v = [`m=video 9 UDP/TLS/RTP/SAVPF ${formats}`, ...transport, "a=mid:0", `a=${direction}`, ...lines];
  const a = audio ? [`m=audio 9 UDP/TLS/RTP/SAVPF ${audio.formats}`, ...transport, "a=mid:1", "a=sendrecv", ...audio.lines] : [];
  return [...head, ...v, ...a].join("\r\n") + "\r\n";
}

const h264 = (pt: number, fmtp: string) => [`a=rtpmap:${pt} H264/90000`, `a=rtcp-fb:${pt} nack`, `a=rtcp-fb:${pt} nack pli`, `a=fmtp:${pt} ${fmtp}`];

test("Chromium 156 video+audio+data offer: H.264 CB sendonly with rtx, Opus sendrecv, data, one BUNDLE", () => {
  const { code, text, r } = mediaAnswer(CHROMIUM);
  assert.equal(code, E.None, text);
  assert.deepEqual(r.bundle, ["0", "1", "2"]);
  assert.equal(r.dataMid, "2");
  assert.match(text, /^a=group:BUNDLE 0 1 2\r$/m);
  const [v, a] = r.media;
  assert.equal(v.kind, "video");
  assert.equal(v.accepted, true);
  assert.equal(v.direction, "sendonly");
  // 108 is Chromium's 42e01f packetization-mode=1; its rtx is 109 (apt=108).
  assert.equal(v.send.pt, 108);
  assert.equal(v.send.codec, "H264");
  assert.equal(v.send.clock, 90000);
  assert.equal(v.send.rtx, 109);
  assert.equal(v.send.fmtp, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
  assert.equal(v.send.fb, FB.nack | FB.pli | FB.fir, "goog-remb is off by default, transport-cc never");
  assert.deepEqual(v.receive, []);
  assert.deepEqual(v.remoteSsrcs, [3815059281]);
  assert.deepEqual(v.remoteRtxSsrcs, [2988876695]);
  assert.equal(v.remoteCname, "4XaHgKtSVyDfJPmp");
  assert.equal(v.rtcpRsize, true);
  assert.deepEqual(v.extmaps, [], "no header extension is implemented, none is answered");
  assert.equal(a.direction, "sendrecv");
  assert.equal(a.send.pt, 111);
  assert.equal(a.send.codec, "opus");
  assert.equal(a.send.channels, 2);
  assert.deepEqual(a.receive.map((c: any) => c.pt), [111, 0, 8]);
  assert.deepEqual(a.remoteSsrcs, [3909407779]);

  const vs = section(text, 0);
  assert.equal(vs[0], "m=video 9 UDP/TLS/RTP/SAVPF 108 109");
  for (const l of ["a=mid:0", "a=sendonly", "a=rtcp-mux", "a=rtcp-rsize", "a=rtpmap:108 H264/90000", "a=rtcp-fb:108 nack",
    "a=rtcp-fb:108 nack pli", "a=rtcp-fb:108 ccm fir", "a=rtpmap:109 rtx/90000", "a=fmtp:109 apt=108",
    "a=msid:devstream cam", "a=ssrc-group:FID 1111 2222", "a=ssrc:1111 cname:devcname", "a=ssrc:2222 cname:devcname",
    "a=ssrc:1111 msid:devstream cam", "a=setup:active", "a=ice-ufrag:devU"]) assert.ok(vs.includes(l), `video section has ${l}`);
  assert.ok(!vs.some((l) => l.startsWith("a=extmap")), "no extmap");
  assert.ok(!vs.some((l) => /transport-cc|goog-remb/.test(l)));
  const as = section(text, 1);
  assert.equal(as[0], "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8");
  for (const l of ["a=sendrecv", "a=rtpmap:111 opus/48000/2", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
    "a=ssrc:3333 cname:devcname", "a=msid:devstream mic"]) assert.ok(as.includes(l), `audio section has ${l}`);
  assert.equal(section(text, 2)[0], "m=application 9 UDP/DTLS/SCTP webrtc-datachannel");
  // The answer parses with our own parser and its transport is the offerer's.
  assert.equal(call(e, "sdp_parse", text).code, E.None);
  e.x.sdp_remote();
  const remote = JSON.parse(out(e));
  assert.equal(remote.ufrag, "QO7H");
  assert.equal(remote.mid, "0", "transport taken from the offerer-tagged section");
  assert.equal(remote.dtlsClient, true);
});

test("werift 0.25.2 video+audio+data offer: VP8 (its only video codec), OPUS upper case, PCMU", () => {
  const { code, text, r } = mediaAnswer(WERIFT);
  assert.equal(code, E.None, text);
  const [v, a] = r.media;
  assert.equal(v.send.pt, 98);
  assert.equal(v.send.codec, "VP8");
  assert.equal(v.send.fb, FB.nack | FB.pli, "werift offers no ccm fir");
  assert.equal(v.send.rtx, -1, "werift offers no rtx");
  assert.equal(a.send.pt, 96);
  assert.equal(a.send.codec, "OPUS");
  assert.deepEqual(a.receive.map((c: any) => c.pt), [96, 0]);
  assert.equal(a.rtcpRsize, false);
  assert.ok(!section(text, 0).includes("a=rtcp-rsize"), "rtcp-rsize only when offered");
  assert.ok(!section(text, 0).some((l) => l.startsWith("a=ssrc-group")), "no FID group without rtx");
});

test("goog-remb when the device enables it; VP8 preferred when listed first", () => {
  const { r } = mediaAnswer(CHROMIUM, "video.send=vp8,h264\nremb=1");
  assert.equal(r.media[0].send.codec, "VP8");
  assert.equal(r.media[0].send.pt, 96);
  assert.equal(r.media[0].send.rtx, 97);
  assert.equal(r.media[0].send.fb, FB.nack | FB.pli | FB.fir | FB.remb);
});

test("H.264 profile-level-id: same profile by profile_idc and constraint flags", () => {
  const same = (a: string, b: string) => call(e, "sdp_h264_same_profile", a, b).code;
  assert.equal(same("42e01f", "42e01f"), 1);
  assert.equal(same("42e01f", "42e00b"), 1, "level differs, profile the same");
  assert.equal(same("42e01f", "42c01f"), 1, "constraint_set1 is what makes Baseline constrained");
  assert.equal(same("42e01f", "4de01f"), 1, "Main with constraint_set0 is Constrained Baseline too");
  assert.equal(same("42e01f", "42001f"), 0, "Baseline is not Constrained Baseline");
  assert.equal(same("42e01f", "4d001f"), 0, "Main");
  assert.equal(same("42e01f", "640c1f"), 0, "Constrained High");
  assert.equal(same("640c1f", "640c34"), 1);
  assert.equal(same("640c1f", "64001f"), 0, "High");
  assert.equal(same("42e01f", "42e31f"), 0, "reserved bits set: unknown profile");
  assert.equal(same("42e01f", "42e0"), -1);
  assert.equal(same("42e01f", "zze01f"), -1);
});

test("H.264 matching in answers: 42e01f chosen over 42001f and 640c1f; lower level accepted", () => {
  const all = videoOffer("100 101 102", [...h264(100, "packetization-mode=1;profile-level-id=42001f"),
    ...h264(101, "packetization-mode=1;profile-level-id=640c1f"), ...h264(102, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f")]);
  let { code, text, r } = mediaAnswer(all, "video.send=h264");
  assert.equal(code, E.None, text);
  assert.equal(r.media[0].send.pt, 102);
  for (const other of ["42001f", "640c1f", "4d001f"]) {
    ({ code, text, r } = mediaAnswer(videoOffer("100", h264(100, `packetization-mode=1;profile-level-id=${other}`)), "video.send=h264"));
    assert.equal(code, E.NoAcceptableSection, `${other}: ${text}`);
  }
  // The offerer's level is lower than ours: we send at its level (RFC 6184 §8.2.2).
  ({ code, text, r } = mediaAnswer(videoOffer("100", h264(100, "packetization-mode=1;profile-level-id=42e00d")), "video.send=h264"));
  assert.equal(code, E.None, text);
  assert.equal(r.media[0].send.fmtp, "packetization-mode=1;profile-level-id=42e00d");
  // A higher offered level is capped at ours; the same profile written differently keeps its digits.
  ({ r } = mediaAnswer(videoOffer("100", h264(100, "packetization-mode=1;profile-level-id=4de034")), "video.send=h264"));
  assert.equal(r.media[0].send.fmtp, "packetization-mode=1;profile-level-id=4de01f");
  // Among several matches, one at our level or above wins over a lower one, then offer order.
  ({ r } = mediaAnswer(videoOffer("100 101", [...h264(100, "packetization-mode=1;profile-level-id=42e00b"),
    ...h264(101, "packetization-mode=1;profile-level-id=42e01f")]), "video.send=h264"));
  assert.equal(r.media[0].send.pt, 101);
});

test("H.264 packetization-mode 0 only (or absent) is not chosen; VP8 taken instead", () => {
  for (const fmtp of ["packetization-mode=0;profile-level-id=42e01f", "profile-level-id=42e01f"]) {
    const lines = [...h264(100, fmtp), "a=rtpmap:101 VP8/90000", "a=rtcp-fb:101 nack"];
    const { code, r } = mediaAnswer(videoOffer("100 101", lines));
    assert.equal(code, E.None);
    assert.equal(r.media[0].send.codec, "VP8", fmtp);
    const { code: c2 } = mediaAnswer(videoOffer("100", h264(100, fmtp)), "video.send=h264");
    assert.equal(c2, E.NoAcceptableSection, fmtp);
  }
  // A device whose packetizer keeps to single NAL units can say so.
  const { r } = mediaAnswer(videoOffer("100", h264(100, "packetization-mode=0;profile-level-id=42e01f")), "video.send=h264:42e01f:0");
  assert.equal(r.media[0].send.fmtp, "packetization-mode=0;profile-level-id=42e01f");
});

test("no codec in common: that section port 0 and out of BUNDLE, the rest answered", () => {
  const offer = videoOffer("45", ["a=rtpmap:45 AV1/90000"], "sendrecv", { formats: "111 9", lines: ["a=rtpmap:111 opus/48000/2"] });
  const { code, text, r } = mediaAnswer(offer);
  assert.equal(code, E.None, text);
  assert.equal(r.media[0].accepted, false);
  assert.match(r.media[0].reason, /no offered video codec/);
  assert.equal(section(text, 0)[0], "m=video 0 UDP/TLS/RTP/SAVPF 45");
  assert.ok(section(text, 0).includes("a=inactive"));
  assert.equal(r.media[1].accepted, true);
  assert.deepEqual(r.bundle, ["1"]);
  assert.match(text, /^a=group:BUNDLE 1\r$/m);
  // Audio with only G722 and video with only AV1: nothing to accept at all.
  const none = videoOffer("45", ["a=rtpmap:45 AV1/90000"], "sendrecv", { formats: "9", lines: [] });
  const n = mediaAnswer(none);
  assert.equal(n.code, E.NoAcceptableSection);
  assert.match(n.text, /no offered video codec.*no offered audio codec/);
});

test("directions: device video sendonly, audio sendrecv, against every offered direction", () => {
  const audio = { formats: "0", lines: ["a=rtpmap:0 PCMU/8000"] };
  const cases: [string, string, string][] = [
    ["sendrecv", "sendonly", "sendrecv"],
    ["recvonly", "sendonly", "sendonly"],
    ["sendonly", "inactive", "recvonly"],
    ["inactive", "inactive", "inactive"],
  ];
  for (const [offered, video, aud] of cases) {
    const offer = videoOffer("96", ["a=rtpmap:96 VP8/90000"], offered, audio).replace("a=mid:1\r\na=sendrecv", `a=mid:1\r\na=${offered}`);
    const { code, text, r } = mediaAnswer(offer);
    assert.equal(code, E.None, text);
    assert.equal(r.media[0].direction, video, `video vs offered ${offered}`);
    assert.equal(r.media[1].direction, aud, `audio vs offered ${offered}`);
    assert.ok(section(text, 0).includes(`a=${video}`));
    // SSRC lines only for what we send.
    assert.equal(section(text, 0).some((l) => l.startsWith("a=ssrc:")), video === "sendonly", `video ssrc lines (${offered})`);
    assert.equal(r.media[1].sending, aud === "sendrecv" || aud === "sendonly");
    assert.equal(r.media[1].receiving, aud === "sendrecv" || aud === "recvonly");
  }
  // A receive-only device audio (a speaker) answers a sendrecv offer recvonly.
  const { r } = mediaAnswer(videoOffer("96", ["a=rtpmap:96 VP8/90000"], "sendrecv", audio), "audio.send=");
  assert.equal(r.media[1].direction, "recvonly");
  assert.equal(r.media[1].send, null);
});

test("static payload types without rtpmap (RFC 3551), rtx bound by apt only", () => {
  const offer = videoOffer("96 97 98", ["a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 nack", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=99",
    "a=rtpmap:98 rtx/90000", "a=fmtp:98 apt=96"], "recvonly", { formats: "8 0", lines: [] });
  const { code, text, r } = mediaAnswer(offer);
  assert.equal(code, E.None, text);
  assert.equal(r.media[0].send.rtx, 98, "the rtx whose apt names the chosen codec");
  assert.equal(section(text, 0)[0], "m=video 9 UDP/TLS/RTP/SAVPF 96 98");
  assert.equal(r.media[1].send.codec, "PCMU", "our preference among what was offered");
  assert.deepEqual(r.media[1].receive.map((c: any) => c.pt), [8, 0]);
  // Without NACK there is no rtx (RFC 4588 needs retransmission requests).
  const noNack = mediaAnswer(offer.replace("a=rtcp-fb:96 nack\r\n", ""));
  assert.equal(noNack.r.media[0].send.rtx, -1);
});

test("extmap: only URIs the device implements, with the offer's ids", () => {
  const { r, text } = mediaAnswer(CHROMIUM, "ext=urn:ietf:params:rtp-hdrext:sdes:mid\next=urn:example:not-offered");
  assert.deepEqual(r.media[0].extmaps, ["9 urn:ietf:params:rtp-hdrext:sdes:mid"]);
  assert.ok(section(text, 0).includes("a=extmap:9 urn:ietf:params:rtp-hdrext:sdes:mid"));
  assert.ok(!text.includes("not-offered"));
});

test("one transport: without BUNDLE only the first accepted section is kept", () => {
  const unbundled = videoOffer("96", ["a=rtpmap:96 VP8/90000"], "sendrecv", { formats: "0", lines: [] }).replace("a=group:BUNDLE 0 1\r\n", "");
  const { code, text, r } = mediaAnswer(unbundled);
  assert.equal(code, E.None, text);
  assert.equal(r.media[0].accepted, true);
  assert.equal(r.media[1].accepted, false);
  assert.match(r.media[1].reason, /one transport/);
  assert.ok(!text.includes("a=group:"));
});

test("proto and rtcp-mux: RTP/AVP and sections without rtcp-mux are rejected", () => {
  const avp = videoOffer("96", ["a=rtpmap:96 VP8/90000"], "sendrecv", { formats: "0", lines: [] }).replace("m=video 9 UDP/TLS/RTP/SAVPF", "m=video 9 RTP/AVP");
  let { r } = mediaAnswer(avp);
  assert.match(r.media[0].reason, /not DTLS-SRTP/);
  const noMux = CHROMIUM.replace(/a=rtcp-mux\r?\n(?=a=rtcp-rsize\r?\na=rtcp-xr:rcvr-rtt=all\r?\na=rtpmap:111)/, "");
  ({ r } = mediaAnswer(noMux));
  assert.equal(r.media[1].accepted, false);
  assert.match(r.media[1].reason, /rtcp-mux/);
});

test("media answer keeps the data-only createAnswer intact: data channel alone still answered", () => {
  const { code, text, r } = mediaAnswer(fixture("chromium156_datachannel_offer.sdp"));
  assert.equal(code, E.None, text);
  assert.deepEqual(r.media, []);
  assert.equal(r.dataMid, "0");
  // And with data off, a media offer without video/audio is refused.
  const off = mediaAnswer(fixture("chromium156_datachannel_offer.sdp"), "data=0");
  assert.equal(off.code, E.NoAcceptableSection);
});

test("the device's media offer: video sendonly H.264+VP8 with rtx, audio sendrecv, data; parses back", () => {
  const o = call(e, "sdp_media_offer", CFG, MEDIA);
  assert.equal(o.code, E.None, o.text);
  const r = result();
  assert.equal(r.dataMid, "2");
  assert.match(o.text, /^a=group:BUNDLE 0 1 2\r$/m);
  const v = section(o.text, 0);
  assert.equal(v[0], "m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99");
  for (const l of ["a=sendonly", "a=setup:actpass", "a=fmtp:96 packetization-mode=1;profile-level-id=42e01f", "a=fmtp:97 apt=96",
    "a=rtpmap:98 VP8/90000", "a=fmtp:99 apt=98", "a=ssrc-group:FID 1111 2222", "a=rtcp-rsize"]) assert.ok(v.includes(l), l);
  const a = section(o.text, 1);
  assert.equal(a[0], "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8");
  assert.ok(a.includes("a=sendrecv"));
  assert.equal(call(e, "sdp_parse", o.text).code, E.None);
  // Our own answer to our own offer: the device talking to another device.
  const self = mediaAnswer(o.text);
  assert.equal(self.code, E.None, self.text);
  // Video: both ends send only, so the answerer's video is inactive; audio sendrecv.
  assert.equal(self.r.media[0].direction, "inactive");
  assert.equal(self.r.media[1].direction, "sendrecv");
});

test("werift interop: werift's fresh offer -> our media answer -> werift accepts, codecs as negotiated", async () => {
  // max-bundle: with the default policy werift gathers one transport per section and, once the
  // answer bundles them, close() leaves the others' UDP sockets open (the test file never ends).
  const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle" });
  try {
    pc.addTransceiver("video", { direction: "sendrecv" });
    pc.addTransceiver("audio", { direction: "sendrecv" });
    pc.createDataChannel("chat");
    await pc.setLocalDescription(await pc.createOffer());
    const offer = pc.localDescription!.sdp;
    const { code, text, r } = mediaAnswer(offer);
    assert.equal(code, E.None, text);
    await pc.setRemoteDescription({ type: "answer", sdp: text });
    assert.equal(pc.signalingState, "stable");
    const [vt, at] = pc.getTransceivers();
    assert.equal(vt.currentDirection, "recvonly", "we send video only");
    assert.equal(at.currentDirection, "sendrecv");
    assert.equal(vt.codecs[0].mimeType.toLowerCase(), "video/" + r.media[0].send.codec.toLowerCase());
    assert.equal(vt.codecs[0].payloadType, r.media[0].send.pt);
    assert.equal(at.codecs[0].payloadType, r.media[1].send.pt);
  } finally {
    await pc.close();
  }
});

test("werift interop: our media offer -> werift answer -> applyMediaAnswer", async () => {
  const o = call(e, "sdp_media_offer", CFG, MEDIA);
  assert.equal(o.code, E.None, o.text);
  const pc = new RTCPeerConnection({
    codecs: {
      video: [new RTCRtpCodecParameters({ mimeType: "video/H264", clockRate: 90000, rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }],
        parameters: "packetization-mode=1;profile-level-id=42e01f;level-asymmetry-allowed=1" })],
      audio: [new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2 })],
    },
  });
  try {
    await pc.setRemoteDescription({ type: "offer", sdp: o.text });
    for (const t of pc.getTransceivers()) t.setDirection(t.kind === "video" ? "recvonly" : "sendrecv");
    await pc.setLocalDescription(await pc.createAnswer());
    const ans = pc.localDescription!.sdp;
    const applied = call(e, "sdp_media_apply", ans);
    assert.equal(applied.code, E.None, applied.text + "\n" + ans);
    const r = result();
    assert.equal(r.dataAccepted, true);
    const [v, a] = r.media;
    assert.equal(v.accepted, true, v.reason);
    assert.equal(v.direction, "sendonly");
    assert.equal(v.send.codec, "H264");
    assert.equal(v.send.pt, 96);
    assert.equal(a.direction, "sendrecv", a.reason);
    assert.equal(a.send.codec, "opus");
    assert.equal(a.send.pt, 111);
    e.x.sdp_remote();
    const remote = JSON.parse(out(e));
    assert.equal(remote.mid, "0");
  } finally {
    await pc.close();
  }
});

test("apply: an answer without our mid, or rejecting everything, is refused", () => {
  assert.equal(call(e, "sdp_media_offer", CFG, MEDIA).code, E.None);
  const missing = call(e, "sdp_media_apply", fixture("chrome_datachannel_answer.sdp"));
  assert.equal(missing.code, E.UnknownMid, missing.text);
});

// ---- hostile fmtp / rtpmap / rtcp-fb / ssrc lines: never a trap ----

test("bad fmtp, rtpmap, rtcp-fb and ssrc values never trap and never match", () => {
  const bad = [
    "profile-level-id=", "profile-level-id=zzzzzz", "profile-level-id=42e01f42e01f", "packetization-mode=99999999999999999999;profile-level-id=42e01f",
    "packetization-mode=1;profile-level-id=42E01F", ";;;;", "=", "packetization-mode", "packetization-mode=1;profile-level-id",
    "apt=", "apt=-1", "apt=128", "x".repeat(900), "packetization-mode=1;profile-level-id=\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9",
  ];
  for (const f of bad) {
    const offer = videoOffer("100 101", [...h264(100, f), "a=rtpmap:101 rtx/90000", `a=fmtp:101 ${f}`]);
    const { code } = mediaAnswer(offer, "video.send=h264");
    // Upper-case hex is still hex: only that one matches.
    if (code === E.None) assert.equal(f, "packetization-mode=1;profile-level-id=42E01F");
    else assert.equal(code, E.NoAcceptableSection, f);
  }
  for (const l of ["a=rtpmap:100 H264", "a=rtpmap:100 /90000", "a=rtpmap:300 H264/90000", "a=rtcp-fb:100", "a=rtcp-fb:abc nack",
    "a=ssrc:99999999999 cname:x", "a=ssrc-group:FID", "a=ssrc-group:FID 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18", "a=fmtp:100"]) {
    const { code } = mediaAnswer(videoOffer("100", [l, ...h264(100, "packetization-mode=1;profile-level-id=42e01f")]));
    assert.ok(code >= 0 && code < 20, l);
  }
});

test("random mutations of media offers and answers never trap", () => {
  let seed = 0x2468ace;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 0x1000000;
  const werOffer = call(e, "sdp_media_offer", CFG, MEDIA).text;
  for (const base of [CHROMIUM, WERIFT, werOffer]) {
    const b = enc.encode(base);
    for (let i = 0; i < 200; i++) {
      const m = b.slice();
      const k = 1 + Math.floor(rnd() * 10);
      for (let j = 0; j < k; j++) m[Math.floor(rnd() * m.length)] = rnd() < 0.5 ? Math.floor(rnd() * 256) : enc.encode("0123456789=;: /*")[Math.floor(rnd() * 16)];
      const text = dec.decode(m);
      const a = call(e, "sdp_media_answer", text, CFG, MEDIA);
      assert.ok(a.code >= 0 && a.code < 20);
      result();
      call(e, "sdp_media_offer", CFG, MEDIA);
      const ap = call(e, "sdp_media_apply", text);
      assert.ok(ap.code >= -1 && ap.code < 20);
      result();
    }
  }
});

test("bad media config is refused, not written", () => {
  const r = call(e, "sdp_media_answer", CHROMIUM, CFG, "cname=has space");
  assert.equal(r.code, E.BadConfig);
  assert.match(r.text, /cname/);
  const h = call(e, "sdp_media_offer", CFG, "video.send=h264:42e0");
  assert.equal(h.code, E.BadConfig);
  assert.match(h.text, /profile-level-id/);
});
