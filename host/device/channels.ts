// What the device does with each viewer's data channels:
//   telemetry  opened by the device once connected: JSON readings, unordered, never retransmitted
//              (a late reading is worth less than the next one)
//   control    opened by the viewer: JSON commands, JSON replies (control.ts)
//   echo       any number, opened by the peer: every message comes back as it came (text or binary)
//   sink       opened by the peer: counts the bytes it receives; the text "END" is answered "DONE <bytes>"
import type { DataChannel, PeerConnection } from "../peer-api.js";
import { handleCommand } from "./control.js";
import type { SimulatedSensors } from "./sensors.js";

export const TELEMETRY_LABEL = "telemetry";

// Readings are small; past this much queued data the viewer is not keeping up, so readings are dropped.
const TELEMETRY_BACKLOG_BYTES = 64 * 1024;

function byteLength(data: string | Uint8Array): number {
  return typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
}

// Sends unless the channel went away meanwhile: a closing viewer is not the device's error.
function trySend(channel: DataChannel, data: string | Uint8Array): boolean {
  if (channel.readyState !== "open") return false;
  try {
    channel.send(data);
    return true;
  } catch {
    return false;
  }
}

export function serveControl(channel: DataChannel, sensors: SimulatedSensors): void {
  channel.onmessage = ({ data }) => trySend(channel, JSON.stringify(handleCommand(sensors, data)));
}

export function serveEcho(channel: DataChannel): void {
  channel.onmessage = ({ data }) => trySend(channel, data);
}

export function serveSink(channel: DataChannel): void {
  let received = 0;
  channel.onmessage = ({ data }) => {
    if (data === "END") {
      trySend(channel, `DONE ${received}`);
      received = 0;
    } else {
      received += byteLength(data);
    }
  };
}

// One viewer's channels. The telemetry channel exists once the connection is up.
export class ViewerChannels {
  telemetry: DataChannel | null = null;
  readonly opened: string[] = [];
  private readonly live = new Set<DataChannel>();

  // onAllClosed: every channel of the viewer has closed, as when its SCTP association is aborted.
  // Some stacks notice that long before their connection state changes, so it ends the session too.
  constructor(private readonly peer: PeerConnection, private readonly sensors: SimulatedSensors, private readonly onAllClosed: () => void = () => {}) {
    peer.ondatachannel = ({ channel }) => this.accept(channel);
  }

  private track(channel: DataChannel): void {
    this.live.add(channel);
    const previous = channel.onclose;
    channel.onclose = () => {
      previous?.();
      this.live.delete(channel);
      if (this.live.size === 0) this.onAllClosed();
    };
  }

  private accept(channel: DataChannel): void {
    this.track(channel);
    this.opened.push(channel.label);
    if (channel.label === "control") serveControl(channel, this.sensors);
    else if (channel.label === "echo") serveEcho(channel);
    else if (channel.label === "sink") serveSink(channel);
    // Other labels stay open and unanswered: a viewer may be newer than the device.
  }

  // Called on every connection state change; opens telemetry the first time the peer is connected.
  connectionChanged(): void {
    if (this.telemetry || this.peer.connectionState !== "connected") return;
    this.telemetry = this.peer.createDataChannel(TELEMETRY_LABEL, { ordered: false, maxRetransmits: 0 });
    this.track(this.telemetry);
  }

  sendReading(json: string): boolean {
    const ch = this.telemetry;
    if (!ch || ch.bufferedAmount > TELEMETRY_BACKLOG_BYTES) return false;
    return trySend(ch, json);
  }
}
