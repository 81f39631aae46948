// ICE agents over a virtual network and clock: host-only, NAT with peer-reflexive discovery, loss,
// role conflict, consent loss, trickle with late and mDNS candidates, SDP candidates, hostile input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadEntry, PROVIDERS } from "../helpers/entry.js";
import { Agent, Net, STATE, bothConnected, dec, enc, pair, prng, signal, signalledPair } from "./ice_net.js";

for (const provider of PROVIDERS) {
  const e = loadEntry("entry_ice", provider);

  test(`[${provider}] two host-only agents connect and agree on the selected pair`, () => {
    const { net, a, b } = signalledPair(e, 1);
    net.run(5000, bothConnected(a, b));
    assert.equal(a.state, STATE.Connected);
    assert.equal(b.state, STATE.Connected);
    assert.ok(net.now < 2000, `took ${net.now} ms`);
    assert.equal(a.selected(), "selected 192.0.2.1:1000 192.0.2.2:2000");
    assert.equal(b.selected(), "selected 192.0.2.2:2000 192.0.2.1:1000");
    assert.ok(a.localCandidates[0].startsWith("candidate:"));
    assert.ok(a.localCandidates[0].includes(" typ host"));
    // consent keeps it up for a minute
    net.run(60000);
    assert.equal(a.state, STATE.Connected);
    assert.equal(b.state, STATE.Connected);
  });

  test(`[${provider}] through a NAT: peer-reflexive discovery and a triggered check`, () => {
    const net = new Net(2);
    const { a, b } = pair(e);
    net.attach(a, "198.51.100.1:3478");
    net.attach(b, "10.0.0.2:5000");
    net.nat = { priv: "10.0.0.2:5000", pub: "203.0.113.9:40000", allowed: new Set() };
    signal(a, b);
    signal(b, a); // B's only candidate is private: unreachable from A
    net.run(10000, bothConnected(a, b));
    assert.equal(a.state, STATE.Connected);
    assert.equal(b.state, STATE.Connected);
    assert.ok(a.stat(3) >= 1, "A learned a peer-reflexive remote candidate");
    assert.equal(a.selected(), "selected 198.51.100.1:3478 203.0.113.9:40000");
    assert.equal(b.selected(), "selected 10.0.0.2:5000 198.51.100.1:3478");
  });

  test(`[${provider}] 30% loss (seeded): still connects, and consent survives`, () => {
    for (const seed of [3, 4, 5]) {
      const net = new Net(seed);
      net.loss = 0.3;
      const { a, b } = pair(e);
      net.attach(a, "192.0.2.1:1000");
      net.attach(b, "192.0.2.2:2000");
      signal(a, b);
      signal(b, a);
      net.run(30000, bothConnected(a, b));
      assert.equal(a.state, STATE.Connected, `seed ${seed}`);
      assert.equal(b.state, STATE.Connected, `seed ${seed}`);
      net.run(net.now + 60000);
      assert.notEqual(a.state, STATE.Failed, `seed ${seed}`);
      assert.notEqual(b.state, STATE.Failed, `seed ${seed}`);
    }
  });

  test(`[${provider}] aggressive nomination by the controlling peer (USE-CANDIDATE on every check) is accepted`, () => {
    const net = new Net(13);
    const { a, b } = pair(e);
    a.config(8, 1);
    net.attach(a, "192.0.2.1:1000");
    net.attach(b, "192.0.2.2:2000");
    // (the harness's address keys are uncompressed IPv6)
    net.attach(b, "[2001:db8:0:0:0:0:0:2]:2000");
    net.attach(a, "[2001:db8:0:0:0:0:0:1]:1000");
    signal(a, b);
    signal(b, a);
    net.run(5000, bothConnected(a, b));
    assert.equal(a.state, STATE.Connected);
    assert.equal(b.state, STATE.Connected);
    // IPv6 host candidates have the higher local preference: the IPv6 pair wins in the end
    net.run(net.now + 3000);
    assert.equal(a.selected(), "selected [2001:db8::1]:1000 [2001:db8::2]:2000");
    assert.equal(b.selected(), "selected [2001:db8::2]:2000 [2001:db8::1]:1000");
  });

  test(`[${provider}] role conflict: both controlling, the larger tie-breaker keeps the role`, () => {
    const { net, a, b } = signalledPair(e, 6, 5n, 900n, true, true);
    net.run(10000, bothConnected(a, b));
    assert.equal(a.state, STATE.Connected);
    assert.equal(b.state, STATE.Connected);
    assert.equal(a.controlling, false);
    assert.equal(b.controlling, true);
    assert.ok(a.stat(2) + b.stat(2) >= 1);
    assert.ok(a.events.includes("role 0"));
  });

  test(`[${provider}] role conflict: both controlled, the larger tie-breaker takes control`, () => {
    const { net, a, b } = signalledPair(e, 7, 900n, 5n, false, false);
    net.run(10000, bothConnected(a, b));
    assert.equal(a.state, STATE.Connected);
    assert.equal(b.state, STATE.Connected);
    assert.equal(a.controlling, true);
    assert.equal(b.controlling, false);
  });

  test(`[${provider}] consent lost: disconnected, then failed after 30 s (RFC 7675)`, () => {
    const { net, a, b } = signalledPair(e, 8);
    net.run(5000, bothConnected(a, b));
    net.run(net.now + 20000);
    assert.equal(a.state, STATE.Connected);
    const cutAt = net.now;
    net.cut = true;
    net.run(cutAt + 60000);
    const disc = a.stateLog.find(([, s]) => s == STATE.Disconnected);
    const failed = a.stateLog.find(([, s]) => s == STATE.Failed);
    assert.ok(disc && failed, JSON.stringify(a.stateLog));
    assert.ok(disc[0] > cutAt && disc[0] <= cutAt + 10000 + 100, `disconnected at +${disc[0] - cutAt}`);
    assert.ok(failed[0] >= cutAt + 30000 - 7000 && failed[0] <= cutAt + 30000 + 100, `failed at +${failed[0] - cutAt}`);
    assert.equal(a.deadline(), Infinity, "nothing more to do after consent is lost");
    // and while merely disconnected, a response brings it back
    const net2 = new Net(9);
    const p2 = pair(e);
    net2.attach(p2.a, "192.0.2.1:1000");
    net2.attach(p2.b, "192.0.2.2:2000");
    signal(p2.a, p2.b);
    signal(p2.b, p2.a);
    net2.run(5000, bothConnected(p2.a, p2.b));
    net2.cut = true;
    net2.run(net2.now + 15000);
    assert.equal(p2.a.state, STATE.Disconnected);
    net2.cut = false;
    net2.run(net2.now + 10000);
    assert.equal(p2.a.state, STATE.Connected);
  });

  test(`[${provider}] trickle: late candidates, an mDNS name resolved later, end-of-candidates`, () => {
    const net = new Net(10);
    const { a, b } = pair(e);
    net.attach(a, "192.0.2.1:1000");
    net.attach(b, "192.0.2.2:2000");
    a.drain(0, () => {});
    b.drain(0, () => {});
    // nothing signalled yet: no checks, no failure
    net.run(3000);
    assert.equal(a.state, STATE.New);
    // B's candidate reaches A as an mDNS name
    const line = b.localCandidates[0].replace("192.0.2.2", "1f4712db-ea17-4bcf-a596-105139dfd8bf.local");
    assert.ok(a.addRemote(line));
    a.drain(net.now, () => {});
    assert.ok(a.events.includes("mdns 1f4712db-ea17-4bcf-a596-105139dfd8bf.local"));
    net.run(net.now + 1000);
    assert.ok(a.resolve("1f4712db-ea17-4bcf-a596-105139dfd8bf.local", "192.0.2.2:0"));
    net.run(net.now + 10000, bothConnected(a, b));
    assert.equal(a.state, STATE.Connected);
    assert.equal(b.state, STATE.Connected);
    assert.ok(net.now < 6000);
  });

  test(`[${provider}] all pairs failing after end-of-candidates: failed`, () => {
    const net = new Net(11);
    const { a, b } = pair(e);
    net.attach(a, "192.0.2.1:1000");
    signal(b, b); // nothing
    assert.ok(a.addRemote("candidate:1 1 udp 2130706431 192.0.2.77 9999 typ host"));
    assert.ok(a.addRemote("a=end-of-candidates"));
    net.run(60000);
    assert.equal(a.state, STATE.Failed);
    const failed = a.stateLog.find(([, s]) => s == STATE.Failed)!;
    assert.ok(failed[0] > 5000 && failed[0] < 15000, `failed at ${failed[0]}`);
  });

  test(`[${provider}] SDP candidate lines: Chromium extensions, mDNS, IPv6, relay; bad lines rejected`, () => {
    const rt = (line: string) => {
      const b = enc.encode(line);
      const p = e.put(b), out = e.alloc(2048);
      const n = e.x.ice_candidate_roundtrip(p, b.length, out, 2048);
      const s = n < 0 ? null : dec.decode(e.get(out, n));
      e.free(p, out);
      return s;
    };
    assert.equal(
      rt("candidate:842163049 1 udp 1677729535 203.0.113.7 61234 typ srflx raddr 10.0.0.2 rport 61234 generation 0 ufrag EsAw network-id 1 network-cost 10"),
      "candidate:842163049 1 udp 1677729535 203.0.113.7 61234 typ srflx raddr 10.0.0.2 rport 61234 generation 0 ufrag EsAw network-id 1 network-cost 10|1677729535|203.0.113.7:61234|",
    );
    assert.equal(
      rt("a=candidate:3079447140 1 udp 2113937151 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 54321 typ host generation 0 network-cost 999"),
      "candidate:3079447140 1 udp 2113937151 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 54321 typ host generation 0 network-cost 999|2113937151|:54321|1f4712db-ea17-4bcf-a596-105139dfd8bf.local",
    );
    assert.equal(
      rt("candidate:1 1 UDP 2122262783 2001:db8::5 9 typ host"),
      "candidate:1 1 udp 2122262783 2001:db8::5 9 typ host|2122262783|[2001:db8::5]:9|",
    );
    assert.ok(rt("candidate:2 1 udp 16777215 198.51.100.3 3478 typ relay raddr 0.0.0.0 rport 0")!.includes("typ relay raddr 0.0.0.0 rport 0"));
    assert.ok(rt("candidate:3 1 tcp 1518280447 192.0.2.5 9 typ host tcptype active")!.includes("tcptype active"));
    for (const bad of [
      "",
      "candidate:",
      "candidate:1 1 udp 1 192.0.2.1 5 typx host",
      "candidate:1 1 udp 1 192.0.2.1 5 typ hostile",
      "candidate:1 0 udp 1 192.0.2.1 5 typ host",
      "candidate:1 257 udp 1 192.0.2.1 5 typ host",
      "candidate:1 1 udp 0 192.0.2.1 5 typ host",
      "candidate:1 1 udp 4294967296 192.0.2.1 5 typ host",
      "candidate:1 1 udp 1 192.0.2.1 65536 typ host",
      "candidate:1 1 udp 1 example.com 5 typ host",
      "candidate:1 1 udp 1 999.0.2.1 5 typ host",
      "candidate:a-b 1 udp 1 192.0.2.1 5 typ host",
      "candidate:" + "x".repeat(2000),
    ]) assert.equal(rt(bad), null, bad);
  });

  test(`[${provider}] hostile input: garbage, wrong integrity, wrong ufrag, no USERNAME — counted, answered or dropped, never a trap`, () => {
    const { net, a, b } = signalledPair(e, 12);
    // capture one genuine check from B to A and mutate it
    let check: Uint8Array | null = null;
    b.drain(0, () => {});
    b.timeout(0);
    b.drain(0, (f, t, d) => { if (!check && t == "192.0.2.1:1000") check = d; });
    assert.ok(check);
    const c = check as Uint8Array;
    const rnd = prng(99);
    for (let i = 0; i < 2000; i++) {
      let d: Uint8Array;
      if (i % 3 == 0) d = new Uint8Array(Math.floor(rnd() * 120)).map(() => Math.floor(rnd() * 256));
      else if (i % 3 == 1) d = c.subarray(0, Math.floor(rnd() * c.length));
      else { d = c.slice(); d[Math.floor(rnd() * d.length)] ^= 1 << Math.floor(rnd() * 8); }
      a.input(d, "192.0.2.1:1000", "192.0.2.66:6666", 1);
      a.drain(1, () => {});
    }
    assert.ok(a.stat(0) + a.stat(7) > 0);
    // a check signed with the wrong password gets a 401, and nothing else happens
    const wrong = new Agent(e, "W", false, "ufB2", "passwordB-0123456789ab", 1n);
    wrong.setRemote({ ufrag: a.ufrag, pwd: "not-A's-password-000000" } as Agent);
    assert.ok(wrong.addHost("192.0.2.99:9999"));
    wrong.addRemote(a.localCandidates[0]);
    wrong.timeout(0);
    let sent: Uint8Array | null = null;
    wrong.drain(0, (f, t, d) => { if (!sent) sent = d; });
    assert.ok(sent);
    const before = a.stat(1);
    const remotesBefore = a.e.x.ice_remote_count(a.h);
    a.input(sent as Uint8Array, "192.0.2.1:1000", "192.0.2.99:9999", 2);
    assert.equal(a.stat(1), before + 1);
    const replies: Uint8Array[] = [];
    a.drain(2, (f, t, d) => { if (t == "192.0.2.99:9999") replies.push(d); });
    assert.equal(replies.length, 1);
    assert.equal((replies[0][0] << 8) | replies[0][1], 0x0111, "an error response");
    assert.equal(a.e.x.ice_remote_count(a.h), remotesBefore, "no peer-reflexive candidate from an unauthenticated check");
    // the real pair still connects
    net.run(10000, bothConnected(a, b));
    assert.equal(a.state, STATE.Connected);
  });

  test(`[${provider}] bounds: remote candidates and pairs past the configured limits are dropped and counted`, () => {
    const { a } = pair(e);
    a.config(7, 4);
    a.config(6, 3);
    assert.ok(a.addHost("192.0.2.1:1000"));
    let added = 0;
    for (let i = 0; i < 10; i++) if (a.addRemote(`candidate:${i} 1 udp ${1000 + i} 192.0.2.${10 + i} 5000 typ host`)) added++;
    assert.equal(added, 4);
    assert.equal(a.e.x.ice_remote_count(a.h), 4);
    assert.ok(a.e.x.ice_pair_count(a.h) <= 3);
    assert.ok(a.stat(5) >= 6);
    assert.ok(a.stat(6) >= 1);
  });
}
