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

  // Was "rejects fragments inconsistent with the message they join": keeping the first partial
  // message let one forged plaintext fragment, sent ahead of the real one, hold its message_seq until
  // the handshake timed out. The newer fragment now takes the place of a contradicted partial plaintext
  // message (fragment_buffer.ts), so the peer's retransmission always completes it.
  it("replaces a partial message with a newer fragment that contradicts it", () => {
    const fb = new FragmentBuffer(4096, 4, 8192);
    const m = body(100);
    const forged = new Uint8Array(100).fill(0xee);
    // Another type, another length, other bytes where they overlap: each takes the place of what was held.
    expect(push(fb, 12, 0, forged, 0, 50)).toBe(FragmentResult.Accepted);
    expect(push(fb, 11, 0, m, 0, 50)).toBe(FragmentResult.Replaced);
    expect(push(fb, 11, 0, body(101), 50, 50)).toBe(FragmentResult.Replaced);
    expect(push(fb, 11, 0, forged, 40, 20)).toBe(FragmentResult.Replaced);
    expect(push(fb, 11, 0, m, 0, 50)).toBe(FragmentResult.Replaced);
    expect(fb.pop()).toBeNull();
    // Bytes equal to those held join them, wherever they overlap.
    expect(push(fb, 11, 0, m, 30, 70)).toBe(FragmentResult.Accepted);
    const got = fb.pop()!;
    expect(got.body.length).toBe(100);
    for (let i = 0; i < 100; i++) expect(got.body[i]).toBe(m[i]);
  });

  it("never gives up an authenticated (epoch 1) message for a plaintext fragment", () => {
    const fb = new FragmentBuffer(4096, 4, 8192);
    const m = body(12);
    expect(push(fb, 20, 0, body(40), 0, 10)).toBe(FragmentResult.Accepted);
    expect(push(fb, 20, 0, m, 0, 6, 1)).toBe(FragmentResult.Replaced);
    expect(push(fb, 20, 0, body(40), 0, 10)).toBe(FragmentResult.Rejected);
    expect(push(fb, 20, 0, m, 6, 6, 1)).toBe(FragmentResult.Accepted);
    const got = fb.pop()!;
    expect(got.epoch).toBe(1);
    expect(got.body.length).toBe(12);
  });

  it("gives up messages further ahead, farthest first, to make room for a nearer one", () => {
    const fb = new FragmentBuffer(4096, 8, 8192);
    expect(push(fb, 11, 3, body(4000), 0, 10)).toBe(FragmentResult.Accepted);
    expect(push(fb, 11, 2, body(4000), 0, 10)).toBe(FragmentResult.Accepted);
    // Full: seq 0 needs room, and seq 3 (the farthest) makes it; seq 4 finds nothing further to give up.
    expect(push(fb, 2, 0, body(100), 0, 100)).toBe(FragmentResult.Accepted);
    expect(push(fb, 11, 4, body(4000), 0, 10)).toBe(FragmentResult.Rejected);
    expect(push(fb, 11, 1, body(4000), 0, 10)).toBe(FragmentResult.Accepted);
    expect(fb.pop()!.messageSeq).toBe(0);
    // Seq 2 was given up for seq 1 (3 went first): what is left is seq 1, partial.
    expect(push(fb, 11, 2, body(4000), 0, 4000)).toBe(FragmentResult.Accepted);
    expect(fb.pop()).toBeNull();
  });

  it("resync drops messages no longer in [seq, seq + maxAhead)", () => {
    const fb = new FragmentBuffer(4096, 4, 8192);
    expect(push(fb, 2, 0, body(50), 0, 10)).toBe(FragmentResult.Accepted);
    expect(push(fb, 11, 2, body(50), 0, 50)).toBe(FragmentResult.Accepted);
    fb.resync(1);
    expect(fb.nextSeq).toBe(1);
    // The partial message at 0 is gone; 2 stays and follows 1.
    expect(push(fb, 2, 1, body(20), 0, 20)).toBe(FragmentResult.Accepted);
    expect(fb.pop()!.messageSeq).toBe(1);
    expect(fb.pop()!.messageSeq).toBe(2);
    expect(fb.empty).toBe(true);
  });

  it("tells the highest record that brought bytes of a message", () => {
    const fb = new FragmentBuffer(4096, 4, 8192);
    const m = body(100);
    expect(fb.push(HandshakeHeader.of(11, 100, 0, 50, 50), m, 50, 0, 9)).toBe(FragmentResult.Accepted);
    // A repeat that brings nothing new (here a record numbered far ahead) does not count.
    expect(fb.push(HandshakeHeader.of(11, 100, 0, 50, 10), m, 50, 0, <u64>1 << 40)).toBe(FragmentResult.Accepted);
    expect(fb.push(HandshakeHeader.of(11, 100, 0, 0, 50), m, 0, 0, 7)).toBe(FragmentResult.Accepted);
    expect(fb.pop()!.recordSeq).toBe(9);
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

  it("seen() drops only exact repeats of recorded numbers (the epoch-0 rule)", () => {
    const w = new ReplayWindow();
    expect(w.seen(0)).toBe(false);
    const far: u64 = <u64>1 << 40;
    w.accept(far);
    expect(w.seen(far)).toBe(true);
    // Far left of the window: check() refuses it, seen() does not, so a record numbered far ahead
    // cannot make the peer's real ones look old.
    expect(w.check(5)).toBe(false);
    expect(w.seen(5)).toBe(false);
    w.accept(far - 3);
    expect(w.seen(far - 3)).toBe(true);
    expect(w.seen(far - 2)).toBe(false);
    expect(w.seen(far + 1)).toBe(false);
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
