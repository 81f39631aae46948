// See wifi_sta.h. ESP-IDF 5.x station setup through esp_netif and the default event loop.
#include <stdio.h>
#include <string.h>

#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_system.h"
#include "esp_wifi.h"
#include "freertos/FreeRTOS.h"
#include "freertos/event_groups.h"

#include "wifi_sta.h"

#define GOT_IP BIT0
#define GAVE_UP BIT1
#define ATTEMPTS_BEFORE_IP 10

static const char *TAG = "wifi";
static EventGroupHandle_t events;
static int attempts;
static uint32_t first_ip;  // network byte order; 0 until the first address

static void on_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (base == WIFI_EVENT && id == WIFI_EVENT_STA_START) {
        esp_wifi_connect();
    } else if (base == WIFI_EVENT && id == WIFI_EVENT_STA_DISCONNECTED) {
        const wifi_event_sta_disconnected_t *d = data;
        ESP_LOGW(TAG, "disconnected (reason %d)", d->reason);
        if (first_ip == 0 && ++attempts >= ATTEMPTS_BEFORE_IP) {
            xEventGroupSetBits(events, GAVE_UP);
            return;
        }
        esp_wifi_connect();
    } else if (base == IP_EVENT && id == IP_EVENT_STA_GOT_IP) {
        const ip_event_got_ip_t *got = data;
        if (first_ip != 0 && got->ip_info.ip.addr != first_ip) {
            ESP_LOGE(TAG, "new address " IPSTR " after a reconnect: restarting to bind to it", IP2STR(&got->ip_info.ip));
            esp_restart();
        }
        first_ip = got->ip_info.ip.addr;
        attempts = 0;
        xEventGroupSetBits(events, GOT_IP);
    }
}

esp_err_t wifi_sta_connect(const char *ssid, const char *password, char *ip, size_t cap)
{
    if (ssid[0] == 0) {
        ESP_LOGE(TAG, "no Wi-Fi network configured: set it with `idf.py menuconfig` (wasmpeer -> Wi-Fi SSID)");
        return ESP_FAIL;
    }
    events = xEventGroupCreate();
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    esp_netif_create_default_wifi_sta();
    wifi_init_config_t init = WIFI_INIT_CONFIG_DEFAULT();
    ESP_ERROR_CHECK(esp_wifi_init(&init));
    ESP_ERROR_CHECK(esp_event_handler_instance_register(WIFI_EVENT, ESP_EVENT_ANY_ID, on_event, NULL, NULL));
    ESP_ERROR_CHECK(esp_event_handler_instance_register(IP_EVENT, IP_EVENT_STA_GOT_IP, on_event, NULL, NULL));

    wifi_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    strlcpy((char *)cfg.sta.ssid, ssid, sizeof cfg.sta.ssid);
    strlcpy((char *)cfg.sta.password, password, sizeof cfg.sta.password);
    cfg.sta.threshold.authmode = password[0] ? WIFI_AUTH_WPA2_PSK : WIFI_AUTH_OPEN;
    ESP_ERROR_CHECK(esp_wifi_set_mode(WIFI_MODE_STA));
    ESP_ERROR_CHECK(esp_wifi_set_config(WIFI_IF_STA, &cfg));
    ESP_ERROR_CHECK(esp_wifi_start());
    // Modem sleep holds incoming datagrams until the next beacon (100 ms and more): it would
    // stretch every handshake round trip and trip DTLS and SCTP retransmission timers.
    esp_wifi_set_ps(WIFI_PS_NONE);

    ESP_LOGI(TAG, "joining \"%s\"", ssid);
    EventBits_t bits = xEventGroupWaitBits(events, GOT_IP | GAVE_UP, pdFALSE, pdFALSE, portMAX_DELAY);
    if (!(bits & GOT_IP)) {
        ESP_LOGE(TAG, "could not join \"%s\" after %d attempts", ssid, ATTEMPTS_BEFORE_IP);
        return ESP_FAIL;
    }
    esp_ip4_addr_t addr = {.addr = first_ip};
    snprintf(ip, cap, IPSTR, IP2STR(&addr));
    return ESP_OK;
}
