// SDP against headless Chromium (/usr/bin/chromium via playwright-core): Chromium's own offers
// parse, and Chromium's setRemoteDescription accepts our answers and offers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, type ChromiumSession } from "../helpers/chromium.js";
import { loadEntry } from "../helpers/entry.js";
import { sdpCall as call } from "../helpers/sdp_entry.js";

const FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
const CFG = `ufrag=devU\npwd=devicePassword0123456789\nfingerprint=${FP}\nmaxmsg=262144\nsessionid=42\n` +
  "candidate=candidate:1 1 udp 2130706431 127.0.0.1 9 typ host\neoc=1";

test("Chromium interop", async (t) => {
  let chromium: ChromiumSession | undefined;
  try {
    chromium = await launchChromium();
    const page = chromium.page;
    const e = loadEntry("entry_sdp", "pure");

    // Chromium offers with the given transceivers, then our answer set back on the same connection.
    const cases: string[][] = [["data"], ["video", "audio", "data"], ["data", "video"]];
    for (const kinds of cases) {
      await t.test(`Chromium offer (${kinds.join("+")}) -> our answer -> setRemoteDescription`, async () => {
        const offerSdp: string = await page.evaluate(async (kinds) => {
          const pc = new RTCPeerConnection();
          (globalThis as any).pc?.close();
          (globalThis as any).pc = pc;
          for (const k of kinds) {
            if (k === "data") pc.createDataChannel("chat");
            else pc.addTransceiver(k, { direction: "sendrecv" });
          }
          await pc.setLocalDescription(await pc.createOffer());
          await new Promise<void>((r) => {
            if (pc.iceGatheringState === "complete") return r();
            pc.onicegatheringstatechange = () => pc.iceGatheringState === "complete" && r();
            setTimeout(r, 3000);
          });
          return pc.localDescription!.sdp;
        }, kinds);
        assert.equal(call(e, "sdp_parse", offerSdp).code, 0, "Chromium's offer parses");
        const a = call(e, "sdp_answer", offerSdp, CFG);
        assert.equal(a.code, 0, a.text);
        const result = await page.evaluate(async (sdp) => {
          const pc = (globalThis as any).pc as RTCPeerConnection;
          try {
            await pc.setRemoteDescription({ type: "answer", sdp });
            return { ok: true, state: pc.signalingState, stopped: pc.getTransceivers().map((x) => x.currentDirection) };
          } catch (err) {
            return { ok: false, error: String(err) };
          }
        }, a.text);
        assert.equal(result.ok, true, `${(result as any).error}\n--- answer ---\n${a.text}`);
        assert.equal((result as any).state, "stable");
        for (const d of (result as any).stopped) assert.ok(d === "stopped" || d === "inactive" || d === null, String(d));
      });
    }

    await t.test("our offer -> Chromium answer -> applyAnswer", async () => {
      const o = call(e, "sdp_offer", CFG);
      assert.equal(o.code, 0, o.text);
      const ans: { ok: boolean; sdp?: string; error?: string } = await page.evaluate(async (sdp) => {
        try {
          const pc = new RTCPeerConnection();
          await pc.setRemoteDescription({ type: "offer", sdp });
          await pc.setLocalDescription(await pc.createAnswer());
          const out = pc.localDescription!.sdp;
          pc.close();
          return { ok: true, sdp: out };
        } catch (err) {
          return { ok: false, error: String(err) };
        }
      }, o.text);
      assert.equal(ans.ok, true, `${ans.error}\n--- offer ---\n${o.text}`);
      const r = call(e, "sdp_apply_answer", ans.sdp!);
      assert.equal(r.code, 0, r.text);
    });
  } finally {
    await chromium?.close();
  }
});
