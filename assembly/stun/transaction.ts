// RFC 8489 §6.2.1: client transaction over UDP, retransmitting at RTO, 2*RTO, ... up to Rc sends, then waiting Rm*RTO.
import { StunMessage, TID_LENGTH } from "./message";

export class RetransmitConfig {
  // Initial RTO in ms (RFC 8489 recommends 500 ms) and the two limits (defaults Rc = 7, Rm = 16).
  constructor(public rto: i64 = 500, public rc: i32 = 7, public rm: i32 = 16) {}
}

export const enum TransactionState {
  Pending = 0, // requests still being sent, waiting for a response
  Answered = 1,
  TimedOut = 2,
  Cancelled = 3,
}

// One request in flight. Sans-IO: the owner calls handleTimeout(now) at nextDeadline(), takes the
// bytes to (re)send from pollTransmit(), and passes responses to onResponse().
export class ClientTransaction {
  tid: Uint8Array = new Uint8Array(TID_LENGTH);
  request: Uint8Array = new Uint8Array(0);
  state: TransactionState = TransactionState.Pending;
  // How many times the request has been handed out for sending.
  sends: i32 = 0;
  private due: bool = false;
  private dueAt: i64 = 0;
  private interval: i64 = 0;

  constructor(public config: RetransmitConfig = new RetransmitConfig()) {}

  // Starts (or restarts, e.g. after a 401 with new credentials) with a request: a copy of its
  // bytes is kept; the first send is due at once.
  start(request: Uint8Array, now: i64): void {
    this.request = request.slice();
    if (request.length >= 20) this.tid = request.slice(8, 20);
    this.state = TransactionState.Pending;
    this.sends = 0;
    this.due = true;
    this.dueAt = now;
    this.interval = this.config.rto;
  }

  get done(): bool {
    return this.state != TransactionState.Pending;
  }

  nextDeadline(): i64 {
    if (this.state != TransactionState.Pending) return i64.MAX_VALUE;
    return this.dueAt;
  }

  handleTimeout(now: i64): void {
    if (this.state != TransactionState.Pending || this.due || now < this.dueAt) return;
    if (this.sends >= this.config.rc) this.state = TransactionState.TimedOut;
    else this.due = true;
  }

  // The request bytes when a (re)transmission is due, else null.
  pollTransmit(): Uint8Array | null {
    if (this.state != TransactionState.Pending || !this.due) return null;
    this.due = false;
    this.sends++;
    if (this.sends >= this.config.rc) {
      // after the last send, wait Rm * RTO for a response
      this.dueAt += this.config.rto * <i64>this.config.rm;
    } else {
      this.dueAt += this.interval;
      this.interval *= 2;
    }
    return this.request;
  }

  // Whether m answers this transaction; if so the transaction is over.
  onResponse(m: StunMessage): bool {
    if (this.state != TransactionState.Pending || !m.tidEquals(this.tid)) return false;
    this.state = TransactionState.Answered;
    return true;
  }

  cancel(): void {
    if (this.state == TransactionState.Pending) this.state = TransactionState.Cancelled;
  }
}
