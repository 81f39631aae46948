// Big-endian loads and stores at raw addresses, for hot loops that cannot afford a reader.

// @ts-ignore: decorator
@inline export function loadBE32(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}

// @ts-ignore: decorator
@inline export function storeBE32(p: usize, v: u32): void {
  store<u32>(p, bswap<u32>(v));
}

// @ts-ignore: decorator
@inline export function loadBE64(p: usize): u64 {
  return bswap<u64>(load<u64>(p));
}

// @ts-ignore: decorator
@inline export function storeBE64(p: usize, v: u64): void {
  store<u64>(p, bswap<u64>(v));
}

// @ts-ignore: decorator
@inline export function loadBE16(p: usize): u16 {
  return bswap<u16>(load<u16>(p));
}

// @ts-ignore: decorator
@inline export function storeBE16(p: usize, v: u16): void {
  store<u16>(p, bswap<u16>(v));
}
