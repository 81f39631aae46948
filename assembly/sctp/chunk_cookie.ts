// RFC 9260 §3.3.11-3.3.12: COOKIE-ECHO (the cookie, opaque to its sender) and COOKIE-ACK.
import { Chunk, BytesChunk, CHUNK_COOKIE_ECHO, CHUNK_COOKIE_ACK } from "./chunk";

export function cookieEcho(cookie: Uint8Array): Chunk {
  return new BytesChunk(CHUNK_COOKIE_ECHO, 0, cookie);
}

export function cookieAck(): Chunk {
  return new BytesChunk(CHUNK_COOKIE_ACK, 0, new Uint8Array(0));
}
