// Helpers for the RTP/RTCP suites (test/core/rtp*.test.ts): a typed wrapper of entry_rtp, media
// generated with ffmpeg (skipped with a message when it is missing) and IVF/Ogg/Annex B framing.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEntry, type Entry } from "../helpers/entry.js";
import type { Provider } from "../../host/core.js";

export const KIND = { H264: 0, VP8: 1, OPUS: 2, G711: 3 } as const;

export class RtpEntry {
  e: Entry;
  constructor(provider: Provider = "pure") {
    this.e = loadEntry("entry_rtp", provider);
  }
  get x() {
    return this.e.x;
  }
  private out(len: number): Uint8Array {
    return len < 0 ? new Uint8Array(0) : this.e.get(this.x.out_ptr(), len).slice();
  }
  private text(len: number): string {
    return Buffer.from(this.out(len)).toString("utf8");
  }
  // Calls fn with the bytes in core memory as (ptr, len, ...rest); frees them after.
  private withBytes<T>(b: Uint8Array, f: (ptr: number, len: number) => T): T {
    const p = this.e.put(b);
    try {
      return f(p, b.length);
    } finally {
      this.e.free(p);
    }
  }
  parseRtp(b: Uint8Array): any {
    return JSON.parse(this.withBytes(b, (p, n) => this.text(this.x.rtp_parse(p, n))));
  }
  buildRtp(o: { pt?: number; marker?: boolean; seq?: number; ts?: number; ssrc?: number; csrcs?: number[];
    ext?: [number, Uint8Array][]; payload?: Uint8Array; padding?: number }): Uint8Array {
    this.x.ext_clear();
    for (const [id, v] of o.ext ?? []) this.withBytes(v, (p, n) => this.x.ext_add(id, p, n));
    const cs = new Uint8Array(new Uint32Array(o.csrcs ?? []).buffer);
    const pay = o.payload ?? new Uint8Array(0);
    const pc = this.e.put(cs);
    try {
      return this.withBytes(pay, (p, n) => this.out(this.x.rtp_build(o.pt ?? 96, o.marker ? 1 : 0, o.seq ?? 0, o.ts ?? 0,
        o.ssrc ?? 0, pc, (o.csrcs ?? []).length, p, n, o.padding ?? 0)));
    } finally {
      this.e.free(pc);
    }
  }
  parseRtcp(b: Uint8Array): any {
    return JSON.parse(this.withBytes(b, (p, n) => this.text(this.x.rtcp_parse(p, n))), (k, v) =>
      k === "cname" || k === "reason" ? Buffer.from(v, "hex").toString("latin1") : v);
  }
  // Builds a compound from a list of [method, ...args]; byte/array arguments are passed as pointers.
  buildRtcp(items: any[][]): Uint8Array {
    this.x.rtcp_begin();
    for (const [kind, ...a] of items) {
      switch (kind) {
        case "sr": this.x.rtcp_add_sr(a[0], Number(a[1] >> 32n), Number(a[1] & 0xffffffffn), a[2], a[3], a[4]); break;
        case "rr": this.x.rtcp_add_rr(a[0]); break;
        case "report": this.x.rtcp_add_report(...a); break;
        case "sdes": this.withBytes(Buffer.from(a[1]), (p, n) => this.x.rtcp_add_sdes(a[0], p, n)); break;
        case "bye": this.withBytes(Buffer.from(a[1] ?? ""), (p, n) => this.x.rtcp_add_bye(a[0], p, n)); break;
        case "nack": {
          const s = new Uint8Array(new Uint16Array(a[2]).buffer);
          this.withBytes(s, (p) => this.x.rtcp_add_nack(a[0], a[1], p, a[2].length));
          break;
        }
        case "pli": this.x.rtcp_add_pli(a[0], a[1]); break;
        case "fir": this.x.rtcp_add_fir(a[0], a[1], a[2]); break;
        case "remb": {
          const s = new Uint8Array(new Uint32Array(a[2]).buffer);
          this.withBytes(s, (p) => this.x.rtcp_add_remb(a[0], a[1], p, a[2].length));
          break;
        }
        default: throw new Error(kind);
      }
    }
    return this.out(this.x.rtcp_finish());
  }
  annexB(b: Uint8Array): [number, number][] {
    return JSON.parse(this.withBytes(b, (p, n) => this.text(this.x.annexb_split(p, n))));
  }
  packetizer(kind: number, maxPayload: number, param = 0, maxPackets = 1024) {
    const h = this.x.pk_new(kind, maxPayload, param, maxPackets);
    return {
      packetize: (frame: Uint8Array) => {
        const n = this.withBytes(frame, (p, len) => this.x.pk_packetize(h, p, len));
        if (n < 0) return null;
        return Array.from({ length: n }, (_, i) => ({
          payload: this.out(this.x.pk_get(h, i)), marker: this.x.pk_marker(h, i) === 1, tsOffset: this.x.pk_tsoff(h, i) >>> 0,
        }));
      },
      keyframe: () => this.x.pk_keyframe(h) === 1,
    };
  }
  depacketizer(kind: number, maxFrame = 1 << 20) {
    const h = this.x.dp_new(kind, maxFrame);
    return {
      push: (payload: Uint8Array, seq: number, ts: number, marker: boolean) =>
        this.withBytes(payload, (p, n) => this.x.dp_push(h, p, n, seq & 0xffff, ts >>> 0, marker ? 1 : 0)) === 1,
      poll: () => {
        const n = this.x.dp_poll(h);
        if (n < 0) return null;
        return { data: this.out(n), ts: this.x.frame_ts() >>> 0, keyframe: this.x.frame_key() === 1 };
      },
      counters: () => JSON.parse(this.text(this.x.dp_counters(h))),
    };
  }
  g711Encode(alaw: boolean, samples: Int16Array): Uint8Array {
    return this.withBytes(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength),
      (p) => this.out(this.x.g711_encode(alaw ? 1 : 0, p, samples.length)));
  }
  g711Decode(alaw: boolean, codes: Uint8Array): Int16Array {
    const o = this.withBytes(codes, (p, n) => this.out(this.x.g711_decode(alaw ? 1 : 0, p, n)));
    return new Int16Array(o.buffer, o.byteOffset, o.length / 2);
  }
  g711Level(alaw: boolean, codes: Uint8Array): number {
    return this.withBytes(codes, (p, n) => this.x.g711_level(alaw ? 1 : 0, p, n));
  }
  sender(o: { kind: number; ssrc: number; pt?: number; clockRate?: number; maxPacket?: number; history?: number;
    rtxSsrc?: number; rtxPt?: number; srIntervalMs?: number; maxResendsPerNack?: number; maxQueue?: number }) {
    const h = this.x.tx_new(o.kind, o.ssrc, o.pt ?? 96, o.clockRate ?? 90000, o.maxPacket ?? 1200, o.history ?? 512,
      o.rtxSsrc ?? 0, o.rtxPt ?? 0, o.srIntervalMs ?? 1000, o.maxResendsPerNack ?? 64, o.maxQueue ?? 1024);
    return {
      setWallClock: (offsetMs: number) => this.x.tx_set_wallclock(h, offsetMs),
      send: (frame: Uint8Array, ts: number, now: number) => this.withBytes(frame, (p, n) => this.x.tx_send(h, p, n, ts >>> 0, now)),
      // Drains everything queued: [{data, rtcp}].
      drain: () => {
        const r: { data: Uint8Array; rtcp: boolean }[] = [];
        for (let n = this.x.tx_poll(h); n >= 0; n = this.x.tx_poll(h)) r.push({ data: this.out(n), rtcp: this.x.tx_last_rtcp(h) === 1 });
        return r;
      },
      rtcp: (b: Uint8Array, now: number) => this.withBytes(b, (p, n) => this.x.tx_rtcp(h, p, n, now)),
      timeout: (now: number) => this.x.tx_timeout(h, now),
      next: () => this.x.tx_next(h) as number,
      events: () => {
        const r: number[] = [];
        for (let e = this.x.tx_event(h); e !== 0; e = this.x.tx_event(h)) r.push(e);
        return r;
      },
      counters: () => JSON.parse(this.text(this.x.tx_counters(h))),
    };
  }
  receiver(o: { kind: number; localSsrc?: number; remoteSsrc?: number; pt?: number; clockRate?: number; rtxSsrc?: number;
    rtxPt?: number; jitterSlots?: number; maxDelayMs?: number; nack?: boolean; nackRetryMs?: number; nackMaxRetries?: number;
    nackCapacity?: number; maxFrame?: number }) {
    const h = this.x.rx_new(o.kind, o.localSsrc ?? 1, o.remoteSsrc ?? 0, o.pt ?? -1, o.clockRate ?? 90000, o.rtxSsrc ?? 0,
      o.rtxPt ?? -1, o.jitterSlots ?? 512, o.maxDelayMs ?? 500, o.nack === false ? 0 : 1, o.nackRetryMs ?? 100,
      o.nackMaxRetries ?? 10, o.nackCapacity ?? 256, o.maxFrame ?? 1 << 20);
    return {
      rtp: (b: Uint8Array, now: number) => this.withBytes(b, (p, n) => this.x.rx_rtp(h, p, n, now)) === 1,
      rtcp: (b: Uint8Array, now: number) => this.withBytes(b, (p, n) => this.x.rx_rtcp(h, p, n, now)),
      timeout: (now: number) => this.x.rx_timeout(h, now),
      next: () => this.x.rx_next(h) as number,
      requestKeyframe: (now: number) => this.x.rx_request_keyframe(h, now),
      frames: () => {
        const r: { data: Uint8Array; ts: number; keyframe: boolean }[] = [];
        for (let n = this.x.rx_poll_frame(h); n >= 0; n = this.x.rx_poll_frame(h)) {
          r.push({ data: this.out(n), ts: this.x.frame_ts() >>> 0, keyframe: this.x.frame_key() === 1 });
        }
        return r;
      },
      drain: () => {
        const r: Uint8Array[] = [];
        for (let n = this.x.rx_poll(h); n >= 0; n = this.x.rx_poll(h)) r.push(this.out(n));
        return r;
      },
      counters: () => JSON.parse(this.text(this.x.rx_counters(h))),
    };
  }
}

// ---- Media from ffmpeg ----

export function haveFfmpeg(): boolean {
  return spawnSync("ffmpeg", ["-version"], { stdio: "ignore" }).status === 0;
}

export const FFMPEG_SKIP = "ffmpeg not installed (bash scripts/ensure-packages.sh ffmpeg installs Debian's)";

// Runs ffmpeg with args (output file last, in a temp dir) and returns the output bytes; an
// argument "{in}" names a file holding `input`.
export function ffmpeg(args: string[], outName: string, input?: Uint8Array): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "wasmpeer-rtp-"));
  try {
    if (input) writeFileSync(join(dir, "in.bin"), input);
    const a = args.map((x) => (x === "{in}" ? join(dir, "in.bin") : x));
    execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...a, join(dir, outName)], { stdio: "pipe" });
    return new Uint8Array(readFileSync(join(dir, outName)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function h264Stream(seconds = 2, size = "320x240", rate = 15, extra: string[] = []): Uint8Array {
  return ffmpeg(["-f", "lavfi", "-i", `testsrc=size=${size}:rate=${rate}`, "-t", String(seconds), "-c:v", "libx264",
    "-profile:v", "baseline", "-pix_fmt", "yuv420p", ...extra, "-bsf:v", "h264_mp4toannexb", "-f", "h264"], "out.h264");
}

// extra: more encoder/filter arguments (they come after the defaults, so they override them).
export function vp8Frames(seconds = 2, size = "320x240", rate = 15, extra: string[] = []): Uint8Array[] {
  return parseIvf(ffmpeg(["-f", "lavfi", "-i", `testsrc=size=${size}:rate=${rate}`, "-t", String(seconds), "-c:v", "libvpx",
    "-b:v", "500k", ...extra, "-f", "ivf"], "out.ivf"));
}

// VP8 payload header (RFC 6386 §9.1): the frame-type bit is 0 on a key frame.
export function vp8IsKeyframe(frame: Uint8Array): boolean {
  return frame.length > 0 && (frame[0] & 1) === 0;
}

export function opusFrames(seconds = 1): Uint8Array[] {
  return parseOgg(ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", String(seconds), "-c:a", "libopus",
    "-f", "ogg"], "out.ogg")).slice(2); // OpusHead, OpusTags
}

// Splits an Annex B byte stream into NAL units (views, no start codes, trailing zeros kept off).
export function splitNals(b: Uint8Array): Uint8Array[] {
  const starts: [number, number][] = [];
  for (let i = 0; i + 2 < b.length; i++) {
    if (b[i] === 0 && b[i + 1] === 0 && b[i + 2] === 1) {
      starts.push([i, i + 3]);
      i += 2;
    }
  }
  const out: Uint8Array[] = [];
  for (let k = 0; k < starts.length; k++) {
    let end = k + 1 < starts.length ? starts[k + 1][0] : b.length;
    while (end > starts[k][1] && b[end - 1] === 0) end--;
    if (end > starts[k][1]) out.push(b.subarray(starts[k][1], end));
  }
  return out;
}

// Groups NAL units into access units (H.264 §7.4.1.2.3): a non-VCL unit after a slice, or a
// slice with first_mb_in_slice = 0 (its first bit set), begins a new one.
export function accessUnits(stream: Uint8Array): Uint8Array[][] {
  const aus: Uint8Array[][] = [];
  let cur: Uint8Array[] = [];
  let haveVcl = false;
  for (const nal of splitNals(stream)) {
    const t = nal[0] & 0x1f;
    const vcl = t >= 1 && t <= 5;
    if (haveVcl && (!vcl || (nal[1] & 0x80) !== 0)) {
      aus.push(cur);
      cur = [];
      haveVcl = false;
    }
    cur.push(nal);
    if (vcl) haveVcl = true;
  }
  if (cur.length) aus.push(cur);
  return aus;
}

export function annexB(nals: Uint8Array[], startCode = [0, 0, 0, 1]): Uint8Array {
  return Buffer.concat(nals.flatMap((n) => [Buffer.from(startCode), Buffer.from(n)]));
}

export function parseIvf(b: Uint8Array): Uint8Array[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (Buffer.from(b.subarray(0, 4)).toString("latin1") !== "DKIF") throw new Error("not IVF");
  let i = v.getUint16(6, true);
  const frames: Uint8Array[] = [];
  while (i + 12 <= b.length) {
    const n = v.getUint32(i, true);
    frames.push(b.slice(i + 12, i + 12 + n));
    i += 12 + n;
  }
  return frames;
}

// Packets of the first logical stream of an Ogg file (RFC 3533 pages and lacing).
export function parseOgg(b: Uint8Array): Uint8Array[] {
  const packets: Uint8Array[] = [];
  let partial: Buffer[] = [];
  let i = 0;
  while (i + 27 <= b.length) {
    if (Buffer.from(b.subarray(i, i + 4)).toString("latin1") !== "OggS") throw new Error("bad Ogg page");
    const nseg = b[i + 26];
    const lacing = b.subarray(i + 27, i + 27 + nseg);
    let p = i + 27 + nseg;
    for (const l of lacing) {
      partial.push(Buffer.from(b.subarray(p, p + l)));
      p += l;
      if (l < 255) {
        packets.push(new Uint8Array(Buffer.concat(partial)));
        partial = [];
      }
    }
    i = p;
  }
  return packets;
}
