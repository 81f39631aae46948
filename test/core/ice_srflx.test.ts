// ICE through a server-reflexive candidate (RFC 8445 §5.1.1.2, §7.2.5.3.1, §7.3.1.3): agent A behind a
// NAT gathers its srflx candidate from a STUN server and signals it with its (unroutable) host one;
// public agent B checks and selects a pair whose remote candidate is that srflx one. The NAT's mapping
// behaviour (RFC 4787 §4.1) decides whether the signalled srflx address is the one B sees: with
// address-and-port-dependent mapping ("symmetric") B only finds A as a peer-reflexive candidate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadEntry, PROVIDERS, type Entry } from "../helpers/entry.js";
import { Agent, GatheringAgent, Net, STATE, bothConnected, makeNat, sendData, signal, type Nat, type NatBehaviour } from "./ice_net.js";

const A_PRIVATE = "10.0.0.2:5000";
const A_PUBLIC = "203.0.113.9:40000";
const B_ADDR = "198.51.100.1:3478";
const STUN_SERVER = "192.0.2.53:3478";
const PRFLX_REMOTE = 3; // ice_stat: peer-reflexive remote candidates learned

interface Sdp { type: string; addr: string; related: string | null }

// The parts of an SDP candidate line these tests look at.
function parseCandidate(line: string): Sdp {
  const f = line.split(" ");
  const at = (k: string) => f.indexOf(k);
  const related = at("raddr") >= 0 ? `${f[at("raddr") + 1]}:${f[at("rport") + 1]}` : null;
  return { type: f[at("typ") + 1], addr: `${f[4]}:${f[5]}`, related };
}

interface Run { net: Net; nat: Nat; a: GatheringAgent; b: Agent; srflx: Sdp }

// A behind `nat` gathers host + srflx (B is public and has its host candidate only); nothing signalled yet.
function gather(ie: Entry, te: Entry, seed: number, aControlling: boolean, mapping: NatBehaviour, filtering: NatBehaviour): Run {
  const net = new Net(seed);
  const nat = makeNat(A_PRIVATE, A_PUBLIC, mapping, filtering);
  net.nat = nat;
  const server = net.addStunServer(STUN_SERVER);
  const a = new GatheringAgent(te, "A", aControlling, "ufA1", "passwordA-0123456789ab", aControlling ? 20n : 10n);
  const b = new Agent(ie, "B", !aControlling, "ufB2", "passwordB-0123456789ab", aControlling ? 10n : 20n);
  a.setRemote(b);
  b.setRemote(a);
  net.attach(a, A_PRIVATE);
  net.attach(b, B_ADDR);
  a.addStun(A_PRIVATE, STUN_SERVER, net.now);
  net.run(5000, () => a.events.some((ev) => ev.startsWith("srflx ") || ev.startsWith("stun-failed ")));
  assert.ok(server.served >= 1, "the STUN server was asked");
  const learned = a.events.find((ev) => ev.startsWith("srflx "));
  assert.ok(learned, `A learned its mapped address: ${a.events.join(" | ")}`);
  const srflxLine = a.localCandidates.find((c) => parseCandidate(c).type == "srflx");
  assert.ok(srflxLine, `A offers a srflx candidate: ${a.localCandidates.join(" | ")}`);
  const srflx = parseCandidate(srflxLine);
  assert.equal(srflx.addr, learned.slice(6), "the srflx candidate is the mapped address the STUN server reported");
  assert.equal(srflx.related, A_PRIVATE, "its related address is its base, the host socket");
  assert.ok(a.localCandidates.some((c) => parseCandidate(c).type == "host" && parseCandidate(c).addr == A_PRIVATE));
  return { net, nat, a, b, srflx };
}

// Data both ways on the selected pairs for two seconds: A sends from its host base, B to whatever
// it selected for A.
function exchangeData({ net, a, b }: Run) {
  const t0 = net.now;
  net.tick = { every: 50, next: net.now, fn: () => { sendData(net, a); sendData(net, b); } };
  net.run(t0 + 2000);
  net.tick = null;
  const toA = net.delivered.filter((d) => d.at > t0 && d.to == A_PRIVATE).length;
  const toB = net.delivered.filter((d) => d.at > t0 && d.to == B_ADDR).length;
  assert.ok(toA > 20 && toB > 20, `data both ways: ${toA} to A, ${toB} to B`);
}

// gather(), then both sides signal every candidate, they connect, and data flows both ways.
function connectThroughNat(ie: Entry, te: Entry, seed: number, aControlling: boolean, mapping: NatBehaviour, filtering: NatBehaviour): Run {
  const run = gather(ie, te, seed, aControlling, mapping, filtering);
  const { net, a, b } = run;
  signal(a, b);
  signal(b, a);
  net.run(net.now + 15000, bothConnected(a, b));
  assert.equal(a.state, STATE.Connected, "A connected");
  assert.equal(b.state, STATE.Connected, "B connected");
  exchangeData(run);
  return run;
}

for (const provider of PROVIDERS) {
  const ie = loadEntry("entry_ice", provider);
  const te = loadEntry("entry_turn", provider);

  for (const aControlling of [true, false]) {
    const role = aControlling ? "controlling" : "controlled";

    test(`[${provider}] full-cone NAT, A ${role}: B's selected pair has A's srflx candidate (learned through STUN) as its remote`, () => {
      const { nat, a, b, srflx } = connectThroughNat(ie, te, aControlling ? 31 : 32, aControlling, "endpoint-independent", "endpoint-independent");
      assert.equal(srflx.addr, A_PUBLIC, "the NAT's one mapping");
      const [bLocal, bRemote] = b.selectedCandidates()!.map(parseCandidate);
      assert.equal(bLocal.addr, B_ADDR);
      assert.equal(bRemote.type, "srflx", `B's remote candidate: ${JSON.stringify(bRemote)}`);
      assert.equal(bRemote.addr, srflx.addr);
      assert.equal(b.stat(PRFLX_REMOTE), 0, "B never needed a peer-reflexive candidate for A");
      // A's side of the same pair: checks leave from the srflx candidate's base, its host socket
      assert.deepEqual(a.selectedPair(), [A_PRIVATE, B_ADDR]);
      assert.deepEqual(b.selectedPair(), [B_ADDR, A_PUBLIC]);
      assert.equal(nat.filtered, 0, "endpoint-independent filtering drops nothing");
    });
  }

  test(`[${provider}] port-restricted cone NAT (endpoint-independent mapping): still the srflx candidate, the mapping is the same towards B`, () => {
    const { b, srflx } = connectThroughNat(ie, te, 33, true, "endpoint-independent", "address-and-port-dependent");
    const [, bRemote] = b.selectedCandidates()!.map(parseCandidate);
    assert.equal(bRemote.type, "srflx", `B's remote candidate: ${JSON.stringify(bRemote)}`);
    assert.equal(bRemote.addr, srflx.addr);
    assert.equal(b.stat(PRFLX_REMOTE), 0);
  });

  // Filtering (RFC 4787 §5) decides whether B's checks reach A's srflx address before A ever sent
  // to B: here only A's candidates have been signalled (B's answer is late), so A has nothing to
  // check and B's ordinary checks are the only traffic towards A.
  for (const filtering of ["endpoint-independent", "address-and-port-dependent"] as const) {
    const cone = filtering == "endpoint-independent" ? "full-cone" : "port-restricted cone";
    test(`[${provider}] ${cone} NAT, B's candidates late: B's own checks ${filtering == "endpoint-independent" ? "reach A's srflx address and connect" : "are filtered until A checks towards B, then B checks again at once"}`, () => {
      const run = gather(ie, te, filtering == "endpoint-independent" ? 36 : 37, false, "endpoint-independent", filtering);
      const { net, nat, a, b, srflx } = run;
      signal(a, b);
      b.drain(net.now, () => {}); // B's own host candidate event (its candidates are not signalled yet)
      net.run(net.now + 8000, bothConnected(a, b));
      if (filtering == "endpoint-independent") {
        assert.equal(b.state, STATE.Connected, "B connected through A's srflx candidate alone");
        assert.equal(a.state, STATE.Connected, "A answered and learned B from B's checks");
        assert.ok(a.stat(PRFLX_REMOTE) >= 1, "B is peer-reflexive to A: A never got B's candidates");
        const [, bRemote] = b.selectedCandidates()!.map(parseCandidate);
        assert.equal(bRemote.type, "srflx");
        assert.equal(bRemote.addr, srflx.addr);
        assert.equal(nat.filtered, 0);
        exchangeData(run);
        return;
      }
      assert.notEqual(b.state, STATE.Connected, "nothing gets through the filter");
      assert.notEqual(a.state, STATE.Connected);
      assert.ok(nat.filtered! > 0, "B's checks to the srflx address were filtered");
      // B's answer reaches A 8 s in, after B's last retransmission towards the srflx address
      // (7.5 s) and before that check times out (11.5 s). A's check opens the filter; B must answer
      // it with a triggered check of its own (RFC 8445 §7.3.1.4: an In-Progress pair is checked
      // again), or neither side ever checks the pair again and B fails at its checking timeout.
      signal(b, a);
      const answeredAt = net.now;
      net.run(net.now + 15000, bothConnected(a, b));
      assert.ok(net.now < answeredAt + 3000, `connected ${net.now - answeredAt} ms after B's answer`);
      assert.equal(a.state, STATE.Connected);
      assert.equal(b.state, STATE.Connected);
      const [, bRemote] = b.selectedCandidates()!.map(parseCandidate);
      assert.equal(bRemote.type, "srflx");
      assert.equal(bRemote.addr, srflx.addr);
      exchangeData(run);
    });
  }

  for (const aControlling of [true, false]) {
    const role = aControlling ? "controlling" : "controlled";

    test(`[${provider}] symmetric NAT (address-and-port-dependent mapping), A ${role}: the srflx address is not what B sees; connects only through a peer-reflexive candidate`, () => {
      const { nat, b, srflx } = connectThroughNat(ie, te, aControlling ? 34 : 35, aControlling, "address-and-port-dependent", "address-and-port-dependent");
      assert.equal(srflx.addr, A_PUBLIC, "the mapping towards the STUN server");
      const towardsB = nat.bindings!.get(B_ADDR);
      assert.ok(towardsB && towardsB != srflx.addr, `a second mapping towards B: ${towardsB}`);
      const [, bRemote] = b.selectedCandidates()!.map(parseCandidate);
      assert.equal(bRemote.type, "prflx", `B's remote candidate: ${JSON.stringify(bRemote)}`);
      assert.equal(bRemote.addr, towardsB);
      assert.ok(b.stat(PRFLX_REMOTE) >= 1, "B learned A from A's checks");
      assert.ok(nat.filtered! > 0, "B's checks to the srflx address were filtered");
    });
  }
}
