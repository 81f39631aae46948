// RFC 5888 §5 (a=group:<semantics> <identification-tag>...), BUNDLE per RFC 9143.
import { splitSpaces } from "./text";

export class Group {
  semantics: string = "";
  mids: string[] = [];

  // A group names at most as many mids as there may be sections; beyond that the line is malformed.
  static parse(v: string, maxMids: i32): Group | null {
    const f = splitSpaces(v, maxMids + 2);
    if (f.length < 1 || f.length > maxMids + 1) return null;
    const g = new Group();
    g.semantics = f[0];
    for (let i = 1; i < f.length; i++) g.mids.push(f[i]);
    return g;
  }

  get isBundle(): bool {
    return this.semantics == "BUNDLE";
  }

  has(mid: string): bool {
    for (let i = 0; i < this.mids.length; i++) if (this.mids[i] == mid) return true;
    return false;
  }

  toString(): string {
    let s = this.semantics;
    for (let i = 0; i < this.mids.length; i++) s += " " + this.mids[i];
    return s;
  }
}
