// Drives the core's peer ABI from C: see peer_driver.h. No POSIX here (the ESP32-S3 port links it).
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peer_driver.h"

static const char *const export_names[PD_F_COUNT] = {
    "abi_version", "io_buffer", "io_reserve", "addr_buffer", "out_len", "config_reset",
    "config_set", "peer_new", "peer_free", "peer_close", "peer_set_remote_description", "peer_create_answer",
    "peer_add_local_candidate", "peer_add_remote_candidate", "peer_input", "peer_poll", "out_event",
    "out_channel", "out_value", "out_deadline", "channel_send", "channel_label",
};

enum { POLL_NONE = 0, POLL_TRANSMIT = 1, POLL_EVENT = 2, POLL_TIMEOUT = 3 };
enum { EV_STATE = 1, EV_LOCAL_CANDIDATE = 2, EV_CHANNEL_OPEN = 4, EV_MESSAGE = 5, EV_CHANNEL_CLOSED = 6, EV_ERROR = 10 };
enum { SEND_OK = 0, SEND_BUFFER_FULL = 3 };
#define PEER_CONNECTED 2

#define LOG(d, ...) ((d)->platform.log ? (d)->platform.log((d)->platform.ctx, __VA_ARGS__) : (void)0)

// Calls an export with numeric arguments, each converted to the parameter's wasm type (the ABI
// mixes i32 handles and lengths with f64 times). The first result, as a double, goes to *ret.
// A trap is reported and counted; the caller treats it like a failed call.
static int call(peer_driver *d, int which, double *ret, int argc, ...)
{
    IM3Function f = d->fn[which];
    int32_t i32[8];
    int64_t i64[8];
    double f64[8];
    float f32[8];
    const void *ptrs[8];
    if (argc > 8 || (uint32_t)argc != m3_GetArgCount(f)) return -1;
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++) {
        double v = va_arg(ap, double);
        switch (m3_GetArgType(f, i)) {
        case c_m3Type_i32: i32[i] = (int32_t)(int64_t)v; ptrs[i] = &i32[i]; break;
        case c_m3Type_i64: i64[i] = (int64_t)v; ptrs[i] = &i64[i]; break;
        case c_m3Type_f32: f32[i] = (float)v; ptrs[i] = &f32[i]; break;
        default: f64[i] = v; ptrs[i] = &f64[i]; break;
        }
    }
    va_end(ap);
    m3_ResetErrorInfo(d->host->runtime);
    M3Result r = m3_Call(f, (uint32_t)argc, ptrs);
    uint32_t pages = wasm_host_pages(d->host);
    if (pages > d->pages_peak) d->pages_peak = pages;
    if (r) {
        d->traps++;
        wasm_host_report(d->host, export_names[which], r);
        return -1;
    }
    double out = 0;
    if (m3_GetRetCount(f) > 0) {
        uint64_t slot = 0;
        const void *rets[1] = {&slot};
        if (m3_GetResults(f, 1, rets)) return -1;
        switch (m3_GetRetType(f, 0)) {
        case c_m3Type_i32: out = (double)(int32_t)(uint32_t)slot; break;
        case c_m3Type_i64: out = (double)(int64_t)slot; break;
        case c_m3Type_f32: { float x; uint32_t b = (uint32_t)slot; memcpy(&x, &b, 4); out = x; break; }
        default: memcpy(&out, &slot, 8); break;
        }
    }
    if (ret) *ret = out;
    return 0;
}

// Linear memory [ptr, ptr+len), re-read on every use: memory.grow may move it.
static uint8_t *span(peer_driver *d, double ptr, uint32_t len)
{
    uint32_t size = 0;
    uint8_t *m = m3_GetMemory(d->host->runtime, &size, 0);
    if (!m || ptr < 0 || (uint64_t)(uint32_t)ptr + len > size) return NULL;
    return m + (uint32_t)ptr;
}

static int put_io(peer_driver *d, const uint8_t *data, uint32_t len)
{
    double ptr;
    if (call(d, PD_F_IO_RESERVE, &ptr, 1, (double)len) || (ptr == 0 && len > 0)) return -1;
    uint8_t *p = span(d, ptr, len);
    if (!p) return -1;
    memcpy(p, data, len);
    return 0;
}

// The io buffer's first len bytes (the output of the last call), or NULL.
static uint8_t *io_bytes(peer_driver *d, uint32_t len)
{
    double ptr;
    if (call(d, PD_F_IO_BUFFER, &ptr, 0)) return NULL;
    return span(d, ptr, len);
}

static uint8_t *addr_slots(peer_driver *d)
{
    double ptr;
    if (call(d, PD_F_ADDR_BUFFER, &ptr, 0)) return NULL;
    return span(d, ptr, 3 * PD_ADDR_LEN);
}

static int put_addrs(peer_driver *d, const uint8_t *a0, const uint8_t *a1)
{
    uint8_t *slots = addr_slots(d);
    if (!slots) return -1;
    memset(slots, 0, 3 * PD_ADDR_LEN);
    if (a0) memcpy(slots, a0, PD_ADDR_LEN);
    if (a1) memcpy(slots + PD_ADDR_LEN, a1, PD_ADDR_LEN);
    return 0;
}

static int32_t out_len(peer_driver *d)
{
    double n = 0;
    return call(d, PD_F_OUT_LEN, &n, 0) || n < 0 ? 0 : (int32_t)n;
}

int pd_init(peer_driver *d, wasm_host *host, const pd_platform *platform)
{
    memset(d, 0, sizeof *d);
    d->host = host;
    d->platform = *platform;
    for (int i = 0; i < PD_F_COUNT; i++) {
        if (m3_FindFunction(&d->fn[i], host->runtime, export_names[i])) {
            LOG(d, "error: the module does not export %s: is it a core build (build/core-*.wasm)?", export_names[i]);
            return -1;
        }
    }
    double v = 0;
    if (call(d, PD_F_ABI_VERSION, &v, 0) || v != 2) {
        LOG(d, "error: core ABI version %g, this host speaks 2", v);
        return -1;
    }
    d->pages_peak = wasm_host_pages(host);
    return 0;
}

uint32_t pd_pages(peer_driver *d)
{
    return wasm_host_pages(d->host);
}

static int same_addr(const uint8_t *a, const uint8_t *b)
{
    return memcmp(a, b, PD_ADDR_LEN) == 0;
}

// Remembers a remote the session talks with (oldest forgotten first when full).
static void learn_remote(pd_session *s, const uint8_t *remote)
{
    for (int i = 0; i < s->nremotes; i++)
        if (same_addr(s->remotes[i], remote)) return;
    if (s->nremotes == PD_MAX_REMOTES) {
        memmove(s->remotes[0], s->remotes[1], (PD_MAX_REMOTES - 1) * PD_ADDR_LEN);
        s->nremotes--;
    }
    memcpy(s->remotes[s->nremotes++], remote, PD_ADDR_LEN);
}

static int is_echo(pd_session *s, int32_t ch)
{
    for (int i = 0; i < s->necho; i++)
        if (s->echo[i] == ch) return 1;
    return 0;
}

static void enqueue(peer_driver *d, pd_session *s, int32_t ch, int binary, const uint8_t *data, uint32_t len)
{
    pd_pending *p = NULL;
    if (s->pending_bytes + len <= PD_PENDING_MAX_BYTES) p = malloc(sizeof *p + (len ? len : 1));
    if (!p) {
        s->dropped_echoes++;
        LOG(d, "warn: session %d: echo of %u bytes dropped (%u bytes already waiting)", s->id, len, s->pending_bytes);
        return;
    }
    p->next = NULL;
    p->channel = ch;
    p->binary = binary;
    p->len = len;
    memcpy(p->data, data, len);
    if (s->pending_tail) s->pending_tail->next = p;
    else s->pending = p;
    s->pending_tail = p;
    s->pending_bytes += len;
}

// Moves waiting echoes into the core while its send buffer has room; 1 when any moved.
static int flush(peer_driver *d, pd_session *s, double now)
{
    int moved = 0;
    while (s->pending) {
        pd_pending *p = s->pending;
        double r = -1;
        if (put_io(d, p->data, p->len) == 0 && call(d, PD_F_CHANNEL_SEND, &r, 5, (double)s->id, (double)p->channel, (double)p->len, (double)p->binary, now)) r = -1;
        if (r == SEND_BUFFER_FULL) break;
        if (r == SEND_OK) {
            s->echoed_messages++;
            s->echoed_bytes += p->len;
        } else {
            s->dropped_echoes++;  // the channel closed meanwhile, or the core failed
        }
        s->pending = p->next;
        if (!s->pending) s->pending_tail = NULL;
        s->pending_bytes -= p->len;
        free(p);
        moved = 1;
    }
    return moved;
}

// The device's `echo` channel: each message goes back as it came. The message is still in the io
// buffer, so when nothing waits ahead of it the send needs no copy (what a board wants).
static void echo_message(peer_driver *d, pd_session *s, int32_t ch, int binary, uint32_t len, double now)
{
    double r = -1;
    if (!s->pending && call(d, PD_F_CHANNEL_SEND, &r, 5, (double)s->id, (double)ch, (double)len, (double)binary, now) == 0) {
        if (r == SEND_OK) {
            s->echoed_messages++;
            s->echoed_bytes += len;
            return;
        }
        if (r != SEND_BUFFER_FULL) {
            s->dropped_echoes++;
            LOG(d, "warn: session %d: echo on channel %d refused (code %g)", s->id, ch, r);
            return;
        }
    }
    uint8_t *data = io_bytes(d, len);
    if (data) enqueue(d, s, ch, binary, data, len);
}

static void on_event(peer_driver *d, pd_session *s, double now, uint64_t cpu_t0)
{
    double kind = 0, ch = -1, value = 0;
    call(d, PD_F_OUT_EVENT, &kind, 0);
    call(d, PD_F_OUT_CHANNEL, &ch, 0);
    call(d, PD_F_OUT_VALUE, &value, 0);
    int32_t len = out_len(d);
    switch ((int)kind) {
    case EV_STATE:
        s->state = (int)value;
        if (value == PEER_CONNECTED && s->connected_ms < 0) {
            s->connected_ms = now;
            s->handshake_cpu_us = s->cpu_us + (d->platform.cpu_us ? d->platform.cpu_us(d->platform.ctx) - cpu_t0 : 0);
            LOG(d, "info: session %d connected after %.0f ms, %.1f ms CPU in the core, %u pages of linear memory",
                s->id, now - s->created_ms, s->handshake_cpu_us / 1000.0, pd_pages(d));
        }
        break;
    case EV_LOCAL_CANDIDATE: {
        uint8_t *text = io_bytes(d, (uint32_t)len);
        if (text && len > 0 && len < PD_CAND_LEN && s->ncandidates < PD_MAX_CANDIDATES) {
            memcpy(s->candidates[s->ncandidates], text, (size_t)len);
            s->candidates[s->ncandidates++][len] = 0;
        }
        break;
    }
    case EV_CHANNEL_OPEN: {
        double n = -1;
        if (call(d, PD_F_CHANNEL_LABEL, &n, 2, (double)s->id, ch) || n != 4) break;
        uint8_t *label = io_bytes(d, 4);
        if (label && memcmp(label, "echo", 4) == 0 && s->necho < PD_MAX_ECHO) s->echo[s->necho++] = (int32_t)ch;
        break;
    }
    case EV_MESSAGE:
        if (is_echo(s, (int32_t)ch)) echo_message(d, s, (int32_t)ch, value == 1, (uint32_t)len, now);
        break;
    case EV_CHANNEL_CLOSED:
        for (int i = 0; i < s->necho; i++)
            if (s->echo[i] == (int32_t)ch) s->echo[i] = s->echo[--s->necho];
        break;
    case EV_ERROR: {
        uint8_t *text = io_bytes(d, (uint32_t)len);
        LOG(d, "warn: session %d: %.*s", s->id, text ? (int)(len > 200 ? 200 : len) : 0, text ? (const char *)text : "");
        break;
    }
    default:
        break;  // ICE state, selected pair, mDNS (peer-reflexive discovery connects without it)
    }
}

// peer_poll until TIMEOUT or NONE, as the ABI asks after every input and call.
static void run(peer_driver *d, pd_session *s, double now, uint64_t cpu_t0)
{
    for (int round = 0; round < 16; round++) {
        flush(d, s, now);
        for (int n = 0; n < 100000; n++) {
            double k = -1;
            if (call(d, PD_F_POLL, &k, 2, (double)s->id, now)) k = POLL_NONE;
            if (k == POLL_TRANSMIT) {
                int32_t len = out_len(d);
                uint8_t *slots = addr_slots(d);
                uint8_t local[PD_ADDR_LEN], remote[PD_ADDR_LEN];
                if (!slots) continue;
                memcpy(local, slots, PD_ADDR_LEN);
                memcpy(remote, slots + PD_ADDR_LEN, PD_ADDR_LEN);
                uint8_t *data = io_bytes(d, (uint32_t)len);
                learn_remote(s, remote);
                if (data && d->platform.transmit) d->platform.transmit(d->platform.ctx, local, remote, data, (uint32_t)len);
            } else if (k == POLL_EVENT) {
                on_event(d, s, now, cpu_t0);
            } else if (k == POLL_TIMEOUT) {
                double t = -1;
                call(d, PD_F_OUT_DEADLINE, &t, 0);
                s->deadline = t;
                break;
            } else {
                s->done = 1;
                s->deadline = -1;
                return;
            }
        }
        // Echoes sent during the poll may have left others waiting for acknowledged room.
        if (!s->pending || !flush(d, s, now)) break;
    }
}

static uint64_t cpu_now(peer_driver *d)
{
    return d->platform.cpu_us ? d->platform.cpu_us(d->platform.ctx) : 0;
}

// Extracts the value of the first "a=ice-ufrag:" line.
static void find_ufrag(const char *sdp, char *out, size_t cap)
{
    const char *p = strstr(sdp, "a=ice-ufrag:");
    out[0] = 0;
    if (!p) return;
    p += 12;
    size_t n = strcspn(p, "\r\n");
    if (n >= cap) n = cap - 1;
    memcpy(out, p, n);
    out[n] = 0;
}

// Adds our candidates the answer lacks to its first m-section (the BUNDLE transport) and
// a=end-of-candidates, so the client needs no trickle from us (RFC 8839 §5.1, RFC 8840 §8.2).
static int add_candidates(pd_session *s, const char *sdp, size_t sdp_len, char *out, size_t cap)
{
    const char *m = strstr(sdp, "\nm=");
    const char *end = m ? strstr(m + 1, "\nm=") : NULL;
    size_t at = m ? (end ? (size_t)(end - sdp) + 1 : sdp_len) : sdp_len;
    size_t n = 0;
    if (at > cap) return -1;
    memcpy(out, sdp, at);
    n = at;
    if (at > 0 && out[at - 1] != '\n') return -1;  // an SDP ends its lines; ours always does
    for (int i = 0; i < s->ncandidates; i++) {
        const char *c = s->candidates[i];
        if (strncmp(c, "a=", 2) == 0) c += 2;
        // Already there (the core may put gathered candidates into the description itself).
        char *found = NULL;
        for (const char *p = sdp; (p = strstr(p, c)) != NULL; p++)
            if (p >= sdp + 2 && memcmp(p - 2, "a=", 2) == 0) { found = (char *)p; break; }
        if (found) continue;
        int w = snprintf(out + n, cap - n, "a=%s\r\n", c);
        if (w < 0 || (size_t)w >= cap - n) return -1;
        n += (size_t)w;
    }
    if (!strstr(sdp, "a=end-of-candidates")) {
        int w = snprintf(out + n, cap - n, "a=end-of-candidates\r\n");
        if (w < 0 || (size_t)w >= cap - n) return -1;
        n += (size_t)w;
    }
    if (sdp_len - at + 1 > cap - n) return -1;
    memcpy(out + n, sdp + at, sdp_len - at);
    n += sdp_len - at;
    out[n] = 0;
    return (int)n;
}

static void reason(peer_driver *d, char *out, size_t cap, const char *what)
{
    int32_t len = out_len(d);
    uint8_t *text = len > 0 ? io_bytes(d, (uint32_t)len) : NULL;
    snprintf(out, cap, "%s: %.*s", what, text ? (int)(len > 300 ? 300 : len) : 0, text ? (const char *)text : "");
}

int pd_session_open(peer_driver *d, pd_session *s, const uint8_t *offer, uint32_t len, const uint8_t *hosts,
                    int count, double now, char *answer, size_t cap)
{
    uint64_t t0 = cpu_now(d);
    double id = -1, r = -1;
    memset(s, 0, sizeof *s);
    s->id = -1;
    s->deadline = -1;
    s->created_ms = now;
    s->connected_ms = -1;
    if (call(d, PD_F_CONFIG_RESET, NULL, 0) || call(d, PD_F_PEER_NEW, &id, 0) || id < 0) {
        snprintf(answer, cap, "the core could not create a peer");
        return 500;
    }
    s->id = (int32_t)id;
    for (int i = 0; i < count; i++) {
        if (put_addrs(d, hosts + i * PD_ADDR_LEN, NULL) == 0) call(d, PD_F_ADD_LOCAL_CANDIDATE, &r, 2, id, 0.0);
    }
    if (put_io(d, offer, len)) {
        snprintf(answer, cap, "the offer does not fit the core's io buffer");
        pd_session_free(d, s);
        return 413;
    }
    if (call(d, PD_F_SET_REMOTE, &r, 3, id, 0.0, (double)len) || r != 0) {
        reason(d, answer, cap, "offer rejected");
        pd_session_free(d, s);
        return 400;
    }
    if (call(d, PD_F_CREATE_ANSWER, &r, 1, id) || r < 0) {
        reason(d, answer, cap, "no answer");
        pd_session_free(d, s);
        return 400;
    }
    // Copied out before polling, which reuses the io buffer.
    uint32_t alen = (uint32_t)r;
    uint8_t *sdp_io = io_bytes(d, alen);
    char *sdp = malloc(alen + 1);
    if (!sdp_io || !sdp) {
        free(sdp);
        snprintf(answer, cap, "out of memory");
        pd_session_free(d, s);
        return 500;
    }
    memcpy(sdp, sdp_io, alen);
    sdp[alen] = 0;
    find_ufrag(sdp, s->ufrag, sizeof s->ufrag);
    run(d, s, now, t0);  // gathers the LocalCandidate events, starts connectivity checks
    int n = add_candidates(s, sdp, alen, answer, cap);
    free(sdp);
    s->cpu_us += cpu_now(d) - t0;
    if (n < 0) {
        snprintf(answer, cap, "the answer is too big");
        pd_session_free(d, s);
        return 500;
    }
    return 0;
}

int pd_session_add_remote_candidate(peer_driver *d, pd_session *s, const char *line, uint32_t len)
{
    uint64_t t0 = cpu_now(d);
    double r = 0;
    if (len > 1100 || put_io(d, (const uint8_t *)line, len) || call(d, PD_F_ADD_REMOTE_CANDIDATE, &r, 2, (double)s->id, (double)len)) r = 0;
    s->cpu_us += cpu_now(d) - t0;
    return r == 1;
}

void pd_session_input(peer_driver *d, pd_session *s, const uint8_t *local, const uint8_t *remote,
                      const uint8_t *data, uint32_t len, double now)
{
    uint64_t t0 = cpu_now(d);
    if (put_io(d, data, len) == 0 && put_addrs(d, local, remote) == 0)
        call(d, PD_F_INPUT, NULL, 3, (double)s->id, (double)len, now);
    run(d, s, now, t0);
    s->cpu_us += cpu_now(d) - t0;
}

void pd_session_drive(peer_driver *d, pd_session *s, double now)
{
    uint64_t t0 = cpu_now(d);
    run(d, s, now, t0);
    s->cpu_us += cpu_now(d) - t0;
}

void pd_session_close(peer_driver *d, pd_session *s, double now)
{
    uint64_t t0 = cpu_now(d);
    if (!s->closing) call(d, PD_F_PEER_CLOSE, NULL, 2, (double)s->id, now);
    s->closing = 1;
    run(d, s, now, t0);
    s->cpu_us += cpu_now(d) - t0;
}

void pd_session_free(peer_driver *d, pd_session *s)
{
    if (s->id >= 0) call(d, PD_F_PEER_FREE, NULL, 1, (double)s->id);
    while (s->pending) {
        pd_pending *p = s->pending;
        s->pending = p->next;
        free(p);
    }
    s->pending_tail = NULL;
    s->pending_bytes = 0;
    s->id = -1;
}

int pd_session_owns(pd_session *s, const uint8_t *remote, const uint8_t *data, uint32_t len)
{
    for (int i = 0; i < s->nremotes; i++)
        if (same_addr(s->remotes[i], remote)) return 1;
    // A STUN Binding request (RFC 8489 §5: top bits 00, magic cookie) carrying USERNAME
    // "<our ufrag>:<theirs>" (RFC 8445 §7.2.2). Every length comes from the network: bounded.
    if (len < 20 || data[0] != 0x00 || data[1] != 0x01) return 0;
    if (data[4] != 0x21 || data[5] != 0x12 || data[6] != 0xA4 || data[7] != 0x42) return 0;
    uint32_t body = (uint32_t)data[2] << 8 | data[3];
    uint32_t end = 20 + body < len ? 20 + body : len;
    size_t ulen = strlen(s->ufrag);
    for (uint32_t p = 20; p + 4 <= end;) {
        uint32_t type = (uint32_t)data[p] << 8 | data[p + 1];
        uint32_t alen = (uint32_t)data[p + 2] << 8 | data[p + 3];
        if (alen > end - p - 4) return 0;
        if (type == 0x0006) {
            const uint8_t *u = data + p + 4;
            if (ulen > 0 && alen > ulen && memcmp(u, s->ufrag, ulen) == 0 && u[ulen] == ':') {
                learn_remote(s, remote);
                return 1;
            }
            return 0;
        }
        p += 4 + ((alen + 3) & ~3u);
    }
    return 0;
}
