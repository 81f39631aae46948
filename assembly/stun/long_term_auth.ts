// RFC 8489 §9.2.3-9.2.5: the client side of the long-term credential mechanism (REALM, NONCE, 401 and 438).
import { StunBuilder } from "./builder";
import { StunMessage, CLASS_ERROR } from "./message";
import { ATTR_NONCE, ATTR_REALM, ATTR_USERNAME } from "./attr_types";
import { getErrorCode, ERR_STALE_NONCE, ERR_UNAUTHENTICATED } from "./attr_error_code";
import { getText, MAX_TEXT } from "./attr_text";
import { checkMessageIntegrity, Integrity } from "./attr_integrity";
import { longTermKey } from "./credentials";

export const enum AuthAction {
  None = 0, // not an authentication error: the caller handles the response
  Retry = 1, // credentials or nonce updated: send the request again (new transaction id)
  Fail = 2, // the server refused these credentials
}

// Holds what a client learns from the server (realm, nonce) and the derived key. The first request
// goes without credentials; the 401 carrying REALM and NONCE teaches them.
export class LongTermAuth {
  realm: Uint8Array | null = null;
  nonce: Uint8Array | null = null;
  key: Uint8Array | null = null;
  // Consecutive stale-nonce retries; a server that keeps answering 438 is given up on.
  private staleRetries: i32 = 0;
  maxStaleRetries: i32 = 3;

  constructor(public username: string, public password: string) {}

  get ready(): bool {
    return this.key != null && this.nonce != null;
  }

  // Adds USERNAME, REALM, NONCE and MESSAGE-INTEGRITY when credentials are known. Call after the
  // request's other attributes; FINGERPRINT, if any, goes after.
  sign(b: StunBuilder): StunBuilder {
    if (!this.ready) return b;
    b.addString(ATTR_USERNAME, this.username);
    b.addBytes(ATTR_REALM, this.realm!);
    b.addBytes(ATTR_NONCE, this.nonce!);
    return b.addMessageIntegrity(this.key!);
  }

  // Decides what an error response to a request means for authentication.
  onErrorResponse(m: StunMessage): AuthAction {
    if (m.cls != CLASS_ERROR) return AuthAction.None;
    const code = getErrorCode(m);
    if (code != ERR_UNAUTHENTICATED && code != ERR_STALE_NONCE) return AuthAction.None;
    const realm = getText(m, ATTR_REALM, MAX_TEXT);
    const nonce = getText(m, ATTR_NONCE, MAX_TEXT);
    if (nonce == null) return AuthAction.Fail;
    if (code == ERR_UNAUTHENTICATED) {
      // A 401 after we already sent credentials for this realm means they were refused.
      if (realm == null || (this.key != null && sameBytes(realm, this.realm))) return AuthAction.Fail;
      this.realm = realm.slice();
      this.nonce = nonce.slice();
      this.key = longTermKey(this.username, this.realm!, this.password);
      this.staleRetries = 0;
      return AuthAction.Retry;
    }
    // 438: the nonce expired; take the new one (and a new realm if the server sent one).
    if (this.key == null || ++this.staleRetries > this.maxStaleRetries) return AuthAction.Fail;
    if (realm != null && !sameBytes(realm, this.realm)) {
      this.realm = realm.slice();
      this.key = longTermKey(this.username, this.realm!, this.password);
    }
    this.nonce = nonce.slice();
    return AuthAction.Retry;
  }

  // A success response must carry a valid MESSAGE-INTEGRITY under our key (RFC 8489 §9.2.5).
  verifyResponse(m: StunMessage): bool {
    if (this.key == null) return false;
    const ok = checkMessageIntegrity(m, this.key!) == Integrity.Ok;
    if (ok) this.staleRetries = 0;
    return ok;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array | null): bool {
  if (b == null || a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
  return true;
}
