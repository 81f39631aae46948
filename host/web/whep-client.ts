// The browser side of WHEP signaling: POST the offer, apply the answer, trickle our candidates with
// PATCH (RFC 8840 fragments) once the session has a URL, DELETE it when leaving.

export class WhepError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class WhepClient {
  sessionUrl: string | null = null;
  private queued: string[] = [];
  private ufrag = "";
  private pwd = "";
  private mid = "0";
  private answer = "";
  private restarting = false;

  constructor(private readonly endpoint: string) {}

  // Sends the peer's offer and applies the answer. Candidates found meanwhile are queued for PATCH.
  async connect(pc: RTCPeerConnection): Promise<void> {
    pc.addEventListener("icecandidate", (e) => this.onCandidate(e.candidate));
    await pc.setLocalDescription(await pc.createOffer());
    const offer = pc.localDescription!.sdp;
    this.ufrag = /^a=ice-ufrag:(.*)$/m.exec(offer)?.[1].trim() ?? "";
    this.pwd = /^a=ice-pwd:(.*)$/m.exec(offer)?.[1].trim() ?? "";
    // The fragment names the data section, which need not be the first one once audio/video are offered.
    const dataSection = offer.split(/^(?=m=)/m).find((m) => m.startsWith("m=application")) ?? offer;
    this.mid = /^a=mid:(.*)$/m.exec(dataSection)?.[1].trim() ?? "0";
    const res = await fetch(this.endpoint, { method: "POST", headers: { "Content-Type": "application/sdp" }, body: offer });
    const body = await res.text();
    if (res.status !== 201) throw new WhepError(res.status, `${res.status} ${res.statusText}: ${body.trim()}`);
    const location = res.headers.get("Location");
    if (!location) throw new WhepError(res.status, "the answer came without a Location header");
    this.sessionUrl = new URL(location, new URL(this.endpoint, window.location.href)).href;
    this.answer = body;
    await pc.setRemoteDescription({ type: "answer", sdp: body });
    await this.flush();
  }

  // ICE restart over WHEP (RFC 9725 §4.3.2): our new credentials and candidates in a PATCH with
  // If-Match: *; the 200's fragment has the device's new ones, applied as the answer to our restart
  // offer, everything else as negotiated.
  async restartIce(pc: RTCPeerConnection): Promise<void> {
    if (!this.sessionUrl || this.restarting) return;
    this.restarting = true;
    try {
      pc.restartIce();
      await pc.setLocalDescription(await pc.createOffer());
      const offer = pc.localDescription!.sdp;
      this.ufrag = /^a=ice-ufrag:(.*)$/m.exec(offer)?.[1].trim() ?? "";
      this.pwd = /^a=ice-pwd:(.*)$/m.exec(offer)?.[1].trim() ?? "";
      const candidates = offer.split(/\r?\n/).filter((l) => l.startsWith("a=candidate:"));
      this.queued = this.queued.filter((l) => !candidates.includes(l));
      const fragment = [`a=ice-ufrag:${this.ufrag}`, `a=ice-pwd:${this.pwd}`, "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", `a=mid:${this.mid}`, ...candidates, ""].join("\r\n");
      const res = await fetch(this.sessionUrl, { method: "PATCH", headers: { "Content-Type": "application/trickle-ice-sdpfrag", "If-Match": "*" }, body: fragment });
      const body = await res.text();
      if (res.status !== 200) throw new WhepError(res.status, `ICE restart refused: ${res.status} ${body.trim()}`);
      const lines = body.split(/\r?\n/);
      const ufrag = lines.find((l) => l.startsWith("a=ice-ufrag:"));
      const pwd = lines.find((l) => l.startsWith("a=ice-pwd:"));
      if (!ufrag || !pwd) throw new WhepError(res.status, "the ICE restart answer has no a=ice-ufrag/a=ice-pwd");
      const theirs = lines.filter((l) => l.startsWith("a=candidate:") || l === "a=end-of-candidates");
      const kept = this.answer.split(/\r?\n/).filter((l) => l.length > 0 && !l.startsWith("a=candidate:") && l !== "a=end-of-candidates");
      const at = kept.findIndex((l) => l.startsWith("a=ice-pwd:"));
      const answer = kept.map((l) => (l.startsWith("a=ice-ufrag:") ? ufrag : l.startsWith("a=ice-pwd:") ? pwd : l));
      answer.splice(at + 1, 0, ...theirs);
      this.answer = answer.join("\r\n") + "\r\n";
      await pc.setRemoteDescription({ type: "answer", sdp: this.answer });
    } finally {
      this.restarting = false;
    }
    await this.flush();
  }

  private onCandidate(candidate: RTCIceCandidate | null): void {
    // null (or an empty candidate) is the end of gathering.
    this.queued.push(candidate && candidate.candidate ? `a=${candidate.candidate}` : "a=end-of-candidates");
    if (this.sessionUrl) void this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.sessionUrl || this.restarting || this.queued.length === 0) return;
    const lines = this.queued.splice(0);
    const fragment = [`a=ice-ufrag:${this.ufrag}`, `a=ice-pwd:${this.pwd}`, "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", `a=mid:${this.mid}`, ...lines, ""].join("\r\n");
    try {
      await fetch(this.sessionUrl, { method: "PATCH", headers: { "Content-Type": "application/trickle-ice-sdpfrag" }, body: fragment });
    } catch {
      // Trickling is an optimisation: the device's own candidates are in the answer already.
    }
  }

  // Ends the session on the device. keepalive lets it go out while the page unloads.
  close(): void {
    if (!this.sessionUrl) return;
    const url = this.sessionUrl;
    this.sessionUrl = null;
    fetch(url, { method: "DELETE", keepalive: true }).catch(() => {});
  }
}
