// wasmpeer-linux: runs the wasmpeer core (or a test/bench entry) in wasm3 on a desktop, with the
// same host imports a board has. The command line is a contract for CI and reviewers: keep its
// output lines machine-readable (key=value).
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host_imports.h"
#include "mbedtls/version.h"
#include "peer_loop.h"
#include "wasm_host.h"

// wasm3's stack holds the interpreter's value slots and call frames, not C frames. The core's
// deepest paths (big-number maths, nested parsers) want far more than wasm3's small default.
#define DEFAULT_STACK_KIB 256

static void usage(FILE *out)
{
    fprintf(out,
            "usage: wasmpeer-linux [options] selftest <core.wasm>\n"
            "       wasmpeer-linux [options] call <module.wasm> <export> [i32/i64 args...]\n"
            "       wasmpeer-linux [options] serve <core.wasm> [--port 8080] [--udp-port 0]\n"
            "                      [--bind 127.0.0.1] [--max-sessions 4]\n"
            "       wasmpeer-linux --help\n"
            "\n"
            "Runs a wasmpeer module in the wasm3 interpreter with the board host imports\n"
            "(module \"wasmpeer\": random_fill, log, abort, and the crypto provider on mbedTLS).\n"
            "\n"
            "  selftest  calls _initialize (if exported) and selftest(), prints the module's\n"
            "            PASS/FAIL lines, then one summary line:\n"
            "              selftest: ok|FAILED pass=<n> fail=<n> result=<n> pages=<n> us=<n>\n"
            "            exit status 0 only if selftest() returned 0, no line said FAIL and\n"
            "            nothing trapped.\n"
            "  call      calls any export with integer arguments and prints\n"
            "              result=<n>|void us=<n> pages=<n>\n"
            "            (us: wall time of the call alone, after compilation; for benches).\n"
            "  serve     runs a peer over UDP with WHEP signaling over HTTP: POST /whep\n"
            "            (application/sdp offer -> 201 answer), PATCH/DELETE /whep/<id>,\n"
            "            GET /status (JSON: linear memory, handshake CPU time). Channels\n"
            "            labelled echo send every message back. First line:\n"
            "              serve: http=<ip>:<port> udp=<ip>:<port> pages=<n>\n"
            "            on SIGINT/SIGTERM one summary line (serve: sessions=... pages_peak=...).\n"
            "\n"
            "options:\n"
            "  --stack-kib <n>  wasm3 stack size in KiB (default %d)\n"
            "  --log-level <n>  print module log lines up to this level: 0 error, 1 warn,\n"
            "                   2 info (default), 3 debug\n"
            "\n"
            "Built with wasm3 %s and %s.\n",
            DEFAULT_STACK_KIB, M3_VERSION, MBEDTLS_VERSION_STRING_FULL);
}

static uint8_t *read_file(const char *path, uint32_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    uint8_t *buf = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc(size ? (size_t)size : 1)) &&
        fread(buf, 1, (size_t)size, f) == (size_t)size) {
        *len = (uint32_t)size;
    } else {
        fprintf(stderr, "%s: cannot read the file\n", path);
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void print_result(uint64_t v, M3ValueType t)
{
    switch (t) {
    case c_m3Type_none: printf("result=void"); break;
    case c_m3Type_i32: printf("result=%" PRId32, (int32_t)(uint32_t)v); break;
    case c_m3Type_i64: printf("result=%" PRId64, (int64_t)v); break;
    case c_m3Type_f32: { float x; uint32_t b = (uint32_t)v; memcpy(&x, &b, 4); printf("result=%.9g", x); break; }
    case c_m3Type_f64: { double x; memcpy(&x, &v, 8); printf("result=%.17g", x); break; }
    default: printf("result=?"); break;
    }
}

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static int parse_port(const char *text, int *out)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (*end || end == text || v < 0 || v > 65535) return 0;
    *out = (int)v;
    return 1;
}

// serve's options, then serve_run until SIGINT/SIGTERM (which print the summary line).
static int cmd_serve(wasm_host *host, int argc, char **argv)
{
    serve_config cfg = {.bind_ip = "127.0.0.1", .http_port = 8080, .udp_port = 0, .max_sessions = 4, .stop = &stop_requested};
    for (int i = 0; i < argc; i++) {
        int has = i + 1 < argc;
        if (!strcmp(argv[i], "--port") && has && parse_port(argv[i + 1], &cfg.http_port)) i++;
        else if (!strcmp(argv[i], "--udp-port") && has && parse_port(argv[i + 1], &cfg.udp_port)) i++;
        else if (!strcmp(argv[i], "--bind") && has) cfg.bind_ip = argv[++i];
        else if (!strcmp(argv[i], "--max-sessions") && has && atoi(argv[i + 1]) >= 1 && atoi(argv[i + 1]) <= 8) cfg.max_sessions = atoi(argv[++i]);
        else {
            fprintf(stderr, "serve: bad option %s\n", argv[i]);
            fprintf(stderr, "usage: wasmpeer-linux serve <core.wasm> [--port 8080] [--udp-port 0] [--bind 127.0.0.1] [--max-sessions 4]\n");
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return serve_run(host, &cfg);
}

static int cmd_selftest(wasm_host *host)
{
    uint64_t result = 0;
    M3ValueType type = c_m3Type_none;
    uint64_t t0 = now_us();
    M3Result r = wasm_host_call(host, "selftest", 0, NULL, &result, &type);
    uint64_t us = now_us() - t0;
    int32_t failures = type == c_m3Type_i32 ? (int32_t)(uint32_t)result : -1;
    int ok = !r && failures == 0 && host_log_counts.fail == 0;
    if (!r && type != c_m3Type_i32) fprintf(stderr, "error: selftest() must return an i32 (the number of failures)\n");
    char shown[16];
    snprintf(shown, sizeof shown, "%" PRId32, failures);
    printf("selftest: %s pass=%u fail=%u result=%s pages=%" PRIu32 " us=%" PRIu64 "\n", ok ? "ok" : "FAILED",
           host_log_counts.pass, host_log_counts.fail, r ? "trap" : shown, wasm_host_pages(host), us);
    return ok ? 0 : 1;
}

static int cmd_call(wasm_host *host, const char *name, int argc, const char *const *argv)
{
    uint64_t result = 0;
    M3ValueType type = c_m3Type_none;
    uint64_t t0 = now_us();
    M3Result r = wasm_host_call(host, name, argc, argv, &result, &type);
    uint64_t us = now_us() - t0;
    if (r) return 1;
    print_result(result, type);
    printf(" us=%" PRIu64 " pages=%" PRIu32 "\n", us, wasm_host_pages(host));
    return 0;
}

int main(int argc, char **argv)
{
    uint32_t stack_kib = DEFAULT_STACK_KIB;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--stack-kib") && i + 1 < argc) {
            stack_kib = (uint32_t)strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--log-level") && i + 1 < argc) {
            host_log_level = atoi(argv[++i]);
        } else {
            fprintf(stderr, "unknown option %s\n\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    const char *cmd = i < argc ? argv[i] : NULL;
    int is_selftest = cmd && !strcmp(cmd, "selftest") && argc - i == 2;
    int is_call = cmd && !strcmp(cmd, "call") && argc - i >= 3;
    int is_serve = cmd && !strcmp(cmd, "serve") && argc - i >= 2;
    if (!is_selftest && !is_call && !is_serve) {
        usage(stderr);
        return 2;
    }
    if (stack_kib < 16 || stack_kib > 65536) {
        fprintf(stderr, "--stack-kib must be between 16 and 65536\n");
        return 2;
    }

    uint32_t len = 0;
    uint8_t *bytes = read_file(argv[i + 1], &len);
    if (!bytes) return 1;
    wasm_host host;
    int status;
    if (wasm_host_load(&host, bytes, len, stack_kib * 1024) != NULL) {
        if (is_selftest) printf("selftest: FAILED (the module did not load)\n");
        status = 1;
    } else if (is_selftest) {
        status = cmd_selftest(&host);
    } else if (is_serve) {
        status = cmd_serve(&host, argc - i - 2, argv + i + 2);
    } else {
        status = cmd_call(&host, argv[i + 2], argc - i - 3, (const char *const *)argv + i + 3);
    }
    wasm_host_free(&host);
    free(bytes);
    return status;
}
