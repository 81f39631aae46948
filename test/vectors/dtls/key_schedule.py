# Independent TLS 1.2 PRF (RFC 5246 §5) computations for test/unit/dtls_key_schedule.spec.ts.
# Inputs are fixed byte patterns so the AssemblyScript spec can rebuild them.
import hmac, hashlib

def p_hash(h, secret, seed, n):
    out, a = b"", seed
    while len(out) < n:
        a = hmac.new(secret, a, h).digest()
        out += hmac.new(secret, a + seed, h).digest()
    return out[:n]

def prf(h, secret, label, seed, n):
    return p_hash(h, secret, label.encode() + seed, n)

pat = lambda n, k: bytes((i * k + 1) & 0xff for i in range(n))
pms, cr, sr, sh = pat(32, 3), pat(32, 5), pat(32, 7), pat(32, 11)
for name, h in (("sha256", hashlib.sha256), ("sha384", hashlib.sha384)):
    ms = prf(h, pms, "master secret", cr + sr, 48)
    ems = prf(h, pms, "extended master secret", sh, 48)
    kb = prf(h, ms, "key expansion", sr + cr, 40)
    fin_c = prf(h, ms, "client finished", sh, 12)
    fin_s = prf(h, ms, "server finished", sh, 12)
    ctx = b"abc"
    exp = prf(h, ms, "EXTRACTOR-dtls_srtp", cr + sr, 60)
    exp_ctx = prf(h, ms, "EXPERIMENTAL-x", cr + sr + len(ctx).to_bytes(2, "big") + ctx, 20)
    for k, v in (("ms", ms), ("ems", ems), ("keyblock", kb), ("fin_c", fin_c), ("fin_s", fin_s), ("exp", exp), ("exp_ctx", exp_ctx)):
        print(f"{name} {k} {v.hex()}")
