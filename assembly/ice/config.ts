// RFC 8445 §14 (Ta pacing, RTO), RFC 7675 §5.1 (consent freshness timers): the agent's tunables and memory bounds.
import { RetransmitConfig } from "../stun/transaction";

export class IceConfig {
  // Memory bounds: past them new items are dropped and counted (see IceAgent.stats).
  maxLocalCandidates: i32 = 8;
  maxRemoteCandidates: i32 = 32;
  maxPairs: i32 = 64;
  maxPendingMdns: i32 = 8;
  maxTransmits: i32 = 64;
  maxEvents: i32 = 64;
  maxTriggered: i32 = 32;
  // Pacing of new checks, ms (RFC 8445 §14.2 default 50).
  ta: i64 = 50;
  // Connectivity-check retransmission: sends at 0, .5, 1.5, 3.5, 7.5 s, failed at 11.5 s.
  checkRetransmit: RetransmitConfig = new RetransmitConfig(500, 5, 8);
  // The controlling agent nominates the best valid pair once no better pair is pending, or
  // this long after the first valid pair at the latest.
  nominationDelay: i64 = 1000;
  // Consent freshness (RFC 7675): a check every interval (randomised 0.8-1.2x), disconnected
  // when no response for disconnectedAfter, consent lost (failed) after consentTimeout.
  consentInterval: i64 = 5000;
  consentRetransmit: RetransmitConfig = new RetransmitConfig(500, 3, 4);
  disconnectedAfter: i64 = 10000;
  consentTimeout: i64 = 30000;
  // Without end-of-candidates, how long all pairs may sit failed before the agent gives up.
  checkingTimeout: i64 = 30000;
  // Controlling side only: every check carries USE-CANDIDATE (RFC 5245's aggressive nomination,
  // as some browsers still do); the first pair to succeed is selected, a better one later wins.
  aggressiveNomination: bool = false;
  // 0: random (RFC 8445 §16.1 tie-breaker).
  tieBreaker: u64 = 0;
}
