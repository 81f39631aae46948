/// <reference lib="dom.iterable" />
// The figures the Link card shows, from the browser's getStats(): round-trip time of the selected
// candidate pair (currentRoundTripTime), its bytes, and the data channels' message counts.

export interface LinkStats {
  rttMs: number | null;
  bytesSent: number;
  bytesReceived: number;
  messagesSent: number;
  messagesReceived: number;
  path: string | null; // "local ⇄ remote (udp)"
}

export async function readLinkStats(pc: RTCPeerConnection): Promise<LinkStats> {
  const report = await pc.getStats();
  const all = [...report.values()] as Array<Record<string, any>>;
  const transport = all.find((s) => s.type === "transport" && s.selectedCandidatePairId);
  const pair = (transport && report.get(transport.selectedCandidatePairId)) ??
    all.find((s) => s.type === "candidate-pair" && s.nominated && s.state === "succeeded");
  const out: LinkStats = { rttMs: null, bytesSent: 0, bytesReceived: 0, messagesSent: 0, messagesReceived: 0, path: null };
  if (pair) {
    if (typeof pair.currentRoundTripTime === "number") out.rttMs = pair.currentRoundTripTime * 1000;
    out.bytesSent = pair.bytesSent ?? 0;
    out.bytesReceived = pair.bytesReceived ?? 0;
    const local = report.get(pair.localCandidateId);
    const remote = report.get(pair.remoteCandidateId);
    if (local && remote) out.path = `${local.address}:${local.port} ⇄ ${remote.address}:${remote.port} (${local.protocol}, ${local.candidateType}/${remote.candidateType})`;
  }
  for (const s of all) {
    if (s.type !== "data-channel") continue;
    out.messagesSent += s.messagesSent ?? 0;
    out.messagesReceived += s.messagesReceived ?? 0;
  }
  return out;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}
