// RFC 9260 §8.3: HEARTBEAT on an idle association (an RTT sample, and a dead peer noticed); the peer's answered.
import { RawChunk } from "./chunk";
import { HeartbeatChunk } from "./chunk_heartbeat";
import { CLOSE_TIMEOUT } from "./event";
import { randomU32 } from "./random_u32";
import { Association } from "./association";

export class Heartbeat {
  deadline: i64 = i64.MAX_VALUE;
  outstanding: bool = false;
  private nonce: u32 = 0;

  constructor(private assoc: Association) {}

  arm(): void {
    const a = this.assoc;
    const iv = a.config.heartbeatIntervalMs;
    this.deadline = iv > 0 ? a.now + <i64>iv + <i64>a.rto.rto : i64.MAX_VALUE;
  }

  onTimer(now: i64): void {
    const a = this.assoc;
    if (this.outstanding) {
      a.rtx.errorCount++;
      if (a.rtx.errorCount > a.config.maxAssocRetransmits) {
        a.termination.close(CLOSE_TIMEOUT, 0);
        return;
      }
    }
    // Only an idle association needs a heartbeat; data in flight has T3.
    if (a.rtx.empty) {
      // Our send time and a nonce: the ACK gives an RTT, and a forged one is ignored.
      const info = new Uint8Array(12);
      for (let k = 0; k < 8; k++) info[k] = <u8>(now >> (56 - 8 * k));
      this.nonce = randomU32();
      info[8] = <u8>(this.nonce >> 24);
      info[9] = <u8>(this.nonce >> 16);
      info[10] = <u8>(this.nonce >> 8);
      info[11] = <u8>this.nonce;
      a.control.push(new HeartbeatChunk(false, info));
      this.outstanding = true;
    }
    this.arm();
  }

  onRequest(raw: RawChunk): void {
    const h = HeartbeatChunk.parse(raw.value, false);
    if (h == null) {
      this.assoc.stats.malformed++;
      return;
    }
    this.assoc.control.push(new HeartbeatChunk(true, h.info.slice()));
  }

  onAck(raw: RawChunk): void {
    const a = this.assoc;
    const h = HeartbeatChunk.parse(raw.value, true);
    if (h == null || h.info.length != 12 || !this.outstanding) return;
    const i = h.info;
    const nonce = (<u32>i[8] << 24) | (<u32>i[9] << 16) | (<u32>i[10] << 8) | <u32>i[11];
    if (nonce != this.nonce) return;
    let sent: i64 = 0;
    for (let k = 0; k < 8; k++) sent = (sent << 8) | <i64>i[k];
    this.outstanding = false;
    a.rtx.errorCount = 0;
    if (sent <= a.now) a.rto.measure(a.now - sent);
  }
}
