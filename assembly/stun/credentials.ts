// RFC 8489 §9.1.1 (short-term key: the password) and §9.2.2 (long-term key: MD5(username ":" realm ":" password)).
// The OpaqueString/SASLprep profile (RFC 8265) is not applied: callers pass prepared strings; for
// ASCII, the usual case, the profile changes nothing.
import { md5 } from "../crypto/md5";

export function shortTermKey(password: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(password));
}

// The long-term key from the username and password and the REALM value as received (bytes).
export function longTermKey(username: string, realm: Uint8Array, password: string): Uint8Array {
  const u = Uint8Array.wrap(String.UTF8.encode(username));
  const p = Uint8Array.wrap(String.UTF8.encode(password));
  const all = new Uint8Array(u.length + 1 + realm.length + 1 + p.length);
  all.set(u, 0);
  all[u.length] = 58; // ':'
  all.set(realm, u.length + 1);
  all[u.length + 1 + realm.length] = 58;
  all.set(p, u.length + 2 + realm.length);
  return md5(all);
}
