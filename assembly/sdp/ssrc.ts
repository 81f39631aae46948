// RFC 5576 §4.1-4.2: a=ssrc:<ssrc-id> <attribute>[:<value>] and a=ssrc-group:<semantics> <ssrc-id>...
import { indexOfSpace, parseUint, splitSpaces, trimSpaces } from "./text";

export class SsrcAttribute {
  ssrc: u32 = 0;
  // e.g. "cname", "msid".
  attribute: string = "";
  value: string = "";

  static parse(v: string): SsrcAttribute | null {
    const sp = indexOfSpace(v);
    if (sp <= 0) return null;
    const id = parseUint(v.substring(0, sp));
    if (id < 0) return null;
    const s = new SsrcAttribute();
    s.ssrc = <u32>id;
    const rest = trimSpaces(v.substring(sp + 1));
    const colon = rest.indexOf(":");
    if (colon < 0) s.attribute = rest;
    else {
      s.attribute = rest.substring(0, colon);
      s.value = rest.substring(colon + 1);
    }
    return s.attribute.length > 0 ? s : null;
  }

  toString(): string {
    return this.value.length > 0 ? this.ssrc.toString() + " " + this.attribute + ":" + this.value : this.ssrc.toString() + " " + this.attribute;
  }
}

export class SsrcGroup {
  // "FID" (RTX, RFC 4588), "FEC-FR", "SIM".
  semantics: string = "";
  ssrcs: u32[] = [];

  static parse(v: string): SsrcGroup | null {
    const f = splitSpaces(v, 17);
    if (f.length < 2 || f.length > 16) return null;
    const g = new SsrcGroup();
    g.semantics = f[0];
    for (let i = 1; i < f.length; i++) {
      const id = parseUint(f[i]);
      if (id < 0) return null;
      g.ssrcs.push(<u32>id);
    }
    return g;
  }

  toString(): string {
    let s = this.semantics;
    for (let i = 0; i < this.ssrcs.length; i++) s += " " + this.ssrcs[i].toString();
    return s;
  }
}
