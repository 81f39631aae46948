// RFC 5246 §7.4.1.4: hello extension list; unknown extensions are skipped, known ones decoded.
import { ByteReader, ByteWriter } from "../util/bytes";
import { ExtensionType } from "./protocol";
import { UseSrtp } from "./extension_use_srtp";
import { parseSupportedGroups, writeSupportedGroups } from "./extension_supported_groups";
import { parseSignatureAlgorithms, writeSignatureAlgorithms } from "./extension_signature_algorithms";
import { parseEcPointFormats, writeEcPointFormats } from "./extension_ec_point_formats";

export class HelloExtensions {
  supportedGroups: Array<u16> | null = null;
  signatureAlgorithms: Array<u16> | null = null;
  ecPointFormats: bool = false; // present and lists uncompressed
  useSrtp: UseSrtp | null = null;
  extendedMasterSecret: bool = false;
  // RFC 5746 §3.2: present with an empty renegotiated_connection (anything else is refused).
  renegotiationInfo: bool = false;

  // Reads the extensions block (u16 length + entries) if any bytes remain. False when malformed:
  // a bad length, a repeated type, or a known extension whose body does not decode.
  read(r: ByteReader): bool {
    if (r.remaining == 0) return r.ok;
    const total = <i32>r.u16();
    if (!r.ok || r.remaining != total) return false;
    const seen = new Array<u16>();
    while (r.remaining > 0) {
      const type = r.u16();
      const len = <i32>r.u16();
      const body = r.view(len);
      if (!r.ok) return false;
      if (seen.includes(type)) return false;
      seen.push(type);
      if (type == ExtensionType.SupportedGroups) {
        this.supportedGroups = parseSupportedGroups(body);
        if (this.supportedGroups == null) return false;
      } else if (type == ExtensionType.SignatureAlgorithms) {
        this.signatureAlgorithms = parseSignatureAlgorithms(body);
        if (this.signatureAlgorithms == null) return false;
      } else if (type == ExtensionType.EcPointFormats) {
        this.ecPointFormats = parseEcPointFormats(body);
      } else if (type == ExtensionType.UseSrtp) {
        this.useSrtp = UseSrtp.parse(body);
        if (this.useSrtp == null) return false;
      } else if (type == ExtensionType.ExtendedMasterSecret) {
        if (len != 0) return false;
        this.extendedMasterSecret = true;
      } else if (type == ExtensionType.RenegotiationInfo) {
        if (len != 1 || body[0] != 0) return false;
        this.renegotiationInfo = true;
      }
    }
    return true;
  }

  // Writes the extensions block; nothing at all when no extension is set.
  write(w: ByteWriter): void {
    const start = w.pos;
    w.u16(0);
    const groups = this.supportedGroups;
    if (groups != null) {
      const at = begin(w, ExtensionType.SupportedGroups);
      writeSupportedGroups(w, groups);
      end(w, at);
    }
    if (this.ecPointFormats) {
      const at = begin(w, ExtensionType.EcPointFormats);
      writeEcPointFormats(w);
      end(w, at);
    }
    const sigs = this.signatureAlgorithms;
    if (sigs != null) {
      const at = begin(w, ExtensionType.SignatureAlgorithms);
      writeSignatureAlgorithms(w, sigs);
      end(w, at);
    }
    const srtp = this.useSrtp;
    if (srtp != null) {
      const at = begin(w, ExtensionType.UseSrtp);
      srtp.write(w);
      end(w, at);
    }
    if (this.extendedMasterSecret) {
      w.u16(ExtensionType.ExtendedMasterSecret);
      w.u16(0);
    }
    if (this.renegotiationInfo) {
      w.u16(ExtensionType.RenegotiationInfo);
      w.u16(1);
      w.u8(0);
    }
    if (w.pos == start + 2) w.pos = start;
    else w.patchU16(start, w.pos - start - 2);
  }
}

function begin(w: ByteWriter, type: i32): i32 {
  w.u16(type);
  const at = w.pos;
  w.u16(0);
  return at;
}

function end(w: ByteWriter, at: i32): void {
  w.patchU16(at, w.pos - at - 2);
}
