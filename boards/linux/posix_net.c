// See posix_net.h. Only calls that POSIX and lwIP (ESP-IDF's BSD sockets) both have: fcntl
// O_NONBLOCK rather than SOCK_NONBLOCK, accept rather than accept4, and poll (ESP-IDF's newlib
// builds it on select).
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/poll.h>
#include <unistd.h>

#include "peer_driver.h"
#include "platform.h"
#include "posix_net.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0  // no SIGPIPE to suppress where the stack has no such flag
#endif

static int parse_ip(const char *ip, int port, struct sockaddr_storage *ss, socklen_t *len)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *len = sizeof *v4;
        return 0;
    }
    if (inet_pton(AF_INET6, ip, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *len = sizeof *v6;
        return 0;
    }
    fprintf(stderr, "error: '%s' is not an IPv4 or IPv6 address\n", ip);
    return -1;
}

static int open_bound(const char *ip, int port, int type, struct sockaddr_storage *bound)
{
    struct sockaddr_storage ss;
    socklen_t len;
    if (parse_ip(ip, port, &ss, &len)) return -1;
    int fd = socket(ss.ss_family, type, 0);
    if (fd < 0 || net_set_nonblocking(fd) < 0) {
        perror("socket");
        if (fd >= 0) close(fd);
        return -1;
    }
    int one = 1;
    if (type == SOCK_STREAM) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
        fprintf(stderr, "error: bind %s:%d: %s\n", ip, port, strerror(errno));
        close(fd);
        return -1;
    }
    socklen_t blen = sizeof *bound;
    getsockname(fd, (struct sockaddr *)bound, &blen);
    return fd;
}

int net_set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL, 0);
    return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

int net_udp_open(const char *ip, int port, uint8_t *addr)
{
    struct sockaddr_storage bound;
    int fd = open_bound(ip, port, SOCK_DGRAM, &bound);
    if (fd < 0) return -1;
    // Room for a burst of handshake flights and a 64 KiB message's SCTP packets.
    int size = 1 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    net_to_abi(&bound, addr);
    return fd;
}

int net_tcp_listen(const char *ip, int port, int *bound_port)
{
    struct sockaddr_storage bound;
    int fd = open_bound(ip, port, SOCK_STREAM, &bound);
    if (fd < 0) return -1;
    if (listen(fd, 8) < 0) {
        perror("listen");
        close(fd);
        return -1;
    }
    uint8_t a[PD_ADDR_LEN];
    net_to_abi(&bound, a);
    *bound_port = a[1] << 8 | a[2];
    return fd;
}

int net_to_abi(const struct sockaddr_storage *ss, uint8_t *addr)
{
    memset(addr, 0, PD_ADDR_LEN);
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)ss;
        uint16_t port = ntohs(v4->sin_port);
        addr[0] = 1;
        addr[1] = (uint8_t)(port >> 8);
        addr[2] = (uint8_t)port;
        memcpy(addr + 3, &v4->sin_addr, 4);
        return 0;
    }
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)ss;
        uint16_t port = ntohs(v6->sin6_port);
        addr[0] = 2;
        addr[1] = (uint8_t)(port >> 8);
        addr[2] = (uint8_t)port;
        memcpy(addr + 3, &v6->sin6_addr, 16);
        return 0;
    }
    return -1;
}

int net_from_abi(const uint8_t *addr, struct sockaddr_storage *ss, socklen_t *len)
{
    memset(ss, 0, sizeof *ss);
    uint16_t port = (uint16_t)(addr[1] << 8 | addr[2]);
    if (addr[0] == 1) {
        struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        memcpy(&v4->sin_addr, addr + 3, 4);
        *len = sizeof *v4;
        return 0;
    }
    if (addr[0] == 2) {
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        memcpy(&v6->sin6_addr, addr + 3, 16);
        *len = sizeof *v6;
        return 0;
    }
    return -1;
}

void net_format(const uint8_t *addr, char *out, size_t cap)
{
    char ip[INET6_ADDRSTRLEN] = "?";
    if (addr[0] == 1) inet_ntop(AF_INET, addr + 3, ip, sizeof ip);
    else if (addr[0] == 2) inet_ntop(AF_INET6, addr + 3, ip, sizeof ip);
    snprintf(out, cap, addr[0] == 2 ? "[%s]:%u" : "%s:%u", ip, (unsigned)(addr[1] << 8 | addr[2]));
}

int net_send_all(int fd, const void *data, size_t len, int timeout_ms)
{
    const char *p = data;
    double deadline = platform_now_ms() + timeout_ms;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
        int left = (int)(deadline - platform_now_ms());
        if (left <= 0) return -1;
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        poll(&pfd, 1, left);
    }
    return 0;
}
