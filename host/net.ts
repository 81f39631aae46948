// Networking for the desktop host: host-candidate gathering from the interfaces, STUN/TURN server
// configuration (RFC 7064/7065 URLs), and a thin driver that runs the core's ICE transport (agent +
// STUN/TURN clients, assembly/turn/ice_transport.ts) over node:dgram sockets and node:net TCP
// connections to TURN servers. Until the core's ABI exports the transport (a later issue) the driver
// talks to the TURN test entry's it_* functions (build/test/entry_turn-<provider>.wasm).
import { createSocket, type Socket } from "node:dgram";
import { connect, isIPv4, isIPv6, type Socket as TcpSocket } from "node:net";
import { connect as tlsConnect, rootCertificates, type ConnectionOptions } from "node:tls";
import { lookup } from "node:dns/promises";
import { networkInterfaces } from "node:os";
import { resolve } from "node:path";
import { instantiate, projectRoot, type LoadedCore, type Provider } from "./core.js";
import { resolveMdns } from "./mdns.js";

// ---- addresses: "a.b.c.d:port" / "[v6]:port" <-> the core's 19 bytes [family, port, 16 address bytes] ----

export function splitHostPort(key: string): { ip: string; port: number } {
  const m6 = /^\[(.*)\]:(\d+)$/.exec(key);
  if (m6) return { ip: m6[1], port: +m6[2] };
  const i = key.lastIndexOf(":");
  return { ip: key.slice(0, i), port: +key.slice(i + 1) };
}

export function joinHostPort(ip: string, port: number): string {
  return isIPv6(ip) ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function ipv6Groups(ip: string): number[] {
  let s = ip.split("%")[0];
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const o = v4[1].split(".").map(Number);
    tail.push((o[0] << 8) | o[1], (o[2] << 8) | o[3]);
    s = s.slice(0, -v4[1].length) + (s.endsWith("::" + v4[1]) ? "" : "0");
    if (s.endsWith(":0") && !s.endsWith("::0")) s = s.slice(0, -2);
  }
  const halves = s.split("::");
  const part = (x: string) => (x ? x.split(":").map((g) => parseInt(g, 16)) : []);
  const head = part(halves[0]);
  const rest = halves.length > 1 ? part(halves[1]) : [];
  const fill = 8 - tail.length - head.length - rest.length;
  return [...head, ...Array(Math.max(0, fill)).fill(0), ...rest, ...tail].slice(0, 8);
}

export function encodeAddr(key: string): Uint8Array {
  const { ip, port } = splitHostPort(key);
  const out = new Uint8Array(19);
  out[1] = port >> 8;
  out[2] = port & 255;
  if (isIPv4(ip)) {
    out[0] = 1;
    ip.split(".").forEach((o, i) => (out[3 + i] = +o));
  } else {
    out[0] = 2;
    ipv6Groups(ip).forEach((g, i) => {
      out[3 + 2 * i] = g >> 8;
      out[4 + 2 * i] = g & 255;
    });
  }
  return out;
}

// The IP of a 19-byte address in text (IPv6 compressed as RFC 5952, as the core prints it).
export function decodeIp(b: Uint8Array): string {
  if (b[0] == 1) return `${b[3]}.${b[4]}.${b[5]}.${b[6]}`;
  const g: string[] = [];
  for (let i = 0; i < 8; i++) g.push(((b[3 + 2 * i] << 8) | b[4 + 2 * i]).toString(16));
  return new URL(`http://[${g.join(":")}]/`).hostname.slice(1, -1);
}

export function decodeAddrKey(b: Uint8Array): string {
  return joinHostPort(decodeIp(b), (b[1] << 8) | b[2]);
}

// ---- host candidates ----

export interface HostAddressOptions {
  ipv4?: boolean; // default true
  ipv6?: boolean; // default true
  linkLocal?: boolean; // fe80::/10 (and 169.254/16); default false
  loopback?: boolean; // 127/8, ::1; default false (tests turn it on)
  onlyLoopback?: boolean; // nothing but loopback (tests that must stay on 127.0.0.1 / ::1)
}

export function isLinkLocal(ip: string): boolean {
  if (isIPv4(ip)) return ip.startsWith("169.254.");
  return /^fe[89ab]/i.test(ip);
}

// The interface addresses a host candidate may use, IPv6 first (RFC 8421 spirit).
export function hostAddresses(opts: HostAddressOptions = {}): string[] {
  const out: { ip: string; v6: boolean }[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      const v6 = a.family === "IPv6";
      if (v6 && opts.ipv6 === false) continue;
      if (!v6 && opts.ipv4 === false) continue;
      if (a.internal && !opts.loopback && !opts.onlyLoopback) continue;
      if (opts.onlyLoopback && !a.internal) continue;
      if (isLinkLocal(a.address) && !opts.linkLocal) continue;
      if (!out.some((o) => o.ip === a.address)) out.push({ ip: a.address, v6 });
    }
  }
  return out.sort((x, y) => Number(y.v6) - Number(x.v6)).map((o) => o.ip);
}

// ---- STUN/TURN server configuration (RFC 7064 stun:/stuns:, RFC 7065 turn:/turns:) ----

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
  tlsCa?: string | Uint8Array; // PEM: a CA trusted for turns: besides Node's default roots
}

export interface ServerUrl {
  scheme: "stun" | "stuns" | "turn" | "turns";
  host: string;
  port: number;
  transport: "udp" | "tcp";
}

export function parseServerUrl(url: string): ServerUrl | null {
  const m = /^(stuns?|turns?):(\[[^\]]+\]|[^:?]+)(?::(\d+))?(?:\?transport=(udp|tcp))?$/i.exec(url.trim());
  if (!m) return null;
  const scheme = m[1].toLowerCase() as ServerUrl["scheme"];
  const secure = scheme.endsWith("s");
  const host = m[2].startsWith("[") ? m[2].slice(1, -1) : m[2];
  const port = m[3] ? +m[3] : secure ? 5349 : 3478;
  if (port < 1 || port > 65535) return null;
  const transport = (m[4]?.toLowerCase() as "udp" | "tcp" | undefined) ?? (secure ? "tcp" : "udp");
  if (scheme.startsWith("stun") && m[4]) return null; // RFC 7064: no transport on stun URIs
  return { scheme, host, port, transport };
}

// Why a server URL cannot be used by the host (null when it can): the core's STUN client is
// UDP-only, and TURN over DTLS is not offered.
export function unsupportedServerUrl(u: ServerUrl): string | null {
  if (u.scheme === "stuns") return "stuns: (STUN over TLS) is not supported: STUN gathering is UDP-only; use stun: or turns:";
  if (u.scheme === "turns" && u.transport === "udp")
    return "turns:...?transport=udp (TURN over DTLS) is not supported; use turns: (TLS over TCP) or turn:...?transport=udp";
  return null;
}

// ---- stream connections to TURN servers (RFC 8656 §3.1: TCP; TLS for turns:, RFC 7065) ----

export interface TurnStreamOptions {
  localIp: string; // the host socket's IP, so the relayed candidate's base is that address
  server: { ip: string; port: number };
  // turns: the certificate must chain to Node's roots or `ca`, and name `servername` (the URL's
  // DNS name, also sent as SNI) or, when the URL gave an IP, that IP.
  tls?: { servername?: string; ca?: string | Uint8Array };
  timeoutMs: number; // for the TCP connect and the TLS handshake together
}

// Opens the connection and resolves once it can carry TURN (after the TLS handshake for turns:);
// rejects with an Error whose message says what failed (refused, timeout, certificate, handshake).
// The caller attaches "data"/"close" after; later errors are followed by "close".
export function openTurnStream(o: TurnStreamOptions): Promise<TcpSocket> {
  const { ip, port } = o.server;
  const what = `${o.tls ? "TLS" : "TCP"} to ${o.tls?.servername ?? ip}:${port}`;
  return new Promise((ok, fail) => {
    // (tls.connect hands localAddress to net.connect; Node's typings just do not list it)
    const tlsOptions: ConnectionOptions & { localAddress: string } = {
      host: ip, port, localAddress: o.localIp,
      servername: o.tls?.servername, // SNI only for names (RFC 6066 forbids IPs)
      // `ca` replaces Node's roots, so an extra CA is given next to them
      ca: o.tls?.ca ? [...rootCertificates, Buffer.from(o.tls.ca).toString()] : undefined,
    };
    const c: TcpSocket = o.tls ? tlsConnect(tlsOptions) : connect({ host: ip, port, localAddress: o.localIp });
    let settled = false;
    const settle = (err: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err === null) return ok(c);
      c.destroy();
      fail(new Error(`${what}: ${err}`));
    };
    const timer = setTimeout(() => settle(o.tls ? "no TLS handshake within " + o.timeoutMs + " ms" : "connect timed out"), o.timeoutMs);
    timer.unref();
    c.setNoDelay(true);
    c.once(o.tls ? "secureConnect" : "connect", () => settle(null));
    c.on("error", (e: NodeJS.ErrnoException) => settle(describeStreamError(e, !!o.tls)));
    // a server that is not TLS may just hang up during the handshake
    c.once("close", () => settle(o.tls ? "connection closed during the TLS handshake" : "connection closed"));
  });
}

function describeStreamError(e: NodeJS.ErrnoException, tls: boolean): string {
  const code = e.code ?? "";
  if (tls && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|ISSUER/.test(code)) return `certificate rejected: ${e.message} (${code})`;
  if (tls && (code.startsWith("ERR_SSL") || /SSL|TLS/.test(e.message))) return `TLS handshake failed: ${e.message}`;
  if (tls && code === "ECONNRESET") return `connection reset during the TLS handshake`;
  return e.message;
}

// ---- the core's ICE transport over real sockets ----

export interface IceNetOptions {
  provider?: Provider;
  core?: LoadedCore; // a loaded entry_turn module (several IceNets may share one)
  controlling: boolean;
  ufrag: string;
  password: string;
  iceServers?: IceServer[];
  // "relay": only relayed candidates are offered (host sockets still carry the TURN traffic).
  policy?: "all" | "relay";
  host?: HostAddressOptions;
  tieBreaker?: bigint;
  // Core TurnConfig fields for every TURN server (numbering of entry_turn.ts's it_turn_config).
  turnConfig?: [number, number][];
  mdnsTimeoutMs?: number;
}

export interface IceNetEvents {
  candidate?: (sdp: string) => void;
  state?: (state: number) => void;
  selected?: (local: string, remote: string) => void;
  data?: (data: Uint8Array, local: string, remote: string) => void;
  event?: (text: string) => void; // every event text (turn0 allocated ..., srflx ..., ...)
}

export const ICE_STATE = { New: 0, Checking: 1, Connected: 2, Completed: 3, Disconnected: 4, Failed: 5, Closed: 6 } as const;

export function loadTurnEntry(provider: Provider = "pure"): LoadedCore {
  return instantiate(resolve(projectRoot(), "build/test", `entry_turn-${provider}.wasm`));
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export class IceNet {
  readonly core: LoadedCore;
  readonly h: number;
  readonly events: string[] = [];
  lastError: string | null = null; // why a configured server is not used (bad URL, TLS failure...)
  private sockets = new Map<string, Socket>(); // local key -> socket
  private tcp = new Map<string, TcpSocket>(); // `${local}|${server}` -> connection
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly t0 = Date.now();

  constructor(public opts: IceNetOptions, public on: IceNetEvents = {}) {
    this.core = opts.core ?? loadTurnEntry(opts.provider);
    const u = this.put(enc.encode(opts.ufrag)), p = this.put(enc.encode(opts.password));
    this.h = this.x.it_new(opts.controlling ? 1 : 0, u, enc.encode(opts.ufrag).length, p, enc.encode(opts.password).length, opts.tieBreaker ?? 0n);
    this.free(u, p);
    if (opts.policy === "relay") this.x.it_relay_only(this.h);
  }

  private get x(): Record<string, any> {
    return this.core.exports;
  }
  private put(b: Uint8Array): number {
    const ptr = this.x.mem_alloc(Math.max(1, b.length)) as number;
    this.core.memory.write(ptr, b);
    return ptr;
  }
  private free(...ptrs: number[]) {
    for (const p of ptrs) this.x.mem_free(p);
  }
  private now(): bigint {
    return BigInt(Date.now() - this.t0);
  }

  // Binds a socket on every host address, offers host candidates (policy "all"), and starts
  // STUN/TURN gathering on each. Resolves once the sockets are bound; candidates trickle out.
  async start(): Promise<void> {
    const ips = hostAddresses(this.opts.host);
    for (const ip of ips) {
      const sock = createSocket({ type: isIPv6(ip) ? "udp6" : "udp4", ipv6Only: isIPv6(ip) });
      await new Promise<void>((ok, fail) => {
        sock.once("error", fail);
        sock.bind(0, ip, () => {
          sock.off("error", fail);
          ok();
        });
      });
      const local = joinHostPort(ip, sock.address().port);
      this.sockets.set(local, sock);
      sock.on("message", (msg, rinfo) => this.input(msg, local, joinHostPort(rinfo.address, rinfo.port)));
      sock.on("error", () => {});
      if (this.opts.policy !== "relay") this.withAddr([local], ([a]) => this.x.it_add_host(this.h, a));
    }
    for (const server of this.opts.iceServers ?? []) {
      for (const url of [server.urls].flat()) await this.addServer(url, server.username, server.credential, server.tlsCa);
    }
    this.pump();
  }

  private async addServer(url: string, username = "", credential = "", tlsCa?: string | Uint8Array) {
    const u = parseServerUrl(url);
    if (!u) {
      this.lastError = `ICE server URL not understood: ${url}`;
      return;
    }
    const refused = unsupportedServerUrl(u);
    if (refused) {
      this.lastError = refused;
      return;
    }
    let ip = u.host;
    if (!isIPv4(ip) && !isIPv6(ip)) {
      try {
        ip = (await lookup(u.host)).address;
      } catch {
        return;
      }
    }
    const server = joinHostPort(ip, u.port);
    for (const local of this.sockets.keys()) {
      if (isIPv6(splitHostPort(local).ip) != isIPv6(ip)) continue;
      if (u.scheme == "stun") {
        if (this.opts.policy === "relay") continue;
        this.withAddr([local, server], ([l, s]) => this.x.it_add_stun(this.h, l, s, this.now()));
        continue;
      }
      for (const [w, v] of this.opts.turnConfig ?? []) this.x.it_turn_config(w, BigInt(v));
      if (u.transport == "tcp") {
        this.x.it_turn_config(9, 1n);
        const tls = u.scheme === "turns" ? { servername: isIPv4(u.host) || isIPv6(u.host) ? undefined : u.host, ca: tlsCa } : undefined;
        if (!(await this.connectStream(local, server, tls))) continue;
      }
      const un = enc.encode(username), cr = enc.encode(credential);
      const up = this.put(un), cp = this.put(cr);
      this.withAddr([local, server], ([l, s]) => this.x.it_add_turn(this.h, l, s, up, un.length, cp, cr.length, this.now()));
      this.free(up, cp);
    }
  }

  // A TCP (or, for turns:, TLS) connection from the host address of `local` to a TURN server; its
  // bytes feed the core's stream framer (RFC 6062-style framing of STUN and ChannelData). False
  // (and lastError) when it could not be opened: that server is then not handed to the core.
  private async connectStream(local: string, server: string, tls?: TurnStreamOptions["tls"]): Promise<boolean> {
    let c: TcpSocket;
    try {
      c = await openTurnStream({ localIp: splitHostPort(local).ip, server: splitHostPort(server), tls, timeoutMs: 5000 });
    } catch (e) {
      this.lastError = `TURN ${(e as Error).message}`;
      return false;
    }
    if (this.closed) {
      c.destroy();
      return false;
    }
    c.on("data", (chunk: Buffer) => {
      if (this.closed) return;
      const p = this.put(chunk);
      const ls = this.put(encodeAddr(local)), rs = this.put(encodeAddr(server));
      const good = this.x.it_input_stream(this.h, p, chunk.length, ls, rs, this.now());
      this.free(p, ls, rs);
      if (!good) c.destroy();
      this.pump();
    });
    this.tcp.set(`${local}|${server}`, c);
    return true;
  }

  private withAddr<T>(keys: string[], f: (ptrs: number[]) => T): T {
    const ptrs = keys.map((k) => this.put(encodeAddr(k)));
    try {
      return f(ptrs);
    } finally {
      this.free(...ptrs);
    }
  }

  private input(data: Uint8Array, local: string, remote: string) {
    if (this.closed) return;
    const p = this.put(data);
    this.withAddr([local, remote], ([l, r]) => this.x.it_input(this.h, p, data.length, l, r, this.now()));
    this.free(p);
    this.pump();
  }

  setRemoteCredentials(ufrag: string, password: string) {
    const u = this.put(enc.encode(ufrag)), p = this.put(enc.encode(password));
    this.x.it_set_remote(this.h, u, enc.encode(ufrag).length, p, enc.encode(password).length);
    this.free(u, p);
    this.pump();
  }

  addRemoteCandidate(line: string): boolean {
    const b = enc.encode(line);
    const p = this.put(b);
    const r = this.x.it_add_remote(this.h, p, b.length);
    this.free(p);
    this.pump();
    return r == 1;
  }

  // Application data over the selected pair (relayed when the pair is relayed).
  send(data: Uint8Array): boolean {
    const p = this.put(data);
    const r = this.x.it_send(this.h, p, data.length, this.now());
    this.free(p);
    this.pump();
    return r == 1;
  }

  get state(): number {
    return this.x.it_state(this.h);
  }

  turnStat(server: number, which: number): number {
    return this.x.it_turn_stat(this.h, server, which);
  }

  turnState(server: number): number {
    return this.x.it_turn_state(this.h, server);
  }

  // Closes the agent, deallocates relays (the Refresh with LIFETIME 0 is sent and given up to
  // `graceMs` for its answer), then closes the sockets.
  async close(graceMs = 300): Promise<void> {
    if (this.closed) return;
    this.x.it_close(this.h, this.now());
    this.pump();
    await new Promise((r) => setTimeout(r, graceMs));
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const s of this.sockets.values()) s.close();
    for (const c of this.tcp.values()) c.destroy();
  }

  // Sends what the core queued, hands events out, and arms the timer for the next deadline.
  private pump() {
    const x = this.x;
    const addrs = this.put(new Uint8Array(39)), buf = this.put(new Uint8Array(65536));
    try {
      for (;;) {
        const n = x.it_poll_transmit(this.h, addrs, buf, 65536);
        if (n < 0) break;
        const a = this.core.memory.read(addrs, 39);
        const local = decodeAddrKey(a.subarray(0, 19)), remote = decodeAddrKey(a.subarray(19, 38));
        const data = this.core.memory.read(buf, n);
        if (a[38] == 1) this.tcp.get(`${local}|${remote}`)?.write(data);
        else {
          const r = splitHostPort(remote);
          this.sockets.get(local)?.send(data, r.port, r.ip);
        }
      }
      for (;;) {
        const n = x.it_poll_event(this.h, buf, 65536);
        if (n < 0) break;
        this.onEvent(dec.decode(this.core.memory.read(buf, n)));
      }
      for (;;) {
        const n = x.it_poll_app(this.h, addrs, buf, 65536);
        if (n < 0) break;
        const a = this.core.memory.read(addrs, 38);
        this.on.data?.(this.core.memory.read(buf, n), decodeAddrKey(a.subarray(0, 19)), decodeAddrKey(a.subarray(19, 38)));
      }
    } finally {
      this.free(addrs, buf);
    }
    this.arm();
  }

  private onEvent(ev: string) {
    this.events.push(ev);
    this.on.event?.(ev);
    if (ev.startsWith("local ")) this.on.candidate?.(ev.slice(6));
    else if (ev.startsWith("state ")) this.on.state?.(+ev.slice(6));
    else if (ev.startsWith("selected ")) {
      const [, l, r] = ev.split(" ");
      this.on.selected?.(l, r);
    } else if (ev.startsWith("mdns ")) {
      const name = ev.slice(5);
      resolveMdns(name, { timeoutMs: this.opts.mdnsTimeoutMs ?? 3000 }).then((ip) => {
        if (!ip || this.closed) return;
        this.withAddr([joinHostPort(ip, 0)], ([a]) => {
          const b = enc.encode(name);
          const p = this.put(b);
          this.x.it_resolve(this.h, p, b.length, a);
          this.free(p);
        });
        this.pump();
      });
    }
  }

  private arm() {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const d = this.x.it_next_deadline(this.h) as bigint;
    if (d > BigInt(Number.MAX_SAFE_INTEGER)) return;
    const wait = Math.max(0, Number(d - this.now()));
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.closed) return;
      this.x.it_handle_timeout(this.h, this.now());
      this.pump();
    }, Math.min(wait, 2 ** 31 - 1));
  }
}

