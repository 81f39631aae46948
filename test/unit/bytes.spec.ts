import { ByteReader, ByteWriter } from "../../assembly/util/bytes";

describe("ByteReader", () => {
  it("reads big-endian integers", () => {
    const b = new Uint8Array(9);
    for (let i = 0; i < 9; i++) b[i] = <u8>(i + 1);
    const r = new ByteReader(b);
    expect(r.u8()).toBe(1);
    expect(r.u16()).toBe(0x0203);
    expect(r.u24()).toBe(0x040506);
    expect(r.ok).toBe(true);
    expect(r.remaining).toBe(3);
  });

  it("never reads past the end: returns 0 and clears ok", () => {
    const b = new Uint8Array(3);
    b[0] = 0xff;
    const r = new ByteReader(b);
    expect(r.u32()).toBe(0);
    expect(r.ok).toBe(false);
    expect(r.u8()).toBe(0);
    expect(r.view(1).length).toBe(0);
  });

  it("respects an end inside the buffer", () => {
    const b = new Uint8Array(8);
    const r = new ByteReader(b, 2, 4);
    expect(r.remaining).toBe(2);
    r.u16();
    expect(r.ok).toBe(true);
    r.u8();
    expect(r.ok).toBe(false);
  });
});

describe("ByteWriter", () => {
  it("writes big-endian and patches lengths", () => {
    const w = new ByteWriter(new Uint8Array(16));
    w.u16(0);
    w.u32(0xdeadbeef);
    w.u24(0x010203);
    w.patchU16(0, 7);
    const out = w.written();
    expect(out.length).toBe(9);
    expect(out[1]).toBe(7);
    expect(out[2]).toBe(0xde);
    expect(out[8]).toBe(3);
  });

  it("stops at the end of its buffer instead of growing", () => {
    const w = new ByteWriter(new Uint8Array(3));
    w.u16(1);
    w.u16(2);
    expect(w.ok).toBe(false);
    expect(w.pos).toBe(2);
  });
});
