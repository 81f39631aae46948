// The far end of test/host/peer-two-process.test.ts: one host/peer.ts peer in its own Node process,
// so the two peers share no core, no event loop and no sockets — only loopback UDP between them.
// Signaling is JSON lines: the parent writes an offer and its candidates to our stdin, we write
// the answer, our candidates and what happens to stdout. Every message on any channel the parent
// opens is echoed back on it. Once that channel closes, we close our peer, say so and exit.
//
//   in:  {"type":"offer","sdp":...}  {"type":"candidate","candidate":{...}|null}  {"type":"close"}
//   out: {"type":"answer","sdp":...} {"type":"candidate","candidate":{...}|null}
//        {"type":"state","state":...} {"type":"closed"} {"type":"error","message":...}
import { createInterface } from "node:readline";
import { createPeerFactory } from "../../host/peer.js";
import type { IceCandidateInit } from "../../host/peer-api.js";

// A parent that dies without closing us must not leave this process behind.
const LIFETIME_MS = 90_000;

const out = (msg: object) => process.stdout.write(JSON.stringify(msg) + "\n");

const pc = createPeerFactory({ provider: "pure" }).createPeerConnection({ bindAddresses: ["127.0.0.1"] });

// Candidates gathered before the answer is written are held: the parent applies lines in order,
// and a candidate before the answer would have no remote description to belong to.
let answered = false;
const early: (IceCandidateInit | null)[] = [];
pc.onicecandidate = (e) => {
  if (answered) out({ type: "candidate", candidate: e.candidate });
  else early.push(e.candidate);
};
pc.onconnectionstatechange = () => out({ type: "state", state: pc.connectionState });

let exiting = false;
function finish(code: number): void {
  if (exiting) return;
  exiting = true;
  pc.close();
  out({ type: "closed" });
  // Let stdout drain and close()'s SHUTDOWN go out before the process ends.
  setTimeout(() => process.exit(code), 200).unref();
}

pc.ondatachannel = ({ channel }) => {
  channel.onmessage = (ev) => {
    try {
      channel.send(ev.data);
    } catch (e) {
      out({ type: "error", message: `echo: ${(e as Error).message}` });
    }
  };
  channel.onclose = () => finish(0);
};

// Lines are applied strictly in order: each waits for the one before (setRemoteDescription is async).
let chain = Promise.resolve();
async function apply(msg: any): Promise<void> {
  if (msg.type === "offer") {
    await pc.setRemoteDescription({ type: "offer", sdp: msg.sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    out({ type: "answer", sdp: pc.localDescription!.sdp });
    answered = true;
    for (const c of early.splice(0)) out({ type: "candidate", candidate: c });
  } else if (msg.type === "candidate") {
    await pc.addIceCandidate(msg.candidate);
  } else if (msg.type === "close") {
    finish(0);
  }
}

createInterface({ input: process.stdin }).on("line", (line) => {
  if (!line.trim()) return;
  chain = chain.then(() => apply(JSON.parse(line))).catch((e) => {
    out({ type: "error", message: String((e as Error)?.message ?? e) });
    finish(1);
  });
}).on("close", () => finish(0));

setTimeout(() => {
  out({ type: "error", message: "lifetime exceeded" });
  finish(2);
}, LIFETIME_MS).unref();
