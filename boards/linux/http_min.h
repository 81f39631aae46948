// The smallest HTTP/1.1 request parser the board's WHEP endpoint needs: one request per
// connection, Content-Length bodies only. Parses bytes, makes no system calls (board-portable).
#ifndef WASMPEER_HTTP_MIN_H
#define WASMPEER_HTTP_MIN_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_HEADER 8192      // request line and headers
#define HTTP_MAX_BODY (64 * 1024) // an SDP offer is a few KiB; a browser's with many codecs < 16 KiB

typedef struct http_request {
    char method[16];
    char path[256];
    char content_type[128];
    const uint8_t *body;  // points into the caller's buffer
    uint32_t body_len;
} http_request;

// Parses the request at the start of buf. Returns 0 when more bytes are needed, the request's
// total length when complete, or -status for a request we refuse (400 malformed, 413 body too
// big, 431 headers too big, 501 chunked or other unsupported framing).
int http_parse(const uint8_t *buf, uint32_t len, http_request *req);

// Status line and headers (with Content-Length, Connection: close and CORS, so a WHEP player
// served elsewhere can use the board) into out; extra is more header lines, each ending "\r\n".
// Returns the length, or -1 when it does not fit.
int http_head(char *out, size_t cap, int status, const char *content_type, const char *extra, size_t body_len);

const char *http_reason(int status);

#endif
