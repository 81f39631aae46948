// RFC 3711 §3.3.1 and Appendix A: estimating a packet's ROC (and so its index) from its SEQ.

export const ROC_MAX: i64 = 0xFFFFFFFF;

// The guess v of Appendix A given the stream's ROC and highest sequence number s_l: ROC - 1 for a
// late packet from before the last wrap, ROC + 1 for one after a wrap not yet seen, else ROC. The
// result may be -1 or 2^32 at the ends of the ROC's range; the caller rejects those.
export function guessRoc(roc: u32, sl: u16, seq: u16): i64 {
  const r = <i64>roc;
  if (sl < 32768) {
    return <i32>seq - <i32>sl > 32768 ? r - 1 : r;
  }
  return <i32>sl - 32768 > <i32>seq ? r + 1 : r;
}

// The 48-bit SRTP packet index i = 2^16 * ROC + SEQ.
// @ts-ignore: decorator
@inline export function packetIndex(roc: u32, seq: u16): u64 {
  return (<u64>roc << 16) | <u64>seq;
}
