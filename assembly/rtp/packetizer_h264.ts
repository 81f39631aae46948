// RFC 6184 §5.6-§5.8 (packetization-mode 1): single NAL unit, STAP-A and FU-A packets.
import { ByteWriter } from "../util/bytes";
import { Packetizer, PacketizerOutput, partsFor, partSize } from "./packetizer";
import { NalUnits, nalType, NAL_FU_A, NAL_IDR, NAL_PPS, NAL_SPS, NAL_STAP_A } from "./h264_annexb";

// Parameter sets are a few dozen bytes; a larger one is not cached (it would still be sent as
// it came, in its own access unit).
const MAX_PARAM_SET: i32 = 256;

export class H264Packetizer extends Packetizer {
  private nals: NalUnits;
  // The last SPS and PPS seen, repeated ahead of each IDR that lacks them, so a receiver that
  // joins late or lost them can decode from any keyframe.
  private sps: Uint8Array = new Uint8Array(0);
  private pps: Uint8Array = new Uint8Array(0);
  // The NAL units to send for the current access unit (views).
  private sendList: Uint8Array[] = [];
  paramSetsInserted: u32 = 0;

  constructor(maxPayload: i32, maxNals: i32 = 64) {
    super(maxPayload);
    this.nals = new NalUnits(maxNals);
  }

  // Annex B access unit in, packets out; the last packet carries the marker (§5.1).
  packetize(au: Uint8Array, out: PacketizerOutput): bool {
    out.clear();
    this.lastWasKeyframe = false;
    if (this.maxPayload < 3) return false;
    const n = this.nals.split(au);
    if (n == 0 || this.nals.truncated) return false;
    const list = this.sendList;
    list.length = 0;
    let haveSps = false, havePps = false;
    for (let i = 0; i < n; i++) {
      const nal = au.subarray(this.nals.offset(i), this.nals.offset(i) + this.nals.length(i));
      const t = nalType(nal[0]);
      if (t == NAL_SPS) {
        haveSps = true;
        if (nal.length <= MAX_PARAM_SET) this.sps = nal.slice(0);
      } else if (t == NAL_PPS) {
        havePps = true;
        if (nal.length <= MAX_PARAM_SET) this.pps = nal.slice(0);
      } else if (t == NAL_IDR && !this.lastWasKeyframe) {
        this.lastWasKeyframe = true;
        if (!haveSps && this.sps.length > 0) {
          list.push(this.sps);
          this.paramSetsInserted++;
        }
        if (!havePps && this.pps.length > 0) {
          list.push(this.pps);
          this.paramSetsInserted++;
        }
      }
      list.push(nal);
    }
    let i = 0;
    while (i < list.length) {
      // Aggregate a run of small NAL units (SPS, PPS, SEI, AUD, small slices) into one STAP-A when
      // two or more fit, as libwebrtc does: fewer packets, and the parameter sets and the SEI
      // that precede a keyframe cannot be lost separately. (Chromium was seen to drop a first
      // keyframe for good when a lone SEI packet ahead of it was lost, even after its retransmission.)
      let j = i;
      let size = 1;
      while (j < list.length && size + 2 + list[j].length <= this.maxPayload) {
        size += 2 + list[j].length;
        j++;
      }
      if (j - i >= 2) {
        if (!this.stapA(list, i, j, size, j == list.length, out)) return fail(out);
        i = j;
        continue;
      }
      const nal = list[i];
      const last = i == list.length - 1;
      if (nal.length <= this.maxPayload) {
        if (!out.push(nal.slice(0), last)) return fail(out);
      } else if (!this.fuA(nal, last, out)) {
        return fail(out);
      }
      i++;
    }
    return true;
  }

  // §5.7.1: STAP-A header (F = OR of the F bits, NRI = max of the NRIs, type 24), then
  // 16-bit size + NAL unit for each.
  private stapA(list: Uint8Array[], from: i32, to: i32, size: i32, last: bool, out: PacketizerOutput): bool {
    let f: u8 = 0, nri: u8 = 0;
    for (let k = from; k < to; k++) {
      f |= list[k][0] & 0x80;
      if ((list[k][0] & 0x60) > nri) nri = list[k][0] & 0x60;
    }
    const p = new Uint8Array(size);
    const w = new ByteWriter(p);
    w.u8(f | nri | NAL_STAP_A);
    for (let k = from; k < to; k++) {
      w.u16(list[k].length);
      w.bytes(list[k]);
    }
    return out.push(p, last);
  }

  // §5.8: FU indicator (F, NRI, type 28) + FU header (S, E, R=0, original type); the original
  // NAL header octet itself is not sent, the receiver rebuilds it from these two.
  private fuA(nal: Uint8Array, last: bool, out: PacketizerOutput): bool {
    const body = nal.length - 1;
    const parts = partsFor(body, this.maxPayload - 2);
    const ind: u8 = (nal[0] & 0xe0) | NAL_FU_A;
    const t = nalType(nal[0]);
    let off = 1;
    for (let k = 0; k < parts; k++) {
      const n = partSize(body, parts, k);
      const p = new Uint8Array(2 + n);
      p[0] = ind;
      p[1] = (k == 0 ? 0x80 : 0) | (k == parts - 1 ? 0x40 : 0) | t;
      memory.copy(p.dataStart + 2, nal.dataStart + <usize>off, <usize>n);
      off += n;
      if (!out.push(p, last && k == parts - 1)) return false;
    }
    return true;
  }
}

function fail(out: PacketizerOutput): bool {
  out.clear();
  return false;
}
