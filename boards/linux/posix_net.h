// The POSIX side of `serve`: sockets, clocks, and the ABI's 19-byte addresses <-> sockaddr.
// The ESP32-S3 port has its own (lwIP sockets and esp_timer) behind the same few calls.
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

double net_now_ms(void);   // CLOCK_MONOTONIC in ms: the core's time base
uint64_t net_cpu_us(void); // CLOCK_PROCESS_CPUTIME_ID in µs
long net_rss_peak_kib(void);

#endif
