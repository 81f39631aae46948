// Reads a TURN client's events and relayed data out of the TURN test entry
// (build/test/entry_turn-*.wasm); shared by the simulated and the coturn tests.
import type { Entry } from "./entry.js";
import { decodeAddrKey } from "../../host/net.js";

export interface RelayedData {
  peer: string;
  text: string;
  channel: boolean; // came as ChannelData (else a Data indication)
}

const dec = new TextDecoder();

export function pollTurnClient(e: Entry, h: number, events: string[], data: RelayedData[]): void {
  const buf = e.alloc(4096), addr = e.alloc(20);
  for (let n; (n = e.x.turn_poll_event(h, buf, 4096) as number) >= 0;) events.push(dec.decode(e.get(buf, n)));
  for (let n; (n = e.x.turn_poll_data(h, addr, buf, 4096) as number) >= 0;) {
    const a = e.get(addr, 20);
    data.push({ peer: decodeAddrKey(a), text: dec.decode(e.get(buf, n)), channel: a[19] == 1 });
  }
  e.free(buf, addr);
}
