// RFC 8866 §5: writes <type>=<value> lines joined by CRLF, within a size bound.

export class SdpWriter {
  private lines: string[] = [];
  private bytes: i32 = 0;

  line(type: string, value: string): void {
    this.lines.push(type + "=" + value);
    this.bytes += String.UTF8.byteLength(value) + 4;
  }

  attr(name: string, value: string | null = null): void {
    this.line("a", value == null ? name : name + ":" + value);
  }

  get size(): i32 {
    return this.bytes;
  }

  toString(): string {
    return this.lines.join("\r\n") + "\r\n";
  }
}

// True when s can go on an SDP line as is (no CR, LF or other control character).
export function isLineSafe(s: string): bool {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c == 127) return false;
  }
  return true;
}
