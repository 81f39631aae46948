// RFC 8866 §5.13: a=<attribute-name>[:<attribute-value>]; kept raw when this layer has no use for it.

export class Attribute {
  constructor(public name: string, public value: string, public hasValue: bool) {}

  static parse(v: string): Attribute {
    const colon = v.indexOf(":");
    if (colon < 0) return new Attribute(v, "", false);
    return new Attribute(v.substring(0, colon), v.substring(colon + 1), true);
  }

  toString(): string {
    return this.hasValue ? this.name + ":" + this.value : this.name;
  }
}
