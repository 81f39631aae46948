// RFC 8489 §14.1 / RFC 8445 §5.1.1: a transport address (IP family, address, port), as a small value type.

// STUN's wire values for the address family.
export const FAMILY_IPV4: u8 = 0x01;
export const FAMILY_IPV6: u8 = 0x02;

// The address is kept as 16 bytes in two big-endian u64 halves, so equality and copies never
// allocate. An IPv4 address occupies the first 4 of the 16 bytes; the rest stay zero.
export class TransportAddress {
  family: u8 = 0;
  hi: u64 = 0;
  lo: u64 = 0;
  port: u16 = 0;

  static v4(ip: u32, port: u16): TransportAddress {
    const a = new TransportAddress();
    a.family = FAMILY_IPV4;
    a.hi = <u64>ip << 32;
    a.port = port;
    return a;
  }

  static v6(hi: u64, lo: u64, port: u16): TransportAddress {
    const a = new TransportAddress();
    a.family = FAMILY_IPV6;
    a.hi = hi;
    a.lo = lo;
    a.port = port;
    return a;
  }

  // From 4 (IPv4) or 16 (IPv6) bytes at buf[off]; null when the family is unknown or buf is short.
  static fromBytes(family: u8, buf: Uint8Array, off: i32, port: u16): TransportAddress | null {
    const n = addressLength(family);
    if (n == 0 || off < 0 || off > buf.length - n) return null;
    const a = new TransportAddress();
    a.family = family;
    a.port = port;
    const p = buf.dataStart + <usize>off;
    if (n == 4) a.hi = <u64>bswap<u32>(load<u32>(p)) << 32;
    else {
      a.hi = bswap<u64>(load<u64>(p));
      a.lo = bswap<u64>(load<u64>(p + 8));
    }
    return a;
  }

  get isIPv4(): bool {
    return this.family == FAMILY_IPV4;
  }

  get isIPv6(): bool {
    return this.family == FAMILY_IPV6;
  }

  get ipv4(): u32 {
    return <u32>(this.hi >> 32);
  }

  get isValid(): bool {
    return this.family == FAMILY_IPV4 || this.family == FAMILY_IPV6;
  }

  // Byte i (0..15) of the address.
  byteAt(i: i32): u8 {
    if (i < 0 || i > 15) return 0;
    const half = i < 8 ? this.hi : this.lo;
    return <u8>(half >> (<u64>(7 - (i & 7)) << 3));
  }

  // Writes the 4 or 16 address bytes at buf[off]; returns how many, 0 when they do not fit.
  writeBytes(buf: Uint8Array, off: i32): i32 {
    const n = addressLength(this.family);
    if (n == 0 || off < 0 || off > buf.length - n) return 0;
    const p = buf.dataStart + <usize>off;
    if (n == 4) store<u32>(p, bswap<u32>(this.ipv4));
    else {
      store<u64>(p, bswap<u64>(this.hi));
      store<u64>(p + 8, bswap<u64>(this.lo));
    }
    return n;
  }

  sameIp(o: TransportAddress): bool {
    return this.family == o.family && this.hi == o.hi && this.lo == o.lo;
  }

  equals(o: TransportAddress): bool {
    return this.sameIp(o) && this.port == o.port;
  }

  clone(): TransportAddress {
    const a = new TransportAddress();
    a.copyFrom(this);
    return a;
  }

  copyFrom(o: TransportAddress): void {
    this.family = o.family;
    this.hi = o.hi;
    this.lo = o.lo;
    this.port = o.port;
  }

  withPort(port: u16): TransportAddress {
    const a = this.clone();
    a.port = port;
    return a;
  }

  // fe80::/10 (IPv6) or 169.254/16 (IPv4).
  get isLinkLocal(): bool {
    if (this.isIPv4) return (this.ipv4 >> 16) == 0xa9fe;
    return this.isIPv6 && (this.hi >> 54) == (0xfe80 >> 6);
  }

  get isLoopback(): bool {
    if (this.isIPv4) return (this.ipv4 >> 24) == 127;
    return this.isIPv6 && this.hi == 0 && this.lo == 1;
  }

  // The IP in text: dotted quad, or RFC 5952 IPv6 (lowercase, longest zero run as "::").
  ipString(): string {
    if (this.isIPv4) {
      const v = this.ipv4;
      return (v >> 24).toString() + "." + ((v >> 16) & 255).toString() + "." + ((v >> 8) & 255).toString() + "." + (v & 255).toString();
    }
    if (!this.isIPv6) return "";
    const g = new StaticArray<u32>(8);
    for (let i = 0; i < 8; i++) g[i] = (<u32>this.byteAt(2 * i) << 8) | <u32>this.byteAt(2 * i + 1);
    // RFC 5952 §4.2: the longest run of two or more zero groups, the first one on a tie.
    let bestAt = -1, bestLen = 1;
    for (let i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen) {
        bestAt = i;
        bestLen = j - i;
      }
      i = j;
    }
    let s = "";
    for (let i = 0; i < 8; i++) {
      if (i == bestAt) {
        s += "::";
        i += bestLen - 1;
        continue;
      }
      if (s.length > 0 && !s.endsWith(":")) s += ":";
      s += g[i].toString(16);
    }
    return s;
  }

  toString(): string {
    return this.isIPv6 ? "[" + this.ipString() + "]:" + this.port.toString() : this.ipString() + ":" + this.port.toString();
  }

  // Parses a dotted-quad IPv4 or a textual IPv6 address (with "::", an optional trailing dotted
  // quad, and an optional "%zone" that is dropped); null for anything else.
  static parseIp(s: string, port: u16 = 0): TransportAddress | null {
    const pct = s.indexOf("%");
    if (pct >= 0) s = s.substring(0, pct);
    if (s.indexOf(":") < 0) {
      const v = parseIPv4(s);
      return v < 0 ? null : TransportAddress.v4(<u32>v, port);
    }
    return parseIPv6(s, port);
  }
}

export function addressLength(family: u8): i32 {
  return family == FAMILY_IPV4 ? 4 : family == FAMILY_IPV6 ? 16 : 0;
}

function digitValue(c: i32, radix: i32): i32 {
  let v = -1;
  if (c >= 48 && c <= 57) v = c - 48;
  else if (c >= 97 && c <= 102) v = c - 87;
  else if (c >= 65 && c <= 70) v = c - 55;
  return v >= 0 && v < radix ? v : -1;
}

// The IPv4 address as a non-negative i64, or -1.
function parseIPv4(s: string): i64 {
  let v: i64 = 0;
  let parts = 0;
  let i = 0;
  const n = s.length;
  while (parts < 4) {
    let octet = 0;
    let digits = 0;
    while (i < n && digits < 4) {
      const d = digitValue(s.charCodeAt(i), 10);
      if (d < 0) break;
      octet = octet * 10 + d;
      digits++;
      i++;
    }
    if (digits == 0 || digits > 3 || octet > 255) return -1;
    v = (v << 8) | <i64>octet;
    parts++;
    if (parts < 4) {
      if (i >= n || s.charCodeAt(i) != 46) return -1;
      i++;
    }
  }
  return i == n ? v : -1;
}

function parseIPv6(s: string, port: u16): TransportAddress | null {
  const groups = new StaticArray<u32>(8);
  let count = 0;
  let gap = -1;
  let i = 0;
  const n = s.length;
  if (n < 2) return null;
  if (s.startsWith("::")) {
    gap = 0;
    i = 2;
  } else if (s.charCodeAt(0) == 58) return null;
  while (i < n) {
    if (count >= 8) return null;
    // A trailing dotted quad fills the last two groups.
    let j = i;
    while (j < n && s.charCodeAt(j) != 58 && s.charCodeAt(j) != 46) j++;
    if (j < n && s.charCodeAt(j) == 46) {
      const v4 = parseIPv4(s.substring(i));
      if (v4 < 0 || count > 6) return null;
      groups[count++] = <u32>(v4 >> 16);
      groups[count++] = <u32>(v4 & 0xffff);
      i = n;
      break;
    }
    let v: u32 = 0;
    let digits = 0;
    while (i < n && digits < 5) {
      const d = digitValue(s.charCodeAt(i), 16);
      if (d < 0) break;
      v = (v << 4) | <u32>d;
      digits++;
      i++;
    }
    if (digits == 0 || digits > 4) return null;
    groups[count++] = v;
    if (i == n) break;
    if (s.charCodeAt(i) != 58) return null;
    i++;
    if (i < n && s.charCodeAt(i) == 58) {
      if (gap >= 0) return null;
      gap = count;
      i++;
    } else if (i == n) return null;
  }
  if (gap < 0 && count != 8) return null;
  if (gap >= 0 && count > 7) return null;
  const full = new StaticArray<u32>(8);
  if (gap < 0) {
    for (let k = 0; k < 8; k++) full[k] = groups[k];
  } else {
    for (let k = 0; k < gap; k++) full[k] = groups[k];
    const tail = count - gap;
    for (let k = 0; k < tail; k++) full[8 - tail + k] = groups[gap + k];
  }
  let hi: u64 = 0, lo: u64 = 0;
  for (let k = 0; k < 4; k++) hi = (hi << 16) | <u64>full[k];
  for (let k = 4; k < 8; k++) lo = (lo << 16) | <u64>full[k];
  return TransportAddress.v6(hi, lo, port);
}
