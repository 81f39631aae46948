// `serve`: a WHEP endpoint and one UDP socket around peer_driver, on BSD sockets (POSIX or lwIP).
// wasmpeer-linux's `serve` command and the ESP32-S3's app_main both run serve_run.
#ifndef WASMPEER_PEER_LOOP_H
#define WASMPEER_PEER_LOOP_H

#include <signal.h>

#include "wasm_host.h"

typedef struct serve_config {
    const char *bind_ip;  // a specific address, not a wildcard: it becomes the host candidate
    int http_port;        // 0: any (the first output line names it)
    int udp_port;         // 0: any
    int max_sessions;     // 1..8 peers at once
    volatile sig_atomic_t *stop;  // the loop ends once this is set; NULL: never (a board)
} serve_config;

// Runs until cfg->stop is set or the loop fails. Returns the process exit status (1 when the core
// trapped or the sockets could not be opened, 2 for a bad configuration).
int serve_run(wasm_host *host, const serve_config *cfg);

#endif
