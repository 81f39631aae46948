// RFC 8285 §8: a=extmap:<id>[/<direction>] <URI> [<extension attributes>]
import { indexOfSpace, parseUint, trimSpaces } from "./text";

export class ExtMap {
  // 1-14 for one-byte headers, up to 255 with two-byte headers (RFC 8285 §4).
  id: i32 = 0;
  // "" or sendrecv/sendonly/recvonly/inactive.
  direction: string = "";
  uri: string = "";
  attributes: string = "";

  static parse(v: string): ExtMap | null {
    const sp = indexOfSpace(v);
    if (sp <= 0) return null;
    const head = v.substring(0, sp);
    const e = new ExtMap();
    const slash = head.indexOf("/");
    const id = parseUint(slash < 0 ? head : head.substring(0, slash), 255);
    if (id < 1) return null;
    e.id = <i32>id;
    if (slash >= 0) e.direction = head.substring(slash + 1);
    const rest = trimSpaces(v.substring(sp + 1));
    if (rest.length == 0) return null;
    const sp2 = indexOfSpace(rest);
    if (sp2 < 0) e.uri = rest;
    else {
      e.uri = rest.substring(0, sp2);
      e.attributes = trimSpaces(rest.substring(sp2 + 1));
    }
    return e;
  }

  toString(): string {
    let s = this.id.toString();
    if (this.direction.length > 0) s += "/" + this.direction;
    s += " " + this.uri;
    if (this.attributes.length > 0) s += " " + this.attributes;
    return s;
  }
}
