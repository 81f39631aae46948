// RFC 5246 §8.1, §6.3, §7.4.9; RFC 7627 §4 (extended master secret); RFC 5705 §4 (exporter).
import { HashAlg } from "../crypto/hash";
import { tlsPrf } from "../crypto/prf";
import { MASTER_SECRET_LEN, RANDOM_LEN, VERIFY_DATA_LEN } from "./protocol";
import { GCM_SALT_LEN } from "./cipher_suite";

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

// With EMS the seed is the session hash (transcript through ClientKeyExchange); otherwise randoms.
export function computeMasterSecret(
  alg: HashAlg, preMaster: Uint8Array, extended: bool, sessionHash: Uint8Array,
  clientRandom: Uint8Array, serverRandom: Uint8Array,
): Uint8Array {
  if (extended) return tlsPrf(alg, preMaster, "extended master secret", sessionHash, MASTER_SECRET_LEN);
  return tlsPrf(alg, preMaster, "master secret", concat(clientRandom, serverRandom), MASTER_SECRET_LEN);
}

export class KeyBlock {
  constructor(
    public clientKey: Uint8Array, public serverKey: Uint8Array,
    public clientSalt: Uint8Array, public serverSalt: Uint8Array,
  ) {}
}

// §6.3: key_block = PRF(master, "key expansion", server_random + client_random); AEAD suites have
// no MAC keys, and their "IV" is the 4-byte implicit salt.
export function computeKeyBlock(
  alg: HashAlg, master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, keyLen: i32,
): KeyBlock {
  const kb = tlsPrf(alg, master, "key expansion", concat(serverRandom, clientRandom), 2 * keyLen + 2 * GCM_SALT_LEN);
  return new KeyBlock(
    kb.slice(0, keyLen), kb.slice(keyLen, 2 * keyLen),
    kb.slice(2 * keyLen, 2 * keyLen + GCM_SALT_LEN), kb.slice(2 * keyLen + GCM_SALT_LEN, 2 * keyLen + 2 * GCM_SALT_LEN),
  );
}

// §7.4.9: verify_data = PRF(master, finished_label, Hash(handshake_messages))[0..11].
export function computeVerifyData(alg: HashAlg, master: Uint8Array, fromClient: bool, transcriptHash: Uint8Array): Uint8Array {
  return tlsPrf(alg, master, fromClient ? "client finished" : "server finished", transcriptHash, VERIFY_DATA_LEN);
}

// RFC 5705 §4: PRF(master, label, client_random + server_random [+ u16 context length + context]).
export function exportKeyingMaterial(
  alg: HashAlg, master: Uint8Array, label: string, clientRandom: Uint8Array, serverRandom: Uint8Array,
  context: Uint8Array | null, len: i32,
): Uint8Array {
  const ctxLen = context == null ? 0 : 2 + context.length;
  const seed = new Uint8Array(2 * RANDOM_LEN + ctxLen);
  seed.set(clientRandom, 0);
  seed.set(serverRandom, RANDOM_LEN);
  if (context != null) {
    const c: Uint8Array = context;
    seed[2 * RANDOM_LEN] = <u8>(c.length >> 8);
    seed[2 * RANDOM_LEN + 1] = <u8>c.length;
    seed.set(c, 2 * RANDOM_LEN + 2);
  }
  return tlsPrf(alg, master, label, seed, len);
}
