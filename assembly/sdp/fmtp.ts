// RFC 8866 §6.15: a=fmtp:<format> <format specific parameters>
import { indexOfSpace, parseUint, trimSpaces } from "./text";

export class Fmtp {
  // The payload type, or -1 when the format is not a number (application formats).
  payloadType: i32 = -1;
  format: string = "";
  // Kept as written; parameters are usually `key=value;key=value` (RFC 7587, RFC 6184).
  parameters: string = "";

  static parse(v: string): Fmtp | null {
    const sp = indexOfSpace(v);
    if (sp <= 0) return null;
    const f = new Fmtp();
    f.format = v.substring(0, sp);
    f.payloadType = <i32>parseUint(f.format, 127);
    f.parameters = trimSpaces(v.substring(sp + 1));
    return f;
  }

  // The value of `key=value` in the parameters, or null when absent. Keys compare exactly.
  get(key: string): string | null {
    const p = this.parameters;
    let start = 0;
    while (start <= p.length) {
      let end = p.indexOf(";", start);
      if (end < 0) end = p.length;
      const item = trimSpaces(p.substring(start, end));
      const eq = item.indexOf("=");
      if (eq > 0 && item.substring(0, eq) == key) return item.substring(eq + 1);
      if (eq < 0 && item == key) return "";
      start = end + 1;
    }
    return null;
  }

  toString(): string {
    return this.format + " " + this.parameters;
  }
}
