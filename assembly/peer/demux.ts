// RFC 7983 §7 (updated by RFC 9443): which protocol a datagram on the shared 5-tuple carries, by its first byte.

export const enum PacketClass {
  Unknown = 0,
  Stun = 1, // 0-3
  Dtls = 2, // 20-63
  Rtp = 3, // 128-191 (RTP and RTCP; media is not wired yet, so these are counted and dropped)
  TurnChannel = 4, // 64-79: TURN ChannelData; the host's TURN client unwraps these before the peer
}

export function classify(data: Uint8Array): PacketClass {
  if (data.length == 0) return PacketClass.Unknown;
  const b = <i32>data[0];
  if (b <= 3) return PacketClass.Stun;
  if (b >= 20 && b <= 63) return PacketClass.Dtls;
  if (b >= 64 && b <= 79) return PacketClass.TurnChannel;
  if (b >= 128 && b <= 191) return PacketClass.Rtp;
  return PacketClass.Unknown;
}
