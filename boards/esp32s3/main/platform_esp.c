// platform.h and host_random on the ESP32-S3: the hardware RNG, esp_timer, the heap's high-water
// mark, ESP log. The board's counterpart of boards/linux/platform_linux.c.
#include "esp_heap_caps.h"
#include "esp_log.h"
#include "esp_random.h"
#include "esp_timer.h"

#include "host_imports.h"
#include "platform.h"

static const char *TAG = "core";

// The RNG is a true random source while the radio runs; app_main starts Wi-Fi before the first
// peer, whose certificate key (and every DTLS random) is drawn here.
int host_random(void *unused, unsigned char *out, size_t len)
{
    (void)unused;
    esp_fill_random(out, len);
    return 0;
}

double platform_now_ms(void)
{
    return (double)esp_timer_get_time() / 1000.0;
}

// FreeRTOS has no per-task CPU clock unless run-time stats are compiled in, so this is the wall
// clock: peer_driver measures the time spent inside calls into the core, which all run in one
// task pinned to the APP CPU (Wi-Fi interrupts taken meanwhile count in).
uint64_t platform_cpu_us(void)
{
    return (uint64_t)esp_timer_get_time();
}

// Internal RAM and PSRAM together: the most the heap has ever had in use.
long platform_mem_peak_kib(void)
{
    size_t total = heap_caps_get_total_size(MALLOC_CAP_8BIT);
    size_t min_free = heap_caps_get_minimum_free_size(MALLOC_CAP_8BIT);
    return (long)((total - min_free) / 1024);
}

void platform_log_write(int level, const char *text, int len)
{
    switch (level) {
    case 0: ESP_LOGE(TAG, "%.*s", len, text); break;
    case 1: ESP_LOGW(TAG, "%.*s", len, text); break;
    case 2: ESP_LOGI(TAG, "%.*s", len, text); break;
    default: ESP_LOGD(TAG, "%.*s", len, text); break;
    }
}
