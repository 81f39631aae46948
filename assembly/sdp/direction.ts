// RFC 8866 §6.7: sendrecv, sendonly, recvonly, inactive (absent means sendrecv).

export const enum Direction {
  Unspecified = 0,
  SendRecv = 1,
  SendOnly = 2,
  RecvOnly = 3,
  Inactive = 4,
}

// The direction an attribute name names, or Unspecified when it names none.
export function directionFromName(name: string): Direction {
  if (name == "sendrecv") return Direction.SendRecv;
  if (name == "sendonly") return Direction.SendOnly;
  if (name == "recvonly") return Direction.RecvOnly;
  if (name == "inactive") return Direction.Inactive;
  return Direction.Unspecified;
}

export function directionName(d: Direction): string {
  switch (d) {
    case Direction.SendOnly: return "sendonly";
    case Direction.RecvOnly: return "recvonly";
    case Direction.Inactive: return "inactive";
  }
  return "sendrecv";
}

// What we answer to an offered direction, when we would send and/or receive (RFC 3264 §6.1).
export function answerDirection(offered: Direction, canSend: bool, canRecv: bool): Direction {
  let send = canSend;
  let recv = canRecv;
  if (offered == Direction.SendOnly) send = false;
  else if (offered == Direction.RecvOnly) recv = false;
  else if (offered == Direction.Inactive) { send = false; recv = false; }
  if (send && recv) return Direction.SendRecv;
  if (send) return Direction.SendOnly;
  if (recv) return Direction.RecvOnly;
  return Direction.Inactive;
}
