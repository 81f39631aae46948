// RFC 8445 §8.1: nomination — regular by the controlling agent (and aggressive), and the selected pair.
import { CandidatePair, PairState } from "./candidate_pair";
import { IceEvent, IceEventKind, IceState } from "./event";
import { IceAgent } from "./agent";

const NEVER: i64 = i64.MAX_VALUE;

export class Nomination {
  firstValidAt: i64 = -1; // when the first pair became valid; nominationDelay counts from it

  constructor(private agent: IceAgent) {}

  private inFlight(): bool {
    const pairs = this.agent.pairs;
    for (let i = 0; i < pairs.length; i++) if (pairs[i].nominating) return true;
    return false;
  }

  // The controlling agent nominates the best valid pair when nothing better is pending, or after
  // nominationDelay; by a check with USE-CANDIDATE on that pair.
  nominate(now: i64): void {
    const a = this.agent;
    if (!a.controlling || a.config.aggressiveNomination) return;
    if (a.hasCurrentSelection || this.firstValidAt < 0 || this.inFlight()) return;
    let best: CandidatePair | null = null;
    let betterPending = false;
    for (let i = 0; i < a.pairs.length; i++) {
      const p = a.pairs[i];
      if (p.valid) {
        best = p;
        break;
      }
      if (p.state != PairState.Failed) betterPending = true;
    }
    if (best == null) return;
    if (betterPending && now < this.firstValidAt + a.config.nominationDelay) return;
    best.nominating = true;
    best.state = PairState.Waiting;
    a.checklist.trigger(best);
  }

  // A restart starts nomination over.
  reset(): void {
    this.firstValidAt = -1;
  }

  nominated(p: CandidatePair, now: i64): void {
    const a = this.agent;
    p.nominated = true;
    p.nominateOnSuccess = false;
    const cur = a.selected;
    // During a restart the first pair nominated under the new credentials replaces the old one,
    // whatever their priorities: the old generation is being let go. Otherwise (aggressive
    // nomination may nominate several pairs) keep the best one.
    if (!a.restarter.pending && cur != null && cur.priority >= p.priority) return;
    a.restarter.onSelected();
    a.selected = p;
    const ev = new IceEvent(IceEventKind.SelectedPairChanged);
    ev.pair = p;
    a.emit(ev);
    a.consent.start(now);
    if (a.state != IceState.Connected) a.setState(IceState.Connected);
  }

  // When the nominationDelay runs out, while it is still ahead.
  nextDeadline(): i64 {
    const a = this.agent;
    const nominateAt = this.firstValidAt + a.config.nominationDelay;
    if (a.controlling && !a.hasCurrentSelection && this.firstValidAt >= 0 && nominateAt > a.lastNow && !this.inFlight()) {
      return nominateAt;
    }
    return NEVER;
  }
}
