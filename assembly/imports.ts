// Every function the core imports from its host, in one place (see docs/architecture.md).
// Module "wasmpeer". Pointers are offsets into the core's linear memory.

// Fills [ptr, ptr+len) with cryptographically secure random bytes.
@external("wasmpeer", "random_fill")
export declare function random_fill(ptr: usize, len: i32): void;

// A log line in UTF-8; level 0 error, 1 warn, 2 info, 3 debug.
@external("wasmpeer", "log")
export declare function log_write(level: i32, ptr: usize, len: i32): void;

// A bug in the core: msg and file are AssemblyScript strings (UTF-16, length in bytes at ptr-4).
@external("wasmpeer", "abort")
declare function host_abort(msg: usize, file: usize, line: u32, column: u32): void;

export function coreAbort(msg: string | null, file: string | null, line: u32, column: u32): void {
  host_abort(changetype<usize>(msg), changetype<usize>(file), line, column);
  unreachable();
}

// ---- Host crypto provider (only linked into the host build; see crypto/provider.ts) ----
// Hash algorithms: 1 SHA-1, 2 SHA-256, 3 SHA-384. Contexts are handles owned by the host.
@external("wasmpeer", "hash_new")
export declare function host_hash_new(alg: i32): i32;
@external("wasmpeer", "hash_update")
export declare function host_hash_update(h: i32, ptr: usize, len: i32): void;
@external("wasmpeer", "hash_clone")
export declare function host_hash_clone(h: i32): i32;
// Writes the digest to out and releases the handle.
@external("wasmpeer", "hash_final")
export declare function host_hash_final(h: i32, out: usize): void;

// AES with a 16-, 24- or 32-byte key.
@external("wasmpeer", "aes_encrypt_block")
export declare function host_aes_encrypt_block(key: usize, keyLen: i32, input: usize, out: usize): void;
// CTR mode: counter block iv (16 bytes), incremented as a 128-bit big-endian integer.
@external("wasmpeer", "aes_ctr")
export declare function host_aes_ctr(key: usize, keyLen: i32, iv: usize, input: usize, out: usize, len: i32): void;
// GCM with a 16-byte tag. open returns 1 when the tag verifies (out is then the plaintext), else 0.
@external("wasmpeer", "aes_gcm_seal")
export declare function host_aes_gcm_seal(key: usize, keyLen: i32, iv: usize, ivLen: i32, aad: usize, aadLen: i32, input: usize, len: i32, out: usize, tag: usize): void;
@external("wasmpeer", "aes_gcm_open")
export declare function host_aes_gcm_open(key: usize, keyLen: i32, iv: usize, ivLen: i32, aad: usize, aadLen: i32, input: usize, len: i32, out: usize, tag: usize): i32;

// P-256. Public keys are 65-byte uncompressed points, private keys and shared secrets 32 bytes,
// signatures 64 bytes r||s over SHA-256(msg). Each returns 1 on success, 0 on invalid input.
@external("wasmpeer", "p256_public")
export declare function host_p256_public(priv: usize, pubOut: usize): i32;
@external("wasmpeer", "p256_ecdh")
export declare function host_p256_ecdh(priv: usize, peerPub: usize, out: usize): i32;
@external("wasmpeer", "p256_sign")
export declare function host_p256_sign(priv: usize, msg: usize, msgLen: i32, sigOut: usize): i32;
@external("wasmpeer", "p256_verify")
export declare function host_p256_verify(pub: usize, msg: usize, msgLen: i32, sig: usize): i32;

// X25519 (RFC 7748). Returns 0 when the result is all zeros (a low-order peer key).
@external("wasmpeer", "x25519")
export declare function host_x25519(scalar: usize, u: usize, out: usize): i32;
