// See http_min.h. Everything here comes from the network: every index is checked against len.
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http_min.h"

// The end of the header block ("\r\n\r\n"), or -1.
static int header_end(const uint8_t *buf, uint32_t len)
{
    for (uint32_t i = 0; i + 3 < len; i++)
        if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') return (int)i;
    return -1;
}

// Copies [p, p+n) into a NUL-terminated field; 0 when it does not fit.
static int field(char *dst, size_t cap, const uint8_t *p, size_t n)
{
    if (n >= cap) return 0;
    memcpy(dst, p, n);
    dst[n] = 0;
    return 1;
}

int http_parse(const uint8_t *buf, uint32_t len, http_request *req)
{
    memset(req, 0, sizeof *req);
    uint32_t scan = len < HTTP_MAX_HEADER + 4 ? len : HTTP_MAX_HEADER + 4;
    int end = header_end(buf, scan);
    if (end < 0) return len > HTTP_MAX_HEADER ? -431 : 0;

    // Request line: METHOD SP target SP HTTP/1.x
    const uint8_t *p = buf, *stop = buf + end;
    const uint8_t *eol = memchr(p, '\r', (size_t)(stop - p));
    if (!eol) eol = stop;
    const uint8_t *sp1 = memchr(p, ' ', (size_t)(eol - p));
    const uint8_t *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
    if (!sp2 || !field(req->method, sizeof req->method, p, (size_t)(sp1 - p)) ||
        !field(req->path, sizeof req->path, sp1 + 1, (size_t)(sp2 - sp1 - 1)) ||
        eol - sp2 - 1 < 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0)
        return -400;

    long content_length = 0;
    for (p = eol + 2; p < stop;) {
        eol = memchr(p, '\r', (size_t)(stop - p));
        if (!eol) eol = stop;
        const uint8_t *colon = memchr(p, ':', (size_t)(eol - p));
        if (!colon) return -400;
        size_t name_len = (size_t)(colon - p);
        const uint8_t *v = colon + 1;
        while (v < eol && (*v == ' ' || *v == '\t')) v++;
        size_t vlen = (size_t)(eol - v);
        while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t')) vlen--;
        if (name_len == 14 && strncasecmp((const char *)p, "content-length", 14) == 0) {
            if (vlen == 0 || vlen > 9) return vlen > 9 ? -413 : -400;
            content_length = 0;
            for (size_t i = 0; i < vlen; i++) {
                if (!isdigit(v[i])) return -400;
                content_length = content_length * 10 + (v[i] - '0');
            }
        } else if (name_len == 12 && strncasecmp((const char *)p, "content-type", 12) == 0) {
            if (!field(req->content_type, sizeof req->content_type, v, vlen)) return -400;
        } else if (name_len == 17 && strncasecmp((const char *)p, "transfer-encoding", 17) == 0) {
            return -501;
        }
        p = eol + 2;
    }
    if (content_length > HTTP_MAX_BODY) return -413;
    uint32_t total = (uint32_t)end + 4 + (uint32_t)content_length;
    if (len < total) return 0;
    req->body = buf + end + 4;
    req->body_len = (uint32_t)content_length;
    return (int)total;
}

const char *http_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return status < 500 ? "Error" : "Internal Server Error";
    }
}

int http_head(char *out, size_t cap, int status, const char *content_type, const char *extra, size_t body_len)
{
    int n = snprintf(out, cap,
                     "HTTP/1.1 %d %s\r\n"
                     "Content-Length: %zu\r\n"
                     "%s%s%s"
                     "Connection: close\r\n"
                     "Cache-Control: no-store\r\n"
                     "Access-Control-Allow-Origin: *\r\n"
                     "Access-Control-Expose-Headers: Location\r\n"
                     "%s\r\n",
                     status, http_reason(status), body_len, content_type ? "Content-Type: " : "",
                     content_type ? content_type : "", content_type ? "\r\n" : "", extra ? extra : "");
    return n < 0 || (size_t)n >= cap ? -1 : n;
}
