import { ChannelData, channelDataSize, encodeChannelData, looksLikeChannelData } from "../../assembly/turn/channel_data";
import { StreamFramer } from "../../assembly/turn/stream_framing";
import { refreshDelay } from "../../assembly/turn/config";

describe("ChannelData (RFC 8656 §12.4, §12.5)", () => {
  it("encodes a 4-byte header, padded to 4 only over streams", () => {
    const d = new Uint8Array(5);
    d[0] = 1;
    const udp = encodeChannelData(0x4001, d, 0, 5, false)!;
    const tcp = encodeChannelData(0x4001, d, 0, 5, true)!;
    expect(udp.length).toBe(9);
    expect(tcp.length).toBe(12);
    expect(channelDataSize(8, true)).toBe(12);
    expect(udp[0]).toBe(0x40);
    expect(udp[1]).toBe(0x01);
    expect(udp[3]).toBe(5);
    expect(encodeChannelData(0x3fff, d, 0, 5, false)).toBeNull();
    expect(encodeChannelData(0x5000, d, 0, 5, false)).toBeNull();
  });

  it("parses with or without padding, refuses short or over-padded messages", () => {
    const m = encodeChannelData(0x4abc, new Uint8Array(3), 0, 3, true)!;
    const cd = new ChannelData();
    expect(cd.parse(m)).toBe(true);
    expect(cd.channel).toBe(<u16>0x4abc);
    expect(cd.data.length).toBe(3);
    expect(cd.parse(m, 0, 6)).toBe(false);
    const long = new Uint8Array(16);
    long.set(m, 0);
    expect(cd.parse(long)).toBe(false);
    expect(looksLikeChannelData(m)).toBe(true);
    m[0] = 0x50;
    expect(looksLikeChannelData(m)).toBe(false);
  });
});

describe("StreamFramer", () => {
  it("frames a ChannelData message fed one byte at a time", () => {
    const f = new StreamFramer(64);
    const m = encodeChannelData(0x4000, new Uint8Array(2), 0, 2, true)!;
    for (let i = 0; i < m.length; i++) {
      expect(f.next()).toBeNull();
      const one = m.subarray(i, i + 1);
      expect(f.push(one)).toBe(1);
    }
    const out = f.next()!;
    expect(out.length).toBe(6);
    expect(f.buffered).toBe(0);
  });
});

describe("refresh timing", () => {
  it("refreshes a minute early, or a fifth early when short", () => {
    expect(refreshDelay(300000)).toBe(240000);
    expect(refreshDelay(600000)).toBe(540000);
    expect(refreshDelay(10000)).toBe(8000);
  });
});
