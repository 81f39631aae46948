// Loads a module into wasm3, links the "wasmpeer" imports, calls exports, reports traps.
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_imports.h"
#include "wasm_host.h"

// 1: compile every function at load (a timed call then measures execution alone; what
// wasmpeer-linux does). 0: wasm3 compiles each function on its first call, so only the code the
// device runs takes memory: on the ESP32-S3 that is a few hundred KiB instead of megabytes.
#ifndef WASM_HOST_COMPILE_ALL
#define WASM_HOST_COMPILE_ALL 1
#endif

static const host_import *const import_tables[] = {basic_imports, crypto_imports};

// Links every import we have. A module needs only some (the pure build has no crypto imports,
// a test entry may use three): wasm3 answers "function lookup failed" for an import the module
// does not declare, and that is fine. Anything else, such as a signature that differs from
// assembly/imports.ts, is an error. An import the module declares but we lack surfaces when
// wasm_host_load compiles the module ("missing imported function 'wasmpeer.x'").
static M3Result link_imports(wasm_host *host)
{
    for (size_t t = 0; t < sizeof import_tables / sizeof import_tables[0]; t++) {
        for (const host_import *imp = import_tables[t]; imp->name; imp++) {
            M3Result r = m3_LinkRawFunction(host->module, "wasmpeer", imp->name, imp->signature, imp->fn);
            if (r == m3Err_functionLookupFailed) continue;
            if (r) {
                fprintf(stderr, "error: linking import wasmpeer.%s %s: %s\n", imp->name, imp->signature, r);
                return r;
            }
            host->linked++;
        }
    }
    return NULL;
}

static int is_provided(const char *module, uint32_t module_len, const char *name, uint32_t name_len)
{
    if (module_len != 8 || memcmp(module, "wasmpeer", 8) != 0) return 0;
    for (size_t t = 0; t < sizeof import_tables / sizeof import_tables[0]; t++)
        for (const host_import *imp = import_tables[t]; imp->name; imp++)
            if (strlen(imp->name) == name_len && memcmp(imp->name, name, name_len) == 0) return 1;
    return 0;
}

// A LEB128 u32 at *p (bounded by end); 0 when malformed.
static int read_leb(const uint8_t **p, const uint8_t *end, uint32_t *v)
{
    *v = 0;
    for (int shift = 0; shift < 35 && *p < end; shift += 7) {
        uint8_t b = *(*p)++;
        *v |= (uint32_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) return 1;
    }
    return 0;
}

// Names the first function import this host does not provide. wasm3 would only notice when
// the import is first called, and (depending on its version) without saying which one; a
// forgotten `--use abort=...` (AssemblyScript then imports env.abort) is the usual case.
// Malformed modules are left to wasm3's parser, which says what is wrong with them.
static const char *unknown_import(const uint8_t *bytes, uint32_t len, char *buf, size_t cap)
{
    const uint8_t *p = bytes + 8, *end = bytes + len;
    if (len < 8) return NULL;
    while (p < end) {
        uint8_t id = *p++;
        uint32_t size, count;
        if (!read_leb(&p, end, &size) || size > (uint32_t)(end - p)) return NULL;
        const uint8_t *sec_end = p + size;
        if (id != 2) {
            p = sec_end;
            continue;
        }
        if (!read_leb(&p, sec_end, &count)) return NULL;
        for (uint32_t i = 0; i < count; i++) {
            uint32_t mlen, nlen, idx;
            if (!read_leb(&p, sec_end, &mlen) || mlen > (uint32_t)(sec_end - p)) return NULL;
            const char *module = (const char *)p;
            p += mlen;
            if (!read_leb(&p, sec_end, &nlen) || nlen > (uint32_t)(sec_end - p) || nlen + 1 > (uint32_t)(sec_end - p)) return NULL;
            const char *name = (const char *)p;
            p += nlen;
            uint8_t kind = *p++;
            if (kind != 0) {
                snprintf(buf, cap, "%.*s.%.*s (not a function)", (int)mlen, module, (int)nlen, name);
                return buf;
            }
            if (!read_leb(&p, sec_end, &idx)) return NULL;
            if (!is_provided(module, mlen, name, nlen)) {
                snprintf(buf, cap, "%.*s.%.*s", (int)mlen, module, (int)nlen, name);
                return buf;
            }
        }
        return NULL;
    }
    return NULL;
}

void wasm_host_report(wasm_host *host, const char *what, M3Result result)
{
    M3ErrorInfo info;
    memset(&info, 0, sizeof info);
    if (host->runtime) m3_GetErrorInfo(host->runtime, &info);
    fprintf(stderr, "error: %s: %s", what, result);
    // wasm3 adds detail for some errors (which import is missing, where compilation failed).
    if (info.message && info.message[0]) fprintf(stderr, " (%s)", info.message);
    if (info.function) fprintf(stderr, " in function %s", m3_GetFunctionName(info.function));
    fputc('\n', stderr);
    // Call frames, when wasm3 was built to record them (d_m3RecordBacktraces).
    IM3BacktraceInfo bt = host->runtime ? m3_GetBacktrace(host->runtime) : NULL;
    if (bt) {
        for (IM3BacktraceFrame f = bt->frames; f && f != M3_BACKTRACE_TRUNCATED; f = f->next)
            fprintf(stderr, "    at %s (module offset 0x%" PRIx32 ")\n", m3_GetFunctionName(f->function), (uint32_t)f->moduleOffset);
        if (bt->lastFrame == M3_BACKTRACE_TRUNCATED) fprintf(stderr, "    ...\n");
    }
}

M3Result wasm_host_load(wasm_host *host, const uint8_t *bytes, uint32_t len, uint32_t stack_bytes)
{
    memset(host, 0, sizeof *host);
    crypto_reset();
    M3Result r;
    char name[160];
    if (unknown_import(bytes, len, name, sizeof name)) {
        fprintf(stderr, "error: the module imports %s, which this host does not provide "
                        "(the imports are those of assembly/imports.ts, module \"wasmpeer\")\n", name);
        return m3Err_functionImportMissing;
    }
    host->env = m3_NewEnvironment();
    host->runtime = host->env ? m3_NewRuntime(host->env, stack_bytes, NULL) : NULL;
    if (!host->runtime) {
        fprintf(stderr, "error: wasm3 could not create its environment and runtime (out of memory?)\n");
        return m3Err_mallocFailed;
    }

    IM3Module module = NULL;
    if ((r = m3_ParseModule(host->env, &module, bytes, len))) {
        wasm_host_report(host, "parsing the module", r);
        return r;
    }
    if ((r = m3_LoadModule(host->runtime, module))) {
        m3_FreeModule(module);  // not yet the runtime's
        wasm_host_report(host, "loading the module", r);
        return r;
    }
    host->module = module;
    if ((r = link_imports(host))) return r;
#if WASM_HOST_COMPILE_ALL
    if ((r = m3_CompileModule(host->module))) {
        wasm_host_report(host, "compiling the module", r);
        return r;
    }
#endif
    if ((r = m3_RunStart(host->module))) {
        wasm_host_report(host, "running the start function", r);
        return r;
    }
    // AssemblyScript's --exportStart: the module's static initialisation, run once before use.
    IM3Function init;
    int has_init = m3_FindFunction(&init, host->runtime, "_initialize") == NULL;
    m3_ResetErrorInfo(host->runtime);  // a failed lookup leaves its detail behind
    if (has_init) {
        if ((r = m3_CallV(init))) {
            wasm_host_report(host, "_initialize", r);
            return r;
        }
    }
    return NULL;
}

// One integer argument as the export's parameter type wants it. Accepts the full unsigned
// range too (e.g. a pointer or u32 written as 4294967295).
static int parse_int(const char *text, M3ValueType type, uint64_t *out)
{
    char *end;
    errno = 0;
    int neg = text[0] == '-';
    uint64_t v = neg ? (uint64_t)strtoll(text, &end, 0) : strtoull(text, &end, 0);
    if (errno || end == text || *end) return 0;
    if (type == c_m3Type_i32) {
        if (neg ? (int64_t)v < INT32_MIN : v > UINT32_MAX) return 0;
        *out = (uint32_t)v;
    } else {
        *out = v;
    }
    return 1;
}

M3Result wasm_host_call(wasm_host *host, const char *name, int argc, const char *const *argv,
                        uint64_t *result, M3ValueType *result_type)
{
    IM3Function f;
    M3Result r = m3_FindFunction(&f, host->runtime, name);
    if (r) {
        fprintf(stderr, "error: export %s: %s\n", name, r);
        return r;
    }
    uint32_t n = m3_GetArgCount(f);
    if ((uint32_t)argc != n) {
        fprintf(stderr, "error: %s takes %" PRIu32 " argument(s), %d given\n", name, n, argc);
        return "argument count";
    }
    // wasm3 reads each argument through a pointer to a value of the parameter's own type.
    uint32_t a32[32];
    uint64_t a64[32];
    const void *ptrs[32];
    if (n > 32) {
        fprintf(stderr, "error: %s takes more than 32 arguments\n", name);
        return "too many arguments";
    }
    for (uint32_t i = 0; i < n; i++) {
        M3ValueType t = m3_GetArgType(f, i);
        if (t != c_m3Type_i32 && t != c_m3Type_i64) {
            fprintf(stderr, "error: %s: argument %" PRIu32 " is not an integer (only i32/i64 are supported)\n", name, i + 1);
            return "argument type";
        }
        if (!parse_int(argv[i], t, &a64[i])) {
            fprintf(stderr, "error: %s: argument %" PRIu32 " '%s' is not a valid %s\n", name, i + 1, argv[i],
                    t == c_m3Type_i32 ? "i32" : "i64");
            return "argument value";
        }
        a32[i] = (uint32_t)a64[i];
        ptrs[i] = t == c_m3Type_i32 ? (const void *)&a32[i] : (const void *)&a64[i];
    }
    m3_ResetErrorInfo(host->runtime);
    if ((r = m3_Call(f, n, ptrs))) {
        wasm_host_report(host, name, r);
        return r;
    }
    *result_type = m3_GetRetCount(f) ? m3_GetRetType(f, 0) : c_m3Type_none;
    *result = 0;
    if (*result_type != c_m3Type_none) {
        // Big enough for any result type; wasm3 writes as many bytes as the type has.
        uint64_t slot = 0;
        const void *rets[1] = {&slot};
        if ((r = m3_GetResults(f, 1, rets))) {
            wasm_host_report(host, "reading the result", r);
            return r;
        }
        *result = *result_type == c_m3Type_i32 || *result_type == c_m3Type_f32 ? (uint32_t)slot : slot;
    }
    return NULL;
}

uint32_t wasm_host_pages(wasm_host *host)
{
    return host->runtime ? m3_GetMemorySize(host->runtime) / 65536 : 0;
}

void wasm_host_free(wasm_host *host)
{
    if (host->runtime) m3_FreeRuntime(host->runtime);  // frees the loaded module too
    if (host->env) m3_FreeEnvironment(host->env);
    crypto_reset();
    memset(host, 0, sizeof *host);
}
