// The sockets of `serve` and the ABI's 19-byte addresses <-> sockaddr. Written against the BSD
// socket calls POSIX and lwIP share, so the ESP32-S3 port compiles this file as it is.
#ifndef WASMPEER_POSIX_NET_H
#define WASMPEER_POSIX_NET_H

#include <stdint.h>
#include <sys/socket.h>

// A non-blocking UDP socket bound to ip:port (port 0: any). Writes the bound address in the
// ABI's format (PD_ADDR_LEN bytes) to addr. -1 on failure (reported on stderr).
int net_udp_open(const char *ip, int port, uint8_t *addr);

// A non-blocking listening TCP socket on ip:port; *bound gets the port (for port 0). -1 on failure.
int net_tcp_listen(const char *ip, int port, int *bound);

// 0 on success; -1 for an address family the ABI does not have.
int net_to_abi(const struct sockaddr_storage *ss, uint8_t *addr);
int net_from_abi(const uint8_t *addr, struct sockaddr_storage *ss, socklen_t *len);

// "ip:port" for logs.
void net_format(const uint8_t *addr, char *out, size_t cap);

// Sends a whole buffer on a (non-blocking) stream socket, waiting at most timeout_ms in total.
int net_send_all(int fd, const void *data, size_t len, int timeout_ms);

// O_NONBLOCK through fcntl (lwIP has no SOCK_NONBLOCK or accept4). 0, or -1 on failure.
int net_set_nonblocking(int fd);

#endif
