// Headless Chromium (Debian's package, driven by playwright-core) starts here and can do WebRTC on
// loopback: the interop tests (DESIGN.md §4.3) rely on both.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { launchChromium } from "../helpers/chromium.js";

test("headless chromium has RTCPeerConnection and gathers a host candidate for a data-channel offer", { timeout: 60_000 }, async (t) => {
  const session = await launchChromium();
  try {
    const { page } = session;
    t.diagnostic(`chromium ${session.version}`);
    await page.goto("about:blank");
    assert.equal(await page.evaluate(() => typeof RTCPeerConnection), "function");

    const candidates = await page.evaluate(async () => {
      const pc = new RTCPeerConnection();
      const found: string[] = [];
      try {
        pc.createDataChannel("smoke");
        const done = new Promise<void>((resolve) => {
          pc.onicecandidate = (e) => {
            if (!e.candidate) return resolve();
            found.push(e.candidate.candidate);
            if (/ typ host/.test(e.candidate.candidate)) resolve();
          };
          setTimeout(resolve, 8000);
        });
        await pc.setLocalDescription(await pc.createOffer());
        await done;
      } finally {
        pc.close();
      }
      return found;
    });
    t.diagnostic(candidates.join(" | ") || "no candidates");
    const host = candidates.filter((c) => / typ host/.test(c) && / udp /i.test(c));
    assert.ok(host.length >= 1, `no UDP host candidate among: ${candidates.join(" | ")}`);
    // mDNS obfuscation is off, so the address is a literal IP, not a .local name.
    assert.ok(host.some((c) => !/\.local /.test(c)), `host candidates are mDNS names: ${host.join(" | ")}`);
  } finally {
    await session.close();
  }
  assert.ok(!existsSync(session.userDataDir), "the profile directory is removed on close");
});
