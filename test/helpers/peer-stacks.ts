// The peer implementations the device tests run against: host/peer.ts (the Wasm core) and werift's
// adapter (the yardstick). Every peer stays on loopback. WASMPEER_DEVICE_STACKS=werift (or wasmpeer)
// narrows a run to one of them.
import type { PeerConfiguration, PeerConnection } from "../../host/peer-api.js";
import { createPeerFactory, type PeerFactory as WasmPeerFactory } from "../../host/peer.js";
import { createWeriftPeerFactory } from "../../host/werift-peer.js";

export type PeerFactory = (config?: PeerConfiguration) => PeerConnection;

export const LOOPBACK: PeerConfiguration = { bindAddresses: ["127.0.0.1"] };

export interface PeerStack {
  name: string;
  factory: PeerFactory;
}

// The core loads on first use, so a run narrowed to werift never touches it.
let wasm: WasmPeerFactory | null = null;
const wasmpeer: PeerFactory = (config) => (wasm ??= createPeerFactory({ provider: "pure" })).createPeerConnection({ ...LOOPBACK, ...config });

const ALL: PeerStack[] = [
  { name: "wasmpeer", factory: wasmpeer },
  { name: "werift", factory: createWeriftPeerFactory(LOOPBACK) },
];

const only = process.env.WASMPEER_DEVICE_STACKS?.split(",").map((s) => s.trim());
export const PEER_STACKS: PeerStack[] = only ? ALL.filter((s) => only.includes(s.name)) : ALL;
