// Drives the core's peer ABI (assembly/index.ts, ABI v2) from C the way host/core.ts does from
// TypeScript: SDP in and out through the io buffer, addresses through the 19-byte slots, and
// peer_poll until TIMEOUT after every input. Board-portable: no POSIX calls. The platform gives
// its clocks and its datagram sender as callbacks, so the ESP32-S3 port reuses this file as is.
#ifndef WASMPEER_PEER_DRIVER_H
#define WASMPEER_PEER_DRIVER_H

#include <stddef.h>
#include <stdint.h>
#include "wasm_host.h"

#define PD_ADDR_LEN 19       // [family 1|2, port hi, port lo, 16 address bytes]
#define PD_MAX_REMOTES 8     // remote transport addresses learned per session (for demux)
#define PD_MAX_ECHO 16       // echo channels per session
#define PD_MAX_CANDIDATES 4  // local candidate lines kept for the answer
#define PD_CAND_LEN 256
#define PD_UFRAG_LEN 64
// Echoes waiting for room in the core's send buffer: bounded so a peer that never reads cannot
// grow the host without limit (what does not fit is dropped, and counted).
#define PD_PENDING_MAX_BYTES (1024u * 1024u)

typedef struct pd_platform {
    void *ctx;
    // A datagram from local to remote (both PD_ADDR_LEN bytes). data is valid during the call only.
    void (*transmit)(void *ctx, const uint8_t *local, const uint8_t *remote, const uint8_t *data, uint32_t len);
    uint64_t (*cpu_us)(void *ctx);  // CPU time of this process/task, for the handshake figure
    void (*log)(void *ctx, const char *fmt, ...);
} pd_platform;

typedef struct pd_pending {
    struct pd_pending *next;
    int32_t channel;
    int binary;
    uint32_t len;
    uint8_t data[];
} pd_pending;

typedef struct pd_session {
    int32_t id;            // the core's peer id, -1 when free
    int closing, done;     // peer_close called; peer_poll said NONE (the session may be freed)
    double deadline;       // next peer_poll time in ms (-1: none)
    char ufrag[PD_UFRAG_LEN];  // our ICE ufrag (from the answer): STUN USERNAME demux
    uint8_t remotes[PD_MAX_REMOTES][PD_ADDR_LEN];
    int nremotes;
    int32_t echo[PD_MAX_ECHO];
    int necho;
    char candidates[PD_MAX_CANDIDATES][PD_CAND_LEN];
    int ncandidates;
    pd_pending *pending, *pending_tail;
    uint32_t pending_bytes;
    // Figures: CPU spent in the core for this session, and until it first reached "connected".
    uint64_t cpu_us, handshake_cpu_us;
    double created_ms, connected_ms;  // connected_ms < 0 until connected
    int state;                        // last peer state (0 new ... 5 closed)
    uint64_t echoed_messages, echoed_bytes, dropped_echoes;
} pd_session;

enum {
    PD_F_ABI_VERSION, PD_F_IO_BUFFER, PD_F_IO_RESERVE, PD_F_ADDR_BUFFER, PD_F_OUT_LEN, PD_F_CONFIG_RESET,
    PD_F_CONFIG_SET, PD_F_PEER_NEW, PD_F_PEER_FREE, PD_F_PEER_CLOSE, PD_F_SET_REMOTE, PD_F_CREATE_ANSWER,
    PD_F_ADD_LOCAL_CANDIDATE, PD_F_ADD_REMOTE_CANDIDATE, PD_F_INPUT, PD_F_POLL, PD_F_OUT_EVENT,
    PD_F_OUT_CHANNEL, PD_F_OUT_VALUE, PD_F_OUT_DEADLINE, PD_F_CHANNEL_SEND, PD_F_CHANNEL_LABEL, PD_F_COUNT
};

typedef struct peer_driver {
    wasm_host *host;
    pd_platform platform;
    IM3Function fn[PD_F_COUNT];
    uint32_t pages_peak;
    uint32_t traps;
} peer_driver;

// Finds the exports and checks the ABI version. 0 on success, else -1 (reported via log).
int pd_init(peer_driver *d, wasm_host *host, const pd_platform *platform);

// A new peer answering `offer` (len bytes), with the given host candidates (count addresses of
// PD_ADDR_LEN bytes). On success returns 0 and writes the answer SDP, with our candidates and
// a=end-of-candidates, NUL-terminated into answer (cap bytes). On failure returns an HTTP-ish
// status (400 bad offer, 500 core failure, 507 answer too big) with the reason in answer.
int pd_session_open(peer_driver *d, pd_session *s, const uint8_t *offer, uint32_t len, const uint8_t *hosts,
                    int count, double now, char *answer, size_t cap);

// A trickled remote candidate line ("candidate:..." or "a=candidate:...", or end-of-candidates).
int pd_session_add_remote_candidate(peer_driver *d, pd_session *s, const char *line, uint32_t len);

// A datagram received on local from remote; runs the session until its next deadline.
void pd_session_input(peer_driver *d, pd_session *s, const uint8_t *local, const uint8_t *remote,
                      const uint8_t *data, uint32_t len, double now);

// Runs the session's timers and output until its next deadline (call when it has come).
void pd_session_drive(peer_driver *d, pd_session *s, double now);

// Graceful close; the session is done (pd_session_free) once peer_poll says NONE.
void pd_session_close(peer_driver *d, pd_session *s, double now);
void pd_session_free(peer_driver *d, pd_session *s);

// Whether a datagram from remote belongs to s: a remote it talked with, or a STUN request whose
// USERNAME starts with our ufrag (the first contact from a peer-reflexive address). Learns remote.
int pd_session_owns(pd_session *s, const uint8_t *remote, const uint8_t *data, uint32_t len);

uint32_t pd_pages(peer_driver *d);

#endif
