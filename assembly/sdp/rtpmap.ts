// RFC 8866 §6.6: a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
import { indexOfSpace, parseUint } from "./text";

export class RtpMap {
  payloadType: u8 = 0;
  encoding: string = "";
  clockRate: u32 = 0;
  // Audio channels; 0 when the line gives none (RFC 8866 says that means 1 for audio).
  channels: u32 = 0;

  static parse(v: string): RtpMap | null {
    const sp = indexOfSpace(v);
    if (sp < 0) return null;
    const pt = parseUint(v.substring(0, sp), 127);
    if (pt < 0) return null;
    const rest = v.substring(sp + 1);
    const s1 = rest.indexOf("/");
    if (s1 <= 0) return null;
    const m = new RtpMap();
    m.payloadType = <u8>pt;
    m.encoding = rest.substring(0, s1);
    const s2 = rest.indexOf("/", s1 + 1);
    const rate = parseUint(s2 < 0 ? rest.substring(s1 + 1) : rest.substring(s1 + 1, s2));
    if (rate < 0) return null;
    m.clockRate = <u32>rate;
    if (s2 >= 0) {
      const ch = parseUint(rest.substring(s2 + 1), 255);
      if (ch < 0) return null;
      m.channels = <u32>ch;
    }
    return m;
  }

  toString(): string {
    let s = this.payloadType.toString() + " " + this.encoding + "/" + this.clockRate.toString();
    if (this.channels > 0) s += "/" + this.channels.toString();
    return s;
  }
}
