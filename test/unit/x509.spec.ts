import { DerReader, derWellFormed, derElement, derUnsigned, bytesOf, TAG_SEQUENCE, TAG_INTEGER } from "../../assembly/crypto/asn1_der";

describe("DerReader", () => {
  it("reads nested elements and their bounds", () => {
    // SEQUENCE { INTEGER 5, OCTET STRING 'ab' }
    const der = bytesOf([0x30, 0x07, 0x02, 0x01, 0x05, 0x04, 0x02, 0x61, 0x62]);
    const outer = new DerReader(der);
    const seq = outer.enter(TAG_SEQUENCE)!;
    expect(outer.atEnd()).toBe(true);
    expect(seq.expect(TAG_INTEGER)).toBe(true);
    expect(seq.value()[0]).toBe(5);
    expect(seq.peekTag()).toBe(0x04);
    expect(seq.next()).toBe(true);
    expect(seq.element().length).toBe(4);
    expect(seq.atEnd()).toBe(true);
    expect(derWellFormed(der, 0, der.length)).toBe(true);
  });

  it("refuses lengths that lie, indefinite and non-minimal lengths", () => {
    expect(new DerReader(bytesOf([0x04, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00])).next()).toBe(false);
    expect(new DerReader(bytesOf([0x04, 0x03, 0x00, 0x00])).next()).toBe(false);
    expect(new DerReader(bytesOf([0x30, 0x80, 0x00, 0x00])).next()).toBe(false);
    expect(new DerReader(bytesOf([0x04, 0x81, 0x01, 0x00])).next()).toBe(false);
    expect(new DerReader(bytesOf([0x04, 0x82, 0x00, 0x01, 0x00])).next()).toBe(false);
    // An inner element that runs past its parent.
    const crossing = bytesOf([0x30, 0x03, 0x04, 0x03, 0x00, 0x00, 0x00]);
    expect(derWellFormed(crossing, 0, crossing.length)).toBe(false);
  });

  it("stays failed after an error", () => {
    const r = new DerReader(bytesOf([0x05, 0x00, 0x05, 0x00]));
    expect(r.expect(TAG_INTEGER)).toBe(false);
    expect(r.next()).toBe(false);
    expect(r.peekTag()).toBe(-1);
    expect(r.atEnd()).toBe(false);
  });
});

describe("DER writer", () => {
  it("writes long-form lengths that the reader accepts", () => {
    const big = derElement(0x04, [new Uint8Array(300)]);
    expect(big.length).toBe(304);
    expect(big[1]).toBe(0x82);
    const r = new DerReader(big);
    expect(r.next()).toBe(true);
    expect(r.value().length).toBe(300);
    expect(r.atEnd()).toBe(true);
  });

  it("writes minimal positive integers", () => {
    const a = derUnsigned(bytesOf([0x00, 0x00, 0x80]));
    expect(a.length).toBe(4); // 02 02 00 80
    expect(a[2]).toBe(0);
    expect(a[3]).toBe(0x80);
    const z = derUnsigned(bytesOf([0x00, 0x00]));
    expect(z.length).toBe(3); // 02 01 00
  });
});
