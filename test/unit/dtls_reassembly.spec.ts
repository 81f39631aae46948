import { ByteReader } from "../../assembly/util/bytes";
import { HandshakeHeader } from "../../assembly/dtls/handshake_header";
import { FragmentBuffer, FragmentResult } from "../../assembly/dtls/fragment_buffer";
import { ReplayWindow } from "../../assembly/dtls/replay_window";
import { Flight } from "../../assembly/dtls/flight";
import { RecordLayer } from "../../assembly/dtls/record_layer";
import { RecordHeader } from "../../assembly/dtls/record_header";

function body(n: i32): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = <u8>(i * 7 + 1);
  return b;
}

function push(fb: FragmentBuffer, type: u8, seq: u16, whole: Uint8Array, off: i32, len: i32, epoch: u16 = 0): FragmentResult {
  const h = HandshakeHeader.of(type, <u32>whole.length, seq, <u32>off, <u32>len);
  return fb.push(h, whole, off, epoch);
}

describe("FragmentBuffer", () => {
  it("reassembles fragments in any order, with duplicates and overlaps", () => {
    const fb = new FragmentBuffer(4096, 4, 8192);
    const m = body(1000);
    expect(push(fb, 11, 0, m, 600, 400)).toBe(FragmentResult.Accepted);
    expect(fb.pop()).toBeNull();
    expect(push(fb, 11, 0, m, 0, 300)).toBe(FragmentResult.Accepted);
    expect(push(fb, 11, 0, m, 0, 300)).toBe(FragmentResult.Accepted);
    expect(fb.pop()).toBeNull();
    expect(push(fb, 11, 0, m, 250, 400)).toBe(FragmentResult.Accepted);
    const got = fb.pop()!;
    expect(got).not.toBeNull();
    expect(got.msgType).toBe(11);
    expect(got.body.length).toBe(1000);
    for (let i = 0; i < 1000; i++) expect(got.body[i]).toBe(m[i]);
    expect(fb.nextSeq).toBe(1);
    expect(fb.empty).toBe(true);
  });

  it("delivers in message_seq order and reports earlier ones as old", () => {
    const fb = new FragmentBuffer(4096, 4, 8192);
    const a = body(10);
    const b = body(0);
    expect(push(fb, 14, 1, b, 0, 0)).toBe(FragmentResult.Accepted);
    expect(fb.pop()).toBeNull();
    expect(push(fb, 2, 0, a, 0, 10)).toBe(FragmentResult.Accepted);
    expect(fb.pop()!.msgType).toBe(2);
    expect(fb.pop()!.msgType).toBe(14);
    expect(push(fb, 2, 0, a, 0, 10)).toBe(FragmentResult.Old);
  });

  it("rejects a message over the bound without allocating it (a 16 MB claim)", () => {
    const fb = new FragmentBuffer(4096, 4, 8192);
    const h = HandshakeHeader.of(1, 0xffffff, 0, 0, 10);
    expect(fb.push(h, body(10), 0, 0)).toBe(FragmentResult.Rejected);
    expect(fb.empty).toBe(true);
  });

  it("bounds the total buffered bytes and how far ahead it buffers", () => {
    const fb = new FragmentBuffer(4096, 4, 5000);
    const big = body(4000);
    expect(push(fb, 11, 1, big, 0, 100)).toBe(FragmentResult.Accepted);
    expect(push(fb, 12, 2, big, 0, 100)).toBe(FragmentResult.Rejected);
    expect(push(fb, 12, 9, body(5), 0, 5)).toBe(FragmentResult.Rejected);
  });

  it("rejects fragments inconsistent with the message they join", () => {
    const fb = new FragmentBuffer(4096, 4, 8192);
    const m = body(100);
    expect(push(fb, 11, 0, m, 0, 50)).toBe(FragmentResult.Accepted);
    expect(push(fb, 12, 0, m, 50, 50)).toBe(FragmentResult.Rejected);
    expect(push(fb, 11, 0, body(101), 50, 50)).toBe(FragmentResult.Rejected);
    expect(push(fb, 11, 0, m, 50, 50, 1)).toBe(FragmentResult.Rejected);
    expect(push(fb, 11, 0, m, 50, 50)).toBe(FragmentResult.Accepted);
    expect(fb.pop()!.body.length).toBe(100);
  });
});

describe("ReplayWindow", () => {
  it("accepts new sequence numbers once and refuses those left of the window", () => {
    const w = new ReplayWindow();
    expect(w.check(5)).toBe(true);
    w.accept(5);
    expect(w.check(5)).toBe(false);
    expect(w.check(3)).toBe(true);
    w.accept(3);
    expect(w.check(3)).toBe(false);
    w.accept(100);
    expect(w.check(36)).toBe(false);
    expect(w.check(37)).toBe(true);
    expect(w.check(99)).toBe(true);
    expect(w.check(100)).toBe(false);
    w.accept(0xffffffffffff);
    expect(w.check(100)).toBe(false);
  });
});

describe("Flight", () => {
  it("fragments every message to fit the MTU and reassembles to the same bytes", () => {
    const f = new Flight();
    const cert = body(900);
    f.addHandshake(0, 11, 2, cert);
    f.addHandshake(0, 16, 3, body(66));
    f.addHandshake(0, 14, 4, new Uint8Array(0));
    const rl = new RecordLayer();
    const dgrams = f.pack(rl, 200)!;
    expect(dgrams).not.toBeNull();
    expect(dgrams.length).toBeGreaterThan(4);
    const fb = new FragmentBuffer(4096, 8, 8192);
    fb.resync(2);
    for (let i = dgrams.length - 1; i >= 0; i--) {
      const d = dgrams[i];
      expect(d.length).toBeLessThanOrEqual(200);
      const r = new ByteReader(d);
      const rh = new RecordHeader();
      while (r.remaining > 0) {
        expect(rh.read(r)).toBe(true);
        const rec = r.view(<i32>rh.length);
        const rr = new ByteReader(rec);
        const hh = new HandshakeHeader();
        expect(hh.read(rr)).toBe(true);
        expect(fb.push(hh, rec, rr.pos, 0)).toBe(FragmentResult.Accepted);
      }
    }
    const a = fb.pop()!;
    expect(a.body.length).toBe(900);
    for (let i = 0; i < 900; i++) expect(a.body[i]).toBe(cert[i]);
    expect(fb.pop()!.body.length).toBe(66);
    expect(fb.pop()!.msgType).toBe(14);
  });

  it("gives every (re)transmission fresh record sequence numbers", () => {
    const f = new Flight();
    f.addHandshake(0, 1, 0, body(50));
    const rl = new RecordLayer();
    const first = f.pack(rl, 1200)!;
    const second = f.pack(rl, 1200)!;
    const h = new RecordHeader();
    h.read(new ByteReader(first[0]));
    expect(h.sequence).toBe(0);
    h.read(new ByteReader(second[0]));
    expect(h.sequence).toBe(1);
  });
});
