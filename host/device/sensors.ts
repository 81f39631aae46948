// The simulated device's hardware: a few sensors that drift like real ones, an LED, a fan with four
// speeds that cools the enclosure, and a reboot that takes a few seconds. One instance is the whole
// device; every viewer sees the same state.

export const FAN_SPEEDS = 4; // 0 (off) .. 3
export const BOOT_MS = 3000;

export interface Reading {
  seq: number;
  t: number; // wall clock, ms since the epoch
  uptimeS: number;
  state: "running" | "booting";
  temperatureC: number;
  humidityPct: number;
  pressureHpa: number;
  led: boolean;
  fan: number;
}

export interface DeviceState {
  state: "running" | "booting";
  uptimeS: number;
  led: boolean;
  fan: number;
}

export class SimulatedSensors {
  led = false;
  fan = 0;
  private seq = 0;
  private bootedAt: number;
  private bootingUntil = 0;
  // The enclosure's temperature follows its target with a lag, as a real one would.
  private temperature = 24;
  private humidity = 45;
  private lastTick: number;

  constructor(private readonly now: () => number = Date.now, private readonly random: () => number = Math.random) {
    this.bootedAt = now();
    this.lastTick = this.bootedAt;
  }

  get booting(): boolean {
    return this.now() < this.bootingUntil;
  }

  status(): DeviceState {
    const now = this.now();
    return { state: this.booting ? "booting" : "running", uptimeS: Math.max(0, Math.round((now - this.bootedAt) / 100) / 10), led: this.led, fan: this.fan };
  }

  // Starts a reboot: outputs off, uptime restarts once the boot is over.
  reboot(): number {
    const now = this.now();
    this.led = false;
    this.fan = 0;
    this.bootingUntil = now + BOOT_MS;
    this.bootedAt = this.bootingUntil;
    return BOOT_MS;
  }

  // The next reading; call it at the telemetry rate.
  read(): Reading {
    const now = this.now();
    const dtS = Math.min(5, Math.max(0, (now - this.lastTick) / 1000));
    this.lastTick = now;
    const minutes = now / 60_000;
    // Daily-ish swing compressed to a minute, minus what the fan removes, plus the LED's little heat.
    const target = 25 + 1.5 * Math.sin(2 * Math.PI * minutes) - 1.4 * this.fan + (this.led ? 0.4 : 0);
    this.temperature += (target - this.temperature) * Math.min(1, dtS / 4);
    // Cooler air holds less water, so relative humidity rises as the fan cools; same lag.
    const humidityTarget = 45 + 6 * Math.sin(2 * Math.PI * (minutes / 1.5) + 1) + 0.8 * this.fan;
    this.humidity += (humidityTarget - this.humidity) * Math.min(1, dtS / 4);
    if (this.seq === 0) {
      // The first reading starts settled, not from an arbitrary initial value.
      this.temperature = target;
      this.humidity = humidityTarget;
    }
    const noise = (scale: number) => (this.random() - 0.5) * scale;
    const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
    const { state, uptimeS } = this.status();
    return {
      seq: ++this.seq,
      t: now,
      uptimeS,
      state,
      temperatureC: round(this.temperature + noise(0.08), 2),
      humidityPct: round(this.humidity + noise(0.3), 1),
      pressureHpa: round(1013 + 2 * Math.sin(2 * Math.PI * (minutes / 5)) + noise(0.1), 1),
      led: this.led,
      fan: this.fan,
    };
  }
}
