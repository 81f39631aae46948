// RFC 8445 §5.3 and RFC 8839 §5.4: random ICE username fragment (>= 24 bits) and password (>= 128 bits).
import { randomBytes } from "../crypto/random";

const ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// n ice-chars, 6 random bits each (64 symbols, so no modulo bias).
export function randomIceString(n: i32): string {
  const b = randomBytes(n);
  let s = "";
  for (let i = 0; i < n; i++) s += ICE_CHARS.charAt(<i32>(b[i] & 63));
  return s;
}

// 8 chars = 48 bits of ufrag; 24 chars = 144 bits of password.
export function newUfrag(): string {
  return randomIceString(8);
}

export function newPassword(): string {
  return randomIceString(24);
}
