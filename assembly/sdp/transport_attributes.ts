// RFC 8839 §5.4-5.6 and RFC 8842 §5: the ICE and DTLS attributes that may stand at session level or
// in a media section, parsed the same way in both places.
import { Fingerprint } from "./fingerprint";
import { isPwd, isUfrag, parseIceOptions } from "./ice_attributes";
import { Setup, setupFromName } from "./setup";

export class TransportAttributes {
  iceUfrag: string = "";
  icePwd: string = "";
  iceOptions: string[] = [];
  fingerprints: Fingerprint[] = [];
  setup: Setup = Setup.Unspecified;

  static has(name: string): bool {
    return name == "ice-ufrag" || name == "ice-pwd" || name == "ice-options" || name == "fingerprint" || name == "setup";
  }

  // Applies one of the attributes `has` names; a reason when it is malformed, else null.
  applyTransportAttribute(name: string, v: string): string | null {
    if (name == "ice-ufrag") {
      if (!isUfrag(v)) return "a=ice-ufrag must be 4-256 ice-chars";
      this.iceUfrag = v;
    } else if (name == "ice-pwd") {
      if (!isPwd(v)) return "a=ice-pwd must be 22-256 ice-chars";
      this.icePwd = v;
    } else if (name == "ice-options") {
      this.iceOptions = parseIceOptions(v);
    } else if (name == "fingerprint") {
      const fp = Fingerprint.parse(v);
      if (fp == null) return "a=fingerprint is not <hash> <hex pairs>";
      if (this.fingerprints.length < 8) this.fingerprints.push(fp);
    } else if (name == "setup") {
      const s = setupFromName(v);
      if (s == Setup.Unspecified) return "a=setup must be active, passive, actpass or holdconn";
      this.setup = s;
    }
    return null;
  }
}
