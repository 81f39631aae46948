/* libsrtp2 as an independent SRTP implementation for test/core/srtp_libsrtp.test.ts.
 *
 * stdin, one line each:
 *   <profile> <in|out> <master key hex> <master salt hex>     (first line: one session)
 *   rtp <packet hex>   |   rtcp <packet hex>                   (then any number of packets)
 * "out" sessions protect (srtp_protect / srtp_protect_rtcp), "in" sessions unprotect. For each
 * packet, stdout gets "ok <hex>" or "err <srtp_err_status_t>". Build: cc srtp_helper.c -lsrtp2
 */
#include <srtp2/srtp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unhex(const char *s, unsigned char *out, size_t cap) {
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ')) n--;
  if (n % 2 != 0 || n / 2 > cap) return -1;
  for (size_t i = 0; i < n / 2; i++) {
    unsigned int b;
    if (sscanf(s + 2 * i, "%2x", &b) != 1) return -1;
    out[i] = (unsigned char)b;
  }
  return (int)(n / 2);
}

static void put_hex(const unsigned char *p, int n) {
  for (int i = 0; i < n; i++) printf("%02x", p[i]);
}

int main(void) {
  char *line = NULL;
  size_t cap = 0;
  char dir[8], keyhex[200], salthex[200];
  int profile;
  if (getline(&line, &cap, stdin) < 0 || sscanf(line, "%d %7s %199s %199s", &profile, dir, keyhex, salthex) != 4) {
    fprintf(stderr, "bad session line\n");
    return 2;
  }
  unsigned char key[96];
  int kl = unhex(keyhex, key, sizeof key);
  int sl = kl < 0 ? -1 : unhex(salthex, key + kl, sizeof key - (size_t)kl);
  if (kl < 0 || sl < 0) {
    fprintf(stderr, "bad key or salt\n");
    return 2;
  }
  if (srtp_init() != srtp_err_status_ok) return 3;

  srtp_policy_t policy;
  memset(&policy, 0, sizeof policy);
  if (srtp_crypto_policy_set_from_profile_for_rtp(&policy.rtp, (srtp_profile_t)profile) != srtp_err_status_ok ||
      srtp_crypto_policy_set_from_profile_for_rtcp(&policy.rtcp, (srtp_profile_t)profile) != srtp_err_status_ok) {
    fprintf(stderr, "unknown profile %d\n", profile);
    return 2;
  }
  int out = strcmp(dir, "out") == 0;
  policy.ssrc.type = out ? ssrc_any_outbound : ssrc_any_inbound;
  policy.key = key;
  policy.window_size = 128;
  policy.allow_repeat_tx = 1;
  policy.next = NULL;
  srtp_t session;
  srtp_err_status_t st = srtp_create(&session, &policy);
  if (st != srtp_err_status_ok) {
    fprintf(stderr, "srtp_create: %d\n", (int)st);
    return 3;
  }

  static unsigned char buf[65536 + SRTP_MAX_TRAILER_LEN];
  while (getline(&line, &cap, stdin) >= 0) {
    int rtcp = strncmp(line, "rtcp ", 5) == 0;
    if (!rtcp && strncmp(line, "rtp ", 4) != 0) continue;
    int len = unhex(line + (rtcp ? 5 : 4), buf, 65536);
    if (len < 0) {
      printf("err hex\n");
      continue;
    }
    if (rtcp) st = out ? srtp_protect_rtcp(session, buf, &len) : srtp_unprotect_rtcp(session, buf, &len);
    else st = out ? srtp_protect(session, buf, &len) : srtp_unprotect(session, buf, &len);
    if (st == srtp_err_status_ok) {
      printf("ok ");
      put_hex(buf, len);
      printf("\n");
    } else {
      printf("err %d\n", (int)st);
    }
  }
  free(line);
  srtp_dealloc(session);
  srtp_shutdown();
  return 0;
}
