// SCTP endpoints over an in-memory link with a virtual clock: our core (test/core/entry_sctp_peer.ts)
// and werift's SCTP (its RTCSctpTransport over a stand-in DTLS transport). werift arms real
// setTimeout timers (RTO >= 1 s, delayed SACK 200 ms) and reads Date.now(), so while a run is
// going on both are replaced by a virtual clock that jumps to the next timer when the link is
// idle: loss recovery that takes seconds of protocol time takes milliseconds of test time.
import { RTCSctpTransport, RTCDataChannel, RTCDataChannelParameters } from "werift";
import { loadEntry, type Entry } from "./entry.js";
import type { Provider } from "../../host/core.js";

// ---- Virtual time ----

interface Timer {
  at: number;
  seq: number;
  fn: (...args: any[]) => void;
  args: any[];
}

// A handle like Node's Timeout, enough for the code that holds it (truthiness, unref, clear).
class VirtualTimeout {
  constructor(public id: number) {}
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  hasRef(): boolean {
    return true;
  }
  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

export class VirtualClock {
  now = 1_700_000_000_000; // epoch-like, since werift puts seconds into cookies and heartbeats
  readonly start = this.now;
  private timers = new Map<number, Timer>();
  private nextId = 1;
  private seq = 0;
  private saved: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout; now: () => number } | null = null;

  install(): void {
    if (this.saved) return;
    this.saved = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout, now: Date.now };
    const timers = this.timers;
    globalThis.setTimeout = ((fn: (...a: any[]) => void, ms?: number, ...args: any[]) => {
      const id = this.nextId++;
      timers.set(id, { at: this.now + Math.max(0, Math.ceil(Number(ms) || 0)), seq: this.seq++, fn, args });
      return new VirtualTimeout(id);
    }) as any;
    const realClear = this.saved.clearTimeout;
    globalThis.clearTimeout = ((h: any) => {
      if (h instanceof VirtualTimeout) timers.delete(h.id);
      else if (h !== undefined) realClear(h);
    }) as any;
    Date.now = () => this.now;
  }

  restore(): void {
    const s = this.saved;
    if (!s) return;
    globalThis.setTimeout = s.setTimeout;
    globalThis.clearTimeout = s.clearTimeout;
    Date.now = s.now;
    this.saved = null;
    this.timers.clear();
  }

  // Milliseconds since the clock started: the core's `now`.
  get elapsed(): number {
    return this.now - this.start;
  }

  nextTimer(): number {
    let t = Infinity;
    for (const x of this.timers.values()) t = Math.min(t, x.at);
    return t;
  }

  // Runs every timer due by now, earliest first (timers they arm for now run too).
  fireDue(): number {
    let n = 0;
    for (;;) {
      let best: [number, Timer] | null = null;
      for (const e of this.timers) {
        if (e[1].at > this.now) continue;
        if (!best || e[1].at < best[1].at || (e[1].at === best[1].at && e[1].seq < best[1].seq)) best = e;
      }
      if (!best) return n;
      this.timers.delete(best[0]);
      n++;
      try {
        best[1].fn(...best[1].args);
      } catch (err) {
        errors.push(err);
      }
    }
  }
}

// Everything werift threw (its packet parser throws on a chunk type it does not know).
export const errors: unknown[] = [];

// One turn of the real event loop: werift's promise chains and setImmediate callbacks run.
const realImmediate = setImmediate;
export const settle = async (turns = 2): Promise<void> => {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => realImmediate(r));
};

// ---- The link ----

// xorshift, so loss patterns are reproducible.
export class Prng {
  constructor(private s: number) {
    if (this.s === 0) this.s = 0x2545f491;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / 4294967296;
  }
}

interface InFlight {
  at: number;
  seq: number;
  to: 0 | 1;
  data: Uint8Array;
}

export class Link {
  queue: InFlight[] = [];
  lossPct = 0;
  delayMs = 5;
  sent = [0, 0];
  dropped = [0, 0];
  bytes = [0, 0];
  private seq = 0;
  private rng: Prng;
  constructor(public clock: VirtualClock, seed = 1) {
    this.rng = new Prng(seed);
  }
  send(to: 0 | 1, data: Uint8Array): void {
    const from = 1 - to;
    this.sent[from]++;
    this.bytes[from] += data.length;
    if (this.rng.next() * 100 < this.lossPct) {
      this.dropped[from]++;
      return;
    }
    this.queue.push({ at: this.clock.now + this.delayMs, seq: this.seq++, to, data: new Uint8Array(data) });
  }
  // Packets due by now, in order of arrival.
  takeDue(): InFlight[] {
    const due = this.queue.filter((p) => p.at <= this.clock.now).sort((a, b) => a.at - b.at || a.seq - b.seq);
    if (due.length > 0) this.queue = this.queue.filter((p) => p.at > this.clock.now);
    return due;
  }
  nextArrival(): number {
    let t = Infinity;
    for (const p of this.queue) t = Math.min(t, p.at);
    return t;
  }
}

// ---- Endpoints ----

export interface Message {
  id: number;
  data: Uint8Array;
  binary: boolean;
}

export interface Endpoint {
  side: 0 | 1;
  input(data: Uint8Array): void;
  // Moves what the endpoint has to send onto the link; fires its due timers.
  pump(): void;
  deadline(): number; // absolute virtual time, Infinity: none
  messages: Message[];
  opened: number[]; // channel ids that opened (ours or the peer's)
  closed: number[];
}

export const DC_EVENT_CONNECTED = 1;
export const DC_EVENT_DISCONNECTED = 2;
export const DC_EVENT_OPEN = 3;
export const DC_EVENT_MESSAGE = 4;
export const DC_EVENT_CLOSED = 5;

// Our core: DataChannels over an Association, through the entry's handle API.
export class CoreEndpoint implements Endpoint {
  messages: Message[] = [];
  opened: number[] = [];
  remoteOpened: number[] = [];
  closed: number[] = [];
  connected = 0;
  disconnected = 0;
  readonly h: number;
  constructor(public e: Entry, public link: Link, public side: 0 | 1, dtlsClient: boolean, maxMessageSize = 0) {
    this.h = e.x.ep_new(dtlsClient, 0, maxMessageSize);
  }
  private get now(): bigint {
    return BigInt(this.link.clock.elapsed);
  }
  connect(): void {
    this.e.x.ep_connect(this.h, this.now);
  }
  input(data: Uint8Array): void {
    const ptr = this.e.put(data);
    this.e.x.ep_input(this.h, ptr, data.length, this.now);
    this.e.free(ptr);
    this.drainEvents();
  }
  pump(): void {
    this.e.x.ep_timeout(this.h, this.now);
    this.drainEvents();
    for (let n = this.e.x.ep_transmit(this.h); n > 0; n = this.e.x.ep_transmit(this.h)) {
      this.link.send((1 - this.side) as 0 | 1, this.e.get(this.e.x.ep_packet_ptr(), n));
    }
  }
  deadline(): number {
    const d = this.e.x.ep_deadline(this.h) as bigint;
    return d >= 0x7fffffffffffffffn ? Infinity : this.link.clock.start + Number(d);
  }
  drainEvents(): void {
    const x = this.e.x;
    for (let k = x.ep_event(this.h); k !== 0; k = x.ep_event(this.h)) {
      if (k === DC_EVENT_MESSAGE) {
        this.messages.push({ id: x.ep_ev_id(), data: this.e.get(x.ep_ev_ptr(), x.ep_ev_len()), binary: !!x.ep_ev_binary() });
      } else if (k === DC_EVENT_OPEN) {
        (x.ep_ev_remote() ? this.remoteOpened : this.opened).push(x.ep_ev_id());
      } else if (k === DC_EVENT_CLOSED) this.closed.push(x.ep_ev_id());
      else if (k === DC_EVENT_CONNECTED) this.connected++;
      else if (k === DC_EVENT_DISCONNECTED) this.disconnected++;
    }
  }
  create(label: string, ordered = true): number {
    const b = new TextEncoder().encode(label);
    const ptr = this.e.put(b);
    const id = this.e.x.dc_create(this.h, ptr, b.length, ordered, -1, -1, -1, this.now);
    this.e.free(ptr);
    this.drainEvents();
    return id;
  }
  send(id: number, data: Uint8Array | string): number {
    const binary = typeof data !== "string";
    const b = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const ptr = this.e.put(b);
    const r = this.e.x.dc_send(this.h, id, ptr, b.length, binary, this.now);
    this.e.free(ptr);
    return r;
  }
  close(id: number): void {
    this.e.x.dc_close(this.h, id, this.now);
    this.drainEvents();
  }
  label(id: number): string | null {
    const n = this.e.x.ep_channel_info(this.h, id);
    if (n < 0) return null;
    return new TextDecoder().decode(this.e.get(this.e.x.ep_packet_ptr(), n)).split("\0")[0];
  }
  stat(i: number): number {
    return Number(this.e.x.ep_stat(this.h, i));
  }
  get sendBufferFree(): number {
    return this.stat(13);
  }
}

export function loadPeerEntry(provider: Provider = "pure"): Entry {
  return loadEntry("entry_sctp_peer", provider);
}

// werift: RTCSctpTransport (its DCEP layer) over its SCTP, on a stand-in DTLS transport.
export class WeriftEndpoint implements Endpoint {
  messages: Message[] = [];
  opened: number[] = [];
  closed: number[] = [];
  channels = new Map<number, RTCDataChannel>();
  readonly transport: RTCSctpTransport;
  constructor(public link: Link, public side: 0 | 1, client: boolean) {
    // werift is the SCTP client (sends INIT) when its ICE role is controlling; its channel ids
    // are then odd, and even when it is the server.
    const dtls = {
      id: `dtls-${side}-${Math.random()}`,
      iceTransport: { role: client ? "controlling" : "controlled" },
      onStateChange: { subscribe: () => ({ unSubscribe: () => {} }) },
      dataReceiver: (_: Buffer) => {},
      sendData: async (d: Buffer) => {
        link.send((1 - side) as 0 | 1, d);
      },
    };
    this.transport = new RTCSctpTransport(5000, 1 << 20);
    this.transport.setDtlsTransport(dtls as any);
    this.transport.setRemoteMaxMessageSize(256 * 1024);
    this.transport.onDataChannel.subscribe((ch) => this.watch(ch));
  }
  start(): Promise<void> {
    return this.transport.start(5000);
  }
  get sctp(): any {
    return this.transport.sctp;
  }
  get connected(): boolean {
    return this.sctp.state === "connected";
  }
  input(data: Uint8Array): void {
    // handleData is async and throws on what it cannot parse: keep the rejection.
    this.sctp.handleData(Buffer.from(data)).catch((err: unknown) => errors.push(err));
  }
  pump(): void {}
  deadline(): number {
    return Infinity; // werift's timers are on the virtual clock
  }
  create(label: string, ordered = true): RTCDataChannel {
    const ch = new RTCDataChannel(this.transport, new RTCDataChannelParameters({ label, ordered, protocol: "" }));
    this.watch(ch);
    return ch;
  }
  private watch(ch: RTCDataChannel): void {
    ch.stateChanged.subscribe((s) => {
      if (s === "open") {
        this.channels.set(ch.id, ch);
        this.opened.push(ch.id);
      } else if (s === "closed") this.closed.push(ch.id);
    });
    if (ch.readyState === "open" && !this.opened.includes(ch.id)) {
      this.channels.set(ch.id, ch);
      this.opened.push(ch.id);
    }
    ch.onMessage.subscribe((m) => {
      const binary = typeof m !== "string";
      const data = typeof m === "string" ? new TextEncoder().encode(m) : new Uint8Array(m);
      this.messages.push({ id: ch.id, data, binary });
    });
  }
}

// Drives two endpoints and the link until done() or limitMs of virtual time pass. True when done.
export async function runUntil(clock: VirtualClock, link: Link, eps: Endpoint[], done: () => boolean,
  limitMs: number): Promise<boolean> {
  const end = clock.now + limitMs;
  for (;;) {
    for (let round = 0; round < 100000; round++) {
      clock.fireDue();
      for (const e of eps) e.pump();
      const due = link.takeDue();
      // A host drains output after each datagram, so SACKs keep their every-second-packet pace.
      for (const p of due) {
        const to = eps.find((e) => e.side === p.to)!;
        to.input(p.data);
        to.pump();
      }
      await settle();
      for (const e of eps) e.pump();
      if (due.length === 0 && link.nextArrival() > clock.now && clock.nextTimer() > clock.now &&
          eps.every((e) => e.deadline() > clock.now)) break;
    }
    if (done()) return true;
    const next = Math.min(link.nextArrival(), clock.nextTimer(), ...eps.map((e) => e.deadline()));
    if (!Number.isFinite(next) || next > end) return done();
    clock.now = Math.max(clock.now, next);
  }
}
