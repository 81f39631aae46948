// RFC 8832 §5.1: DATA_CHANNEL_OPEN (channel type, priority, reliability parameter, label, protocol).
import { ByteReader, ByteWriter } from "../util/bytes";

export const DCEP_ACK: u8 = 0x02;
export const DCEP_OPEN: u8 = 0x03;

export const CHANNEL_RELIABLE: u8 = 0x00;
export const CHANNEL_PARTIAL_RELIABLE_REXMIT: u8 = 0x01;
export const CHANNEL_PARTIAL_RELIABLE_TIMED: u8 = 0x02;
export const CHANNEL_UNORDERED_BIT: u8 = 0x80;

export class OpenMessage {
  channelType: u8 = CHANNEL_RELIABLE;
  priority: u16 = 0;
  reliability: u32 = 0; // retransmissions or lifetime in ms, by channel type
  label: string = "";
  protocol: string = "";

  get unordered(): bool {
    return (this.channelType & CHANNEL_UNORDERED_BIT) != 0;
  }

  encode(): Uint8Array {
    const label = Uint8Array.wrap(String.UTF8.encode(this.label));
    const protocol = Uint8Array.wrap(String.UTF8.encode(this.protocol));
    const out = new Uint8Array(12 + label.length + protocol.length);
    const w = new ByteWriter(out);
    w.u8(DCEP_OPEN);
    w.u8(this.channelType);
    w.u16(this.priority);
    w.u32(this.reliability);
    w.u16(label.length);
    w.u16(protocol.length);
    w.bytes(label);
    w.bytes(protocol);
    return out;
  }

  // Null when short, when the lengths lie, or the channel type is unknown.
  static parse(b: Uint8Array): OpenMessage | null {
    const r = new ByteReader(b);
    if (r.u8() != DCEP_OPEN) return null;
    const m = new OpenMessage();
    m.channelType = r.u8();
    m.priority = r.u16();
    m.reliability = r.u32();
    const ll = <i32>r.u16();
    const pl = <i32>r.u16();
    if (!r.ok || r.remaining < ll + pl) return null;
    const base = m.channelType & ~CHANNEL_UNORDERED_BIT;
    if (base > CHANNEL_PARTIAL_RELIABLE_TIMED) return null;
    const label = r.view(ll);
    const protocol = r.view(pl);
    m.label = String.UTF8.decodeUnsafe(label.dataStart, <usize>ll);
    m.protocol = String.UTF8.decodeUnsafe(protocol.dataStart, <usize>pl);
    return m;
  }
}
