// The host side of assembly/imports.ts (module "wasmpeer"): what every import source shares.
// Kept free of POSIX so boards/esp32s3 can reuse crypto_mbedtls.c and wasm_host.c unchanged.
#ifndef WASMPEER_HOST_IMPORTS_H
#define WASMPEER_HOST_IMPORTS_H

#include <stddef.h>
#include <stdint.h>
#include "wasm3.h"

// One import: its name in module "wasmpeer", its wasm3 signature ("i(ii)": returns i32,
// takes two i32) and the raw function. Tables end with a NULL name.
typedef struct host_import {
    const char *name;
    const char *signature;
    M3RawCall fn;
} host_import;

extern const host_import basic_imports[];   // imports_basic.c: random_fill, log, abort
extern const host_import crypto_imports[];  // crypto_mbedtls.c: hash_*, aes_*, p256_*, x25519

// The module's bytes [ptr, ptr+len), or NULL when any of them lies outside linear memory
// (or len is negative). A pointer from the module is never used without passing here:
// a bad pointer must become a trap, not a segfault in the host.
static inline uint8_t *wasm_span(IM3Runtime runtime, void *mem, uint32_t ptr, int32_t len)
{
    if (len < 0) return NULL;
    uint64_t size = mem ? m3_GetMemorySize(runtime) : 0;
    if ((uint64_t)ptr + (uint64_t)len > size) {
        // An empty range needs no memory behind it (e.g. no AAD at pointer 0 of a memoryless module).
        return len == 0 ? (uint8_t *)"" : NULL;
    }
    return (uint8_t *)mem + ptr;
}

// Declares NAME as the span, or traps the call with wasm3's out-of-bounds error.
#define SPAN(NAME, PTR, LEN)                                          \
    uint8_t *NAME = wasm_span(runtime, _mem, (uint32_t)(PTR), (LEN)); \
    if (!NAME) m3ApiTrap(m3Err_trapOutOfBoundsMemoryAccess)

// Cryptographically secure random bytes from the platform (getrandom(2) on Linux, the hardware
// RNG on ESP32). Has mbedTLS's f_rng signature; returns 0 on success.
int host_random(void *unused, unsigned char *out, size_t len);

// A trap with a message made at run time. wasm3 carries an M3Result (a C string) out of the
// call unchanged, so the text lives in one static buffer: a trap ends the call, so there is
// never more than one in flight.
M3Result host_trap(const char *fmt, ...);

// Log lines the module wrote that begin with "PASS " / "FAIL " (the selftest's report).
typedef struct log_counts {
    unsigned pass, fail;
} log_counts;
extern log_counts host_log_counts;
extern int host_log_level;  // lines above this level (0 error ... 3 debug) are not printed

// Releases hash contexts a module left behind; called when a module is unloaded.
void crypto_reset(void);

#endif
