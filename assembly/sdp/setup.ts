// RFC 4145 §4 and RFC 8842 §5: a=setup:active|passive|actpass|holdconn picks the DTLS client.

export const enum Setup {
  Unspecified = 0,
  // Active: this endpoint opens the connection, i.e. is the DTLS client.
  Active = 1,
  Passive = 2,
  ActPass = 3,
  HoldConn = 4,
}

// Setup.Unspecified for an unknown value.
export function setupFromName(v: string): Setup {
  if (v == "active") return Setup.Active;
  if (v == "passive") return Setup.Passive;
  if (v == "actpass") return Setup.ActPass;
  if (v == "holdconn") return Setup.HoldConn;
  return Setup.Unspecified;
}

export function setupName(s: Setup): string {
  switch (s) {
    case Setup.Active: return "active";
    case Setup.Passive: return "passive";
    case Setup.ActPass: return "actpass";
    case Setup.HoldConn: return "holdconn";
  }
  return "";
}
