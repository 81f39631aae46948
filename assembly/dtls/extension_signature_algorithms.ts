// RFC 5246 §7.4.1.4.1: signature_algorithms extension (SignatureAndHashAlgorithm list).
import { ByteReader, ByteWriter } from "../util/bytes";

export function parseSignatureAlgorithms(body: Uint8Array): Array<u16> | null {
  const r = new ByteReader(body);
  const n = <i32>r.u16();
  if (!r.ok || n < 2 || (n & 1) != 0 || r.remaining != n) return null;
  const out = new Array<u16>();
  for (let i = 0; i < n; i += 2) out.push(r.u16());
  return out;
}

export function writeSignatureAlgorithms(w: ByteWriter, algs: Array<u16>): void {
  w.u16(algs.length * 2);
  for (let i = 0; i < algs.length; i++) w.u16(algs[i]);
}
