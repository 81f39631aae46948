// RFC 8866 §5: an SDP description is lines of <type>=<value>, type one letter; CRLF or bare LF.
import { SdpError } from "./error";

// Splits a description held as UTF-8 bytes into typed lines, one at a time, without copying the
// whole text. Blank lines are skipped (some peers end with two newlines); a line that is not
// `x=...`, holds a control character, or is longer than the bound stops the scan with an error.
export class LineScanner {
  pos: i32 = 0;
  // Current line: its letter (a char code), value, and 1-based number for error reasons.
  type: i32 = 0;
  value: string = "";
  number: i32 = 0;
  error: SdpError = SdpError.None;
  reason: string = "";

  constructor(private buf: Uint8Array, private maxLineLength: i32) {}

  next(): bool {
    const buf = this.buf;
    const n = buf.length;
    while (this.pos < n) {
      const start = this.pos;
      let end = start;
      while (end < n && buf[end] != 10) end++;
      this.pos = end < n ? end + 1 : n;
      this.number++;
      let stop = end;
      if (stop > start && buf[stop - 1] == 13) stop--;
      // Trailing blanks are tolerated: some stacks leave one after "a=msid-semantic: WMS ".
      while (stop > start && (buf[stop - 1] == 32 || buf[stop - 1] == 9)) stop--;
      if (stop == start) continue;
      if (stop - start > this.maxLineLength) {
        return this.fail(SdpError.LineTooLong, "longer than " + this.maxLineLength.toString() + " bytes");
      }
      const t = <i32>buf[start];
      if (stop - start < 2 || buf[start + 1] != 61 || t < 97 || t > 122) {
        return this.fail(SdpError.Malformed, "not of the form <letter>=<value>");
      }
      for (let i = start + 2; i < stop; i++) {
        const c = buf[i];
        if ((c < 32 && c != 9) || c == 127) return this.fail(SdpError.Malformed, "control character");
      }
      this.type = t;
      this.value = String.UTF8.decodeUnsafe(buf.dataStart + <usize>(start + 2), <usize>(stop - start - 2));
      return true;
    }
    return false;
  }

  fail(e: SdpError, why: string): bool {
    this.error = e;
    this.reason = "line " + this.number.toString() + ": " + why;
    this.pos = this.buf.length;
    return false;
  }
}
