// `wasmpeer-linux serve`: a WHEP endpoint and one UDP socket around peer_driver, on POSIX.
#ifndef WASMPEER_PEER_LOOP_H
#define WASMPEER_PEER_LOOP_H

#include "wasm_host.h"

// argv: the options after <core.wasm> (--port, --udp-port, --bind, --max-sessions).
// Returns the process exit status.
int serve_main(wasm_host *host, int argc, char **argv);

#endif
