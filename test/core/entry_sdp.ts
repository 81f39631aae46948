// SDP test entry: parse, answer, offer and apply-answer over raw pointers for test/core/sdp.test.ts.
// Results come back as UTF-8 text (an SDP, a reason, or a JSON summary) through sdp_out_*.
export { mem_alloc, mem_free } from "./entry_common";
import { bytesAt, writeAt } from "./entry_common";
import { parseSessionDescription, SessionDescription } from "../../assembly/sdp/session_description";
import { MediaDescription } from "../../assembly/sdp/media_description";
import { createAnswer } from "../../assembly/sdp/answer";
import { createOffer, applyAnswer } from "../../assembly/sdp/offer";
import { SdpConfig } from "../../assembly/sdp/config";
import { SdpLimits } from "../../assembly/sdp/limits";
import { Fingerprint } from "../../assembly/sdp/fingerprint";
import { Setup, setupName } from "../../assembly/sdp/setup";
import { directionName } from "../../assembly/sdp/direction";
import { errorName } from "../../assembly/sdp/error";
import { RemoteTransport } from "../../assembly/sdp/transport";

let out = new Uint8Array(0);
let last: SessionDescription | null = null;
const limits = new SdpLimits();

function setOut(s: string): void {
  out = Uint8Array.wrap(String.UTF8.encode(s));
}

export function sdp_out_len(): i32 { return out.length; }
export function sdp_out_copy(dst: usize): void { writeAt(dst, out); }

// Limits for the following calls (0 keeps the current value).
export function sdp_set_limits(maxSize: i32, maxLine: i32, maxMedia: i32, maxAttrs: i32, maxCands: i32): void {
  if (maxSize > 0) limits.maxSize = maxSize;
  if (maxLine > 0) limits.maxLineLength = maxLine;
  if (maxMedia > 0) limits.maxMediaSections = maxMedia;
  if (maxAttrs > 0) limits.maxAttributesPerMedia = maxAttrs;
  if (maxCands > 0) limits.maxCandidates = maxCands;
}

// Error code; out holds "<error-name>: <reason>" or nothing.
export function sdp_parse(ptr: usize, len: i32): i32 {
  const r = parseSessionDescription(bytesAt(ptr, len), limits);
  last = r.description;
  setOut(r.ok ? "" : errorName(r.error) + ": " + r.reason);
  return r.error;
}

// JSON summary of the last parsed description into out.
export function sdp_summary(): void {
  const d = last;
  setOut(d == null ? "null" : describe(d));
}

// Config text: key=value lines (ufrag, pwd, fingerprint, setup, maxmsg, candidate*, eoc, sessionid, icelite).
function config(ptr: usize, len: i32): SdpConfig {
  const c = new SdpConfig();
  c.limits = limits;
  const text = String.UTF8.decodeUnsafe(ptr, <usize>len);
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const eq = l.indexOf("=");
    if (eq < 0) continue;
    const k = l.substring(0, eq);
    const v = l.substring(eq + 1);
    if (k == "ufrag") c.iceUfrag = v;
    else if (k == "pwd") c.icePwd = v;
    else if (k == "fingerprint") {
      const fp = Fingerprint.parse("sha-256 " + v);
      if (fp != null) c.fingerprint = fp;
    } else if (k == "setup") c.setup = v == "passive" ? Setup.Passive : v == "active" ? Setup.Active : Setup.ActPass;
    else if (k == "maxmsg") c.maxMessageSize = I64.parseInt(v);
    else if (k == "candidate") c.candidates.push(v);
    else if (k == "eoc") c.endOfCandidates = v == "1";
    else if (k == "sessionid") c.sessionId = v;
    else if (k == "icelite") c.iceLite = v == "1";
  }
  return c;
}

let lastRemote: RemoteTransport | null = null;
let lastDtlsClient = false;

// Error code; out holds the answer SDP or "<error-name>: <reason>".
export function sdp_answer(ptr: usize, len: i32, cfgPtr: usize, cfgLen: i32): i32 {
  const p = parseSessionDescription(bytesAt(ptr, len), limits);
  if (!p.ok) {
    setOut(errorName(p.error) + ": " + p.reason);
    return p.error;
  }
  const r = createAnswer(p.description!, config(cfgPtr, cfgLen));
  lastRemote = r.remote;
  lastDtlsClient = r.dtlsClient;
  setOut(r.ok ? r.sdp : errorName(r.error) + ": " + r.reason);
  return r.error;
}

export function sdp_offer(cfgPtr: usize, cfgLen: i32): i32 {
  const r = createOffer(config(cfgPtr, cfgLen));
  setOut(r.ok ? r.sdp : errorName(r.error) + ": " + r.reason);
  return r.error;
}

export function sdp_apply_answer(ptr: usize, len: i32): i32 {
  const p = parseSessionDescription(bytesAt(ptr, len), limits);
  if (!p.ok) {
    setOut(errorName(p.error) + ": " + p.reason);
    return p.error;
  }
  const r = applyAnswer(p.description!);
  lastRemote = r.remote;
  lastDtlsClient = r.dtlsClient;
  setOut(r.ok ? "" : errorName(r.error) + ": " + r.reason);
  return r.error;
}

// JSON of the remote transport from the last answer/apply call.
export function sdp_remote(): void {
  const t = lastRemote;
  if (t == null) {
    setOut("null");
    return;
  }
  let s = "{" + kv("mid", str(t.mid)) + "," + kv("index", t.mediaIndex.toString()) + "," + kv("ufrag", str(t.iceUfrag)) + "," + kv("pwd", str(t.icePwd));
  s += "," + kv("fingerprint", str(t.fingerprint.toString())) + "," + kv("otherFingerprints", strs(t.otherFingerprintAlgorithms));
  s += "," + kv("setup", str(setupName(t.setup))) + "," + kv("sctpPort", t.sctpPort.toString()) + "," + kv("maxMessageSize", t.maxMessageSize.toString());
  s += "," + kv("trickle", b(t.trickle)) + "," + kv("iceLite", b(t.iceLite)) + "," + kv("candidates", strs(t.candidates)) + "," + kv("endOfCandidates", b(t.endOfCandidates));
  s += "," + kv("dtlsClient", b(lastDtlsClient)) + "}";
  setOut(s);
}

function describe(d: SessionDescription): string {
  let s = "{" + kv("origin", str(d.origin.toString())) + "," + kv("ufrag", str(d.iceUfrag)) + "," + kv("pwd", str(d.icePwd));
  s += "," + kv("iceOptions", strs(d.iceOptions)) + "," + kv("iceLite", b(d.iceLite)) + "," + kv("setup", str(setupName(d.setup)));
  const fps = new Array<string>();
  for (let i = 0; i < d.fingerprints.length; i++) fps.push(d.fingerprints[i].toString());
  s += "," + kv("fingerprints", strs(fps));
  const groups = new Array<string>();
  for (let i = 0; i < d.groups.length; i++) groups.push(d.groups[i].toString());
  s += "," + kv("groups", strs(groups)) + "," + kv("extmapAllowMixed", b(d.extmapAllowMixed)) + "," + kv("msidSemantic", str(d.msidSemantic));
  s += "," + kv("otherCount", d.other.length.toString()) + ",\"media\":[";
  for (let i = 0; i < d.media.length; i++) {
    if (i > 0) s += ",";
    s += media(d.media[i]);
  }
  return s + "]}";
}

function media(m: MediaDescription): string {
  let s = "{" + kv("media", str(m.media)) + "," + kv("port", m.port.toString()) + "," + kv("proto", str(m.proto)) + "," + kv("formats", strs(m.formats));
  s += "," + kv("mid", str(m.mid)) + "," + kv("direction", str(m.direction == 0 ? "" : directionName(m.direction)));
  s += "," + kv("rtcpMux", b(m.rtcpMux)) + "," + kv("rtcpRsize", b(m.rtcpRsize)) + "," + kv("bundleOnly", b(m.bundleOnly)) + "," + kv("dataChannel", b(m.isDataChannel));
  s += "," + kv("ufrag", str(m.iceUfrag)) + "," + kv("pwd", str(m.icePwd)) + "," + kv("iceOptions", strs(m.iceOptions)) + "," + kv("setup", str(setupName(m.setup)));
  const fps = new Array<string>();
  for (let i = 0; i < m.fingerprints.length; i++) fps.push(m.fingerprints[i].toString());
  s += "," + kv("fingerprints", strs(fps)) + "," + kv("sctpPort", m.sctpPort.toString()) + "," + kv("maxMessageSize", m.maxMessageSize.toString());
  s += "," + kv("candidates", strs(m.candidates)) + "," + kv("candidatesDropped", m.candidatesDropped.toString()) + "," + kv("endOfCandidates", b(m.endOfCandidates));
  const rtpmaps = new Array<string>();
  for (let i = 0; i < m.rtpmaps.length; i++) rtpmaps.push(m.rtpmaps[i].toString());
  const fmtps = new Array<string>();
  for (let i = 0; i < m.fmtps.length; i++) fmtps.push(m.fmtps[i].toString());
  const fbs = new Array<string>();
  for (let i = 0; i < m.rtcpFbs.length; i++) fbs.push(m.rtcpFbs[i].toString());
  const exts = new Array<string>();
  for (let i = 0; i < m.extmaps.length; i++) exts.push(m.extmaps[i].toString());
  const ssrcs = new Array<string>();
  for (let i = 0; i < m.ssrcs.length; i++) ssrcs.push(m.ssrcs[i].toString());
  const groups = new Array<string>();
  for (let i = 0; i < m.ssrcGroups.length; i++) groups.push(m.ssrcGroups[i].toString());
  const msids = new Array<string>();
  for (let i = 0; i < m.msids.length; i++) msids.push(m.msids[i].toString());
  const other = new Array<string>();
  for (let i = 0; i < m.other.length; i++) other.push(m.other[i].toString());
  s += "," + kv("rtpmaps", strs(rtpmaps)) + "," + kv("fmtps", strs(fmtps)) + "," + kv("rtcpFbs", strs(fbs)) + "," + kv("extmaps", strs(exts));
  s += "," + kv("ssrcs", strs(ssrcs)) + "," + kv("ssrcGroups", strs(groups)) + "," + kv("msids", strs(msids)) + "," + kv("other", strs(other));
  return s + "}";
}

function kv(k: string, v: string): string { return "\"" + k + "\":" + v; }
function b(v: bool): string { return v ? "true" : "false"; }
function strs(a: string[]): string {
  let s = "[";
  for (let i = 0; i < a.length; i++) {
    if (i > 0) s += ",";
    s += str(a[i]);
  }
  return s + "]";
}
function str(v: string): string {
  let s = "\"";
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c == 34 || c == 92) s += "\\" + String.fromCharCode(c);
    else if (c < 32) s += "\\u00" + (c < 16 ? "0" : "") + c.toString(16);
    else s += String.fromCharCode(c);
  }
  return s + "\"";
}

// ---- media: answers and offers with audio/video sections (assembly/sdp/media_*.ts) ----

import { MediaConfig, defaultMediaConfig } from "../../assembly/sdp/media_config";
import { CodecCapability, FB_REMB, MediaKind } from "../../assembly/sdp/codec";
import { createMediaAnswer } from "../../assembly/sdp/media_answer";
import { createMediaOffer, applyMediaAnswer, MediaOfferResult } from "../../assembly/sdp/media_offer";
import { NegotiatedCodec, NegotiatedMedia } from "../../assembly/sdp/negotiated_media";
import { ProfileLevelId, sameH264Profile } from "../../assembly/sdp/h264_profile_level_id";

// "h264[:<profile-level-id>[:<packetization-mode>]]", "vp8", "opus", "pcmu", "pcma".
function codecSpec(v: string): CodecCapability | null {
  const f = v.split(":");
  if (f[0] == "h264") {
    const c = CodecCapability.h264(f.length > 1 ? f[1] : "42e01f");
    if (f.length > 2) c.packetizationMode = I32.parseInt(f[2]);
    return c;
  }
  if (f[0] == "vp8") return CodecCapability.vp8();
  if (f[0] == "opus") return CodecCapability.opus();
  if (f[0] == "pcmu") return CodecCapability.pcmu();
  if (f[0] == "pcma") return CodecCapability.pcma();
  return null;
}

// Media config text: the default config, changed by key=value lines: <kind>.send= / <kind>.recv=
// (empty clears, a comma list of codecSpecs replaces), <kind>.rtx, <kind>.ssrc, <kind>.rtxssrc,
// <kind>.track, remb=1, data=0/1, rsize=0/1, ext=<uri> (repeatable), cname, stream.
function mediaConfig(ptr: usize, len: i32): MediaConfig {
  const c = defaultMediaConfig();
  const lines = String.UTF8.decodeUnsafe(ptr, <usize>len).split("\n");
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const eq = l.indexOf("=");
    if (eq < 0) continue;
    const k = l.substring(0, eq);
    const v = l.substring(eq + 1);
    const dot = k.indexOf(".");
    if (dot > 0) {
      const kc = k.substring(0, dot) == "audio" ? c.audio : c.video;
      const what = k.substring(dot + 1);
      if (what == "send" || what == "recv") {
        const list = new Array<CodecCapability>();
        const specs = v.length > 0 ? v.split(",") : new Array<string>();
        for (let j = 0; j < specs.length; j++) {
          const cc = codecSpec(specs[j]);
          if (cc != null) list.push(cc);
        }
        if (what == "send") kc.send = list;
        else kc.receive = list;
      } else if (what == "rtx") kc.rtx = v == "1";
      else if (what == "ssrc") kc.ssrc = U32.parseInt(v);
      else if (what == "rtxssrc") kc.rtxSsrc = U32.parseInt(v);
      else if (what == "track") kc.trackId = v;
    } else if (k == "remb" && v == "1") {
      for (let j = 0; j < c.video.send.length; j++) c.video.send[j].feedback |= FB_REMB;
    } else if (k == "data") c.data = v == "1";
    else if (k == "rsize") c.rtcpRsize = v == "1";
    else if (k == "ext") c.extensions.push(v);
    else if (k == "cname") c.cname = v;
    else if (k == "stream") c.streamId = v;
  }
  return c;
}

let lastMedia: NegotiatedMedia[] = [];
let lastMediaExtra = "";
let lastOffer: MediaOfferResult | null = null;

// Error code; out holds the answer SDP or "<error-name>: <reason>". sdp_media_result() then
// gives the negotiated sections as JSON.
export function sdp_media_answer(ptr: usize, len: i32, cfgPtr: usize, cfgLen: i32, mPtr: usize, mLen: i32): i32 {
  lastMedia = [];
  lastMediaExtra = "";
  const p = parseSessionDescription(bytesAt(ptr, len), limits);
  if (!p.ok) {
    setOut(errorName(p.error) + ": " + p.reason);
    return p.error;
  }
  const r = createMediaAnswer(p.description!, config(cfgPtr, cfgLen), mediaConfig(mPtr, mLen));
  lastRemote = r.remote;
  lastDtlsClient = r.dtlsClient;
  lastMedia = r.media;
  lastMediaExtra = kv("dataIndex", r.dataIndex.toString()) + "," + kv("dataMid", str(r.dataMid)) + "," + kv("bundle", strs(r.bundle));
  setOut(r.ok ? r.sdp : errorName(r.error) + ": " + r.reason);
  return r.error;
}

export function sdp_media_offer(cfgPtr: usize, cfgLen: i32, mPtr: usize, mLen: i32): i32 {
  lastMedia = [];
  const r = createMediaOffer(config(cfgPtr, cfgLen), mediaConfig(mPtr, mLen));
  lastOffer = r.ok ? r : null;
  lastMedia = r.media;
  lastMediaExtra = kv("dataMid", str(r.dataMid));
  setOut(r.ok ? r.sdp : errorName(r.error) + ": " + r.reason);
  return r.error;
}

// Applies an answer to the last sdp_media_offer.
export function sdp_media_apply(ptr: usize, len: i32): i32 {
  lastMedia = [];
  lastMediaExtra = "";
  const p = parseSessionDescription(bytesAt(ptr, len), limits);
  if (!p.ok || lastOffer == null) {
    setOut(p.ok ? "no offer" : errorName(p.error) + ": " + p.reason);
    return p.ok ? -1 : p.error;
  }
  const r = applyMediaAnswer(p.description!, lastOffer!);
  lastRemote = r.remote;
  lastDtlsClient = r.dtlsClient;
  lastMedia = r.media;
  lastMediaExtra = kv("dataAccepted", b(r.dataAccepted)) + "," + kv("dataMid", str(r.dataMid));
  setOut(r.ok ? "" : errorName(r.error) + ": " + r.reason);
  return r.error;
}

export function sdp_media_result(): void {
  let s = "{" + lastMediaExtra + (lastMediaExtra.length > 0 ? "," : "") + "\"media\":[";
  for (let i = 0; i < lastMedia.length; i++) {
    if (i > 0) s += ",";
    s += negotiated(lastMedia[i]);
  }
  setOut(s + "]}");
}

// 1 when two profile-level-ids name the same H.264 profile, 0 when not, -1 when one is malformed.
export function sdp_h264_same_profile(aPtr: usize, aLen: i32, bPtr: usize, bLen: i32): i32 {
  const a = ProfileLevelId.parse(String.UTF8.decodeUnsafe(aPtr, <usize>aLen));
  const c = ProfileLevelId.parse(String.UTF8.decodeUnsafe(bPtr, <usize>bLen));
  if (a == null || c == null) return -1;
  return sameH264Profile(a, c) ? 1 : 0;
}

function codecJson(c: NegotiatedCodec): string {
  let s = "{" + kv("pt", c.payloadType.toString()) + "," + kv("codec", str(c.encoding)) + "," + kv("clock", c.clockRate.toString());
  s += "," + kv("channels", c.channels.toString()) + "," + kv("fmtp", str(c.fmtp)) + "," + kv("rtx", c.rtxPayloadType.toString());
  s += "," + kv("fb", c.feedback.toString()) + "," + kv("send", b(c.forSend)) + "," + kv("recv", b(c.forReceive)) + "}";
  return s;
}

function u32s(a: u32[]): string {
  let s = "[";
  for (let i = 0; i < a.length; i++) s += (i > 0 ? "," : "") + a[i].toString();
  return s + "]";
}

function negotiated(n: NegotiatedMedia): string {
  let s = "{" + kv("index", n.index.toString()) + "," + kv("mid", str(n.mid)) + "," + kv("kind", str(n.kindName));
  s += "," + kv("accepted", b(n.accepted)) + "," + kv("reason", str(n.reason)) + "," + kv("direction", str(directionName(n.direction)));
  s += "," + kv("sending", b(n.sending)) + "," + kv("receiving", b(n.receiving));
  s += "," + kv("send", n.send == null ? "null" : codecJson(n.send!));
  const recv = new Array<string>();
  for (let i = 0; i < n.receive.length; i++) recv.push(codecJson(n.receive[i]));
  const codecs = new Array<string>();
  for (let i = 0; i < n.codecs.length; i++) codecs.push(codecJson(n.codecs[i]));
  s += ",\"receive\":[" + recv.join(",") + "],\"codecs\":[" + codecs.join(",") + "]";
  s += "," + kv("localSsrc", n.localSsrc.toString()) + "," + kv("localRtxSsrc", n.localRtxSsrc.toString()) + "," + kv("cname", str(n.cname));
  s += "," + kv("remoteSsrcs", u32s(n.remoteSsrcs)) + "," + kv("remoteRtxSsrcs", u32s(n.remoteRtxSsrcs)) + "," + kv("remoteCname", str(n.remoteCname));
  s += "," + kv("remoteMsid", str(n.remoteMsid)) + "," + kv("rtcpRsize", b(n.rtcpRsize));
  const exts = new Array<string>();
  for (let i = 0; i < n.extmaps.length; i++) exts.push(n.extmaps[i].toString());
  return s + "," + kv("extmaps", strs(exts)) + "}";
}
