// The "host" crypto provider for Node.js: the core's crypto imports implemented on node:crypto.
// Only the host build of the core imports these; the pure build ignores them.
import * as nc from "node:crypto";
import type { CoreMemory } from "./core.js";

const HASHES: Record<number, string> = { 1: "sha1", 2: "sha256", 3: "sha384" };

const b64u = (b: Uint8Array) => Buffer.from(b).toString("base64url");

function p256PublicOf(priv: Uint8Array): Uint8Array | null {
  try {
    const ecdh = nc.createECDH("prime256v1");
    ecdh.setPrivateKey(priv);
    return new Uint8Array(ecdh.getPublicKey());
  } catch {
    return null;
  }
}

function p256PrivateKey(priv: Uint8Array): nc.KeyObject | null {
  const pub = p256PublicOf(priv);
  if (!pub) return null;
  return nc.createPrivateKey({
    format: "jwk",
    key: { kty: "EC", crv: "P-256", d: b64u(priv), x: b64u(pub.subarray(1, 33)), y: b64u(pub.subarray(33, 65)) },
  });
}

function p256PublicKey(pub: Uint8Array): nc.KeyObject | null {
  if (pub.length !== 65 || pub[0] !== 4) return null;
  try {
    return nc.createPublicKey({
      format: "jwk",
      key: { kty: "EC", crv: "P-256", x: b64u(pub.subarray(1, 33)), y: b64u(pub.subarray(33, 65)) },
    });
  } catch {
    return null;
  }
}

// DER prefixes of an X25519 PKCS#8 private key and SubjectPublicKeyInfo (RFC 8410).
const X25519_PKCS8 = Buffer.from("302e020100300506032b656e04220420", "hex");
const X25519_SPKI = Buffer.from("302a300506032b656e032100", "hex");

const aesName = (keyLen: number, mode: string) => `aes-${keyLen * 8}-${mode}`;

export function nodeCryptoImports(mem: CoreMemory) {
  const hashes = new Map<number, nc.Hash>();
  let nextHandle = 1;
  const keep = (h: nc.Hash) => {
    const id = nextHandle++;
    hashes.set(id, h);
    return id;
  };
  const rd = (p: number, n: number) => mem.read(p, n);

  return {
    hash_new(alg: number): number {
      const name = HASHES[alg];
      if (!name) throw new Error(`hash_new: unknown algorithm ${alg}`);
      return keep(nc.createHash(name));
    },
    hash_update(h: number, ptr: number, len: number): void {
      hashes.get(h)!.update(mem.bytes().subarray(ptr, ptr + len));
    },
    hash_clone(h: number): number {
      return keep(hashes.get(h)!.copy());
    },
    hash_final(h: number, out: number): void {
      const ctx = hashes.get(h)!;
      hashes.delete(h);
      mem.write(out, ctx.digest());
    },

    aes_encrypt_block(key: number, keyLen: number, input: number, out: number): void {
      const c = nc.createCipheriv(aesName(keyLen, "ecb"), rd(key, keyLen), null).setAutoPadding(false);
      mem.write(out, c.update(rd(input, 16)));
    },
    aes_ctr(key: number, keyLen: number, iv: number, input: number, out: number, len: number): void {
      const c = nc.createCipheriv(aesName(keyLen, "ctr"), rd(key, keyLen), rd(iv, 16));
      mem.write(out, c.update(rd(input, len)));
    },
    aes_gcm_seal(key: number, keyLen: number, iv: number, ivLen: number, aad: number, aadLen: number,
      input: number, len: number, out: number, tag: number): void {
      const c = nc.createCipheriv(aesName(keyLen, "gcm") as nc.CipherGCMTypes, rd(key, keyLen), rd(iv, ivLen), { authTagLength: 16 });
      c.setAAD(rd(aad, aadLen));
      const ct = c.update(rd(input, len));
      c.final();
      mem.write(out, ct);
      mem.write(tag, c.getAuthTag());
    },
    aes_gcm_open(key: number, keyLen: number, iv: number, ivLen: number, aad: number, aadLen: number,
      input: number, len: number, out: number, tag: number): number {
      try {
        const d = nc.createDecipheriv(aesName(keyLen, "gcm") as nc.CipherGCMTypes, rd(key, keyLen), rd(iv, ivLen), { authTagLength: 16 });
        d.setAAD(rd(aad, aadLen));
        d.setAuthTag(rd(tag, 16));
        const pt = d.update(rd(input, len));
        d.final();
        mem.write(out, pt);
        return 1;
      } catch {
        return 0;
      }
    },

    p256_public(priv: number, pubOut: number): number {
      const pub = p256PublicOf(rd(priv, 32));
      if (!pub) return 0;
      mem.write(pubOut, pub);
      return 1;
    },
    p256_ecdh(priv: number, peerPub: number, out: number): number {
      const pub = rd(peerPub, 65);
      if (pub[0] !== 4) return 0;
      try {
        const ecdh = nc.createECDH("prime256v1");
        ecdh.setPrivateKey(rd(priv, 32));
        mem.write(out, ecdh.computeSecret(pub));
        return 1;
      } catch {
        return 0;
      }
    },
    p256_sign(priv: number, msg: number, msgLen: number, sigOut: number): number {
      const key = p256PrivateKey(rd(priv, 32));
      if (!key) return 0;
      mem.write(sigOut, nc.sign("sha256", rd(msg, msgLen), { key, dsaEncoding: "ieee-p1363" }));
      return 1;
    },
    p256_verify(pub: number, msg: number, msgLen: number, sig: number): number {
      const key = p256PublicKey(rd(pub, 65));
      if (!key) return 0;
      try {
        return nc.verify("sha256", rd(msg, msgLen), { key, dsaEncoding: "ieee-p1363" }, rd(sig, 64)) ? 1 : 0;
      } catch {
        return 0;
      }
    },

    x25519(scalar: number, u: number, out: number): number {
      try {
        const privateKey = nc.createPrivateKey({ format: "der", type: "pkcs8", key: Buffer.concat([X25519_PKCS8, rd(scalar, 32)]) });
        const publicKey = nc.createPublicKey({ format: "der", type: "spki", key: Buffer.concat([X25519_SPKI, rd(u, 32)]) });
        const shared = nc.diffieHellman({ privateKey, publicKey });
        mem.write(out, shared);
        return shared.some((b) => b !== 0) ? 1 : 0;
      } catch {
        return 0;
      }
    },
  };
}
