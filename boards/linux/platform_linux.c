// platform.h and host_random on Linux: getrandom(2), clock_gettime, getrusage, stdio.
#include <errno.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>

#include "host_imports.h"
#include "platform.h"

int host_random(void *unused, unsigned char *out, size_t len)
{
    (void)unused;
    // getrandom may return fewer bytes than asked (large requests, signals): loop until full.
    while (len > 0) {
        ssize_t n = getrandom(out, len, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        out += n;
        len -= (size_t)n;
    }
    return 0;
}

double platform_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

uint64_t platform_cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

long platform_mem_peak_kib(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

// Errors and warnings to stderr, the rest to stdout (the selftest's PASS lines are read there).
void platform_log_write(int level, const char *text, int len)
{
    static const char *const prefix[] = {"[error]", "[warn]", "[info]", "[debug]"};
    FILE *out = level <= 1 ? stderr : stdout;
    fprintf(out, "%s %.*s\n", level >= 0 && level <= 3 ? prefix[level] : "[?]", len, text);
}
