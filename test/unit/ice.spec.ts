import { Candidate, CandidateType, candidatePriority, computeFoundation, typePreference } from "../../assembly/ice/candidate";
import { pairPriority } from "../../assembly/ice/candidate_pair";
import { usableUfrag, usablePassword } from "../../assembly/ice/restart";
import { TransportAddress } from "../../assembly/stun/transport_address";

describe("candidate priority (RFC 8445 §5.1.2)", () => {
  it("is 2^24 type + 2^8 local + (256 - component)", () => {
    expect(typePreference(CandidateType.Host)).toBe(126);
    expect(typePreference(CandidateType.PeerReflexive)).toBe(110);
    expect(typePreference(CandidateType.ServerReflexive)).toBe(100);
    expect(typePreference(CandidateType.Relayed)).toBe(0);
    expect(candidatePriority(CandidateType.Host, 65535, 1)).toBe(2130706431);
    expect(candidatePriority(CandidateType.ServerReflexive, 65535, 1)).toBe(1694498815);
    expect(candidatePriority(CandidateType.Relayed, 65535, 1)).toBe(16777215);
    expect(candidatePriority(CandidateType.Host, 0, 2)).toBe((126 << 24) + 254);
  });

  it("foundations: equal for the same type and base IP, different otherwise", () => {
    const a = TransportAddress.parseIp("192.0.2.1", 1000)!;
    const b = TransportAddress.parseIp("192.0.2.1", 2000)!;
    const c = TransportAddress.parseIp("192.0.2.2", 1000)!;
    expect(computeFoundation(CandidateType.Host, a)).toBe(computeFoundation(CandidateType.Host, b));
    expect(computeFoundation(CandidateType.Host, a) != computeFoundation(CandidateType.Host, c)).toBe(true);
    expect(computeFoundation(CandidateType.Host, a) != computeFoundation(CandidateType.ServerReflexive, a)).toBe(true);
  });
});

describe("pair priority (RFC 8445 §6.1.2.3)", () => {
  it("is 2^32 min + 2 max + (G > D)", () => {
    expect(pairPriority(10, 20)).toBe((<u64>10 << 32) + 40);
    expect(pairPriority(20, 10)).toBe((<u64>10 << 32) + 41);
    expect(pairPriority(0xffffffff, 0xffffffff)).toBe((<u64>0xffffffff << 32) + (<u64>0xffffffff << 1));
    // the same pair seen from both sides orders identically
    expect(pairPriority(2130706431, 1694498815) > pairPriority(1694498815, 1694498815)).toBe(true);
  });
});

describe("candidate SDP", () => {
  it("writes what it parses", () => {
    const line = "candidate:842163049 1 udp 1677729535 203.0.113.7 61234 typ srflx raddr 10.0.0.2 rport 61234 generation 0 ufrag EsAw network-id 1";
    const c = Candidate.parse(line)!;
    expect(c.type).toBe(CandidateType.ServerReflexive);
    expect(c.related!.toString()).toBe("10.0.0.2:61234");
    expect(c.generation).toBe(0);
    expect(c.networkId).toBe(1);
    expect(c.ufrag).toBe("EsAw");
    expect(c.toSdp()).toBe(line);
    const h = Candidate.host(TransportAddress.parseIp("2001:db8::1", 5000)!);
    const back = Candidate.parse(h.toSdp())!;
    expect(back.address.equals(h.address)).toBe(true);
    expect(back.priority).toBe(h.priority);
    expect(back.foundation).toBe(h.foundation);
  });

  it("keeps an mDNS name unresolved", () => {
    const c = Candidate.parse("candidate:1 1 udp 2113937151 abc-def.local 54321 typ host")!;
    expect(c.isResolved).toBe(false);
    expect(c.hostname).toBe("abc-def.local");
    expect(c.address.port).toBe(54321);
  });
});

describe("ICE restart credentials (RFC 8839 §5.4)", () => {
  it("accepts what fits a USERNAME, refuses what would break it", () => {
    expect(usableUfrag("ufA1")).toBe(true);
    expect(usableUfrag("")).toBe(false);
    expect(usableUfrag("a:b")).toBe(false);
    expect(usableUfrag("x".repeat(257))).toBe(false);
    expect(usablePassword("passwordA-0123456789ab")).toBe(true);
    expect(usablePassword("")).toBe(false);
  });
});
