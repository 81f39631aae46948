// Joins a Wi-Fi network as a station and waits for its DHCP address.
#ifndef WASMPEER_WIFI_STA_H
#define WASMPEER_WIFI_STA_H

#include <stddef.h>

#include "esp_err.h"

// Starts Wi-Fi (power save off) and blocks until the station has an IPv4 address, written as
// text to ip (cap bytes). ESP_FAIL when the network cannot be joined after several attempts.
// Later disconnections reconnect by themselves; a different address after a reconnect restarts
// the board, because the peers' socket and candidates are bound to the first one.
esp_err_t wifi_sta_connect(const char *ssid, const char *password, char *ip, size_t cap);

#endif
