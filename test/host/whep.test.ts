// WHEP signaling against the device: the happy path, trickle with PATCH, DELETE, and every error
// status, with werift (and host/peer.ts, when built) on the device side and werift as the client.
import { test, describe, after, afterEach, before } from "node:test";
import assert from "node:assert/strict";
import { startDevice, type Device } from "../../host/device/device.js";
import { PEER_STACKS, LOOPBACK } from "../helpers/peer-stacks.js";
import { WeriftPeer } from "../../host/werift-peer.js";
import { command, patchFragment, postOffer, waitChannel, waitConnected, waitFor, waitOpen, whepConnect } from "../helpers/whep-viewer.js";

const newClient = () => new WeriftPeer(LOOPBACK);

for (const stack of PEER_STACKS) {
  describe(`WHEP on the device (device peer: ${stack.name})`, { timeout: 120_000 }, () => {
    let device: Device;
    const clients: WeriftPeer[] = [];
    const client = () => {
      const c = newClient();
      clients.push(c);
      return c;
    };

    before(async () => {
      device = await startDevice({ peerFactory: stack.factory, port: 0, maxViewers: 2, peerConfig: LOOPBACK });
    });
    // A failed test must not hold viewer slots for the next one.
    afterEach(() => device.whep.closeAll("test over"));
    after(async () => {
      for (const c of clients) c.close();
      await device.close();
    });

    test("POST an offer: 201, Location, an SDP answer with candidates; channels work", async () => {
      const peer = client();
      const control = peer.createDataChannel("control");
      const telemetry = waitChannel(peer, "telemetry");
      telemetry.catch(() => {}); // awaited below; a test that fails earlier must not leave it unhandled
      const r = await whepConnect(device.url, peer);
      assert.equal(r.status, 201);
      assert.equal(r.contentType, "application/sdp");
      assert.match(r.location ?? "", /^\/whep\/[0-9a-f-]{36}$/);
      assert.match(r.answer, /^a=candidate:.* 127\.0\.0\.1 \d+ typ host/m, "the answer carries the device's host candidate");
      assert.match(r.answer, /^a=end-of-candidates/m);
      await waitConnected(peer);
      await waitOpen(control);
      const reply = await command(control, { cmd: "ping" });
      assert.equal(reply.ok, true);
      const channel = await telemetry;
      assert.equal(channel.maxRetransmits, 0);
      // werift writes DCEP channel type 0x01 for "unordered, maxRetransmits" (drops the 0x80 bit), so
      // only other device stacks can show the unordered flag to the client.
      if (stack.name !== "werift") assert.equal(channel.ordered, false);
      const reading = JSON.parse(String(await waitFor<string | Uint8Array>("a reading", 5000, (res) => (channel.onmessage = ({ data }) => res(data)))));
      assert.equal(typeof reading.temperatureC, "number");
      assert.equal(device.viewerCount(), 1);
      const del = await fetch(new URL(r.location!, device.url), { method: "DELETE" });
      assert.equal(del.status, 200);
      assert.equal(device.viewerCount(), 0);
    });

    test("PATCH trickles the client's candidates (RFC 8840 fragment) -> 204, then it connects", async () => {
      const peer = client();
      const control = peer.createDataChannel("control");
      const r = await postOffer(device.url, peer, { trickle: true });
      assert.equal(r.status, 201, r.answer);
      await peer.setRemoteDescription({ type: "answer", sdp: r.answer });
      await r.gathered;
      const offer = peer.localDescription!.sdp;
      const ufrag = /^a=ice-ufrag:(\S+)/m.exec(offer)![1];
      const pwd = /^a=ice-pwd:(\S+)/m.exec(offer)![1];
      assert.ok(r.candidates.length > 0);
      const fragment = [`a=ice-ufrag:${ufrag}`, `a=ice-pwd:${pwd}`, "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "a=mid:0",
        ...r.candidates.map((c) => `a=${c}`), "a=end-of-candidates", ""].join("\r\n");
      const patched = await patchFragment(device.url, r.location!, fragment);
      assert.equal(patched.status, 204, patched.text);
      await waitConnected(peer);
      await waitOpen(control);
      assert.equal((await command(control, { cmd: "status" })).ok, true);
      assert.equal((await fetch(new URL(r.location!, device.url), { method: "DELETE" })).status, 200);
    });

    test("DELETE ends the session; a second DELETE and a PATCH on it are 404", async () => {
      const peer = client();
      peer.createDataChannel("control");
      const r = await whepConnect(device.url, peer);
      assert.equal(device.viewerCount(), 1);
      // (Connected first: werift keeps retransmitting a DTLS flight for half a minute after a close
      // in mid-handshake, which would only slow the test run down.)
      await waitConnected(peer);
      const url = new URL(r.location!, device.url);
      const first = await fetch(url, { method: "DELETE" });
      assert.equal(first.status, 200);
      assert.equal(device.viewerCount(), 0);
      const again = await fetch(url, { method: "DELETE" });
      assert.equal(again.status, 404);
      assert.match(await again.text(), /no session/);
      assert.equal((await patchFragment(device.url, r.location!, "a=end-of-candidates\r\n")).status, 404);
    });

    test("errors: 400 for SDP that is not SDP, 415 for the wrong content type, 404 for unknown sessions", async () => {
      const garbage = await fetch(new URL("/whep", device.url), { method: "POST", headers: { "Content-Type": "application/sdp" }, body: "hello, device" });
      assert.equal(garbage.status, 400);
      assert.match(await garbage.text(), /^bad SDP offer: .+/);
      const json = await fetch(new URL("/whep", device.url), { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
      assert.equal(json.status, 415);
      assert.match(await json.text(), /application\/sdp/);
      const unknown = await patchFragment(device.url, "/whep/no-such-session", "a=end-of-candidates\r\n");
      assert.equal(unknown.status, 404);
      assert.equal((await fetch(new URL("/whep/no-such-session", device.url), { method: "DELETE" })).status, 404);
      const get = await fetch(new URL("/whep", device.url));
      assert.equal(get.status, 405);
      assert.equal(device.viewerCount(), 0, "failed offers hold no session");
    });

    test("errors on a live session: PATCH with the wrong type is 415, a broken fragment 400, a restart without ice-pwd 400, a stale If-Match 412", async () => {
      const peer = client();
      peer.createDataChannel("control");
      const r = await whepConnect(device.url, peer);
      await waitConnected(peer);
      const wrongType = await patchFragment(device.url, r.location!, "a=end-of-candidates\r\n", "application/sdp");
      assert.equal(wrongType.status, 415);
      const broken = await patchFragment(device.url, r.location!, "this is not sdp\r\n");
      assert.equal(broken.status, 400);
      // ICE restart is supported (test/host/ice-restart.test.ts); a half restart is a bad fragment.
      const noPwd = await patchFragment(device.url, r.location!, "a=ice-ufrag:newufrag\r\n");
      assert.equal(noPwd.status, 400);
      const stale = await fetch(new URL(r.location!, device.url), {
        method: "PATCH", headers: { "Content-Type": "application/trickle-ice-sdpfrag", "If-Match": '"not-the-etag"' }, body: "a=end-of-candidates\r\n",
      });
      assert.equal(stale.status, 412);
      assert.equal((await fetch(new URL(r.location!, device.url), { method: "DELETE" })).status, 200);
    });

    test("503 with a reason when every viewer slot is taken; a slot frees up after DELETE", async () => {
      const a = client();
      const b = client();
      const c = client();
      for (const p of [a, b, c]) p.createDataChannel("control");
      const ra = await whepConnect(device.url, a);
      const rb = await whepConnect(device.url, b);
      await waitConnected(a);
      const rc = await postOffer(device.url, c);
      assert.equal(rc.status, 503);
      assert.match(rc.answer, /too many viewers/);
      assert.equal(device.viewerCount(), 2);
      assert.equal((await fetch(new URL(ra.location!, device.url), { method: "DELETE" })).status, 200);
      const d = client();
      d.createDataChannel("control");
      const rd = await whepConnect(device.url, d);
      assert.equal(rd.status, 201);
      await Promise.all([waitConnected(b), waitConnected(d)]);
      for (const loc of [rb.location!, rd.location!]) await fetch(new URL(loc, device.url), { method: "DELETE" });
      assert.equal(device.viewerCount(), 0);
    });
  });
}
