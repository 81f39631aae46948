// RFC 7675: consent freshness on the selected pair — a Binding request about every consentInterval, consent lost after consentTimeout without an answer.
import { StunMessage } from "../stun/message";
import { newTransactionId } from "../stun/builder";
import { ClientTransaction } from "../stun/transaction";
import { IceState } from "./event";
import { IceAgent } from "./agent";

const NEVER: i64 = i64.MAX_VALUE;

export class ConsentFreshness {
  tx: ClientTransaction | null = null;
  lastConsentAt: i64 = 0; // the last authenticated success on the selected pair
  private nextConsentAt: i64 = NEVER;
  private rng: u32; // nonzero

  constructor(private agent: IceAgent, seed: u32) {
    this.rng = seed;
  }

  // A pair was selected: it has consent now.
  start(now: i64): void {
    // a check in flight on the previous pair (or under old credentials) no longer counts
    this.tx = null;
    this.lastConsentAt = now;
    this.nextConsentAt = now + this.delay();
  }

  stop(): void {
    this.tx = null;
    this.nextConsentAt = NEVER;
  }

  isResponse(m: StunMessage): bool {
    const tx = this.tx;
    return tx != null && !tx.done && m.tidEquals(tx.tid);
  }

  private delay(): i64 {
    // xorshift32; 0.8-1.2 x interval so checks from many agents do not synchronise (§5.1)
    let x = this.rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    this.rng = x;
    const iv = this.agent.config.consentInterval;
    return (iv * 8) / 10 + <i64>(x % <u32>((iv * 4) / 10 + 1));
  }

  run(now: i64): void {
    const a = this.agent;
    const p = a.selected;
    if (p == null || a.restarter.selectedRemoteKey == null) return;
    if (now - this.lastConsentAt >= a.config.consentTimeout) {
      // consent lost: stop sending on the pair (RFC 7675 §5.1); a pending restart may still find another
      this.stop();
      if (a.restarter.pending) a.restarter.abandonSelected();
      else a.setState(IceState.Failed);
      return;
    }
    if (a.state == IceState.Connected && now - this.lastConsentAt >= a.config.disconnectedAfter) a.setState(IceState.Disconnected);
    const tx = this.tx;
    if (tx != null && !tx.done) {
      tx.handleTimeout(now);
      const bytes = tx.pollTransmit();
      if (bytes != null) a.send(p.local.base, p.remote.address, bytes);
    }
    if (now >= this.nextConsentAt) {
      this.nextConsentAt = now + this.delay();
      // during a restart the selected pair is the old one: its checks use the old credentials
      const req = a.checklist.buildCheck(newTransactionId(), p.local, false, true);
      if (req == null) return;
      const t = new ClientTransaction(a.config.consentRetransmit);
      t.start(req, now);
      this.tx = t;
      const bytes = t.pollTransmit();
      if (bytes != null) a.send(p.local.base, p.remote.address, bytes);
    }
  }

  // Only while a pair is selected.
  nextDeadline(): i64 {
    const a = this.agent;
    let d = this.nextConsentAt;
    const tx = this.tx;
    if (tx != null && !tx.done) d = min(d, tx.nextDeadline());
    if (a.state == IceState.Connected) d = min(d, this.lastConsentAt + a.config.disconnectedAfter);
    return min(d, this.lastConsentAt + a.config.consentTimeout);
  }
}
