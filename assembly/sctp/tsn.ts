// RFC 9260 §1.6: serial number arithmetic (RFC 1982) for 32-bit TSNs and 16-bit SSNs.

// @ts-ignore: decorator
@inline export function tsnLt(a: u32, b: u32): bool {
  return <i32>(a - b) < 0;
}
// @ts-ignore: decorator
@inline export function tsnLte(a: u32, b: u32): bool {
  return <i32>(a - b) <= 0;
}
// @ts-ignore: decorator
@inline export function tsnGt(a: u32, b: u32): bool {
  return <i32>(a - b) > 0;
}
// @ts-ignore: decorator
@inline export function tsnGte(a: u32, b: u32): bool {
  return <i32>(a - b) >= 0;
}
// @ts-ignore: decorator
@inline export function ssnLt(a: u16, b: u16): bool {
  return <i16>(a - b) < 0;
}
// @ts-ignore: decorator
@inline export function ssnGte(a: u16, b: u16): bool {
  return <i16>(a - b) >= 0;
}
