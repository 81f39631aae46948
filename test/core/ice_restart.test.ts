// ICE restart (RFC 8445 §9, RFC 8839 §4.4.1.1.1) over the virtual network: initiated by either
// side with data flowing and loss, after a NAT rebinding killed the selected pair, out of failed,
// repeated without growing memory, and bad or stale input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadEntry, PROVIDERS, type Entry } from "../helpers/entry.js";
import { randomBytes } from "node:crypto";
import { Agent, Net, STATE, bothConnected, pair, sendData, signal, signalledPair } from "./ice_net.js";
import { A as ATTR, C, M, buildStun, parseStun } from "../helpers/turn_sim.js";

// One restart, signalled the JSEP way with a delay each way: the initiator's new credentials
// (offer) reach the responder `delay` ms later, the responder's answer as long again; the
// candidates (the same host candidates: the new generation dropped the old remote ones) trickle
// along with each description.
function restart(net: Net, init: Agent, resp: Agent, gen: number, delay: number) {
  assert.ok(init.restart(`${init.name}r${gen}`, `password-${init.name}-restart-${gen}-0000`, net.now));
  net.run(net.now + delay);
  assert.ok(resp.setRemoteAt(init, net.now));
  assert.ok(resp.restart(`${resp.name}r${gen}`, `password-${resp.name}-restart-${gen}-0000`, net.now));
  retrickle(init, resp);
  net.run(net.now + delay);
  assert.ok(init.setRemoteAt(resp, net.now));
  retrickle(resp, init);
}

// Trickles the candidates again; one may already be known as peer-reflexive from the peer's
// checks, which addRemote reports as not new.
function retrickle(from: Agent, to: Agent) {
  from.drain(0, () => {});
  for (const c of from.localCandidates) to.addRemote(c);
}

const switched = (a: Agent, b: Agent) => () => !a.restarting && !b.restarting && a.state == STATE.Connected && b.state == STATE.Connected;

function connectedPair(e: Entry, seed: number, loss: number) {
  const net = new Net(seed);
  net.loss = loss;
  const { a, b } = pair(e);
  a.config(2, 400); // consent checks often enough that some run on the old pair during the restart
  b.config(2, 400);
  net.attach(a, "192.0.2.1:1000");
  net.attach(b, "192.0.2.2:2000");
  signal(a, b);
  signal(b, a);
  net.run(10000, bothConnected(a, b));
  assert.equal(a.state, STATE.Connected);
  assert.equal(b.state, STATE.Connected);
  net.run(net.now + 2000);
  return { net, a, b };
}

for (const provider of PROVIDERS) {
  const e = loadEntry("entry_ice", provider);

  for (const initiator of ["controlling", "controlled"] as const) {
    test(`[${provider}] restart initiated by the ${initiator} side: data keeps flowing on the old pair (10% loss), then switches`, () => {
      const { net, a, b } = connectedPair(e, initiator == "controlling" ? 21 : 22, 0.1);
      const [init, resp] = initiator == "controlling" ? [a, b] : [b, a];
      net.tick = { every: 20, next: net.now, fn: () => { sendData(net, a); sendData(net, b); } };
      const t0 = net.now;
      const selectedBefore = [a.selectedLog.length, b.selectedLog.length];
      restart(net, init, resp, 1, 600);
      // The initiator cannot check before the answer arrives; a controlling responder may check,
      // nominate and switch as soon as it has the offer (the initiator follows on the answer).
      assert.ok(init.restarting, "the initiator is still on the old pair after signalling");
      if (initiator == "controlling") assert.ok(resp.restarting, "so is the controlled responder");
      net.run(net.now + 15000, switched(a, b));
      assert.ok(!a.restarting && !b.restarting, "a pair under the new credentials was selected on both sides");
      // each side announced the new pair once
      assert.equal(a.selectedLog.length, selectedBefore[0] + 1, a.selectedLog.join());
      assert.equal(b.selectedLog.length, selectedBefore[1] + 1, b.selectedLog.join());
      const switchAt = Math.min(a.selectedLog.at(-1)![0], b.selectedLog.at(-1)![0]);
      const earliest = initiator == "controlling" ? 1200 : 600; // when both, or the controlling side, had both credentials
      assert.ok(switchAt >= t0 + earliest, `switched at +${switchAt - t0}`);
      // data on the old pair while the new checks ran, both ways, despite the loss
      const during = net.delivered.filter((d) => d.at > t0 && d.at < switchAt);
      const toB = during.filter((d) => d.to == "192.0.2.2:2000").length;
      const toA = during.filter((d) => d.to == "192.0.2.1:1000").length;
      // (one datagram each way every 20 ms, 10% lost: well over 70% of them arrive)
      const sentEachWay = Math.floor((switchAt - t0) / 20);
      assert.ok(sentEachWay >= 25 && toA > 0.7 * sentEachWay && toB > 0.7 * sentEachWay, `during the restart: ${toA} to A, ${toB} to B of ${sentEachWay} each way`);
      // the old pair's consent kept running under the old credentials and was answered
      assert.ok(a.stat(11) + b.stat(11) > 0, "checks under the previous credentials answered");
      // never disconnected on the way
      for (const x of [a, b]) assert.ok(!x.stateLog.some(([t, s]) => t >= t0 && s != STATE.Connected), JSON.stringify(x.stateLog));
      // and it stays up on the new pair, consent now under the new credentials
      const after = net.now;
      net.run(after + 30000);
      assert.equal(a.state, STATE.Connected);
      assert.equal(b.state, STATE.Connected);
      assert.ok(net.delivered.filter((d) => d.at > after).length > 1000);
      assert.equal(a.stat(12), 1);
      assert.equal(b.stat(12), 1);
    });
  }

  test(`[${provider}] restart after a NAT rebinding: the old pair dies, the new checks find the new mapping, disconnected -> connected`, () => {
    const net = new Net(23);
    const { a, b } = pair(e);
    net.attach(a, "198.51.100.1:3478");
    net.attach(b, "10.0.0.2:5000");
    net.nat = { priv: "10.0.0.2:5000", pub: "203.0.113.9:40000", allowed: new Set() };
    signal(a, b);
    signal(b, a);
    net.run(10000, bothConnected(a, b));
    assert.equal(a.selected(), "selected 198.51.100.1:3478 203.0.113.9:40000");
    net.tick = { every: 50, next: net.now, fn: () => { sendData(net, a); sendData(net, b); } };
    net.run(net.now + 3000);
    // the NAT forgets the mapping and hands out a new one: what A sends to the old one is lost
    const rebindAt = net.now;
    net.nat = { priv: "10.0.0.2:5000", pub: "203.0.113.9:40001", allowed: new Set() };
    net.run(rebindAt + 20000, () => a.state == STATE.Disconnected);
    assert.equal(a.state, STATE.Disconnected);
    const lostToB = net.delivered.filter((d) => d.at > rebindAt + 100 && d.to == "10.0.0.2:5000").length;
    assert.equal(lostToB, 0, "nothing A sent on the old pair arrived");
    // A (controlling) restarts; B's candidate is private, so the path is found by B's checks (peer-reflexive)
    const t0 = net.now;
    restart(net, a, b, 1, 200);
    net.run(net.now + 10000, switched(a, b));
    assert.equal(a.state, STATE.Connected);
    assert.equal(b.state, STATE.Connected);
    assert.equal(a.selected(), "selected 198.51.100.1:3478 203.0.113.9:40001");
    assert.ok(a.stateLog.some(([t, s]) => t > t0 && s == STATE.Connected));
    assert.ok(!a.stateLog.some(([t, s]) => t > rebindAt && s == STATE.Failed), JSON.stringify(a.stateLog));
    const switchAt = a.selectedLog.at(-1)![0];
    net.run(net.now + 2000);
    const nowToB = net.delivered.filter((d) => d.at > switchAt + 100 && d.to == "10.0.0.2:5000").length;
    assert.ok(nowToB > 20, `A's data reaches B on the new path (${nowToB})`);
    net.run(net.now + 40000);
    assert.equal(a.state, STATE.Connected);
    assert.equal(b.state, STATE.Connected);
  });

  test(`[${provider}] restart out of failed: consent lost on both sides, then a restart connects again`, () => {
    const { net, a, b } = signalledPair(e, 24);
    net.run(10000, bothConnected(a, b));
    net.cut = true;
    net.run(net.now + 40000);
    assert.equal(a.state, STATE.Failed);
    assert.equal(b.state, STATE.Failed);
    net.cut = false;
    const t0 = net.now;
    restart(net, b, a, 1, 100);
    assert.ok(a.stateLog.some(([t, s]) => t >= t0 && s == STATE.Checking), JSON.stringify(a.stateLog));
    net.run(net.now + 10000, bothConnected(a, b));
    assert.equal(a.state, STATE.Connected);
    assert.equal(b.state, STATE.Connected);
    assert.ok(a.selectedLog.at(-1)![0] > t0);
  });

  test(`[${provider}] repeated restarts (completed, and overlapping) keep memory and lists bounded`, () => {
    const { net, a, b } = connectedPair(e, 25, 0);
    const x = e.x;
    const round = (gen: number) => {
      restart(net, gen % 2 ? a : b, gen % 2 ? b : a, gen, 50);
      net.run(net.now + 10000, switched(a, b));
      assert.ok(!a.restarting && !b.restarting, `restart ${gen}`);
      // events the test drained; their log is the test's, not the agent's
      a.events.length = b.events.length = 0;
    };
    for (let g = 1; g <= 5; g++) round(g);
    const base = x.ice_memory();
    for (let g = 6; g <= 40; g++) {
      round(g);
      // sometimes restart again before the previous one finished: one old pair is kept, never more
      if (g % 5 == 0) {
        assert.ok(a.restart(`Ar${g}x`, `password-A-restart-${g}x-000`, net.now));
        assert.ok(a.restart(`Ar${g}y`, `password-A-restart-${g}y-000`, net.now));
        assert.ok(a.restarting);
        net.run(net.now + 100);
        assert.ok(b.setRemoteAt(a, net.now));
        assert.ok(b.restart(`Br${g}y`, `password-B-restart-${g}y-000`, net.now));
        retrickle(a, b);
        assert.ok(a.setRemoteAt(b, net.now));
        retrickle(b, a);
        net.run(net.now + 10000, switched(a, b));
        assert.ok(!a.restarting && !b.restarting);
      }
      assert.ok(x.ice_pair_count(a.h) <= 2 && x.ice_remote_count(a.h) <= 1, `lists after restart ${g}`);
    }
    assert.equal(x.ice_memory(), base, "memory after 35 more restarts");
    assert.equal(a.state, STATE.Connected);
    assert.equal(b.state, STATE.Connected);
  });

  test(`[${provider}] restart input: unusable credentials rejected, repeats ignored, candidates of the old generation dropped`, () => {
    const { net, a, b } = connectedPair(e, 26, 0);
    for (const [u, p] of [["", "password-long-enough-000"], ["a:b", "password-long-enough-000"], ["okufrag", ""], ["x".repeat(300), "password-long-enough-000"]]) {
      assert.equal(a.restart(u, p, net.now), false, u);
      assert.equal(a.setRemoteAt({ ufrag: u, pwd: p }, net.now), false, u);
    }
    assert.equal(a.restarting, false);
    // the same remote description again is not a restart
    assert.ok(a.setRemoteAt(b, net.now));
    assert.equal(a.restarting, false);
    assert.equal(a.stat(12), 0);
    // a trickled candidate naming the old ufrag after the restart is stale
    const oldUfrag = b.ufrag;
    restart(net, b, a, 1, 50);
    const stale = a.stat(10);
    assert.equal(a.addRemote(`candidate:9 1 udp 2130706431 192.0.2.9 9 typ host ufrag ${oldUfrag}`), false);
    assert.equal(a.stat(10), stale + 1);
    assert.ok(a.addRemote(`candidate:9 1 udp 2130706431 192.0.2.9 9 typ host ufrag ${b.ufrag}`));
    net.run(net.now + 10000, switched(a, b));
    assert.ok(!a.restarting && !b.restarting);
    // after the switch the old credentials are refused: an old-generation agent's check gets a 401
    const before = a.stat(1);
    const ghost = new Agent(e, "G", false, oldUfrag, "passwordB-0123456789ab", 1n);
    ghost.setRemote({ ufrag: "ufA1", pwd: "passwordA-0123456789ab" } as Agent);
    assert.ok(ghost.addHost("192.0.2.2:2000"));
    ghost.addRemote(a.localCandidates[0]);
    ghost.timeout(net.now);
    let check: Uint8Array | null = null;
    ghost.drain(net.now, (f, t, d) => { if (!check) check = d; });
    assert.ok(check);
    a.input(check as Uint8Array, "192.0.2.1:1000", "192.0.2.2:2000", net.now);
    assert.equal(a.stat(1), before + 1);
  });

  // libwebrtc (Chromium), restarting as the controlling offerer, pairs its new candidates with ours
  // and checks them under OUR OLD ufrag/pwd with its NEW ufrag until our answer reaches it, and
  // nominates such a pair: that is the peer's new generation, not the previous one.
  test(`[${provider}] a restarting peer's checks under our old credentials and its new ufrag count as the new generation`, () => {
    const { net, a, b } = connectedPair(e, 31, 0);
    const oldB = { ufrag: b.ufrag, pwd: b.pwd };
    const newA = { ufrag: "ufAr1", pwd: "password-A-restart-1-0000" };
    // B, controlled, gets A's restart offer and answers with new credentials of its own.
    assert.ok(b.setRemoteAt(newA, net.now));
    assert.ok(b.restart("ufBr1", "password-B-restart-1-0000", net.now));
    b.drain(net.now, () => {});
    const bridged = (useCandidate: boolean) => {
      const attrs: [number, Buffer][] = [
        [ATTR.Username, Buffer.from(`${oldB.ufrag}:${newA.ufrag}`)],
        [0x0024, Buffer.from([0x6e, 0x7f, 0x1e, 0xff])], // PRIORITY
        [0x802a, Buffer.alloc(8, 1)], // ICE-CONTROLLING
      ];
      if (useCandidate) attrs.push([0x0025, Buffer.alloc(0)]); // USE-CANDIDATE
      const tid = randomBytes(12);
      b.input(buildStun(M.Binding, C.Request, tid, attrs, Buffer.from(oldB.pwd)), "192.0.2.2:2000", "192.0.2.1:1000", net.now);
      // what B sends over the next 200 ms (checks are paced), without delivering any of it
      const out: { to: string; m: ReturnType<typeof parseStun> }[] = [];
      for (let t = net.now; t <= net.now + 200; t += 10) {
        if (b.deadline() <= t) b.timeout(t);
        b.drain(t, (_from, to, d) => out.push({ to, m: parseStun(d) }));
      }
      const response = out.find((o) => o.m?.tid.equals(tid))?.m;
      const checks = out.filter((o) => o.m?.cls == C.Request && o.to == "192.0.2.1:1000");
      return { response, checks };
    };
    const previousBefore = b.stat(11);
    const first = bridged(true);
    assert.equal(first.response?.cls, C.Success, "answered as a success, signed with our old password");
    assert.equal(b.stat(13), 1, "counted as the peer's new generation under our old credentials");
    assert.equal(b.stat(11), previousBefore, "not as the previous generation");
    // It is acted on as the new generation: a triggered check goes back at once, to A's new
    // ufrag, naming our previous one as A's checks on this pair do (libwebrtc refuses any other).
    assert.ok(first.checks.length >= 1, "a triggered check on the pair");
    const user = first.checks[0].m!.attrs.find((x) => x.type == ATTR.Username)!.value.toString();
    assert.equal(user, `${newA.ufrag}:${oldB.ufrag}`);
    // A completes its half; the restart ends on both sides and B keeps accepting the bridged credentials.
    assert.ok(a.restart(newA.ufrag, newA.pwd, net.now));
    assert.ok(a.setRemoteAt({ ufrag: b.ufrag, pwd: b.pwd }, net.now));
    net.run(net.now + 15000, switched(a, b));
    assert.ok(!a.restarting && !b.restarting, "switched");
    assert.equal(bridged(false).response?.cls, C.Success, "still accepted after the switch");
    assert.equal(b.stat(13), 2);
  });
}
