// RFC 8830 §2: a=msid:<stream id> [<track id>]
import { indexOfSpace, trimSpaces } from "./text";

export class Msid {
  stream: string = "";
  track: string = "";

  static parse(v: string): Msid | null {
    const s = trimSpaces(v);
    if (s.length == 0) return null;
    const m = new Msid();
    const sp = indexOfSpace(s);
    if (sp < 0) m.stream = s;
    else {
      m.stream = s.substring(0, sp);
      m.track = trimSpaces(s.substring(sp + 1));
    }
    return m;
  }

  toString(): string {
    return this.track.length > 0 ? this.stream + " " + this.track : this.stream;
  }
}
