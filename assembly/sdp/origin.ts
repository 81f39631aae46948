// RFC 8866 §5.2: o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
import { splitSpaces } from "./text";

export class Origin {
  username: string = "-";
  // Kept as text: Chromium's ids are 19 digits and only equality and increment matter.
  sessionId: string = "0";
  sessionVersion: string = "0";
  netType: string = "IN";
  addrType: string = "IP4";
  address: string = "0.0.0.0";

  static parse(v: string): Origin | null {
    const f = splitSpaces(v, 7);
    if (f.length != 6) return null;
    const o = new Origin();
    o.username = f[0];
    o.sessionId = f[1];
    o.sessionVersion = f[2];
    o.netType = f[3];
    o.addrType = f[4];
    o.address = f[5];
    return o;
  }

  toString(): string {
    return this.username + " " + this.sessionId + " " + this.sessionVersion + " " + this.netType + " " + this.addrType + " " + this.address;
  }
}
