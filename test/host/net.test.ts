// host/net.ts: address encoding, interface enumeration options, STUN/TURN URL parsing, and two IceNets
// connecting over real loopback UDP with host candidates only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { networkInterfaces } from "node:os";
import { encodeAddr, decodeAddrKey, hostAddresses, isLinkLocal, parseServerUrl, IceNet, ICE_STATE, loadTurnEntry } from "../../host/net.js";

test("addresses round-trip through the core's 19-byte form (IPv6 printed as RFC 5952)", () => {
  for (const [inp, out] of [
    ["127.0.0.1:3478", "127.0.0.1:3478"],
    ["[::1]:9", "[::1]:9"],
    ["[2001:db8:0:0:0:0:0:1]:443", "[2001:db8::1]:443"],
    ["[fe80::1:2%eth0]:5000", "[fe80::1:2]:5000"],
    ["[::ffff:192.0.2.1]:1", "[::ffff:c000:201]:1"],
  ]) assert.equal(decodeAddrKey(encodeAddr(inp)), out, inp);
  assert.deepEqual([...encodeAddr("192.0.2.1:258").subarray(0, 7)], [1, 1, 2, 192, 0, 2, 1]);
});

test("host addresses: loopback only on request, link-local IPv6 skipped unless asked, IPv6 first", () => {
  const all = Object.values(networkInterfaces()).flat().filter((a) => a != null);
  const plain = hostAddresses();
  assert.ok(plain.every((ip) => !all.find((a) => a.address == ip)!.internal));
  assert.ok(plain.every((ip) => !isLinkLocal(ip)));
  const lo = hostAddresses({ onlyLoopback: true });
  assert.ok(lo.includes("127.0.0.1"));
  assert.ok(lo.every((ip) => all.find((a) => a.address == ip)!.internal));
  assert.deepEqual(hostAddresses({ onlyLoopback: true, ipv6: false }), ["127.0.0.1"]);
  const withLo = hostAddresses({ loopback: true, linkLocal: true });
  const firstV4 = withLo.findIndex((ip) => !ip.includes(":"));
  assert.ok(withLo.slice(firstV4).every((ip) => !ip.includes(":")), "IPv6 before IPv4");
  if (all.some((a) => isLinkLocal(a.address) && a.family == "IPv6")) assert.ok(withLo.some(isLinkLocal));
  assert.ok(isLinkLocal("fe80::1") && isLinkLocal("169.254.3.4") && !isLinkLocal("2001:db8::1"));
});

test("STUN/TURN URLs (RFC 7064, RFC 7065)", () => {
  assert.deepEqual(parseServerUrl("stun:stun.example.org"), { scheme: "stun", host: "stun.example.org", port: 3478, transport: "udp" });
  assert.deepEqual(parseServerUrl("turn:127.0.0.1:3479?transport=tcp"), { scheme: "turn", host: "127.0.0.1", port: 3479, transport: "tcp" });
  assert.deepEqual(parseServerUrl("turn:[::1]:3478?transport=udp"), { scheme: "turn", host: "::1", port: 3478, transport: "udp" });
  assert.deepEqual(parseServerUrl("turns:turn.example.org"), { scheme: "turns", host: "turn.example.org", port: 5349, transport: "tcp" });
  for (const bad of ["http://x", "turn:", "turn:host:99999", "stun:host?transport=udp", "turn:host?transport=sctp"]) assert.equal(parseServerUrl(bad), null, bad);
});

test("two IceNets connect over loopback UDP with host candidates and pass data", async () => {
  const core = loadTurnEntry("pure");
  const got: string[] = [];
  const host = { onlyLoopback: true, ipv6: false };
  const a = new IceNet({ core, controlling: true, ufrag: "ufA1", password: "passwordA-0123456789ab", host });
  const b = new IceNet({ core, controlling: false, ufrag: "ufB2", password: "passwordB-0123456789ab", host }, { data: (d) => got.push(new TextDecoder().decode(d)) });
  try {
    await a.start();
    await b.start();
    a.setRemoteCredentials("ufB2", "passwordB-0123456789ab");
    b.setRemoteCredentials("ufA1", "passwordA-0123456789ab");
    for (const ev of a.events) if (ev.startsWith("local ")) b.addRemoteCandidate(ev.slice(6));
    for (const ev of b.events) if (ev.startsWith("local ")) a.addRemoteCandidate(ev.slice(6));
    const end = Date.now() + 5000;
    while (!(a.state == ICE_STATE.Connected && b.state == ICE_STATE.Connected) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    assert.equal(a.state, ICE_STATE.Connected);
    assert.equal(b.state, ICE_STATE.Connected);
    assert.ok(a.events.some((ev) => /^local candidate:\d+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host$/.test(ev)), JSON.stringify(a.events));
    a.send(new TextEncoder().encode("hello over loopback"));
    while (got.length == 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(got, ["hello over loopback"]);
  } finally {
    await a.close(0);
    await b.close(0);
  }
});
