// The "host" crypto provider on mbedTLS: every crypto import of assembly/imports.ts, with the
// behaviour of host/crypto-node.ts. Builds against mbedTLS 2.28 (Debian) and 3.x (ESP-IDF 5),
// where ESP32 builds route AES, SHA and big-number maths to the chip's accelerators.
//
// Conventions shared with the Node provider: misuse that is a bug in the core (unknown hash
// handle, bad key length, pointer outside memory) traps; bad *data* (an invalid key or point,
// a wrong tag or signature) returns 0.
#include <stdlib.h>
#include <string.h>

#include "mbedtls/aes.h"
#include "mbedtls/bignum.h"
#include "mbedtls/ecdh.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/ecp.h"
#include "mbedtls/gcm.h"
#include "mbedtls/platform_util.h"
#include "mbedtls/sha1.h"
#include "mbedtls/sha256.h"
#include "mbedtls/sha512.h"
#include "mbedtls/version.h"

#include "host_imports.h"

// mbedTLS 3.0 renamed the hash functions (the 2.x names ending in _ret lost the suffix).
#if MBEDTLS_VERSION_NUMBER < 0x03000000
#define sha1_starts mbedtls_sha1_starts_ret
#define sha1_update mbedtls_sha1_update_ret
#define sha1_finish mbedtls_sha1_finish_ret
#define sha256_starts mbedtls_sha256_starts_ret
#define sha256_update mbedtls_sha256_update_ret
#define sha256_finish mbedtls_sha256_finish_ret
#define sha256_oneshot mbedtls_sha256_ret
#define sha512_starts mbedtls_sha512_starts_ret
#define sha512_update mbedtls_sha512_update_ret
#define sha512_finish mbedtls_sha512_finish_ret
#else
#define sha1_starts mbedtls_sha1_starts
#define sha1_update mbedtls_sha1_update
#define sha1_finish mbedtls_sha1_finish
#define sha256_starts mbedtls_sha256_starts
#define sha256_update mbedtls_sha256_update
#define sha256_finish mbedtls_sha256_finish
#define sha256_oneshot mbedtls_sha256
#define sha512_starts mbedtls_sha512_starts
#define sha512_update mbedtls_sha512_update
#define sha512_finish mbedtls_sha512_finish
#endif

// ---- Hashes --------------------------------------------------------------------------------
// Handles index a small fixed table instead of the heap: a board knows its worst case (a DTLS
// handshake keeps a few transcript hashes and their clones alive), and a leak shows up as a
// clear trap instead of slow memory exhaustion.
enum { HASH_SHA1 = 1, HASH_SHA256 = 2, HASH_SHA384 = 3, HASH_SLOTS = 16 };

typedef struct hash_slot {
    int alg;  // 0 when free
    union {
        mbedtls_sha1_context sha1;
        mbedtls_sha256_context sha256;
        mbedtls_sha512_context sha512;
    } u;
} hash_slot;

static hash_slot hashes[HASH_SLOTS];

static size_t digest_len(int alg)
{
    return alg == HASH_SHA1 ? 20 : alg == HASH_SHA256 ? 32 : 48;
}

static void hash_release(hash_slot *s)
{
    if (s->alg == HASH_SHA1) mbedtls_sha1_free(&s->u.sha1);
    if (s->alg == HASH_SHA256) mbedtls_sha256_free(&s->u.sha256);
    if (s->alg == HASH_SHA384) mbedtls_sha512_free(&s->u.sha512);
    s->alg = 0;
}

void crypto_reset(void)
{
    for (int i = 0; i < HASH_SLOTS; i++) hash_release(&hashes[i]);
}

// A handle is its slot's index + 1, so 0 is never valid (as with the Node provider).
static hash_slot *hash_get(int32_t h)
{
    if (h < 1 || h > HASH_SLOTS || hashes[h - 1].alg == 0) return NULL;
    return &hashes[h - 1];
}

static int32_t hash_free_slot(void)
{
    for (int i = 0; i < HASH_SLOTS; i++)
        if (hashes[i].alg == 0) return i + 1;
    return 0;
}

#define NO_FREE_SLOT_TRAP(what) \
    host_trap("[trap] %s: all %d hash contexts are in use (a handle is never finalized?)", what, HASH_SLOTS)

static m3ApiRawFunction(hash_new)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(int32_t, alg);
    if (alg < HASH_SHA1 || alg > HASH_SHA384) m3ApiTrap(host_trap("[trap] hash_new: unknown algorithm %d", alg));
    int32_t h = hash_free_slot();
    if (!h) m3ApiTrap(NO_FREE_SLOT_TRAP("hash_new"));
    hash_slot *s = &hashes[h - 1];
    int err = 0;
    if (alg == HASH_SHA1) {
        mbedtls_sha1_init(&s->u.sha1);
        err = sha1_starts(&s->u.sha1);
    } else if (alg == HASH_SHA256) {
        mbedtls_sha256_init(&s->u.sha256);
        err = sha256_starts(&s->u.sha256, 0);
    } else {
        mbedtls_sha512_init(&s->u.sha512);
        err = sha512_starts(&s->u.sha512, 1);  // 1: SHA-384's initial values and length
    }
    s->alg = alg;
    if (err) {
        hash_release(s);
        m3ApiTrap(host_trap("[trap] hash_new: mbedTLS error -0x%04x", -err));
    }
    m3ApiReturn(h);
}

static m3ApiRawFunction(hash_update)
{
    m3ApiGetArg(int32_t, h);
    m3ApiGetArg(uint32_t, ptr);
    m3ApiGetArg(int32_t, len);
    hash_slot *s = hash_get(h);
    if (!s) m3ApiTrap(host_trap("[trap] hash_update: invalid handle %d", h));
    SPAN(data, ptr, len);
    int err = s->alg == HASH_SHA1     ? sha1_update(&s->u.sha1, data, (size_t)len)
              : s->alg == HASH_SHA256 ? sha256_update(&s->u.sha256, data, (size_t)len)
                                      : sha512_update(&s->u.sha512, data, (size_t)len);
    if (err) m3ApiTrap(host_trap("[trap] hash_update: mbedTLS error -0x%04x", -err));
    m3ApiSuccess();
}

static m3ApiRawFunction(hash_clone)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(int32_t, h);
    hash_slot *src = hash_get(h);
    if (!src) m3ApiTrap(host_trap("[trap] hash_clone: invalid handle %d", h));
    int32_t c = hash_free_slot();
    if (!c) m3ApiTrap(NO_FREE_SLOT_TRAP("hash_clone"));
    hash_slot *dst = &hashes[c - 1];
    // The *_clone functions copy the running state, which on ESP32 may live in the SHA engine.
    if (src->alg == HASH_SHA1) {
        mbedtls_sha1_init(&dst->u.sha1);
        mbedtls_sha1_clone(&dst->u.sha1, &src->u.sha1);
    } else if (src->alg == HASH_SHA256) {
        mbedtls_sha256_init(&dst->u.sha256);
        mbedtls_sha256_clone(&dst->u.sha256, &src->u.sha256);
    } else {
        mbedtls_sha512_init(&dst->u.sha512);
        mbedtls_sha512_clone(&dst->u.sha512, &src->u.sha512);
    }
    dst->alg = src->alg;
    m3ApiReturn(c);
}

static m3ApiRawFunction(hash_final)
{
    m3ApiGetArg(int32_t, h);
    m3ApiGetArg(uint32_t, out_ptr);
    hash_slot *s = hash_get(h);
    if (!s) m3ApiTrap(host_trap("[trap] hash_final: invalid handle %d", h));
    SPAN(out, out_ptr, (int32_t)digest_len(s->alg));
    // SHA-384 finishes through the SHA-512 code, which wants a 64-byte buffer.
    unsigned char digest[64];
    int err = s->alg == HASH_SHA1     ? sha1_finish(&s->u.sha1, digest)
              : s->alg == HASH_SHA256 ? sha256_finish(&s->u.sha256, digest)
                                      : sha512_finish(&s->u.sha512, digest);
    size_t n = digest_len(s->alg);
    hash_release(s);
    if (err) m3ApiTrap(host_trap("[trap] hash_final: mbedTLS error -0x%04x", -err));
    memcpy(out, digest, n);
    m3ApiSuccess();
}

// ---- AES -----------------------------------------------------------------------------------
static int valid_aes_key_len(int32_t n)
{
    return n == 16 || n == 24 || n == 32;
}

#define AES_KEY_TRAP(what, n) host_trap("[trap] %s: AES key length %d (must be 16, 24 or 32)", what, n)

static m3ApiRawFunction(aes_encrypt_block)
{
    m3ApiGetArg(uint32_t, key_ptr);
    m3ApiGetArg(int32_t, key_len);
    m3ApiGetArg(uint32_t, in_ptr);
    m3ApiGetArg(uint32_t, out_ptr);
    if (!valid_aes_key_len(key_len)) m3ApiTrap(AES_KEY_TRAP("aes_encrypt_block", key_len));
    SPAN(key, key_ptr, key_len);
    SPAN(in, in_ptr, 16);
    SPAN(out, out_ptr, 16);
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    int err = mbedtls_aes_setkey_enc(&aes, key, (unsigned)key_len * 8);
    if (!err) err = mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, in, out);
    mbedtls_aes_free(&aes);
    if (err) m3ApiTrap(host_trap("[trap] aes_encrypt_block: mbedTLS error -0x%04x", -err));
    m3ApiSuccess();
}

// mbedTLS increments the whole 16-byte counter block as one big-endian number, which is the
// contract of the import (and what OpenSSL does under Node).
static m3ApiRawFunction(aes_ctr)
{
    m3ApiGetArg(uint32_t, key_ptr);
    m3ApiGetArg(int32_t, key_len);
    m3ApiGetArg(uint32_t, iv_ptr);
    m3ApiGetArg(uint32_t, in_ptr);
    m3ApiGetArg(uint32_t, out_ptr);
    m3ApiGetArg(int32_t, len);
    if (!valid_aes_key_len(key_len)) m3ApiTrap(AES_KEY_TRAP("aes_ctr", key_len));
    SPAN(key, key_ptr, key_len);
    SPAN(iv, iv_ptr, 16);
    SPAN(in, in_ptr, len);
    SPAN(out, out_ptr, len);
    // mbedTLS advances the counter in place; the module's iv must stay as it was.
    unsigned char counter[16], stream[16];
    size_t offset = 0;
    memcpy(counter, iv, 16);
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    int err = mbedtls_aes_setkey_enc(&aes, key, (unsigned)key_len * 8);
    if (!err) err = mbedtls_aes_crypt_ctr(&aes, (size_t)len, &offset, counter, stream, in, out);
    mbedtls_aes_free(&aes);
    mbedtls_platform_zeroize(stream, sizeof stream);
    if (err) m3ApiTrap(host_trap("[trap] aes_ctr: mbedTLS error -0x%04x", -err));
    m3ApiSuccess();
}

static m3ApiRawFunction(aes_gcm_seal)
{
    m3ApiGetArg(uint32_t, key_ptr);
    m3ApiGetArg(int32_t, key_len);
    m3ApiGetArg(uint32_t, iv_ptr);
    m3ApiGetArg(int32_t, iv_len);
    m3ApiGetArg(uint32_t, aad_ptr);
    m3ApiGetArg(int32_t, aad_len);
    m3ApiGetArg(uint32_t, in_ptr);
    m3ApiGetArg(int32_t, len);
    m3ApiGetArg(uint32_t, out_ptr);
    m3ApiGetArg(uint32_t, tag_ptr);
    if (!valid_aes_key_len(key_len)) m3ApiTrap(AES_KEY_TRAP("aes_gcm_seal", key_len));
    if (iv_len < 1) m3ApiTrap(host_trap("[trap] aes_gcm_seal: IV length %d", iv_len));
    SPAN(key, key_ptr, key_len);
    SPAN(iv, iv_ptr, iv_len);
    SPAN(aad, aad_ptr, aad_len);
    SPAN(in, in_ptr, len);
    SPAN(out, out_ptr, len);
    SPAN(tag, tag_ptr, 16);
    mbedtls_gcm_context gcm;
    mbedtls_gcm_init(&gcm);
    int err = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, (unsigned)key_len * 8);
    if (!err)
        err = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, (size_t)len, iv, (size_t)iv_len, aad,
                                        (size_t)aad_len, in, out, 16, tag);
    mbedtls_gcm_free(&gcm);
    if (err) m3ApiTrap(host_trap("[trap] aes_gcm_seal: mbedTLS error -0x%04x", -err));
    m3ApiSuccess();
}

// Returns 1 and writes the plaintext only when the tag verifies. The plaintext is made in a
// host buffer first: a forged record must leave no decrypted bytes in the module's memory,
// and out may be the very buffer that holds the ciphertext. As in the Node provider, any
// failure (also a bad key or IV length) is a 0, not a trap.
static m3ApiRawFunction(aes_gcm_open)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, key_ptr);
    m3ApiGetArg(int32_t, key_len);
    m3ApiGetArg(uint32_t, iv_ptr);
    m3ApiGetArg(int32_t, iv_len);
    m3ApiGetArg(uint32_t, aad_ptr);
    m3ApiGetArg(int32_t, aad_len);
    m3ApiGetArg(uint32_t, in_ptr);
    m3ApiGetArg(int32_t, len);
    m3ApiGetArg(uint32_t, out_ptr);
    m3ApiGetArg(uint32_t, tag_ptr);
    SPAN(key, key_ptr, key_len);
    SPAN(iv, iv_ptr, iv_len);
    SPAN(aad, aad_ptr, aad_len);
    SPAN(in, in_ptr, len);
    SPAN(out, out_ptr, len);
    SPAN(tag, tag_ptr, 16);
    if (!valid_aes_key_len(key_len) || iv_len < 1) m3ApiReturn(0);
    unsigned char *plain = malloc(len > 0 ? (size_t)len : 1);
    if (!plain) m3ApiTrap(host_trap("[trap] aes_gcm_open: out of host memory for %d bytes", len));
    mbedtls_gcm_context gcm;
    mbedtls_gcm_init(&gcm);
    int err = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, (unsigned)key_len * 8);
    if (!err)
        err = mbedtls_gcm_auth_decrypt(&gcm, (size_t)len, iv, (size_t)iv_len, aad, (size_t)aad_len, tag, 16, in,
                                       plain);
    mbedtls_gcm_free(&gcm);
    if (!err) memcpy(out, plain, (size_t)len);
    mbedtls_platform_zeroize(plain, (size_t)len);
    free(plain);
    m3ApiReturn(err ? 0 : 1);
}

// ---- Elliptic curves -----------------------------------------------------------------------
// One group per curve, loaded on first use and kept: loading is not free, and mbedTLS caches
// per-group precomputation for the base point.
static mbedtls_ecp_group *curve(mbedtls_ecp_group_id id)
{
    static mbedtls_ecp_group p256, x25519;
    static int p256_loaded, x25519_loaded;
    mbedtls_ecp_group *g = id == MBEDTLS_ECP_DP_SECP256R1 ? &p256 : &x25519;
    int *loaded = id == MBEDTLS_ECP_DP_SECP256R1 ? &p256_loaded : &x25519_loaded;
    if (!*loaded) {
        mbedtls_ecp_group_init(g);
        if (mbedtls_ecp_group_load(g, id) != 0) return NULL;
        *loaded = 1;
    }
    return g;
}

#define CURVE(NAME, ID) \
    mbedtls_ecp_group *NAME = curve(ID); \
    if (!NAME) m3ApiTrap(host_trap("[trap] this mbedTLS build lacks curve %s", #ID))

// A P-256 private key: 32 big-endian bytes, 1 <= d < n, else the import answers 0.
static int p256_private(mbedtls_ecp_group *g, const uint8_t *bytes, mbedtls_mpi *d)
{
    return mbedtls_mpi_read_binary(d, bytes, 32) == 0 && mbedtls_ecp_check_privkey(g, d) == 0;
}

// A P-256 public key: a 65-byte uncompressed point that lies on the curve. Checking the point
// is what stops invalid-curve attacks on ECDH.
static int p256_point(mbedtls_ecp_group *g, const uint8_t *bytes, mbedtls_ecp_point *q)
{
    return bytes[0] == 0x04 && mbedtls_ecp_point_read_binary(g, q, bytes, 65) == 0 && mbedtls_ecp_check_pubkey(g, q) == 0;
}

static m3ApiRawFunction(p256_public)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, priv_ptr);
    m3ApiGetArg(uint32_t, pub_ptr);
    SPAN(priv, priv_ptr, 32);
    SPAN(pub, pub_ptr, 65);
    CURVE(g, MBEDTLS_ECP_DP_SECP256R1);
    mbedtls_mpi d;
    mbedtls_ecp_point q;
    mbedtls_mpi_init(&d);
    mbedtls_ecp_point_init(&q);
    size_t olen = 0;
    int ok = p256_private(g, priv, &d) && mbedtls_ecp_mul(g, &q, &d, &g->G, host_random, NULL) == 0 &&
             mbedtls_ecp_point_write_binary(g, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, pub, 65) == 0 && olen == 65;
    mbedtls_mpi_free(&d);
    mbedtls_ecp_point_free(&q);
    m3ApiReturn(ok);
}

// The shared secret z (the x-coordinate, 32 bytes) of our private key and the peer's point.
static m3ApiRawFunction(p256_ecdh)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, priv_ptr);
    m3ApiGetArg(uint32_t, peer_ptr);
    m3ApiGetArg(uint32_t, out_ptr);
    SPAN(priv, priv_ptr, 32);
    SPAN(peer, peer_ptr, 65);
    SPAN(out, out_ptr, 32);
    CURVE(g, MBEDTLS_ECP_DP_SECP256R1);
    mbedtls_mpi d, z;
    mbedtls_ecp_point q;
    mbedtls_mpi_init(&d);
    mbedtls_mpi_init(&z);
    mbedtls_ecp_point_init(&q);
    int ok = p256_private(g, priv, &d) && p256_point(g, peer, &q) &&
             mbedtls_ecdh_compute_shared(g, &z, &q, &d, host_random, NULL) == 0 &&
             mbedtls_mpi_write_binary(&z, out, 32) == 0;
    mbedtls_mpi_free(&d);
    mbedtls_mpi_free(&z);
    mbedtls_ecp_point_free(&q);
    m3ApiReturn(ok);
}

// ECDSA over SHA-256(msg), signature r||s. Deterministic k (RFC 6979) where the mbedTLS build
// has it, so a board's signature does not depend on its RNG; random k (blinded, from the
// platform RNG) otherwise. Both verify the same way.
static m3ApiRawFunction(p256_sign)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, priv_ptr);
    m3ApiGetArg(uint32_t, msg_ptr);
    m3ApiGetArg(int32_t, msg_len);
    m3ApiGetArg(uint32_t, sig_ptr);
    SPAN(priv, priv_ptr, 32);
    SPAN(msg, msg_ptr, msg_len);
    SPAN(sig, sig_ptr, 64);
    CURVE(g, MBEDTLS_ECP_DP_SECP256R1);
    unsigned char hash[32];
    if (sha256_oneshot(msg, (size_t)msg_len, hash, 0) != 0) m3ApiTrap(host_trap("[trap] p256_sign: SHA-256 failed"));
    mbedtls_mpi d, r, s;
    mbedtls_mpi_init(&d);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    int ok = p256_private(g, priv, &d);
#if defined(MBEDTLS_ECDSA_DETERMINISTIC)
    ok = ok && mbedtls_ecdsa_sign_det_ext(g, &r, &s, &d, hash, 32, MBEDTLS_MD_SHA256, host_random, NULL) == 0;
#else
    ok = ok && mbedtls_ecdsa_sign(g, &r, &s, &d, hash, 32, host_random, NULL) == 0;
#endif
    unsigned char rs[64];
    ok = ok && mbedtls_mpi_write_binary(&r, rs, 32) == 0 && mbedtls_mpi_write_binary(&s, rs + 32, 32) == 0;
    if (ok) memcpy(sig, rs, 64);
    mbedtls_mpi_free(&d);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    m3ApiReturn(ok);
}

static m3ApiRawFunction(p256_verify)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, pub_ptr);
    m3ApiGetArg(uint32_t, msg_ptr);
    m3ApiGetArg(int32_t, msg_len);
    m3ApiGetArg(uint32_t, sig_ptr);
    SPAN(pub, pub_ptr, 65);
    SPAN(msg, msg_ptr, msg_len);
    SPAN(sig, sig_ptr, 64);
    CURVE(g, MBEDTLS_ECP_DP_SECP256R1);
    unsigned char hash[32];
    if (sha256_oneshot(msg, (size_t)msg_len, hash, 0) != 0) m3ApiTrap(host_trap("[trap] p256_verify: SHA-256 failed"));
    mbedtls_ecp_point q;
    mbedtls_mpi r, s;
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    // mbedtls_ecdsa_verify itself rejects r or s outside [1, n-1].
    int ok = p256_point(g, pub, &q) && mbedtls_mpi_read_binary(&r, sig, 32) == 0 &&
             mbedtls_mpi_read_binary(&s, sig + 32, 32) == 0 && mbedtls_ecdsa_verify(g, hash, 32, &q, &r, &s) == 0;
    mbedtls_ecp_point_free(&q);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    m3ApiReturn(ok);
}

// X25519 (RFC 7748 §5) on mbedTLS's Montgomery-curve support. RFC 7748 numbers are
// little-endian, so both inputs and the output go through the *_le big-number functions.
static m3ApiRawFunction(x25519)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, scalar_ptr);
    m3ApiGetArg(uint32_t, u_ptr);
    m3ApiGetArg(uint32_t, out_ptr);
    SPAN(scalar, scalar_ptr, 32);
    SPAN(u_bytes, u_ptr, 32);
    SPAN(out, out_ptr, 32);
    CURVE(g, MBEDTLS_ECP_DP_CURVE25519);
    // The RFC's decodeScalar25519: clear the 3 low bits and bit 255, set bit 254. mbedTLS
    // rejects an unclamped scalar rather than clamping it.
    unsigned char k[32];
    memcpy(k, scalar, 32);
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;
    mbedtls_mpi d, u, z;
    mbedtls_ecp_point q;
    mbedtls_mpi_init(&d);
    mbedtls_mpi_init(&u);
    mbedtls_mpi_init(&z);
    mbedtls_ecp_point_init(&q);
    // The RFC's decodeUCoordinate: ignore bit 255, and accept non-canonical values (>= p) by
    // reducing them, which mbedTLS's point checks would otherwise refuse.
    unsigned char u_canon[32], shared[32];
    int ok = mbedtls_mpi_read_binary_le(&d, k, 32) == 0 && mbedtls_mpi_read_binary_le(&u, u_bytes, 32) == 0 &&
             mbedtls_mpi_set_bit(&u, 255, 0) == 0 && mbedtls_mpi_mod_mpi(&u, &u, &g->P) == 0 &&
             mbedtls_mpi_write_binary_le(&u, u_canon, 32) == 0 && mbedtls_ecp_point_read_binary(g, &q, u_canon, 32) == 0 &&
             // Fails for the low-order points mbedTLS knows, whose result would be all zeros.
             mbedtls_ecdh_compute_shared(g, &z, &q, &d, host_random, NULL) == 0 &&
             mbedtls_mpi_write_binary_le(&z, shared, 32) == 0;
    // RFC 7748 §6.1: an all-zero result means the peer sent a low-order point; refuse it.
    unsigned char any = 0;
    for (int i = 0; ok && i < 32; i++) any |= shared[i];
    ok = ok && any != 0;
    if (ok) memcpy(out, shared, 32);
    mbedtls_platform_zeroize(k, sizeof k);
    mbedtls_platform_zeroize(shared, sizeof shared);
    mbedtls_mpi_free(&d);
    mbedtls_mpi_free(&u);
    mbedtls_mpi_free(&z);
    mbedtls_ecp_point_free(&q);
    m3ApiReturn(ok);
}

const host_import crypto_imports[] = {
    {"hash_new", "i(i)", hash_new},
    {"hash_update", "v(iii)", hash_update},
    {"hash_clone", "i(i)", hash_clone},
    {"hash_final", "v(ii)", hash_final},
    {"aes_encrypt_block", "v(iiii)", aes_encrypt_block},
    {"aes_ctr", "v(iiiiii)", aes_ctr},
    {"aes_gcm_seal", "v(iiiiiiiiii)", aes_gcm_seal},
    {"aes_gcm_open", "i(iiiiiiiiii)", aes_gcm_open},
    {"p256_public", "i(ii)", p256_public},
    {"p256_ecdh", "i(iii)", p256_ecdh},
    {"p256_sign", "i(iiii)", p256_sign},
    {"p256_verify", "i(iiii)", p256_verify},
    {"x25519", "i(iii)", x25519},
    {NULL, NULL, NULL},
};
