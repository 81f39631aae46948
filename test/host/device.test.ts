// The simulated device's channels and lifecycle with werift clients: echo and sink, control commands,
// telemetry, eight viewers at once, viewers that vanish, and the plain HTTP routes.
import { test, describe, after, afterEach, before } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { startDevice, type Device } from "../../host/device/device.js";
import type { DataChannel } from "../../host/peer-api.js";
import { LOOPBACK, PEER_STACKS } from "../helpers/peer-stacks.js";
import { WeriftPeer } from "../../host/werift-peer.js";
import { command, nextMessage, waitChannel, waitConnected, waitFor, waitOpen, whepConnect } from "../helpers/whep-viewer.js";

async function until(what: string, ms: number, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const stack of PEER_STACKS) {
  describe(`the simulated device (device peer: ${stack.name})`, { timeout: 180_000 }, () => {
    let device: Device;
    const clients: WeriftPeer[] = [];

    // A connected viewer with the channels it asked for, open.
    async function viewer(labels: string[] = ["control"]) {
      const peer = new WeriftPeer(LOOPBACK);
      clients.push(peer);
      const channels = labels.map((l) => peer.createDataChannel(l));
      const telemetry = waitChannel(peer, "telemetry");
      telemetry.catch(() => {}); // awaited below; a test that fails earlier must not leave it unhandled
      const r = await whepConnect(device.url, peer);
      await waitConnected(peer);
      await Promise.all(channels.map((c) => waitOpen(c)));
      return { peer, channels, telemetry, location: r.location! };
    }

    before(async () => {
      device = await startDevice({ peerFactory: stack.factory, port: 0, maxViewers: 8, peerConfig: LOOPBACK, disconnectedGraceMs: 2000 });
    });
    afterEach(() => device.whep.closeAll("test over"));
    after(async () => {
      for (const c of clients) c.close();
      await device.close();
    });

    test("echo returns text and binary messages as sent, up to max-message-size", async () => {
      const { channels: [echo] } = await viewer(["echo"]);
      assert.equal(await roundTrip(echo, "hello device"), "hello device");
      for (const size of [1, 1200, 65536, 262144]) {
        const data = new Uint8Array(randomBytes(size));
        const back = await roundTrip(echo, data, 15_000);
        assert.ok(back instanceof Uint8Array, `binary of ${size} bytes comes back binary`);
        assert.equal(Buffer.compare(Buffer.from(back), Buffer.from(data)), 0, `${size} bytes come back intact`);
      }
    });

    test("two echo channels on one connection stay apart", async () => {
      const { channels: [a, b] } = await viewer(["echo", "echo"]);
      const [ra, rb] = await Promise.all([roundTrip(a, "from a"), roundTrip(b, "from b")]);
      assert.deepEqual([ra, rb], ["from a", "from b"]);
    });

    test("sink counts the bytes it receives and answers END with DONE <bytes>", async () => {
      const { channels: [sink] } = await viewer(["sink"]);
      let sent = 0;
      for (let i = 0; i < 40; i++) {
        const chunk = new Uint8Array(randomBytes(16384));
        sink.send(chunk);
        sent += chunk.byteLength;
      }
      sink.send("some text, counted in UTF-8 bytes: ü");
      sent += Buffer.byteLength("some text, counted in UTF-8 bytes: ü");
      assert.equal(await roundTrip(sink, "END", 20_000), `DONE ${sent}`);
      assert.equal(await roundTrip(sink, "END"), "DONE 0", "the count starts over after DONE");
    });

    test("control: commands change the device, replies carry the command's id, bad input gets an error", async () => {
      const { channels: [control] } = await viewer(["control"]);
      assert.deepEqual((await command(control, { cmd: "led", on: true })).result, { led: true });
      assert.deepEqual((await command(control, { cmd: "led" })).result, { led: false });
      assert.deepEqual((await command(control, { cmd: "fan", speed: 3 })).result, { fan: 3 });
      const badSpeed = await command(control, { cmd: "fan", speed: 9 });
      assert.equal(badSpeed.ok, false);
      assert.match(String(badSpeed.error), /speed/);
      const unknown = await command(control, { cmd: "self-destruct" });
      assert.equal(unknown.ok, false);
      assert.match(String(unknown.error), /unknown command/);
      control.send("{not json");
      const garbled = JSON.parse(String(await nextMessage(control)));
      assert.deepEqual([garbled.id, garbled.ok], [null, false]);
      const status = await command(control, { cmd: "status" });
      assert.equal((status.result as { fan: number }).fan, 3);
      const reboot = await command(control, { cmd: "reboot" });
      assert.deepEqual(reboot.result, { rebooting: true, backInMs: 3000 });
      const busy = await command(control, { cmd: "led", on: true });
      assert.equal(busy.ok, false, "a rebooting device refuses to move hardware");
      assert.equal(((await command(control, { cmd: "status" })).result as { state: string }).state, "booting");
    });

    test("telemetry: JSON readings at about 10 Hz on an unreliable channel", async () => {
      const { telemetry } = await viewer(["control"]);
      const channel = await telemetry;
      assert.equal(channel.maxRetransmits, 0);
      const readings: Array<Record<string, unknown>> = [];
      channel.onmessage = ({ data }) => readings.push(JSON.parse(String(data)));
      await new Promise((r) => setTimeout(r, 1500));
      assert.ok(readings.length >= 10 && readings.length <= 20, `${readings.length} readings in 1.5 s`);
      for (const key of ["seq", "t", "temperatureC", "humidityPct", "pressureHpa", "led", "fan", "uptimeS", "state"]) {
        assert.ok(key in readings[0], `a reading has ${key}`);
      }
      assert.ok((readings.at(-1)!.seq as number) > (readings[0].seq as number));
    });

    test("eight viewers at once all get telemetry and answers; a ninth gets 503", async () => {
      const viewers = await Promise.all(Array.from({ length: 8 }, () => viewer(["control"])));
      assert.equal(device.viewerCount(), 8);
      const telemetry = await Promise.all(viewers.map((v) => v.telemetry));
      await Promise.all(telemetry.map((ch) => nextMessage(ch, 5000)));
      const replies = await Promise.all(viewers.map((v) => command(v.channels[0], { cmd: "ping" })));
      assert.ok(replies.every((r) => r.ok === true));
      const ninth = await fetch(new URL("/whep", device.url), { method: "POST", headers: { "Content-Type": "application/sdp" }, body: "v=0\r\n" });
      assert.equal(ninth.status, 503);
      for (const v of viewers) v.peer.close();
    });

    test("a viewer that vanishes without DELETE is cleaned up", async () => {
      const v = await viewer(["control"]);
      assert.equal(device.viewerCount(), 1);
      v.peer.close();
      await until("the session to be removed", 15_000, () => device.viewerCount() === 0);
    });

    test("HTTP: the viewer page, /status, /config.json, and 404 elsewhere", async () => {
      const page = await fetch(device.url);
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-type") ?? "", /text\/html/);
      assert.match(await page.text(), /viewer\.js/);
      const js = await fetch(new URL("/viewer.js", device.url));
      assert.equal(js.status, 200);
      assert.match(js.headers.get("content-type") ?? "", /javascript/);
      const status = await (await fetch(new URL("/status", device.url))).json();
      assert.equal(status.maxViewers, 8);
      assert.equal(typeof status.viewers, "number");
      const config = await (await fetch(new URL("/config.json", device.url))).json();
      assert.equal(config.whep, "/whep");
      assert.equal((await fetch(new URL("/nothing-here", device.url))).status, 404);
    });
  });
}

function roundTrip(channel: DataChannel, data: string | Uint8Array, ms = 5000): Promise<string | Uint8Array> {
  const reply = waitFor<string | Uint8Array>(`a reply on ${channel.label}`, ms, (resolve) => {
    channel.onmessage = ({ data: d }) => resolve(d);
  });
  channel.send(data);
  return reply;
}
