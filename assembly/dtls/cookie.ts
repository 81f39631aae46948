// RFC 6347 §4.2.1: stateless cookie = HMAC(secret, client parameters).
import { HashAlg } from "../crypto/hash";
import { hmac } from "../crypto/hmac";
import { ctEqual } from "../util/ct";

export const COOKIE_LEN: i32 = 32;

export function makeCookie(secret: Uint8Array, clientParams: Uint8Array): Uint8Array {
  return hmac(HashAlg.SHA256, secret, clientParams);
}

export function cookieValid(secret: Uint8Array, clientParams: Uint8Array, cookie: Uint8Array): bool {
  if (cookie.length != COOKIE_LEN) return false;
  return ctEqual(makeCookie(secret, clientParams), 0, cookie, 0, COOKIE_LEN);
}
