// The imports every build of the core has: random_fill, log and abort (assembly/imports.ts).
// Shared by every board host: the randomness and the log output come from the platform
// (host_random, platform_log_write). Behaves like host/core.ts's coreImports.
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "host_imports.h"
#include "platform.h"

log_counts host_log_counts;
int host_log_level = 2;

M3Result host_trap(const char *fmt, ...)
{
    static char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return message;
}

// random_fill(ptr, len)
static m3ApiRawFunction(random_fill)
{
    m3ApiGetArg(uint32_t, ptr);
    m3ApiGetArg(int32_t, len);
    SPAN(buf, ptr, len);
    if (host_random(NULL, buf, (size_t)len) != 0) m3ApiTrap(host_trap("random_fill: the platform has no randomness"));
    m3ApiSuccess();
}

// log(level, ptr, len): UTF-8 text, counted (PASS/FAIL) and written by the platform.
static m3ApiRawFunction(log_line)
{
    m3ApiGetArg(int32_t, level);
    m3ApiGetArg(uint32_t, ptr);
    m3ApiGetArg(int32_t, len);
    SPAN(text, ptr, len);
    if (len >= 5 && memcmp(text, "PASS ", 5) == 0) host_log_counts.pass++;
    if (len >= 5 && memcmp(text, "FAIL ", 5) == 0) host_log_counts.fail++;
    if (level <= host_log_level) platform_log_write(level, (const char *)text, (int)len);
    m3ApiSuccess();
}

// Appends an AssemblyScript string (UTF-16LE, byte length in the u32 before it) to out as
// UTF-8. The strings come from a module that is failing, so every byte is bounds-checked and
// a bad pointer prints as a marker instead of being followed.
static void as_string_utf8(IM3Runtime runtime, void *mem, uint32_t ptr, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    if (ptr == 0) return;
    const uint8_t *header = ptr >= 4 ? wasm_span(runtime, mem, ptr - 4, 4) : NULL;
    uint32_t bytes = header ? (uint32_t)header[0] | (uint32_t)header[1] << 8 | (uint32_t)header[2] << 16 | (uint32_t)header[3] << 24 : 0;
    const uint8_t *s = header && bytes <= INT32_MAX ? wasm_span(runtime, mem, ptr, (int32_t)bytes) : NULL;
    if (!s) {
        snprintf(out, cap, "<string at %" PRIu32 " outside memory>", ptr);
        return;
    }
    for (uint32_t i = 0; i + 1 < bytes; i += 2) {
        uint32_t c = s[i] | s[i + 1] << 8;
        // A surrogate pair is one code point; a lone surrogate becomes U+FFFD.
        if (c >= 0xD800 && c < 0xDC00 && i + 3 < bytes) {
            uint32_t lo = s[i + 2] | s[i + 3] << 8;
            if (lo >= 0xDC00 && lo < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
        }
        if (c >= 0xD800 && c < 0xE000) c = 0xFFFD;
        uint8_t enc[4];
        size_t k;
        if (c < 0x80) { enc[0] = (uint8_t)c; k = 1; }
        else if (c < 0x800) { enc[0] = 0xC0 | c >> 6; enc[1] = 0x80 | (c & 0x3F); k = 2; }
        else if (c < 0x10000) { enc[0] = 0xE0 | c >> 12; enc[1] = 0x80 | (c >> 6 & 0x3F); enc[2] = 0x80 | (c & 0x3F); k = 3; }
        else { enc[0] = 0xF0 | c >> 18; enc[1] = 0x80 | (c >> 12 & 0x3F); enc[2] = 0x80 | (c >> 6 & 0x3F); enc[3] = 0x80 | (c & 0x3F); k = 4; }
        if (n + k + 1 > cap) break;  // truncate rather than overflow
        memcpy(out + n, enc, k);
        n += k;
    }
    out[n] = 0;
}

// abort(msg, file, line, column): a bug in the core. The call traps with the decoded message,
// which the caller of the export reports (host/core.ts throws CoreTrap with the same text).
static m3ApiRawFunction(abort_core)
{
    m3ApiGetArg(uint32_t, msg);
    m3ApiGetArg(uint32_t, file);
    m3ApiGetArg(uint32_t, line);
    m3ApiGetArg(uint32_t, column);
    char m[200], f[200];
    as_string_utf8(runtime, _mem, msg, m, sizeof m);
    as_string_utf8(runtime, _mem, file, f, sizeof f);
    m3ApiTrap(host_trap("[trap] core abort: %s at %s:%u:%u", m, f, line, column));
}

const host_import basic_imports[] = {
    {"random_fill", "v(ii)", random_fill},
    {"log", "v(iii)", log_line},
    {"abort", "v(iiii)", abort_core},
    {NULL, NULL, NULL},
};
