// RFC 8422 §5.10 and RFC 7748 §6: ephemeral ECDH for the pre-master secret (P-256 or X25519).
import { p256Generate, p256Ecdh } from "../crypto/p256";
import { x25519Generate, x25519 } from "../crypto/x25519";
import { NamedGroup } from "./protocol";

export function isSupportedGroup(group: u16): bool {
  return group == NamedGroup.Secp256r1 || group == NamedGroup.X25519;
}

export class EphemeralKey {
  constructor(public group: u16, public priv: Uint8Array, public pub: Uint8Array) {}

  // A fresh key pair; null for a group we do not implement.
  static generate(group: u16): EphemeralKey | null {
    if (group == NamedGroup.Secp256r1) {
      const k = p256Generate();
      return new EphemeralKey(group, k.priv, k.pub);
    }
    if (group == NamedGroup.X25519) {
      const k = x25519Generate();
      return new EphemeralKey(group, k.priv, k.pub);
    }
    return null;
  }

  // The pre-master secret (the shared x-coordinate / u-coordinate), or null for a bad peer key.
  shared(peerPub: Uint8Array): Uint8Array | null {
    if (this.group == NamedGroup.Secp256r1) {
      if (peerPub.length != 65 || peerPub[0] != 4) return null;
      return p256Ecdh(this.priv, peerPub);
    }
    if (peerPub.length != 32) return null;
    return x25519(this.priv, peerPub);
  }
}
