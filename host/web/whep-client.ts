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
    await pc.setRemoteDescription({ type: "answer", sdp: body });
    await this.flush();
  }

  private onCandidate(candidate: RTCIceCandidate | null): void {
    // null (or an empty candidate) is the end of gathering.
    this.queued.push(candidate && candidate.candidate ? `a=${candidate.candidate}` : "a=end-of-candidates");
    if (this.sessionUrl) void this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.sessionUrl || this.queued.length === 0) return;
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
