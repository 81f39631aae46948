// What each platform supplies to the shared board host (randomness is host_random in
// host_imports.h): clocks, log output, a memory figure. platform_linux.c on a desktop,
// boards/esp32s3/main/platform_esp.c on the chip; everything else in this folder is shared or
// written against BSD sockets, which lwIP provides too.
#ifndef WASMPEER_PLATFORM_H
#define WASMPEER_PLATFORM_H

#include <stdint.h>

// Monotonic time in ms: the core's time base.
double platform_now_ms(void);

// CPU time spent by this process (Linux) or, on a board, the time of the task that runs the
// core (there is no per-task CPU clock without FreeRTOS run-time stats): the handshake figure.
uint64_t platform_cpu_us(void);

// Peak memory of the whole host in KiB: the process's peak RSS (Linux), the heap's high-water
// mark (ESP32-S3). -1 when unknown.
long platform_mem_peak_kib(void);

// One log line of the module (level 0 error ... 3 debug), text not NUL-terminated.
void platform_log_write(int level, const char *text, int len);

#endif
