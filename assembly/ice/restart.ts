// RFC 8445 §9 and RFC 8839 §4.4.1.1.1: ICE restart — new credentials start a new checklist while the selected pair keeps working under the old ones.
import { StunMessage } from "../stun/message";
import { ATTR_USERNAME } from "../stun/attr_types";
import { checkMessageIntegrity, Integrity } from "../stun/attr_integrity";
import { IceState } from "./event";
import { IceAgent } from "./agent";

// Which credentials an incoming request was made with.
export const enum Generation {
  None = 0, // neither: unauthenticated
  Current = 1, // the credentials checks run under now
  Previous = 2, // those of the pair still selected during a restart
  // The peer's new generation with our previous credentials: libwebrtc, restarting, pairs its new
  // candidates with ours and checks them under our old ufrag/pwd until our answer reaches it, and
  // keeps using them on a pair it nominated that way. Current for everything but the key.
  Bridged = 3,
}

// Usable as an ice-ufrag / ice-pwd (RFC 8839 §5.4: 4-256 / 22-256 ice-chars): anything non-empty
// without ':' is accepted, since some stacks use short test values, but ':' would make the
// USERNAME "theirs:ours" ambiguous and an unbounded string would break the memory bounds.
export function usableUfrag(s: string): bool {
  return s.length > 0 && s.length <= 256 && s.indexOf(":") < 0;
}

export function usablePassword(s: string): bool {
  return s.length > 0 && s.length <= 256;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
  return true;
}

// Does USERNAME (bytes) have `s` (ASCII/UTF-8) at `at`, followed by ':' when `colon`, or by the end?
function usernamePartIs(user: Uint8Array, at: i32, s: string, colon: bool): bool {
  const b = String.UTF8.encode(s);
  const n = b.byteLength;
  if (colon) {
    if (user.length <= at + n || user[at + n] != 58) return false;
  } else if (user.length != at + n) return false;
  const p = changetype<usize>(b);
  for (let i = 0; i < n; i++) if (user[at + i] != load<u8>(p + i)) return false;
  return true;
}

export class IceRestart {
  // While a restart is pending the selected pair still belongs to the previous generation: these
  // are its credentials, for its consent checks and for answering the peer's checks on it (the
  // peer may switch later than we do). Only one previous generation is ever kept: a second
  // restart before the switch replaces the new checklist, not the old pair.
  pending: bool = false;
  oldLocalUfrag: string = "";
  oldLocalKey: Uint8Array = new Uint8Array(0);
  oldRemoteUfrag: string = "";
  oldRemoteKey: Uint8Array = new Uint8Array(0);
  // A restart has two halves, our new credentials and the peer's (RFC 8839: both change). The
  // half that started it is done; the other is expected next and completes the same restart
  // rather than starting another one. Cleared when a pair of the generation is selected.
  awaitingLocal: bool = false;
  awaitingRemote: bool = false;
  count: u32 = 0; // restarts begun
  // Our credentials before our last change of them, accepted from the peer's current generation
  // (Generation.Bridged) until the next restart replaces them.
  bridgeLocalUfrag: string = "";
  bridgeLocalKey: Uint8Array = new Uint8Array(0);

  constructor(private agent: IceAgent) {}

  // Our new ufrag/pwd (RFC 8445 §9: a locally initiated restart, or our answer to the peer's).
  local(ufrag: string, password: string, key: Uint8Array, now: i64): bool {
    const a = this.agent;
    if (!usableUfrag(ufrag) || !usablePassword(password)) return false;
    if (ufrag == a.localUfrag && bytesEqual(key, a.localKey)) return true; // nothing changed
    const previousUfrag = a.localUfrag, previousKey = a.localKey;
    // The second half of a restart the peer began: checks of this generation keep going.
    const answering = this.awaitingLocal;
    if (answering) this.awaitingLocal = false;
    else this.begin(now); // (before the bridge moves: it may be the selected pair's ufrag)
    this.bridgeLocalUfrag = previousUfrag;
    this.bridgeLocalKey = previousKey;
    a.localUfrag = ufrag;
    a.localKey = key;
    if (!answering) {
      a.remoteUfrag = "";
      a.remoteKey = null; // no checks until the peer's new credentials arrive
      this.awaitingRemote = true;
    }
    return true;
  }

  // The peer's ufrag/pwd from signaling; new ones on an established session mean it restarted.
  remote(ufrag: string, password: string, key: Uint8Array, now: i64): bool {
    const a = this.agent;
    if (!usableUfrag(ufrag) || !usablePassword(password)) return false;
    const cur = a.remoteKey;
    if (cur == null) {
      // The first credentials, or the second half of a restart we began.
      this.awaitingRemote = false;
    } else {
      if (ufrag == a.remoteUfrag && bytesEqual(key, cur)) return true; // the same description again
      this.begin(now);
      this.awaitingLocal = true;
    }
    a.remoteUfrag = ufrag;
    a.remoteKey = key;
    a.maybeStartChecking(now);
    return true;
  }

  // Drops the checklist and every remote candidate; keeps the local candidates, which pair with
  // the peer's candidates of the new generation as they trickle in (RFC 8445 §9).
  private begin(now: i64): void {
    const a = this.agent;
    // Only a pair with consent is worth keeping: data goes on over it until the switch.
    const keep = a.selected != null && (a.state == IceState.Connected || a.state == IceState.Disconnected || a.state == IceState.Completed);
    if (keep && !this.pending) {
      this.oldLocalUfrag = this.selectedLocalUfrag;
      this.oldLocalKey = this.selectedBridged ? this.bridgeLocalKey : a.localKey;
      this.pending = true;
      this.oldRemoteUfrag = a.remoteUfrag;
      this.oldRemoteKey = a.remoteKey!;
    } else if (!keep) {
      this.release();
      a.selected = null;
      a.consent.stop();
    }
    this.count++;
    this.awaitingLocal = false;
    this.awaitingRemote = false;
    a.checklist.reset();
    a.nomination.reset();
    a.resetGeneration();
    // Without a working pair the agent is looking for one again; with one it stays as it is.
    if (!keep && a.state != IceState.New && a.state != IceState.Checking) a.setState(IceState.Checking);
  }

  // A pair of the current generation was selected: the restart is over.
  onSelected(): void {
    this.awaitingLocal = false;
    this.awaitingRemote = false;
    this.release();
  }

  // Consent on the old pair was lost before the new checks found a path: stop using it (RFC
  // 7675 §5.1), but the restart goes on.
  abandonSelected(): void {
    const a = this.agent;
    this.release();
    a.selected = null;
    a.setState(IceState.Checking);
  }

  private release(): void {
    this.pending = false;
    this.oldLocalUfrag = "";
    this.oldLocalKey = new Uint8Array(0);
    this.oldRemoteUfrag = "";
    this.oldRemoteKey = new Uint8Array(0);
  }

  // The key that signs our checks on the selected pair and proves the responses to them.
  get selectedRemoteKey(): Uint8Array | null {
    return this.pending ? this.oldRemoteKey : this.agent.remoteKey;
  }

  get selectedLocalUfrag(): string {
    if (this.pending) return this.oldLocalUfrag;
    return this.selectedBridged ? this.bridgeLocalUfrag : this.agent.localUfrag;
  }

  // Our ufrag of the generation the selected pair belongs to (a bridged pair belongs to the
  // current one even though its checks name the previous ufrag).
  get selectedGeneration(): string {
    return this.pending ? this.oldLocalUfrag : this.agent.localUfrag;
  }

  private get selectedBridged(): bool {
    const s = this.agent.selected;
    return s != null && s.bridged;
  }

  get selectedRemoteUfrag(): string {
    return this.pending ? this.oldRemoteUfrag : this.agent.remoteUfrag;
  }

  // Which generation's credentials an incoming request carries (USERNAME "ours:theirs", signed
  // with our password). While a restart is pending both are accepted; the peer's half tells them
  // apart where our half does not (our ufrag unchanged yet, or our previous one bridged).
  classify(m: StunMessage): Generation {
    const a = this.agent;
    const user = m.value(ATTR_USERNAME);
    if (user == null) return Generation.None;
    let gen = Generation.None;
    if (this.pending && usernamePartIs(user, 0, this.oldLocalUfrag, true)) {
      const n = String.UTF8.byteLength(this.oldLocalUfrag) + 1;
      const theirOld = this.oldRemoteUfrag != a.remoteUfrag && usernamePartIs(user, n, this.oldRemoteUfrag, false);
      if (theirOld || (this.oldLocalUfrag != a.localUfrag && !this.isBridged(user))) gen = Generation.Previous;
    }
    if (gen == Generation.None && this.isBridged(user)) gen = Generation.Bridged;
    if (gen == Generation.None && usernamePartIs(user, 0, a.localUfrag, true)) gen = Generation.Current;
    if (gen == Generation.None) return gen;
    return checkMessageIntegrity(m, this.keyFor(gen)) == Integrity.Ok ? gen : Generation.None;
  }

  // The password a request of this generation is checked and answered with.
  keyFor(gen: Generation): Uint8Array {
    if (gen == Generation.Previous) return this.oldLocalKey;
    if (gen == Generation.Bridged) return this.bridgeLocalKey;
    return this.agent.localKey;
  }

  // USERNAME "our previous ufrag : their current ufrag", when our ufrag has changed since.
  private isBridged(user: Uint8Array): bool {
    const a = this.agent;
    const ours = this.bridgeLocalUfrag;
    if (ours.length == 0 || ours == a.localUfrag || a.remoteUfrag.length == 0) return false;
    return usernamePartIs(user, 0, ours, true) && usernamePartIs(user, String.UTF8.byteLength(ours) + 1, a.remoteUfrag, false);
  }
}
