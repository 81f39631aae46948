// RFC 3550 §6.4: what every RTCP packet type can do when building a compound packet (§6.1).
import { ByteWriter } from "../util/bytes";

export abstract class RtcpPacket {
  // Total bytes on the wire, header included; always a multiple of 4.
  abstract size(): i32;
  abstract write(w: ByteWriter): void;
}
