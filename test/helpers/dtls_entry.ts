// Reads the DTLS test entry's (build/test/entry_dtls-*.wasm) events for one connection handle.
// Shared by the test/core/dtls*.test.ts endpoints.
import type { Entry } from "./entry.js";

export const DTLS_EVENT = { Connected: 1, PeerFingerprint: 2, KeyingMaterial: 3, ApplicationData: 4, Alert: 5, Closed: 6, Failed: 7 } as const;

export interface DtlsEvent { kind: number; data: Uint8Array; profile: number; suite: number; alert: number; reason: string }

// Every event connection `h` has queued, oldest first.
export function pollDtlsEvents(e: Entry, h: number): DtlsEvent[] {
  const x = e.x;
  const events: DtlsEvent[] = [];
  for (let kind; (kind = x.conn_poll_event(h) as number);) {
    const p = e.alloc(Math.max(1, x.event_len(), x.event_reason_len()));
    x.event_data(p);
    const data = e.get(p, x.event_len());
    x.event_reason(p);
    const reason = Buffer.from(e.get(p, x.event_reason_len())).toString();
    e.free(p);
    events.push({ kind, data, profile: x.event_profile(), suite: x.event_suite(), alert: x.event_alert(), reason });
  }
  return events;
}
