// RFC 8422 §5.1.2: ec_point_formats extension; only "uncompressed" is used.
import { ByteReader, ByteWriter } from "../util/bytes";
import { POINT_FORMAT_UNCOMPRESSED } from "./protocol";

// True when the list is well formed and contains uncompressed.
export function parseEcPointFormats(body: Uint8Array): bool {
  const r = new ByteReader(body);
  const n = <i32>r.u8();
  if (!r.ok || n < 1 || r.remaining != n) return false;
  let found = false;
  for (let i = 0; i < n; i++) if (r.u8() == POINT_FORMAT_UNCOMPRESSED) found = true;
  return found;
}

export function writeEcPointFormats(w: ByteWriter): void {
  w.u8(1);
  w.u8(POINT_FORMAT_UNCOMPRESSED);
}
