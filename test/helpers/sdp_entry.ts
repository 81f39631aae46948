// Calls into the SDP test entry (build/test/entry_sdp-*.wasm): texts in, a result code and the
// entry's output text (sdp_out_len/sdp_out_copy) back. Shared by the test/core/sdp*.test.ts files.
import type { Entry } from "./entry.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

// The entry's current output text.
export function sdpOut(e: Entry): string {
  const n = e.x.sdp_out_len() as number;
  const p = e.alloc(n);
  try {
    e.x.sdp_out_copy(p);
    return dec.decode(e.get(p, n));
  } finally {
    e.free(p);
  }
}

// fn(ptr0, len0, ptr1, len1, ...) with each text as UTF-8, then the output text.
export function sdpCall(e: Entry, fn: string, ...texts: string[]): { code: number; text: string } {
  const ptrs = texts.map((t) => enc.encode(t)).map((b) => [e.put(b), b.length]);
  try {
    const code = e.x[fn](...ptrs.flat()) as number;
    return { code, text: sdpOut(e) };
  } finally {
    e.free(...ptrs.map(([p]) => p));
  }
}

// The last media negotiation's result, as the entry reports it in JSON.
export function sdpMediaResult(e: Entry): any {
  e.x.sdp_media_result();
  return JSON.parse(sdpOut(e));
}
