// Loads a core (or test entry) module into wasm3, links the "wasmpeer" imports, calls exports.
// Platform-neutral: the ESP32-S3 port uses it as is, with its own imports_basic.
#ifndef WASMPEER_WASM_HOST_H
#define WASMPEER_WASM_HOST_H

#include <stddef.h>
#include <stdint.h>
#include "wasm3.h"

typedef struct wasm_host {
    IM3Environment env;
    IM3Runtime runtime;
    IM3Module module;   // owned by runtime once loaded
    uint32_t linked;    // how many imports the module had and got
} wasm_host;

// Instantiates the module with a wasm3 stack of stack_bytes, links every import the module
// declares, compiles all functions (so a later timed call measures execution, not wasm3's
// lazy compilation; a board build sets WASM_HOST_COMPILE_ALL=0 to compile on first call and save
// memory) and runs _initialize when exported. wasm3 keeps pointers into bytes:
// they must outlive the host (a file read into RAM here, a flash-mapped partition on a board).
// Returns NULL on success, else the error, already reported on stderr.
M3Result wasm_host_load(wasm_host *host, const uint8_t *bytes, uint32_t len, uint32_t stack_bytes);

// Calls export `name` with argc integer arguments (i32 or i64, by the export's type; the text
// may be decimal, 0x-hex or negative). On success *result holds the first result's bits and
// *result_type its type (c_m3Type_none when the export returns nothing). Errors and traps
// are reported on stderr.
M3Result wasm_host_call(wasm_host *host, const char *name, int argc, const char *const *argv,
                        uint64_t *result, M3ValueType *result_type);

// Reports a failed call: wasm3's result and error info (function, message), to stderr.
void wasm_host_report(wasm_host *host, const char *what, M3Result result);

// Linear memory in 64 KiB pages (0 for a module without memory).
uint32_t wasm_host_pages(wasm_host *host);

void wasm_host_free(wasm_host *host);

#endif
