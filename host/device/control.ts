// The `control` channel's protocol: one JSON command per message, one JSON reply per command,
// matched by the id the viewer chose.
//   -> {"id":7,"cmd":"fan","speed":2}
//   <- {"id":7,"ok":true,"result":{"fan":2}}     or  {"id":7,"ok":false,"error":"..."}
// Commands: ping, status, led {on?: boolean; toggles when absent}, fan {speed: 0..3}, reboot.
import { FAN_SPEEDS, type SimulatedSensors } from "./sensors.js";

export interface ControlReply {
  id: unknown;
  ok: boolean;
  result?: unknown;
  error?: string;
}

const COMMANDS = "ping, status, led, fan, reboot";

export function handleCommand(sensors: SimulatedSensors, message: string | Uint8Array): ControlReply {
  if (typeof message !== "string") return { id: null, ok: false, error: "commands are JSON text, not binary" };
  let command: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(message);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    command = parsed as Record<string, unknown>;
  } catch {
    return { id: null, ok: false, error: 'not a JSON command object; send e.g. {"id":1,"cmd":"ping"}' };
  }
  const id = command.id ?? null;
  const fail = (error: string): ControlReply => ({ id, ok: false, error });
  const ok = (result: unknown): ControlReply => ({ id, ok: true, result });

  switch (command.cmd) {
    case "ping":
      return ok({ pong: Date.now() });
    case "status":
      return ok(sensors.status());
  }
  // Everything below moves hardware, which a booting device cannot do yet.
  if (sensors.booting && typeof command.cmd === "string" && ["led", "fan", "reboot"].includes(command.cmd)) {
    return fail("the device is rebooting; try again in a moment");
  }
  switch (command.cmd) {
    case "led":
      if (command.on !== undefined && typeof command.on !== "boolean") return fail('"on" must be true or false');
      sensors.led = command.on === undefined ? !sensors.led : command.on;
      return ok({ led: sensors.led });
    case "fan": {
      const speed = command.speed;
      if (typeof speed !== "number" || !Number.isInteger(speed) || speed < 0 || speed >= FAN_SPEEDS) {
        return fail(`"speed" must be an integer from 0 to ${FAN_SPEEDS - 1}`);
      }
      sensors.fan = speed;
      return ok({ fan: sensors.fan });
    }
    case "reboot":
      return ok({ rebooting: true, backInMs: sensors.reboot() });
    default:
      return fail(`unknown command ${JSON.stringify(command.cmd ?? null)}; try ${COMMANDS}`);
  }
}
