// Media test entry: two PeerConnections with audio/video over a virtual network and clock, for
// test/core/peer_media.test.ts. Peer 0 is the device (offers H.264 video sendonly + audio
// sendrecv + data); peer 1 the viewer (receives video, sends and receives audio). The harness
// hands in encoded frames, advances the clock, and reads back what each side received.
export { mem_alloc, mem_free, bytesAt, writeAt } from "./entry_common";
import { bytesAt, writeAt } from "./entry_common";
import { PeerConnection, OutputKind, SDP_OFFER, SDP_ANSWER } from "../../assembly/peer/peer_connection";
import { PeerConfig } from "../../assembly/peer/config";
import { PeerEventKind, PeerState } from "../../assembly/peer/event";
import { Identity } from "../../assembly/peer/identity";
import { TransportAddress } from "../../assembly/stun/transport_address";
import { CodecCapability, FB_NACK, FB_PLI, FB_FIR } from "../../assembly/sdp/codec";

class InFlight {
  constructor(public to: i32, public local: TransportAddress, public remote: TransportAddress, public data: Uint8Array, public at: i64) {}
}

class Received {
  constructor(public track: i32, public codec: i32, public data: Uint8Array, public timestamp: u32, public level: i32) {}
}

let seed: u32 = 7;
function random(): f64 {
  seed = seed * 1664525 + 1013904223;
  return <f64>(seed >>> 8) / 16777216.0;
}

class MediaSim {
  peers: PeerConnection[] = [];
  addrs: TransportAddress[] = [];
  wire: InFlight[] = [];
  now: i64 = 5000;
  // Percent of datagrams lost, each way, once lossy is on (after connecting).
  lossPct: f64 = 0;
  lossy: bool = false;
  lost: i32 = 0;
  frames: Received[][] = [[], []];
  keyframeRequests: i32[] = [0, 0];
  errors: i32 = 0;

  constructor(audioCodecs: i32) {
    const id = Identity.generate()!;
    for (let i = 0; i < 2; i++) {
      const c = new PeerConfig();
      c.videoHistoryPackets = videoHistory;
      const m = c.media;
      if (i == 1) {
        // The viewer: receives video, sends none.
        m.video.send = [];
        m.video.receive = [CodecCapability.h264("42e01f", FB_NACK | FB_PLI | FB_FIR)];
      } else c.offerMedia = true;
      if (audioCodecs == 1) {
        m.audio.send = [CodecCapability.pcmu()];
        m.audio.receive = [CodecCapability.pcmu()];
      }
      this.peers.push(new PeerConnection(c, id));
      this.addrs.push(TransportAddress.v4(0x0a000101 + <u32>i, <u16>(50000 + i)));
      this.peers[i].addHostCandidate(this.addrs[i]);
    }
  }

  step(until: i64): void {
    for (let guard = 0; guard < 1000000 && this.now <= until; guard++) {
      let next = min(this.drain(0), this.drain(1));
      let delivered = false;
      for (let k = 0; k < this.wire.length; k++) {
        const d = this.wire[k];
        if (d.at <= this.now) {
          this.wire.splice(k, 1);
          k--;
          this.peers[d.to].input(d.data, d.local, d.remote, this.now);
          delivered = true;
        } else next = min(next, d.at);
      }
      if (delivered) continue;
      if (next > until) {
        this.now = until + 1;
        return;
      }
      this.now = max(this.now + 1, next);
    }
  }

  drain(i: i32): i64 {
    const p = this.peers[i];
    for (let n = 0; n < 100000; n++) {
      const o = p.poll(this.now);
      if (o.kind == OutputKind.Transmit) {
        if (this.lossy && random() * 100 < this.lossPct) {
          this.lost++;
          continue;
        }
        const to = o.remote.equals(this.addrs[0]) ? 0 : o.remote.equals(this.addrs[1]) ? 1 : -1;
        if (to >= 0) this.wire.push(new InFlight(to, o.remote.clone(), o.local.clone(), o.data.slice(0), this.now + 10));
      } else if (o.kind == OutputKind.Event) {
        const e = o.event!;
        if (e.kind == PeerEventKind.MediaFrame) {
          const info = e.media!;
          this.frames[i].push(new Received(e.channel, e.value, e.data!, info.timestamp, info.level));
        } else if (e.kind == PeerEventKind.KeyframeRequest) this.keyframeRequests[i]++;
        else if (e.kind == PeerEventKind.Error) this.errors++;
      } else if (o.kind == OutputKind.Timeout) return o.deadline;
      else return i64.MAX_VALUE;
    }
    return this.now;
  }
}

let sim: MediaSim | null = null;
let videoHistory: i32 = new PeerConfig().videoHistoryPackets;

// Sent video packets kept for NACKs by the peers of the next setup().
export function set_video_history(packets: i32): void {
  videoHistory = packets;
}

function s(): MediaSim {
  return sim!;
}

// Negotiates and connects. audioCodecs 0: defaults (Opus first), 1: PCMU only. 0, or the failing step.
export function setup(seedIn: i32, lossPct: f64, audioCodecs: i32): i32 {
  seed = <u32>seedIn;
  const m = new MediaSim(audioCodecs);
  sim = m;
  m.lossPct = lossPct;
  const a = m.peers[0], b = m.peers[1];
  const offer = a.createOffer();
  if (!offer.ok) return 1;
  if (!b.setRemoteDescription(SDP_OFFER, Uint8Array.wrap(String.UTF8.encode(offer.sdp))).ok) return 2;
  const answer = b.createAnswer();
  if (!answer.ok) return 3;
  if (!a.setRemoteDescription(SDP_ANSWER, Uint8Array.wrap(String.UTF8.encode(answer.sdp))).ok) return 4;
  m.step(m.now + 20000);
  if (a.state != PeerState.Connected || b.state != PeerState.Connected) return 5;
  if (a.media == null || b.media == null || !a.media!.keyed || !b.media!.keyed) return 6;
  m.lossy = true;
  return 0;
}

export function now(): i64 {
  return s().now;
}

export function advance(ms: i32): void {
  const m = s();
  m.step(m.now + <i64>ms);
}

export function track_count(peer: i32): i32 {
  const m = s().peers[peer].media;
  return m == null ? 0 : m.tracks.length;
}

// The first track of a kind (0 audio, 1 video), or -1.
export function track_of(peer: i32, kind: i32): i32 {
  const m = s().peers[peer].media;
  if (m == null) return -1;
  for (let i = 0; i < m.tracks.length; i++) if (<i32>m.tracks[i].media.kind == kind) return i;
  return -1;
}

export function send_frame(peer: i32, track: i32, ptr: usize, len: i32, rtpTs: u32, keyframe: i32): i32 {
  const m = s();
  return m.peers[peer].sendMediaFrame(track, bytesAt(ptr, len), rtpTs, keyframe != 0, m.now);
}

export function request_keyframe(peer: i32, track: i32): i32 {
  const m = s();
  return m.peers[peer].requestKeyframe(track, m.now) ? 1 : 0;
}

export function frame_count(peer: i32): i32 {
  return s().frames[peer].length;
}

// Frame i received by peer: which 0 track, 1 codec, 2 length, 3 RTP timestamp, 4 level.
export function frame_info(peer: i32, i: i32, which: i32): i64 {
  const f = s().frames[peer][i];
  if (which == 0) return f.track;
  if (which == 1) return f.codec;
  if (which == 2) return f.data.length;
  if (which == 3) return <i64>f.timestamp;
  return f.level;
}

export function frame_copy(peer: i32, i: i32, ptr: usize): void {
  writeAt(ptr, s().frames[peer][i].data);
}

export function keyframe_requests(peer: i32): i32 {
  return s().keyframeRequests[peer];
}

export function lost(): i32 {
  return s().lost;
}

export function errors(): i32 {
  return s().errors;
}

export function set_loss(pct: f64): void {
  s().lossPct = pct;
}

// Garbage RTP/RTCP-looking datagrams into a connected peer: counted, never a trap.
export function garbage(peer: i32, count: i32): i32 {
  const m = s();
  const p = m.peers[peer];
  for (let i = 0; i < count; i++) {
    const len = <i32>(random() * 200);
    const d = new Uint8Array(len);
    for (let k = 0; k < len; k++) d[k] = <u8>(random() * 256);
    if (len > 0) d[0] = <u8>(128 + (i & 63));
    if (len > 1 && (i & 1) == 1) d[1] = <u8>(192 + (i & 31));
    p.input(d, m.addrs[peer], m.addrs[1 - peer], m.now);
  }
  m.step(m.now + 100);
  return p.state == PeerState.Connected ? 0 : 1;
}

// Counters of a peer's track: 0 retransmissions sent, 1 NACKs sent, 2 NACKs received, 3 PLIs
// received, 4 PLIs sent, 5 frames sent, 6 SRTP+SRTCP unprotect failures, 7 unknown streams,
// 8 NACKed sequence numbers not resent.
export function mstat(peer: i32, track: i32, which: i32): i64 {
  const m = s().peers[peer].media;
  if (m == null) return -1;
  if (which == 6) return <i64>(m.counters.srtpFailed + m.counters.srtcpFailed);
  if (which == 7) return <i64>m.counters.unknownStream;
  const t = m.track(track);
  if (t == null) return -1;
  const sn = t.sender, r = t.receiver;
  if (which == 0) return sn == null ? 0 : <i64>sn.counters.retransmitted;
  if (which == 1) return r == null ? 0 : <i64>r.counters.nacksSent;
  if (which == 2) return sn == null ? 0 : <i64>sn.counters.nacksReceived;
  if (which == 3) return sn == null ? 0 : <i64>sn.counters.plisReceived;
  if (which == 4) return r == null ? 0 : <i64>r.counters.plisSent;
  if (which == 5) return sn == null ? 0 : <i64>sn.counters.framesSent;
  if (which == 8) return sn == null ? 0 : <i64>sn.counters.nackSeqsIgnored;
  return -1;
}
