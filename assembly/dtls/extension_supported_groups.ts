// RFC 8422 §5.1.1: supported_groups (formerly elliptic_curves) extension.
import { ByteReader, ByteWriter } from "../util/bytes";

export function parseSupportedGroups(body: Uint8Array): Array<u16> | null {
  const r = new ByteReader(body);
  const n = <i32>r.u16();
  if (!r.ok || n < 2 || (n & 1) != 0 || r.remaining != n) return null;
  const out = new Array<u16>();
  for (let i = 0; i < n; i += 2) out.push(r.u16());
  return out;
}

export function writeSupportedGroups(w: ByteWriter, groups: Array<u16>): void {
  w.u16(groups.length * 2);
  for (let i = 0; i < groups.length; i++) w.u16(groups[i]);
}
