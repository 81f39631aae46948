// The ESP32-S3 host: joins Wi-Fi, loads the core-host.wasm embedded in flash into wasm3 and runs
// serve_run, the loop `wasmpeer-linux serve` runs on a desktop, on the station's address: a WHEP
// endpoint (POST /whep, PATCH/DELETE /whep/<id>, GET /status) and data channels, `echo` echoing.
#include <stdint.h>

#include "esp_heap_caps.h"
#include "esp_log.h"
#include "esp_system.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "nvs_flash.h"

#include "host_imports.h"
#include "peer_loop.h"
#include "wasm_host.h"
#include "wifi_sta.h"

// EMBED_FILES (main/CMakeLists.txt): the module's bytes, mapped from flash. wasm3 keeps pointers
// into them, which is fine: they never move.
extern const uint8_t core_wasm_start[] asm("_binary_core_host_wasm_start");
extern const uint8_t core_wasm_end[] asm("_binary_core_host_wasm_end");

static const char *TAG = "wasmpeer";
static char station_ip[16];

static void log_heap(const char *when)
{
    ESP_LOGI(TAG, "%s: free internal %u KiB, free PSRAM %u KiB", when,
             (unsigned)(heap_caps_get_free_size(MALLOC_CAP_INTERNAL) / 1024),
             (unsigned)(heap_caps_get_free_size(MALLOC_CAP_SPIRAM) / 1024));
}

static void restart_later(void)
{
    ESP_LOGE(TAG, "restarting in 5 s");
    vTaskDelay(pdMS_TO_TICKS(5000));
    esp_restart();
}

// One task runs the core: wasm3 is not thread-safe, and every session shares the one instance.
static void wasmpeer_task(void *arg)
{
    (void)arg;
    static wasm_host host;
    host_log_level = CONFIG_WASMPEER_LOG_LEVEL;
    uint32_t len = (uint32_t)(core_wasm_end - core_wasm_start);
    ESP_LOGI(TAG, "core-host.wasm: %u bytes; wasm3 stack %d KiB", (unsigned)len, CONFIG_WASMPEER_WASM3_STACK_KIB);
    if (wasm_host_load(&host, core_wasm_start, len, CONFIG_WASMPEER_WASM3_STACK_KIB * 1024) == NULL) {
        log_heap("core loaded");
        ESP_LOGI(TAG, "WHEP endpoint: http://%s:%d/whep (status: /status)", station_ip, CONFIG_WASMPEER_HTTP_PORT);
        serve_config cfg = {
            .bind_ip = station_ip,
            .http_port = CONFIG_WASMPEER_HTTP_PORT,
            .udp_port = CONFIG_WASMPEER_UDP_PORT,
            .max_sessions = CONFIG_WASMPEER_MAX_SESSIONS,
            .stop = NULL,
        };
        int status = serve_run(&host, &cfg);
        ESP_LOGE(TAG, "serve ended (status %d)", status);
    }
    wasm_host_free(&host);
    restart_later();
}

void app_main(void)
{
    esp_err_t err = nvs_flash_init();  // Wi-Fi keeps its calibration data in NVS
    if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        ESP_ERROR_CHECK(nvs_flash_erase());
        err = nvs_flash_init();
    }
    ESP_ERROR_CHECK(err);
    log_heap("boot");
    if (wifi_sta_connect(CONFIG_WASMPEER_WIFI_SSID, CONFIG_WASMPEER_WIFI_PASSWORD, station_ip, sizeof station_ip) != ESP_OK)
        restart_later();
    ESP_LOGI(TAG, "station address %s", station_ip);
    // The APP CPU: Wi-Fi and lwIP run on the PRO CPU, so a long call into the core (a handshake's
    // key generation) does not hold up the radio.
    if (xTaskCreatePinnedToCore(wasmpeer_task, "wasmpeer", CONFIG_WASMPEER_TASK_STACK_KIB * 1024, NULL, 5, NULL, 1) != pdPASS) {
        ESP_LOGE(TAG, "no memory for the wasmpeer task's %d KiB stack", CONFIG_WASMPEER_TASK_STACK_KIB);
        restart_later();
    }
}
