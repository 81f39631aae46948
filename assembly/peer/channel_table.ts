// The peer's data channels by handle: a channel exists (and has a handle the host can use) before
// SCTP is up and before its stream id is known, which follows from the DTLS role (RFC 8832 §6).

export const enum PeerChannelState {
  Connecting = 0,
  Open = 1,
  Closing = 2,
  Closed = 3,
}

export class PeerChannel {
  streamId: i32 = -1; // -1 until the association is up and an id is chosen
  label: string = "";
  protocol: string = "";
  ordered: bool = true;
  maxRetransmits: i32 = -1;
  maxLifetimeMs: i32 = -1;
  negotiatedId: i32 = -1; // >= 0: negotiated out of band on this stream id
  remote: bool = false; // the peer opened it
  state: PeerChannelState = PeerChannelState.Connecting;
  lowThreshold: i32 = 0;
  closeRequested: bool = false;

  constructor(public handle: i32) {}
}

export class ChannelTable {
  private byHandle: Map<i32, PeerChannel> = new Map();
  private byStream: Map<i32, i32> = new Map();
  private nextHandle: i32 = 0;

  constructor(public limit: i32) {}

  get size(): i32 {
    return this.byHandle.size;
  }

  // A new channel with a fresh handle, or null at the limit.
  add(): PeerChannel | null {
    if (this.byHandle.size >= this.limit) return null;
    const c = new PeerChannel(this.nextHandle);
    // Handles stay small positive integers; they wrap long after any realistic use.
    this.nextHandle = this.nextHandle == i32.MAX_VALUE ? 0 : this.nextHandle + 1;
    this.byHandle.set(c.handle, c);
    return c;
  }

  get(handle: i32): PeerChannel | null {
    return this.byHandle.has(handle) ? this.byHandle.get(handle) : null;
  }

  byStreamId(sid: i32): PeerChannel | null {
    if (!this.byStream.has(sid)) return null;
    return this.get(this.byStream.get(sid));
  }

  bindStream(c: PeerChannel, sid: i32): void {
    c.streamId = sid;
    this.byStream.set(sid, c.handle);
  }

  remove(c: PeerChannel): void {
    if (c.streamId >= 0 && this.byStream.has(c.streamId) && this.byStream.get(c.streamId) == c.handle) this.byStream.delete(c.streamId);
    this.byHandle.delete(c.handle);
  }

  all(): PeerChannel[] {
    return this.byHandle.values();
  }
}
