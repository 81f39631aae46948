// SDP: real offers and answers (Chromium, Firefox, pion, werift), the device's answer and offer
// accepted by werift, rejection of unsupported sections with BUNDLE adjusted, every refusal
// reason, and hostile input that must never trap.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { RTCPeerConnection } from "werift";
import { loadEntry, PROVIDERS, type Entry } from "../helpers/entry.js";
import { projectRoot } from "../../host/core.js";
import { sdpOut as out } from "../helpers/sdp_entry.js";

const VECTORS = resolve(projectRoot(), "test/vectors/sdp");
const fixture = (name: string) => readFileSync(resolve(VECTORS, name), "latin1");
const FIXTURES = readdirSync(VECTORS).filter((f) => f.endsWith(".sdp")).sort();

// Error codes (assembly/sdp/error.ts).
const E = {
  None: 0, TooLarge: 1, LineTooLong: 2, Malformed: 3, TooManyMediaSections: 4, TooManyAttributes: 5,
  NoApplicationSection: 10, MissingIceCredentials: 11, MissingFingerprint: 12, UnsupportedFingerprint: 13,
  BadSetup: 14, BadConfig: 15,
};

const FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
const DEVICE = {
  ufrag: "devU",
  pwd: "devicePassword0123456789",
  fingerprint: FP,
  maxmsg: "262144",
  sessionid: "1234567890123",
  candidate: ["candidate:1 1 udp 2130706431 127.0.0.1 9 typ host"],
  eoc: "1",
};
type Cfg = Partial<Omit<typeof DEVICE, "candidate">> & { candidate?: string[]; setup?: string; icelite?: string };

const enc = new TextEncoder();

function withBytes<T>(e: Entry, data: Uint8Array | string, f: (p: number, n: number) => T): T {
  const b = typeof data === "string" ? enc.encode(data) : data;
  const p = e.put(b);
  try {
    return f(p, b.length);
  } finally {
    e.free(p);
  }
}

function cfgText(c: Cfg): string {
  const all = { ...DEVICE, ...c };
  const lines: string[] = [];
  for (const [k, v] of Object.entries(all)) {
    if (Array.isArray(v)) for (const x of v) lines.push(`${k}=${x}`);
    else if (v !== undefined) lines.push(`${k}=${v}`);
  }
  return lines.join("\n");
}

function parse(e: Entry, sdp: Uint8Array | string): { code: number; reason: string; d: any } {
  const code = withBytes(e, sdp, (p, n) => e.x.sdp_parse(p, n) as number);
  const reason = out(e);
  if (code !== E.None) return { code, reason, d: null };
  e.x.sdp_summary();
  return { code, reason, d: JSON.parse(out(e)) };
}

function answer(e: Entry, offer: string, c: Cfg = {}): { code: number; text: string; remote: any } {
  const cfg = enc.encode(cfgText(c));
  const code = withBytes(e, offer, (p, n) => withBytes(e, cfg, (cp, cn) => e.x.sdp_answer(p, n, cp, cn) as number));
  const text = out(e);
  e.x.sdp_remote();
  return { code, text, remote: JSON.parse(out(e)) };
}

function offer(e: Entry, c: Cfg = {}): { code: number; text: string } {
  const code = withBytes(e, cfgText(c), (p, n) => e.x.sdp_offer(p, n) as number);
  return { code, text: out(e) };
}

function applyAnswer(e: Entry, sdp: string): { code: number; reason: string; remote: any } {
  const code = withBytes(e, sdp, (p, n) => e.x.sdp_apply_answer(p, n) as number);
  const reason = out(e);
  e.x.sdp_remote();
  return { code, reason, remote: JSON.parse(out(e)) };
}

const e = loadEntry("entry_sdp", "pure");

test("every fixture parses", () => {
  assert.ok(FIXTURES.length >= 8, `fixtures: ${FIXTURES.join(", ")}`);
  for (const f of FIXTURES) {
    const r = parse(e, fixture(f));
    assert.equal(r.code, E.None, `${f}: ${r.reason}`);
    assert.ok(r.d.media.length >= 1, f);
  }
});

test("both providers build and parse alike", () => {
  for (const provider of PROVIDERS) {
    const x = loadEntry("entry_sdp", provider);
    const r = parse(x, fixture("chrome_data_video_offer.sdp"));
    assert.equal(r.code, E.None, provider);
    assert.equal(r.d.media.length, 2);
  }
});

test("Chromium data channel offer: .local candidate kept raw, transport attributes", () => {
  const { d } = parse(e, fixture("chrome_datachannel_offer.sdp"));
  assert.deepEqual(d.groups, ["BUNDLE 0"]);
  assert.equal(d.extmapAllowMixed, true);
  assert.equal(d.msidSemantic, " WMS");
  const m = d.media[0];
  assert.equal(m.dataChannel, true);
  assert.equal(m.mid, "0");
  assert.equal(m.ufrag, "OpDk");
  assert.equal(m.pwd, "OPd9GWsmjbN25gJMosh+0wjg");
  assert.deepEqual(m.iceOptions, ["trickle"]);
  assert.equal(m.setup, "actpass");
  assert.equal(m.sctpPort, 5000);
  assert.equal(m.maxMessageSize, 262144);
  assert.equal(m.candidates.length, 1);
  assert.match(m.candidates[0], /^candidate:3091073559 1 udp 2113937151 [0-9a-f-]+\.local 58111 typ host/);
  assert.deepEqual(m.fingerprints, ["sha-256 5D:1B:58:32:D5:5D:1B:FE:CD:24:7B:17:C5:B6:9B:1F:D2:AB:B6:B5:36:6D:76:43:5F:A6:0B:8A:14:61:02:46"]);
});

test("Chromium data+video offer (LF line ends): RTP details parsed per section", () => {
  const { d } = parse(e, fixture("chrome_data_video_offer.sdp"));
  const v = d.media[1];
  assert.equal(v.media, "video");
  assert.equal(v.proto, "UDP/TLS/RTP/SAVPF");
  assert.equal(v.formats.length, 25);
  assert.equal(v.rtpmaps.length, 25);
  assert.ok(v.rtpmaps.includes("102 H264/90000"));
  assert.ok(v.fmtps.includes("102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f"));
  assert.equal(v.rtcpFbs.filter((x: string) => x.startsWith("96 ")).length, 5);
  assert.ok(v.rtcpFbs.includes("96 nack pli"));
  assert.equal(v.extmaps.length, 11);
  assert.equal(v.extmaps[0], "1 urn:ietf:params:rtp-hdrext:toffset");
  assert.deepEqual(v.ssrcGroups, ["FID 2829153868 3803804749"]);
  assert.equal(v.ssrcs.length, 4);
  assert.equal(v.ssrcs[0], "2829153868 cname:L1LaiKzjPl3EqRhC");
  assert.deepEqual(v.msids, ["zHLenxRoEy5ss3jwu5u3sUKWJQOy5m6SwAsY dad5ae8e-233a-4556-b795-5b1bb87acfd1"]);
  assert.equal(v.direction, "sendrecv");
  assert.equal(v.rtcpMux, true);
  assert.equal(v.rtcpRsize, true);
  assert.deepEqual(v.other, ["rtcp:9 IN IP4 0.0.0.0"]);
});

test("Firefox offer: session-level fingerprint, TCP/relay candidates, end-of-candidates", () => {
  const { d } = parse(e, fixture("firefox_datachannel_offer.sdp"));
  assert.equal(d.fingerprints.length, 1);
  const m = d.media[0];
  assert.equal(m.fingerprints.length, 0);
  assert.equal(m.candidates.length, 6);
  assert.equal(m.endOfCandidates, true);
  assert.equal(m.maxMessageSize, 1073741823);
  assert.equal(m.port, 59261);
  const a = answer(e, fixture("firefox_datachannel_offer.sdp"));
  assert.equal(a.code, E.None, a.text);
  assert.equal(a.remote.fingerprint, d.fingerprints[0]);
  assert.equal(a.remote.ufrag, "b590d940");
  assert.equal(a.remote.maxMessageSize, 1073741823);
});

test("ICE credentials at session level (Firefox style) are used", () => {
  const a = answer(e, fixture("firefox_session_ice_offer.sdp"));
  assert.equal(a.code, E.None, a.text);
  assert.equal(a.remote.ufrag, "b590d940");
  assert.equal(a.remote.pwd, "34dfb654996bd42f78e0feeadd7122bd");
  assert.equal(a.remote.trickle, true);
});

test("pion answer: component-2 candidates tolerated; not a data channel answer", () => {
  const { d } = parse(e, fixture("pion_audio_answer.sdp"));
  const m = d.media[0];
  assert.equal(m.candidates.length, 4);
  assert.equal(m.candidates.filter((c: string) => c.split(" ")[1] === "2").length, 2);
  assert.equal(m.setup, "active");
  assert.deepEqual(m.rtpmaps, ["102 opus/48000/2"]);
  const r = applyAnswer(e, fixture("pion_audio_answer.sdp"));
  assert.equal(r.code, E.NoApplicationSection, r.reason);
  const a = answer(e, fixture("pion_audio_answer.sdp"));
  assert.equal(a.code, E.NoApplicationSection);
  assert.match(a.text, /no data channel section/);
});

test("Chromium answer applied to our offer: setup active makes us the DTLS server", () => {
  const r = applyAnswer(e, fixture("chrome_datachannel_answer.sdp"));
  assert.equal(r.code, E.None, r.reason);
  assert.equal(r.remote.setup, "active");
  assert.equal(r.remote.dtlsClient, false);
  assert.equal(r.remote.ufrag, "0Iqb");
  assert.equal(r.remote.sctpPort, 5000);
});

function assertAnswerShape(offerText: string, text: string, acceptedMid: string) {
  const o = parse(e, offerText).d;
  const a = parse(e, text);
  assert.equal(a.code, E.None, `our answer must parse: ${a.reason}\n${text}`);
  assert.equal(a.d.media.length, o.media.length, "one answer section per offered section");
  let accepted = 0;
  for (let i = 0; i < o.media.length; i++) {
    const om = o.media[i], am = a.d.media[i];
    assert.equal(am.media, om.media);
    assert.equal(am.proto, om.proto);
    assert.equal(am.mid, om.mid, "mids kept, rejected or not");
    if (om.mid === acceptedMid) {
      accepted++;
      assert.equal(am.port, 9);
      assert.equal(am.dataChannel, true);
      assert.equal(am.ufrag, DEVICE.ufrag);
      assert.equal(am.pwd, DEVICE.pwd);
      assert.deepEqual(am.iceOptions, ["trickle"]);
      assert.deepEqual(am.fingerprints, [`sha-256 ${FP}`]);
      assert.equal(am.sctpPort, 5000);
      assert.equal(am.maxMessageSize, 262144);
      assert.deepEqual(am.candidates, DEVICE.candidate);
      assert.equal(am.endOfCandidates, true);
    } else {
      assert.equal(am.port, 0, `section ${om.mid} rejected with port 0`);
      assert.deepEqual(am.formats, om.formats);
    }
  }
  assert.equal(accepted, 1);
  const bundled = o.groups.some((g: string) => g.split(" ")[0] === "BUNDLE" && g.split(" ").includes(acceptedMid));
  assert.deepEqual(a.d.groups, bundled ? [`BUNDLE ${acceptedMid}`] : [], "BUNDLE holds the accepted mid only");
  return a.d;
}

test("answers to every data channel fixture: one section accepted, the rest port 0", () => {
  for (const f of FIXTURES.filter((f) => f.includes("offer"))) {
    const text = fixture(f);
    const a = answer(e, text);
    assert.equal(a.code, E.None, `${f}: ${a.text}`);
    assertAnswerShape(text, a.text, parse(e, text).d.media.find((m: any) => m.dataChannel).mid);
    assert.equal(a.remote.dtlsClient, true, "actpass offer: we take setup:active by default");
    assert.match(a.text, /\r\na=setup:active\r\n/);
    assert.ok(a.text.endsWith("\r\n"));
  }
});

test("answer: setup passive when configured, and the inverse of a non-actpass offer", () => {
  const chrome = fixture("chrome_datachannel_offer.sdp");
  let a = answer(e, chrome, { setup: "passive" });
  assert.match(a.text, /a=setup:passive/);
  assert.equal(a.remote.dtlsClient, false);
  a = answer(e, chrome.replace("a=setup:actpass", "a=setup:active"));
  assert.match(a.text, /a=setup:passive/);
  a = answer(e, chrome.replace("a=setup:actpass", "a=setup:passive"), { setup: "passive" });
  assert.match(a.text, /a=setup:active/);
  a = answer(e, chrome.replace("a=setup:actpass", "a=setup:holdconn"));
  assert.equal(a.code, E.BadSetup);
});

test("answer: no end-of-candidates while gathering, ice-lite when configured", () => {
  const a = answer(e, fixture("chrome_datachannel_offer.sdp"), { eoc: "0", candidate: [], icelite: "1" });
  assert.equal(a.code, E.None);
  assert.doesNotMatch(a.text, /end-of-candidates|a=candidate/);
  assert.match(a.text, /\r\na=ice-lite\r\n/);
  assert.equal(parse(e, a.text).d.iceLite, true);
});

test("answer: video/audio sections rejected, BUNDLE keeps only the data mid (tagged section rejected)", () => {
  const text = fixture("werift_video_audio_data_offer.sdp");
  const a = answer(e, text);
  assert.equal(a.code, E.None, a.text);
  const d = assertAnswerShape(text, a.text, "2");
  assert.equal(d.media[0].direction, "inactive");
  assert.match(a.text, /m=video 0 UDP\/TLS\/RTP\/SAVPF 98\r\n/);
});

test("answer: a section the offerer rejected (port 0) is not accepted; bundle-only is", () => {
  const base = fixture("chrome_datachannel_offer.sdp");
  const rejected = base.replace("m=application 9 ", "m=application 0 ");
  assert.equal(answer(e, rejected).code, E.NoApplicationSection);
  const bundleOnly = rejected.replace("a=mid:0", "a=mid:0\r\na=bundle-only");
  assert.equal(answer(e, bundleOnly).code, E.None);
});

test("answer: only the first of two data channel sections is accepted", () => {
  const base = fixture("chrome_datachannel_offer.sdp");
  const section = base.slice(base.indexOf("m=application"));
  const two = base.replace("a=group:BUNDLE 0", "a=group:BUNDLE 0 1") + section.replace("a=mid:0", "a=mid:1");
  const a = answer(e, two);
  assert.equal(a.code, E.None, a.text);
  assertAnswerShape(two, a.text, "0");
});

test("offer: one data channel section with actpass; parses and round-trips through applyAnswer", () => {
  const o = offer(e);
  assert.equal(o.code, E.None, o.text);
  const p = parse(e, o.text);
  assert.equal(p.code, E.None, p.reason);
  assert.equal(p.d.media.length, 1);
  assert.equal(p.d.media[0].setup, "actpass");
  assert.equal(p.d.media[0].dataChannel, true);
  assert.deepEqual(p.d.groups, ["BUNDLE 0"]);
  // Our own answer to our own offer, applied back.
  const a = answer(e, o.text, { ufrag: "peer", pwd: "peerPassword0123456789xx", setup: "passive" });
  assert.equal(a.code, E.None, a.text);
  const r = applyAnswer(e, a.text);
  assert.equal(r.code, E.None, r.reason);
  assert.equal(r.remote.ufrag, "peer");
  assert.equal(r.remote.setup, "passive");
  assert.equal(r.remote.dtlsClient, true);
});

test("bad config is refused, not written", () => {
  const sdp = fixture("chrome_datachannel_offer.sdp");
  assert.equal(answer(e, sdp, { ufrag: "ab" }).code, E.BadConfig);
  assert.equal(answer(e, sdp, { pwd: "short" }).code, E.BadConfig);
  assert.equal(answer(e, sdp, { fingerprint: "AB:CD" }).code, E.BadConfig);
  assert.equal(answer(e, sdp, { candidate: ["candidate:1 1 udp 1 1.2.3.4 5 typ host\r\na=evil"] }).code, E.BadConfig);
  assert.equal(answer(e, sdp, { sessionid: "12x" }).code, E.BadConfig);
  assert.equal(offer(e, { ufrag: "" }).code, E.BadConfig);
});

// ---- refusals with reasons ----

const CHROME = fixture("chrome_datachannel_offer.sdp");
const drop = (sdp: string, re: RegExp) => sdp.split("\r\n").filter((l) => !re.test(l)).join("\r\n");

test("refusal: no application section", () => {
  const v = fixture("chrome_data_video_offer.sdp");
  const videoOnly = v.slice(0, v.indexOf("m=application")) + v.slice(v.indexOf("m=video"));
  const a = answer(e, videoOnly);
  assert.equal(a.code, E.NoApplicationSection);
  assert.match(a.text, /^no-application-section: no data channel section/);
  // Legacy "DTLS/SCTP 5000" sections are not webrtc-datachannel sections.
  const legacy = CHROME.replace("UDP/DTLS/SCTP webrtc-datachannel", "DTLS/SCTP 5000");
  assert.equal(answer(e, legacy).code, E.NoApplicationSection);
});

test("refusal: missing ice-ufrag / ice-pwd", () => {
  let a = answer(e, drop(CHROME, /^a=ice-ufrag/));
  assert.equal(a.code, E.MissingIceCredentials);
  assert.match(a.text, /no a=ice-ufrag for mid 0/);
  a = answer(e, drop(CHROME, /^a=ice-pwd/));
  assert.equal(a.code, E.MissingIceCredentials);
  assert.match(a.text, /no a=ice-pwd/);
  a = answer(e, drop(CHROME, /^a=ice-(pwd|ufrag)/));
  assert.match(a.text, /a=ice-ufrag and a=ice-pwd/);
});

test("refusal: missing fingerprint, or only unsupported hash algorithms", () => {
  let a = answer(e, drop(CHROME, /^a=fingerprint/));
  assert.equal(a.code, E.MissingFingerprint);
  assert.match(a.text, /no a=fingerprint/);
  const sha1 = "a=fingerprint:sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB";
  a = answer(e, CHROME.replace(/a=fingerprint:[^\r]*/, sha1));
  assert.equal(a.code, E.UnsupportedFingerprint);
  assert.match(a.text, /only unsupported fingerprint hash algorithms \(sha-1\)/);
  // sha-256 alongside others is chosen; the others are noted.
  a = answer(e, CHROME.replace(/a=fingerprint:[^\r]*/, (m) => `${sha1}\r\n${m}`));
  assert.equal(a.code, E.None);
  assert.deepEqual(a.remote.otherFingerprints, ["sha-1"]);
});

test("refusal: malformed lines name the line", () => {
  const cases: [string, RegExp][] = [
    [CHROME.replace("v=0", "v=1"), /line 1: a session description starts with v=0/],
    [CHROME.replace("m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=application nine UDP/DTLS/SCTP x"), /line 8: m= must be/],
    [CHROME.replace("m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=application 9"), /m= must be/],
    [CHROME.replace("s=-", "this is not sdp"), /line 3: not of the form/],
    [CHROME.replace("s=-", "S=-"), /not of the form/],
    [CHROME.replace("a=setup:actpass", "a=setup:sideways"), /a=setup must be/],
    [CHROME.replace("a=ice-ufrag:OpDk", "a=ice-ufrag:O p"), /a=ice-ufrag must be/],
    [CHROME.replace("a=ice-pwd:OPd9GWsmjbN25gJMosh+0wjg", "a=ice-pwd:short"), /a=ice-pwd must be/],
    [CHROME.replace(/5D:1B:58/, "5D:1G:58"), /a=fingerprint is not/],
    [CHROME.replace(/5D:1B:58:/, "5D:1B:"), /a=fingerprint is not/],
    [CHROME.replace("a=sctp-port:5000", "a=sctp-port:70000"), /a=sctp-port must be/],
    [CHROME.replace("a=max-message-size:262144", "a=max-message-size:-1"), /a=max-message-size must be/],
    [CHROME.replace("c=IN IP4 0.0.0.0", "c=IN"), /c= must be/],
    [CHROME.replace(/o=[^\r]*/, "o=- 1"), /o= must be/],
    [drop(CHROME, /^o=/), /no o= line/],
    [CHROME.replace("s=-", "s=a\u0001b"), /control character/],
    ["", /empty session description/],
  ];
  for (const [sdp, re] of cases) {
    const r = parse(e, sdp);
    assert.equal(r.code === E.Malformed, true, `expected malformed for ${re}: got ${r.code} ${r.reason}`);
    assert.match(r.reason, re);
  }
});

test("refusal: oversized SDP, long lines, too many sections or attributes", () => {
  const big = CHROME + "a=x-pad:" + "y".repeat(100) + "\r\n".repeat(1);
  let r = parse(e, CHROME.replace("a=mid:0", "a=mid:0\r\n" + Array(200).fill("a=x-filler:" + "z".repeat(80)).join("\r\n")));
  assert.equal(r.code, E.TooLarge);
  assert.match(r.reason, /more than 16384/);
  r = parse(e, CHROME.replace("a=mid:0", "a=mid:0\r\na=x-long:" + "q".repeat(2000)));
  assert.equal(r.code, E.LineTooLong);
  assert.match(r.reason, /line 17: longer than 1024 bytes/);
  const section = CHROME.slice(CHROME.indexOf("m=application"));
  r = parse(e, CHROME + section.repeat(16));
  assert.equal(r.code, E.TooManyMediaSections);
  r = parse(e, CHROME.replace("a=mid:0", "a=mid:0\r\n" + Array(300).fill("a=x").join("\r\n")));
  assert.equal(r.code, E.TooManyAttributes);
  assert.ok(parse(e, big).code === E.None);
});

test("candidates past the bound are counted, not kept", () => {
  const many = CHROME.replace("a=mid:0", "a=mid:0\r\n" + Array.from({ length: 40 }, (_, i) => `a=candidate:${i} 1 udp 1 10.0.0.${i} 9 typ host`).join("\r\n"));
  const { d } = parse(e, many);
  assert.equal(d.media[0].candidates.length, 32);
  assert.equal(d.media[0].candidatesDropped, 9);
});

// ---- hostile input: never a trap ----

test("truncation at every byte of every fixture never traps", () => {
  for (const f of FIXTURES) {
    const b = enc.encode(fixture(f));
    const step = b.length > 2000 ? 7 : 1;
    for (let n = 0; n <= b.length; n += step) {
      const code = withBytes(e, b.subarray(0, n), (p, len) => e.x.sdp_parse(p, len) as number);
      assert.ok(code >= 0 && code < 20, `${f} cut at ${n}`);
      if (code === E.None) e.x.sdp_summary();
      const cfg = enc.encode(cfgText({}));
      withBytes(e, b.subarray(0, n), (p, len) => withBytes(e, cfg, (cp, cn) => e.x.sdp_answer(p, len, cp, cn)));
    }
  }
});

test("random garbage and mutations never trap", () => {
  let seed = 0x1234567;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 0x1000000;
  const cfg = enc.encode(cfgText({}));
  const alphabet = enc.encode("v=0\r\nam:/ 0123456789abcdefIN IP4UDP/DTLS/SCTP webrtc-datachannel\n\t\u00ff");
  for (let i = 0; i < 600; i++) {
    const n = Math.floor(rnd() * 600);
    const b = new Uint8Array(n);
    for (let j = 0; j < n; j++) b[j] = rnd() < 0.5 ? Math.floor(rnd() * 256) : alphabet[Math.floor(rnd() * alphabet.length)];
    if (i % 2 === 0) b.set(enc.encode("v=0\n").subarray(0, Math.min(4, n)));
    withBytes(e, b, (p, len) => e.x.sdp_parse(p, len));
    withBytes(e, b, (p, len) => withBytes(e, cfg, (cp, cn) => e.x.sdp_answer(p, len, cp, cn)));
  }
  for (const f of FIXTURES) {
    const base = enc.encode(fixture(f));
    for (let i = 0; i < 150; i++) {
      const b = base.slice();
      const k = 1 + Math.floor(rnd() * 8);
      for (let j = 0; j < k; j++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      const code = withBytes(e, b, (p, len) => e.x.sdp_parse(p, len) as number);
      if (code === E.None) e.x.sdp_summary();
      withBytes(e, b, (p, len) => withBytes(e, cfg, (cp, cn) => e.x.sdp_answer(p, len, cp, cn)));
      withBytes(e, b, (p, len) => e.x.sdp_apply_answer(p, len));
    }
  }
});

test("very long input: refused by size before any work", () => {
  const huge = new Uint8Array(1 << 20).fill(0x61);
  assert.equal(withBytes(e, huge, (p, n) => e.x.sdp_parse(p, n)), E.TooLarge);
  const oneLine = enc.encode("v=0\r\na=" + "x".repeat(16000));
  assert.equal(withBytes(e, oneLine, (p, n) => e.x.sdp_parse(p, n)), E.LineTooLong);
  // Invalid UTF-8 in values is carried, not fatal.
  const bin = enc.encode(CHROME.replace("s=-", "s=XX"));
  const i = bin.indexOf(0x58);
  bin[i] = 0xff; bin[i + 1] = 0xc3;
  assert.equal(withBytes(e, bin, (p, n) => e.x.sdp_parse(p, n)), E.None);
});

// ---- werift interop ----

async function weriftOffer(kinds: string[]): Promise<RTCPeerConnection & { offerSdp: string }> {
  const pc = new RTCPeerConnection() as any;
  for (const k of kinds) {
    if (k === "data") pc.createDataChannel("chat");
    else pc.addTransceiver(k, { direction: "sendrecv" });
  }
  const o = await pc.createOffer();
  await pc.setLocalDescription(o);
  pc.offerSdp = pc.localDescription.sdp;
  return pc;
}

for (const kinds of [["data"], ["video", "audio", "data"], ["data", "video"], ["audio", "data", "video"]]) {
  test(`werift offer (${kinds.join("+")}) -> our answer -> werift setRemoteDescription accepts it`, async () => {
    const pc = await weriftOffer(kinds);
    try {
      const a = answer(e, pc.offerSdp);
      assert.equal(a.code, E.None, a.text);
      assertAnswerShape(pc.offerSdp, a.text, parse(e, pc.offerSdp).d.media.find((m: any) => m.dataChannel).mid);
      await pc.setRemoteDescription({ type: "answer", sdp: a.text });
      assert.equal(pc.signalingState, "stable");
      // werift took the rejections and our role: media transceivers stopped, it is the DTLS server.
      for (const t of pc.getTransceivers()) assert.equal(t.stopped, true, `transceiver ${t.mid}`);
      assert.deepEqual(pc.dtlsTransports.map((d: any) => d.role), ["server"]);
      assert.deepEqual(pc.iceTransports.map((t: any) => t.connection.remoteUsername), [DEVICE.ufrag]);
      assert.equal(a.remote.ufrag.length >= 4, true);
    } finally {
      await pc.close();
    }
  });
}

test("our offer -> werift answer -> applyAnswer", async () => {
  const o = offer(e);
  const pc = new RTCPeerConnection();
  try {
    await pc.setRemoteDescription({ type: "offer", sdp: o.text });
    const ans = await pc.createAnswer();
    await pc.setLocalDescription(ans);
    const r = applyAnswer(e, pc.localDescription!.sdp);
    assert.equal(r.code, E.None, r.reason);
    assert.ok(r.remote.setup === "active" || r.remote.setup === "passive");
    assert.equal(r.remote.dtlsClient, r.remote.setup === "passive");
    assert.equal(r.remote.fingerprint.startsWith("sha-256 "), true);
  } finally {
    await pc.close();
  }
});
