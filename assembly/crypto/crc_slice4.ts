// Table-driven reflected CRC-32, four bytes per step ("slicing-by-4"), shared by crc32 and crc32c.
// Checksums guard against accidents, not attackers, so table lookups on the data are fine.

// Fills four 256-entry tables at t: t[0][i] is the CRC of byte i, t[k][i] that of byte i
// followed by k zero bytes, so four table lookups fold one 32-bit word.
export function crcTables(t: usize, poly: u32): void {
  for (let i: u32 = 0; i < 256; i++) {
    let c = i;
    for (let b = 0; b < 8; b++) c = (c >>> 1) ^ (poly & (0 - (c & 1)));
    store<u32>(t + (<usize>i << 2), c);
  }
  for (let i: usize = 0; i < 256 * 3; i++) {
    const prev = load<u32>(t + (i << 2));
    store<u32>(t + ((i + 256) << 2), (prev >>> 8) ^ load<u32>(t + (<usize>(prev & 0xff) << 2)));
  }
}

// CRC of [p, p+len) over the tables at t; the caller applies the initial and final inversion.
export function crcUpdate(t: usize, crc: u32, p: usize, len: i32): u32 {
  const end4 = p + <usize>(len & ~3);
  const end = p + <usize>len;
  for (; p < end4; p += 4) {
    crc ^= load<u32>(p);
    crc = load<u32>(t + (<usize>(crc >>> 24) << 2))
      ^ load<u32>(t + 1024 + (<usize>((crc >>> 16) & 0xff) << 2))
      ^ load<u32>(t + 2048 + (<usize>((crc >>> 8) & 0xff) << 2))
      ^ load<u32>(t + 3072 + (<usize>(crc & 0xff) << 2));
  }
  for (; p < end; p++) crc = (crc >>> 8) ^ load<u32>(t + (<usize>((crc ^ load<u8>(p)) & 0xff) << 2));
  return crc;
}
