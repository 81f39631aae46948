// RFC 4585 §4.2: a=rtcp-fb:<payload type or *> <type> [<parameter>]
import { indexOfSpace, parseUint, trimSpaces } from "./text";

export class RtcpFb {
  // -1 for "*" (every payload type of the section).
  payloadType: i32 = -1;
  type: string = "";
  // "" or e.g. "pli" for "nack pli", "fir" for "ccm fir".
  parameter: string = "";

  static parse(v: string): RtcpFb | null {
    const sp = indexOfSpace(v);
    if (sp <= 0) return null;
    const head = v.substring(0, sp);
    const fb = new RtcpFb();
    if (head != "*") {
      const pt = parseUint(head, 127);
      if (pt < 0) return null;
      fb.payloadType = <i32>pt;
    }
    const rest = trimSpaces(v.substring(sp + 1));
    if (rest.length == 0) return null;
    const sp2 = indexOfSpace(rest);
    if (sp2 < 0) fb.type = rest;
    else {
      fb.type = rest.substring(0, sp2);
      fb.parameter = trimSpaces(rest.substring(sp2 + 1));
    }
    return fb;
  }

  toString(): string {
    const pt = this.payloadType < 0 ? "*" : this.payloadType.toString();
    return this.parameter.length > 0 ? pt + " " + this.type + " " + this.parameter : pt + " " + this.type;
  }
}
