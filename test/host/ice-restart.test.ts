// ICE restart on a connected host/peer.ts (RFC 8445 §9, RFC 8839 §4.4.1.1.1, RFC 8829 §5.2.3.1)
// against werift and headless Chromium, both directions, with data channel messages before and
// after; and WHEP's ICE restart by PATCH (RFC 9725 §4.3.2) against the simulated device.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createPeerFactory, type WasmPeerConnection } from "../../host/peer.js";
import { WeriftPeer } from "../../host/werift-peer.js";
import type { DataChannel, PeerConnection } from "../../host/peer-api.js";
import { startDevice } from "../../host/device/device.js";
import { launchChromium } from "../helpers/chromium.js";
import { LOOPBACK } from "../helpers/peer-stacks.js";
import { nextMessage, waitConnected, waitFor, waitOpen } from "../helpers/whep-viewer.js";

const factory = createPeerFactory({ provider: "host" });

const ufragOf = (sdp: string) => /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1] ?? null;
const pwdOf = (sdp: string) => /^a=ice-pwd:(\S+)/m.exec(sdp)?.[1] ?? null;

// Every connection state a peer goes through from now on.
function recordStates(peer: PeerConnection): string[] {
  const states: string[] = [];
  peer.onconnectionstatechange = () => states.push(peer.connectionState);
  return states;
}

// Candidates flow both ways as they come (trickle); each side's go out once its description is set.
function trickle(a: PeerConnection, b: PeerConnection): void {
  a.onicecandidate = ({ candidate }) => void b.addIceCandidate(candidate).catch(() => {});
  b.onicecandidate = ({ candidate }) => void a.addIceCandidate(candidate).catch(() => {});
}

async function roundTrip(ch: DataChannel, text: string): Promise<string> {
  const reply = nextMessage(ch, 10_000);
  ch.send(text);
  return String(await reply);
}

function echo(peer: PeerConnection): void {
  peer.ondatachannel = ({ channel }) => {
    channel.onmessage = (ev) => channel.send(ev.data);
  };
}

async function until(what: string, ms: number, ok: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("ICE restart between host/peer.ts and werift", { timeout: 120_000 }, () => {
  test("werift restarts ICE (restartIce + re-offer): host/peer.ts answers with new credentials, the channel works before and after", async () => {
    const them = new WeriftPeer(LOOPBACK);
    const us = factory.createPeerConnection(LOOPBACK);
    try {
      echo(us);
      trickle(them, us);
      const ch = them.createDataChannel("echo");
      await them.setLocalDescription(await them.createOffer());
      await us.setRemoteDescription(them.localDescription!);
      await us.setLocalDescription(await us.createAnswer());
      await them.setRemoteDescription(us.localDescription!);
      await waitConnected(us);
      await waitOpen(ch);
      const states = recordStates(us);
      assert.equal(await roundTrip(ch, "before"), "before");
      const oldOffer = them.localDescription!.sdp, oldAnswer = us.localDescription!.sdp;

      them.inner.restartIce();
      const offer = await them.inner.createOffer({ iceRestart: true });
      await them.inner.setLocalDescription(offer);
      assert.notEqual(ufragOf(offer.sdp), ufragOf(oldOffer), "werift's re-offer has a new ufrag");
      await us.setRemoteDescription({ type: "offer", sdp: them.localDescription!.sdp });
      await us.setLocalDescription(await us.createAnswer());
      const answer = us.localDescription!.sdp;
      assert.notEqual(ufragOf(answer), ufragOf(oldAnswer), "our answer to a restart has a new ufrag");
      assert.notEqual(pwdOf(answer), pwdOf(oldAnswer));
      assert.equal(answer.replace(/^(a=ice-|a=candidate|a=end-of|o=).*\r\n/gm, ""), oldAnswer.replace(/^(a=ice-|a=candidate|a=end-of|o=).*\r\n/gm, ""), "the rest of the answer is as before");
      await them.setRemoteDescription({ type: "answer", sdp: answer });
      assert.equal(await roundTrip(ch, "during"), "during");
      await until("the new generation selected", 15_000, () => us.getStats().selectedPairGeneration === ufragOf(answer));
      assert.equal(await roundTrip(ch, "after"), "after");

      // A re-offer that changes more than ICE (an added m= section) is refused; the connection goes on.
      const grown = them.localDescription!.sdp + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:9\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n";
      await assert.rejects(us.setRemoteDescription({ type: "offer", sdp: grown }), /renegotiation is not supported: .*media sections/);
      assert.equal(await roundTrip(ch, "after the refusal"), "after the refusal");
      assert.ok(!states.includes("failed") && !states.includes("closed"), `states ${states}`);
      assert.equal(us.connectionState, "connected");
    } finally {
      them.close();
      us.close();
    }
  });

  test("host/peer.ts restarts ICE (restartIce + createOffer) against werift: the channel works before and after", async () => {
    const them = new WeriftPeer(LOOPBACK);
    const us = factory.createPeerConnection(LOOPBACK);
    try {
      echo(them);
      trickle(them, us);
      const ch = us.createDataChannel("echo");
      await us.setLocalDescription(await us.createOffer());
      await them.setRemoteDescription(us.localDescription!);
      await them.setLocalDescription(await them.createAnswer());
      await us.setRemoteDescription(them.localDescription!);
      await waitConnected(us);
      await waitOpen(ch);
      const states = recordStates(us);
      assert.equal(await roundTrip(ch, "before"), "before");
      const oldOffer = us.localDescription!.sdp;

      // New candidates are announced again for the new generation, then end-of-candidates.
      const announced: (string | null)[] = [];
      const forward = us.onicecandidate!;
      us.onicecandidate = (ev) => {
        announced.push(ev.candidate ? ev.candidate.usernameFragment ?? "?" : null);
        forward(ev);
      };
      us.restartIce();
      await us.setLocalDescription(await us.createOffer());
      const offer = us.localDescription!.sdp;
      assert.notEqual(ufragOf(offer), ufragOf(oldOffer), "our restart offer has a new ufrag");
      await them.setRemoteDescription({ type: "offer", sdp: offer });
      await them.setLocalDescription(await them.createAnswer());
      await us.setRemoteDescription(them.localDescription!);
      await until("candidates announced again", 5000, () => announced.includes(null));
      assert.ok(announced.length >= 2 && announced.slice(0, -1).every((u) => u === ufragOf(offer)), `announced ${announced}`);
      assert.equal(await roundTrip(ch, "after"), "after");
      await until("a pair selected again", 15_000, () => us.getStats().selectedPairGeneration === ufragOf(offer));
      assert.equal(await roundTrip(ch, "after the switch"), "after the switch");
      assert.ok(!states.includes("failed") && !states.includes("closed"), `states ${states}`);
    } finally {
      them.close();
      us.close();
    }
  });
});

test("chromium restarts ICE (pc.restartIce) against host/peer.ts: new ufrags in use, messages before and after, never failed", { timeout: 90_000 }, async (t) => {
  const s = await launchChromium();
  const us: WasmPeerConnection = factory.createPeerConnection(LOOPBACK);
  try {
    await s.page.goto("about:blank");
    t.diagnostic(`chromium ${s.version}`);
    echo(us);
    let pageReady = Promise.resolve();
    us.onicecandidate = ({ candidate }) => {
      if (!candidate) return;
      const c = { candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? "0", sdpMLineIndex: 0 };
      void pageReady.then(() => s.page.evaluate((c) => (window as any).pc.addIceCandidate(c), c)).catch(() => {});
    };
    const offerFromPage = (restart: boolean) => s.page.evaluate(async (restart) => {
      const w = window as any;
      if (!restart) {
        const pc = new RTCPeerConnection();
        w.pc = pc;
        w.states = [];
        pc.onconnectionstatechange = () => w.states.push(pc.connectionState);
        w.dc = pc.createDataChannel("echo");
        w.received = [];
        w.dc.onmessage = (e: MessageEvent) => w.received.push(String(e.data));
      } else w.pc.restartIce();
      const gathered = new Promise<void>((resolve) => {
        w.pc.onicegatheringstatechange = () => w.pc.iceGatheringState === "complete" && resolve();
        setTimeout(resolve, 3000);
      });
      await w.pc.setLocalDescription(await w.pc.createOffer());
      await gathered;
      return w.pc.localDescription!.sdp as string;
    }, restart);
    const answerToPage = async (offer: string) => {
      let answered!: () => void;
      pageReady = new Promise<void>((r) => (answered = r));
      await us.setRemoteDescription({ type: "offer", sdp: offer });
      await us.setLocalDescription(await us.createAnswer());
      await s.page.evaluate((sdp) => (window as any).pc.setRemoteDescription({ type: "answer", sdp }), us.localDescription!.sdp);
      answered();
      return us.localDescription!.sdp;
    };
    const sendFromPage = (text: string) => s.page.evaluate(async (text) => {
      const w = window as any;
      const n = w.received.length;
      w.dc.send(text);
      for (let i = 0; i < 200 && w.received.length === n; i++) await new Promise((r) => setTimeout(r, 50));
      return w.received[n] as string | undefined;
    }, text);
    // The ufrags of Chromium's selected candidate pair's transport.
    const pageUfrags = () => s.page.evaluate(async () => {
      const stats = await (window as any).pc.getStats();
      let local = "", remote = "";
      stats.forEach((r: any) => {
        if (r.type === "transport" && r.selectedCandidatePairId) {
          local = r.iceLocalUsernameFragment ?? "";
          const pair = stats.get(r.selectedCandidatePairId);
          const rc = pair && stats.get(pair.remoteCandidateId);
          remote = rc?.usernameFragment ?? "";
        }
      });
      return { local, remote };
    });

    const offer1 = await offerFromPage(false);
    const answer1 = await answerToPage(offer1);
    await waitConnected(us);
    await s.page.waitForFunction(() => (window as any).dc.readyState === "open", null, { timeout: 10_000 });
    assert.equal(await sendFromPage("before"), "before");

    const offer2 = await offerFromPage(true);
    assert.notEqual(ufragOf(offer2), ufragOf(offer1), "chromium's restart offer has a new ufrag");
    const answer2 = await answerToPage(offer2);
    assert.notEqual(ufragOf(answer2), ufragOf(answer1), "our answer has a new ufrag");
    assert.equal(await sendFromPage("right after"), "right after");
    await until("chromium on the new generation", 20_000, async () => (await pageUfrags()).local === ufragOf(offer2));
    const u = await pageUfrags();
    t.diagnostic(`chromium transport ufrags after restart: ${JSON.stringify(u)}`);
    assert.equal(u.local, ufragOf(offer2));
    // Chromium pairs its new-generation candidates with our candidate before our answer reaches it
    // and checks them under our previous credentials with its new ufrag, often nominating that
    // pair: our agent takes those checks as the new generation (peer_stat 18), so it switches too.
    const switched = await until("our new generation selected", 10_000, () => us.getStats().selectedPairGeneration === ufragOf(answer2)).then(() => true, () => false);
    t.diagnostic(`checks answered under the previous credentials: ${us.peer.stat(16)}; new-generation checks under our previous credentials: ${us.peer.stat(18)}`);
    if (!switched) {
      const pairs = await s.page.evaluate(async () => {
        const stats = await (window as any).pc.getStats();
        const out: string[] = [];
        stats.forEach((r: any) => {
          if (r.type !== "candidate-pair") return;
          const l = stats.get(r.localCandidateId), rc = stats.get(r.remoteCandidateId);
          out.push(`${r.state} nominated=${r.nominated} ${l?.port}/${l?.usernameFragment} -> ${rc?.port}/${rc?.usernameFragment}`);
        });
        return out;
      });
      assert.fail(`host/peer.ts still on the previous generation; chromium pairs: ${pairs.join("; ")}`);
    }
    assert.equal(await sendFromPage("after"), "after");
    const states = await s.page.evaluate(() => (window as any).states as string[]);
    assert.ok(!states.includes("failed") && !states.includes("closed"), `chromium states ${states}`);
    assert.equal(await s.page.evaluate(() => (window as any).pc.connectionState), "connected");
  } finally {
    us.close();
    await s.close();
  }
});

test("WHEP ICE restart: PATCH with new ice-ufrag/ice-pwd gets 200, the device's new credentials and a new ETag; the channel works after", { timeout: 90_000 }, async () => {
  const wasm = createPeerFactory({ provider: "pure" });
  const device = await startDevice({ peerFactory: (c) => wasm.createPeerConnection({ ...LOOPBACK, ...c }), port: 0, maxViewers: 2, peerConfig: LOOPBACK });
  const viewer = new WeriftPeer(LOOPBACK);
  try {
    const ch = viewer.createDataChannel("echo");
    // POST by hand, for the ETag of the 201 (RFC 9725 §4.3.1: required when ICE restart is supported).
    const gathering = waitFor<void>("werift gathering", 10_000, (resolve) => {
      viewer.onicecandidate = ({ candidate }) => (candidate?.candidate ? undefined : resolve());
    });
    await viewer.setLocalDescription(await viewer.createOffer());
    await gathering.catch(() => {});
    const post = await fetch(new URL("/whep", device.url), { method: "POST", headers: { "Content-Type": "application/sdp" }, body: viewer.localDescription!.sdp });
    const r = { location: post.headers.get("location"), answer: await post.text() };
    assert.equal(post.status, 201, r.answer);
    const etag0 = post.headers.get("etag");
    assert.ok(etag0 && /^".+"$/.test(etag0), `ETag on the 201: ${etag0}`);
    await viewer.setRemoteDescription({ type: "answer", sdp: r.answer });
    await waitConnected(viewer);
    await waitOpen(ch);
    const reply1 = nextMessage(ch, 10_000);
    ch.send("before");
    assert.equal(await reply1, "before");

    // The client's restart: new credentials and candidates, sent as an sdpfrag with If-Match: *.
    const candidates: string[] = [];
    const gathered = waitFor<void>("werift gathering", 10_000, (resolve) => {
      viewer.onicecandidate = ({ candidate }) => (candidate?.candidate ? candidates.push(candidate.candidate) : resolve());
    });
    viewer.inner.restartIce();
    await viewer.inner.setLocalDescription(await viewer.inner.createOffer({ iceRestart: true }));
    await gathered.catch(() => {});
    const local = viewer.localDescription!.sdp;
    const ufrag = ufragOf(local)!, pwd = pwdOf(local)!;
    const frag = [`a=ice-ufrag:${ufrag}`, `a=ice-pwd:${pwd}`, "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "a=mid:0",
      ...candidates.map((c) => `a=${c}`), "a=end-of-candidates", ""].join("\r\n");
    const res = await fetch(new URL(r.location!, device.url), {
      method: "PATCH", headers: { "Content-Type": "application/trickle-ice-sdpfrag", "If-Match": "*" }, body: frag, signal: AbortSignal.timeout(10_000),
    });
    const body = await res.text();
    assert.equal(res.status, 200, body);
    assert.match(res.headers.get("content-type") ?? "", /application\/trickle-ice-sdpfrag/);
    const etag = res.headers.get("etag");
    assert.ok(etag && /^".+"$/.test(etag) && etag !== etag0, `a new ETag ${etag}`);
    const newUfrag = ufragOf(body), newPwd = pwdOf(body);
    assert.ok(newUfrag && newPwd, body);
    assert.notEqual(newUfrag, ufragOf(r.answer), "the device's ufrag changed");
    assert.notEqual(newPwd, pwdOf(r.answer));
    const deviceCandidates = body.split("\r\n").filter((l) => l.startsWith("a=candidate:"));
    assert.ok(deviceCandidates.length > 0, "the 200 carries the device's candidates");

    // The client applies them as the answer to its restart offer (everything else as negotiated).
    const answer = r.answer
      .replace(/^a=ice-ufrag:.*$/gm, `a=ice-ufrag:${newUfrag}`)
      .replace(/^a=ice-pwd:.*$/gm, `a=ice-pwd:${newPwd}`);
    await viewer.inner.setRemoteDescription({ type: "answer", sdp: answer });
    const reply2 = nextMessage(ch, 10_000);
    ch.send("after");
    assert.equal(await reply2, "after");

    // The old entity-tag is stale now: a trickle PATCH naming it is refused; the new one is accepted.
    const stale = await fetch(new URL(r.location!, device.url), {
      method: "PATCH", headers: { "Content-Type": "application/trickle-ice-sdpfrag", "If-Match": '"old"' }, body: "a=end-of-candidates\r\n",
    });
    assert.equal(stale.status, 412);
    const fresh = await fetch(new URL(r.location!, device.url), {
      method: "PATCH", headers: { "Content-Type": "application/trickle-ice-sdpfrag", "If-Match": etag! }, body: "a=end-of-candidates\r\n",
    });
    assert.equal(fresh.status, 204);
    await until("the device's side connected on the new generation", 15_000, () => {
      const s = [...device.whep.sessions.values()][0];
      return !!s && s.peer.connectionState === "connected" && (s.peer.getStats() as { selectedPairGeneration?: string | null }).selectedPairGeneration === newUfrag;
    });
    const reply3 = nextMessage(ch, 10_000);
    ch.send("later");
    assert.equal(await reply3, "later");
    assert.equal(viewer.connectionState, "connected");
  } finally {
    viewer.close();
    await device.close();
  }
});
