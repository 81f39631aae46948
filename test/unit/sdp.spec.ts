// SDP attribute parsers and the answer/offer writers, in AssemblyScript (see test/core/sdp.test.ts for fixtures).
import { RtpMap } from "../../assembly/sdp/rtpmap";
import { Fmtp } from "../../assembly/sdp/fmtp";
import { RtcpFb } from "../../assembly/sdp/rtcp_fb";
import { ExtMap } from "../../assembly/sdp/extmap";
import { SsrcAttribute, SsrcGroup } from "../../assembly/sdp/ssrc";
import { Fingerprint } from "../../assembly/sdp/fingerprint";
import { Group } from "../../assembly/sdp/group";
import { Direction, answerDirection } from "../../assembly/sdp/direction";
import { isPwd, isUfrag, candidateAttributeValue } from "../../assembly/sdp/ice_attributes";
import { parseSessionDescriptionString } from "../../assembly/sdp/session_description";
import { createAnswer } from "../../assembly/sdp/answer";
import { createOffer, applyAnswer } from "../../assembly/sdp/offer";
import { SdpConfig } from "../../assembly/sdp/config";
import { SdpError } from "../../assembly/sdp/error";
import { Setup } from "../../assembly/sdp/setup";

function config(): SdpConfig {
  const c = new SdpConfig();
  c.iceUfrag = "devU";
  c.icePwd = "devicePassword0123456789";
  c.fingerprint = Fingerprint.parse("sha-256 " + "AB:".repeat(31) + "AB")!;
  c.sessionId = "42";
  return c;
}

describe("sdp attributes", () => {
  it("rtpmap", () => {
    const m = RtpMap.parse("111 opus/48000/2")!;
    expect(m.payloadType).toBe(111);
    expect(m.encoding).toBe("opus");
    expect(m.clockRate).toBe(48000);
    expect(m.channels).toBe(2);
    expect(RtpMap.parse("96 VP8/90000")!.channels).toBe(0);
    expect(RtpMap.parse("128 X/1")).toBeNull();
    expect(RtpMap.parse("96 VP8")).toBeNull();
    expect(RtpMap.parse("")).toBeNull();
  });

  it("fmtp parameters", () => {
    const f = Fmtp.parse("102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f")!;
    expect(f.payloadType).toBe(102);
    expect(f.get("profile-level-id")!).toBe("42001f");
    expect(f.get("packetization-mode")!).toBe("1");
    expect(f.get("missing")).toBeNull();
    expect(Fmtp.parse("101 0-15")!.get("0-15")!).toBe("");
    expect(Fmtp.parse("nospace")).toBeNull();
  });

  it("rtcp-fb, extmap, ssrc", () => {
    const fb = RtcpFb.parse("96 nack pli")!;
    expect(fb.type).toBe("nack");
    expect(fb.parameter).toBe("pli");
    expect(RtcpFb.parse("* transport-cc")!.payloadType).toBe(-1);
    const e = ExtMap.parse("2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level")!;
    expect(e.id).toBe(2);
    expect(e.direction).toBe("recvonly");
    expect(e.uri).toBe("urn:ietf:params:rtp-hdrext:csrc-audio-level");
    expect(ExtMap.parse("0 urn:x")).toBeNull();
    const s = SsrcAttribute.parse("3518232560 msid:a b")!;
    expect(s.ssrc).toBe(3518232560);
    expect(s.attribute).toBe("msid");
    expect(s.value).toBe("a b");
    const g = SsrcGroup.parse("FID 1 2")!;
    expect(g.ssrcs.length).toBe(2);
    expect(SsrcGroup.parse("FID x")).toBeNull();
  });

  it("fingerprint: hex pairs, length checked against the hash", () => {
    const f = Fingerprint.parse("SHA-256 " + "0a:".repeat(31) + "FF")!;
    expect(f.isSha256).toBe(true);
    expect(f.value[31]).toBe(0xff);
    expect(f.valueString().startsWith("0A:0A")).toBe(true);
    expect(Fingerprint.parse("sha-256 AB:CD")).toBeNull();
    expect(Fingerprint.parse("sha-1 " + "AB:".repeat(19) + "AB")!.isSha256).toBe(false);
    expect(Fingerprint.parse("sha-256 " + "AB:".repeat(31) + "A")).toBeNull();
    expect(Fingerprint.parse("sha-256")).toBeNull();
  });

  it("group, ice chars, candidates, directions", () => {
    const g = Group.parse("BUNDLE 0 1 2", 16)!;
    expect(g.isBundle).toBe(true);
    expect(g.has("2")).toBe(true);
    expect(Group.parse("BUNDLE 0 1 2", 2)).toBeNull();
    expect(isUfrag("OpDk")).toBe(true);
    expect(isUfrag("a b")).toBe(false);
    expect(isPwd("OPd9GWsmjbN25gJMosh+0wjg")).toBe(true);
    expect(isPwd("short")).toBe(false);
    expect(candidateAttributeValue("a=candidate:1 1 udp 1 h.local 9 typ host")!).toBe("1 1 udp 1 h.local 9 typ host");
    expect(candidateAttributeValue("candidate:1\r\na=x")).toBeNull();
    expect(answerDirection(Direction.SendOnly, true, true)).toBe(Direction.RecvOnly);
    expect(answerDirection(Direction.SendRecv, true, false)).toBe(Direction.SendOnly);
  });
});

describe("sdp offer/answer", () => {
  it("answers its own offer and applies the answer", () => {
    const o = createOffer(config());
    expect(o.ok).toBe(true);
    const parsed = parseSessionDescriptionString(o.sdp);
    expect(parsed.ok).toBe(true);
    const peer = config();
    peer.iceUfrag = "peer";
    peer.setup = Setup.Passive;
    const a = createAnswer(parsed.description!, peer);
    expect(a.ok).toBe(true);
    expect(a.dtlsClient).toBe(false);
    expect(a.remote!.iceUfrag).toBe("devU");
    const back = parseSessionDescriptionString(a.sdp);
    expect(back.ok).toBe(true);
    const applied = applyAnswer(back.description!);
    expect(applied.ok).toBe(true);
    expect(applied.dtlsClient).toBe(true);
    expect(applied.remote!.iceUfrag).toBe("peer");
  });

  it("refuses with reasons", () => {
    const r = parseSessionDescriptionString("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio 9 RTP/AVP 0\r\n");
    expect(r.ok).toBe(true);
    const a = createAnswer(r.description!, config());
    expect(a.error).toBe(SdpError.NoApplicationSection);
    expect(parseSessionDescriptionString("x").error).toBe(SdpError.Malformed);
    expect(parseSessionDescriptionString("v=0\nm=").reason).toBe("line 2: m= must be <media> <port> <proto> <fmt>...");
  });
});
