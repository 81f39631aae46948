// `serve`: what a board runs, the same on a desktop and on the ESP32-S3. One thread, one poll()
// loop: the HTTP listener and its few connections (WHEP signaling, /status), one UDP socket
// shared by every session, and the core's deadlines as the poll timeout. Sessions run in the one
// wasm3 instance (the core serves many peers). BSD sockets only (POSIX or lwIP); clocks and the
// memory figure come from platform.h.
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host_imports.h"
#include "http_min.h"
#include "peer_driver.h"
#include "peer_loop.h"
#include "platform.h"
#include "posix_net.h"

// A board build may shrink these (boards/esp32s3 sets them from its CMakeLists).
#ifndef SERVE_MAX_CONNS
#define SERVE_MAX_CONNS 8  // HTTP connections at once, each with a request buffer
#endif
#ifndef SERVE_UDP_MAX
#define SERVE_UDP_MAX 65536  // the largest datagram read whole
#endif
#define MAX_SESSIONS 8
#define MAX_CONNS SERVE_MAX_CONNS
#define CONN_TIMEOUT_MS 10000
#define ANSWER_CAP 16384
#define STATUS_CAP 8192
#define UDP_MAX SERVE_UDP_MAX

typedef struct session {
    pd_session pd;
    int used;
    int counted;        // its handshake went into the totals
    char token[32];     // the resource id in /whep/<token>
} session;

typedef struct conn {
    int fd;             // -1 when free
    uint8_t *buf;
    uint32_t len;
    double since;
} conn;

typedef struct server {
    peer_driver drv;
    int udp, listener;
    uint8_t local[PD_ADDR_LEN];
    session sessions[MAX_SESSIONS];
    int max_sessions;
    conn conns[MAX_CONNS];
    uint8_t *dgram;
    double started;
    uint64_t started_cpu;
    uint64_t opened, handshakes, udp_unrouted, udp_send_errors;
    uint64_t hs_cpu_last, hs_cpu_max, hs_cpu_sum;
    double hs_wall_last, hs_wall_max;
} server;

static void log_line(void *ctx, const char *fmt, ...)
{
    (void)ctx;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void transmit(void *ctx, const uint8_t *local, const uint8_t *remote, const uint8_t *data, uint32_t len)
{
    server *s = ctx;
    struct sockaddr_storage ss;
    socklen_t sl;
    (void)local;  // one socket: every local candidate is its address
    if (net_from_abi(remote, &ss, &sl) == 0 && sendto(s->udp, data, len, 0, (struct sockaddr *)&ss, sl) < 0)
        s->udp_send_errors++;  // a lost datagram; the protocols retransmit
}

static uint64_t cpu_us(void *ctx)
{
    (void)ctx;
    return platform_cpu_us();
}

static const char *const STATES[] = {"new", "connecting", "connected", "disconnected", "failed", "closed"};

static session *find_session(server *s, const char *token)
{
    for (int i = 0; i < MAX_SESSIONS; i++)
        if (s->sessions[i].used && !s->sessions[i].pd.closing && strcmp(s->sessions[i].token, token) == 0) return &s->sessions[i];
    return NULL;
}

static void account(server *s, session *x)
{
    if (x->counted || x->pd.connected_ms < 0) return;
    x->counted = 1;
    s->handshakes++;
    s->hs_cpu_last = x->pd.handshake_cpu_us;
    s->hs_cpu_sum += x->pd.handshake_cpu_us;
    if (x->pd.handshake_cpu_us > s->hs_cpu_max) s->hs_cpu_max = x->pd.handshake_cpu_us;
    s->hs_wall_last = x->pd.connected_ms - x->pd.created_ms;
    if (s->hs_wall_last > s->hs_wall_max) s->hs_wall_max = s->hs_wall_last;
}

// /status: what a board would report about itself.
static int status_json(server *s, char *out, size_t cap)
{
    size_t n = 0;
    uint32_t pages = pd_pages(&s->drv);
#define PUT(...) do { int w = snprintf(out + n, cap - n, __VA_ARGS__); if (w < 0 || (size_t)w >= cap - n) return -1; n += (size_t)w; } while (0)
    PUT("{\"uptime_ms\":%.0f,\"cpu_ms\":%.1f,\"memory\":{\"pages\":%" PRIu32 ",\"pages_peak\":%" PRIu32
        ",\"linear_bytes\":%" PRIu32 ",\"linear_peak_bytes\":%" PRIu32 ",\"rss_peak_kib\":%ld},",
        platform_now_ms() - s->started, (platform_cpu_us() - s->started_cpu) / 1000.0, pages, s->drv.pages_peak,
        pages * 65536u, s->drv.pages_peak * 65536u, platform_mem_peak_kib());
    PUT("\"handshakes\":{\"count\":%" PRIu64 ",\"last_cpu_ms\":%.1f,\"max_cpu_ms\":%.1f,\"mean_cpu_ms\":%.1f,"
        "\"last_ms\":%.1f,\"max_ms\":%.1f},",
        s->handshakes, s->hs_cpu_last / 1000.0, s->hs_cpu_max / 1000.0,
        s->handshakes ? s->hs_cpu_sum / 1000.0 / (double)s->handshakes : 0.0, s->hs_wall_last, s->hs_wall_max);
    PUT("\"sessions_opened\":%" PRIu64 ",\"traps\":%" PRIu32 ",\"udp_unrouted\":%" PRIu64 ",\"sessions\":[",
        s->opened, s->drv.traps, s->udp_unrouted);
    int first = 1;
    for (int i = 0; i < MAX_SESSIONS; i++) {
        session *x = &s->sessions[i];
        if (!x->used) continue;
        pd_session *p = &x->pd;
        PUT("%s{\"id\":\"%s\",\"state\":\"%s\",\"handshake_ms\":%.1f,\"handshake_cpu_ms\":%.1f,\"cpu_ms\":%.1f,"
            "\"echoed_messages\":%" PRIu64 ",\"echoed_bytes\":%" PRIu64 ",\"dropped_echoes\":%" PRIu64 "}",
            first ? "" : ",", x->token, p->state >= 0 && p->state <= 5 ? STATES[p->state] : "?",
            p->connected_ms >= 0 ? p->connected_ms - p->created_ms : -1.0,
            p->connected_ms >= 0 ? p->handshake_cpu_us / 1000.0 : -1.0, p->cpu_us / 1000.0, p->echoed_messages,
            p->echoed_bytes, p->dropped_echoes);
        first = 0;
    }
    PUT("]}\n");
#undef PUT
    return (int)n;
}

static void respond(conn *c, int status, const char *ctype, const char *extra, const char *body, size_t len)
{
    char head[1024];
    int h = http_head(head, sizeof head, status, ctype, extra, len);
    if (h > 0 && net_send_all(c->fd, head, (size_t)h, 2000) == 0 && len > 0) net_send_all(c->fd, body, len, 2000);
}

static void respond_text(conn *c, int status, const char *text)
{
    char body[512];
    int n = snprintf(body, sizeof body, "%s\n", text);
    respond(c, status, "text/plain", NULL, body, n > 0 && (size_t)n < sizeof body ? (size_t)n : strlen(body));
}

static void whep_post(server *s, conn *c, const http_request *req)
{
    if (strncasecmp(req->content_type, "application/sdp", 15) != 0) return respond_text(c, 415, "POST /whep wants Content-Type: application/sdp");
    session *x = NULL;
    int live = 0;
    for (int i = 0; i < MAX_SESSIONS; i++) {
        if (s->sessions[i].used) live++;
        else if (!x) x = &s->sessions[i];
    }
    if (!x || live >= s->max_sessions) return respond(c, 503, "text/plain", "Retry-After: 5\r\n", "all sessions are in use\n", 24);
    char *answer = malloc(ANSWER_CAP);
    if (!answer) return respond_text(c, 503, "out of memory");
    double now = platform_now_ms();
    int status = pd_session_open(&s->drv, &x->pd, req->body, req->body_len, s->local, 1, now, answer, ANSWER_CAP);
    if (status) {
        fprintf(stderr, "whep: offer refused (%d): %s\n", status, answer);
        respond_text(c, status, answer);
    } else {
        uint8_t rnd[4] = {0};
        host_random(NULL, rnd, sizeof rnd);
        x->used = 1;
        x->counted = 0;
        s->opened++;
        snprintf(x->token, sizeof x->token, "%" PRIu64 "-%02x%02x%02x%02x", s->opened, rnd[0], rnd[1], rnd[2], rnd[3]);
        char location[96];
        snprintf(location, sizeof location, "Location: /whep/%s\r\n", x->token);
        fprintf(stderr, "whep: session %s (peer %" PRId32 ") answered\n", x->token, x->pd.id);
        respond(c, 201, "application/sdp", location, answer, strlen(answer));
    }
    free(answer);
}

// PATCH with an RFC 8840 fragment: the a=candidate lines and end-of-candidates go to the core.
static void whep_patch(server *s, session *x, conn *c, const http_request *req)
{
    const char *p = (const char *)req->body, *end = p + req->body_len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *stop = eol ? eol : end;
        size_t n = (size_t)(stop - p);
        if (n > 0 && p[n - 1] == '\r') n--;
        if ((n > 12 && memcmp(p, "a=candidate:", 12) == 0) || (n == 19 && memcmp(p, "a=end-of-candidates", 19) == 0))
            pd_session_add_remote_candidate(&s->drv, &x->pd, p + 2, (uint32_t)(n - 2));
        p = stop + 1;
    }
    pd_session_drive(&s->drv, &x->pd, platform_now_ms());
    respond(c, 204, NULL, NULL, NULL, 0);
}

static void route(server *s, conn *c, const http_request *req)
{
    const char *m = req->method, *path = req->path;
    if (!strcmp(m, "OPTIONS"))
        return respond(c, 204, NULL, "Access-Control-Allow-Methods: GET, POST, PATCH, DELETE, OPTIONS\r\n"
                                     "Access-Control-Allow-Headers: Content-Type\r\n", NULL, 0);
    if (!strcmp(path, "/status")) {
        if (strcmp(m, "GET")) return respond(c, 405, "text/plain", "Allow: GET\r\n", "GET only\n", 9);
        char *body = malloc(STATUS_CAP);  // not on the stack: a board task's stack is small
        int n = body ? status_json(s, body, STATUS_CAP) : -1;
        if (n < 0) respond_text(c, 500, body ? "status too big" : "out of memory");
        else respond(c, 200, "application/json", NULL, body, (size_t)n);
        free(body);
        return;
    }
    if (!strcmp(path, "/whep")) {
        if (strcmp(m, "POST")) return respond(c, 405, "text/plain", "Allow: POST\r\n", "POST an offer\n", 14);
        return whep_post(s, c, req);
    }
    if (!strncmp(path, "/whep/", 6)) {
        session *x = find_session(s, path + 6);
        if (!x) return respond_text(c, 404, "no such session");
        if (!strcmp(m, "DELETE")) {
            fprintf(stderr, "whep: session %s deleted by the client\n", x->token);
            pd_session_close(&s->drv, &x->pd, platform_now_ms());
            return respond(c, 200, NULL, NULL, NULL, 0);
        }
        if (!strcmp(m, "PATCH")) return whep_patch(s, x, c, req);
        return respond(c, 405, "text/plain", "Allow: PATCH, DELETE\r\n", "PATCH or DELETE\n", 16);
    }
    respond_text(c, 404, "not found (POST /whep, DELETE /whep/<id>, GET /status)");
}

static void conn_close(conn *c)
{
    close(c->fd);
    free(c->buf);
    c->fd = -1;
    c->buf = NULL;
    c->len = 0;
}

static void conn_readable(server *s, conn *c)
{
    const uint32_t cap = HTTP_MAX_HEADER + 4 + HTTP_MAX_BODY;
    ssize_t n = recv(c->fd, c->buf + c->len, cap - c->len, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return conn_close(c);
    if (n < 0) return;
    c->len += (uint32_t)n;
    http_request req;
    int r = http_parse(c->buf, c->len, &req);
    if (r == 0 && c->len < cap) return;  // more to come
    if (r <= 0) respond_text(c, r < 0 ? -r : 413, "bad request");
    else route(s, c, &req);
    conn_close(c);
}

static void accept_conns(server *s)
{
    for (;;) {
        int fd = accept(s->listener, NULL, NULL);
        if (fd < 0) return;
        if (net_set_nonblocking(fd) < 0) {
            close(fd);
            continue;
        }
        conn *c = NULL;
        for (int i = 0; i < MAX_CONNS && !c; i++)
            if (s->conns[i].fd < 0) c = &s->conns[i];
        uint8_t *buf = c ? malloc(HTTP_MAX_HEADER + 4 + HTTP_MAX_BODY) : NULL;
        if (!buf) {
            conn tmp = {.fd = fd};
            respond_text(&tmp, 503, "busy");
            close(fd);
            continue;
        }
        c->fd = fd;
        c->buf = buf;
        c->len = 0;
        c->since = platform_now_ms();
    }
}

static void udp_readable(server *s)
{
    // Bounded per wakeup so HTTP and timers are not starved by a flood.
    for (int k = 0; k < 256; k++) {
        struct sockaddr_storage from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(s->udp, s->dgram, UDP_MAX, 0, (struct sockaddr *)&from, &fl);
        if (n < 0) return;
        uint8_t remote[PD_ADDR_LEN];
        if (net_to_abi(&from, remote)) continue;
        session *owner = NULL;
        for (int i = 0; i < MAX_SESSIONS && !owner; i++) {
            session *x = &s->sessions[i];
            if (x->used && !x->pd.done && pd_session_owns(&x->pd, remote, s->dgram, (uint32_t)n)) owner = x;
        }
        if (!owner) {
            s->udp_unrouted++;
            continue;
        }
        pd_session_input(&s->drv, &owner->pd, s->local, remote, s->dgram, (uint32_t)n, platform_now_ms());
        account(s, owner);
    }
}

// Timers that came due, failed peers to close, finished sessions to free; returns the poll timeout.
static int housekeeping(server *s)
{
    double now = platform_now_ms(), next = now + 1000;
    for (int i = 0; i < MAX_SESSIONS; i++) {
        session *x = &s->sessions[i];
        if (!x->used) continue;
        if (x->pd.deadline >= 0 && x->pd.deadline <= now) pd_session_drive(&s->drv, &x->pd, now);
        if (!x->pd.closing && (x->pd.state == 4 || x->pd.state == 5)) {
            fprintf(stderr, "whep: session %s %s\n", x->token, STATES[x->pd.state]);
            pd_session_close(&s->drv, &x->pd, now);
        }
        account(s, x);
        if (x->pd.done) {
            fprintf(stderr, "whep: session %s ended (%.1f ms CPU in the core)\n", x->token, x->pd.cpu_us / 1000.0);
            pd_session_free(&s->drv, &x->pd);
            x->used = 0;
            continue;
        }
        if (x->pd.deadline >= 0 && x->pd.deadline < next) next = x->pd.deadline;
    }
    for (int i = 0; i < MAX_CONNS; i++)
        if (s->conns[i].fd >= 0 && now - s->conns[i].since > CONN_TIMEOUT_MS) conn_close(&s->conns[i]);
    double wait = next - now;
    return wait <= 0 ? 0 : (int)(wait + 0.999);
}

static void summary(server *s)
{
    printf("serve: sessions=%" PRIu64 " handshakes=%" PRIu64 " handshake_cpu_ms_last=%.1f handshake_cpu_ms_max=%.1f "
           "handshake_ms_max=%.1f pages=%" PRIu32 " pages_peak=%" PRIu32 " linear_peak_bytes=%" PRIu32
           " rss_peak_kib=%ld traps=%" PRIu32 "\n",
           s->opened, s->handshakes, s->hs_cpu_last / 1000.0, s->hs_cpu_max / 1000.0, s->hs_wall_max,
           pd_pages(&s->drv), s->drv.pages_peak, s->drv.pages_peak * 65536u, platform_mem_peak_kib(), s->drv.traps);
    fflush(stdout);
}

int serve_run(wasm_host *host, const serve_config *cfg)
{
    const char *bind_ip = cfg->bind_ip;
    if (cfg->max_sessions < 1 || cfg->max_sessions > MAX_SESSIONS) {
        fprintf(stderr, "serve: max sessions must be between 1 and %d\n", MAX_SESSIONS);
        return 2;
    }
    // A wildcard address is no candidate a peer can reach, and one socket cannot tell which
    // interface a datagram came in on without more machinery than a board has.
    if (!strcmp(bind_ip, "0.0.0.0") || !strcmp(bind_ip, "::")) {
        fprintf(stderr, "serve: --bind needs a specific address (it becomes the host candidate), e.g. the LAN address\n");
        return 2;
    }
    static server s;
    memset(&s, 0, sizeof s);
    for (int i = 0; i < MAX_CONNS; i++) s.conns[i].fd = -1;
    s.max_sessions = cfg->max_sessions;
    pd_platform platform = {.ctx = &s, .transmit = transmit, .cpu_us = cpu_us, .log = log_line};
    if (pd_init(&s.drv, host, &platform)) return 1;
    s.udp = net_udp_open(bind_ip, cfg->udp_port, s.local);
    int http_port = 0;
    s.listener = s.udp >= 0 ? net_tcp_listen(bind_ip, cfg->http_port, &http_port) : -1;
    s.dgram = malloc(UDP_MAX);
    if (s.udp < 0 || s.listener < 0 || !s.dgram) return 1;

    char udp_text[64];
    net_format(s.local, udp_text, sizeof udp_text);
    s.started = platform_now_ms();
    s.started_cpu = platform_cpu_us();
    // The test (and a person) waits for this line: the ports are known once it is out.
    printf("serve: http=%s:%d udp=%s pages=%" PRIu32 "\n", bind_ip, http_port, udp_text, pd_pages(&s.drv));
    fflush(stdout);

    while (!(cfg->stop && *cfg->stop)) {
        int timeout = housekeeping(&s);
        // Only open sockets go in: ESP-IDF's poll (over select) does not skip negative fds everywhere.
        struct pollfd fds[2 + MAX_CONNS];
        conn *owners[2 + MAX_CONNS];
        int n = 0;
        fds[n++] = (struct pollfd){.fd = s.udp, .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = s.listener, .events = POLLIN};
        for (int i = 0; i < MAX_CONNS; i++) {
            if (s.conns[i].fd < 0) continue;
            owners[n] = &s.conns[i];
            fds[n++] = (struct pollfd){.fd = s.conns[i].fd, .events = POLLIN};
        }
        int r = poll(fds, (nfds_t)n, timeout);
        if (r < 0 && errno != EINTR) {
            perror("poll");
            break;
        }
        if (r <= 0) continue;
        if (fds[0].revents & POLLIN) udp_readable(&s);
        // Connections before accepting new ones: accept may reuse a slot closed just now.
        for (int i = 2; i < n; i++)
            if (fds[i].revents && owners[i]->fd == fds[i].fd) conn_readable(&s, owners[i]);
        if (fds[1].revents & POLLIN) accept_conns(&s);
    }

    summary(&s);
    for (int i = 0; i < MAX_SESSIONS; i++)
        if (s.sessions[i].used) pd_session_free(&s.drv, &s.sessions[i].pd);
    for (int i = 0; i < MAX_CONNS; i++)
        if (s.conns[i].fd >= 0) conn_close(&s.conns[i]);
    close(s.udp);
    close(s.listener);
    free(s.dgram);
    return s.drv.traps ? 1 : 0;
}
