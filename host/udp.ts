// UDP sockets for host candidates (RFC 8445 §5.1.1.1): which local addresses to gather, and one
// node:dgram socket bound per address, so every datagram's local address is known exactly.
import { createSocket, type Socket } from "node:dgram";
import { networkInterfaces } from "node:os";
import { isIPv4, isIPv6 } from "node:net";
import type { Address } from "./core.js";

export interface GatherOptions {
  includeLoopback?: boolean;
  ipv4?: boolean; // default true
  ipv6?: boolean; // default true
}

// The interfaces' addresses: IPv4 and global/ULA IPv6 (link-local IPv6 needs a scope id, which
// SDP candidates cannot carry), loopback only when asked for.
export function localAddresses(opts: GatherOptions = {}): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal && !opts.includeLoopback) continue;
      if (a.family === "IPv4" && opts.ipv4 !== false) out.push(a.address);
      else if (a.family === "IPv6" && opts.ipv6 !== false && !/^fe[89ab]/i.test(a.address)) out.push(a.address);
    }
  }
  return [...new Set(out)];
}

export interface BoundSocket {
  socket: Socket;
  address: Address;
}

// Binds an ephemeral port on ip; rejects when the address cannot be bound.
export function bindUdp(ip: string, port = 0): Promise<BoundSocket> {
  return new Promise((resolve, reject) => {
    if (!isIPv4(ip) && !isIPv6(ip)) {
      reject(new Error(`not an IP address: ${ip}`));
      return;
    }
    const socket = createSocket({ type: isIPv6(ip) ? "udp6" : "udp4", ipv6Only: isIPv6(ip) });
    const onError = (e: Error) => {
      socket.close();
      reject(e);
    };
    socket.once("error", onError);
    socket.bind(port, ip, () => {
      socket.removeListener("error", onError);
      const a = socket.address();
      resolve({ socket, address: { ip, port: a.port } });
    });
  });
}

export function addressKey(a: Address): string {
  return isIPv6(a.ip) ? `[${a.ip}]:${a.port}` : `${a.ip}:${a.port}`;
}
