// RFC 8866 §5.7: c=<nettype> <addrtype> <connection-address>
import { splitSpaces } from "./text";

export class Connection {
  netType: string = "IN";
  addrType: string = "IP4";
  address: string = "0.0.0.0";

  static parse(v: string): Connection | null {
    const f = splitSpaces(v, 4);
    if (f.length != 3) return null;
    const c = new Connection();
    c.netType = f[0];
    c.addrType = f[1];
    c.address = f[2];
    return c;
  }

  toString(): string {
    return this.netType + " " + this.addrType + " " + this.address;
  }
}
