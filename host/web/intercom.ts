// The Talk button: the microphone goes to the device on the audio transceiver the offer already has,
// so talking needs no renegotiation (replaceTrack). Hold the button to talk while it is held; a
// short click latches it on until the next click, which is kinder to touch screens and keyboards.

const HOLD_MS = 400;

export class Intercom {
  private sender: RTCRtpSender | null = null;
  private track: MediaStreamTrack | null = null;
  private pressedAt = 0;
  private starting: Promise<void> | null = null;

  constructor(private readonly button: HTMLButtonElement, private readonly onChange: (talking: boolean, error?: string) => void) {
    // getUserMedia exists only in secure contexts: https, or this machine (localhost / 127.0.0.1).
    if (!navigator.mediaDevices?.getUserMedia) {
      button.disabled = true;
      button.title = "the microphone needs https or localhost";
      return;
    }
    button.addEventListener("pointerdown", () => this.press());
    button.addEventListener("pointerup", () => this.release());
    button.addEventListener("keydown", (e) => {
      if ((e.key === " " || e.key === "Enter") && !e.repeat) this.toggle();
    });
  }

  get talking(): boolean {
    return this.track !== null;
  }

  // The audio sender of a new connection (or null when it has none); stops talking on the old one.
  attach(sender: RTCRtpSender | null): void {
    this.stop();
    this.sender = sender;
    this.button.disabled = sender === null || !navigator.mediaDevices?.getUserMedia;
  }

  private press(): void {
    if (this.talking) {
      this.pressedAt = 0; // this press ends a latched talk; its release must not do anything
      this.stop();
      return;
    }
    this.pressedAt = performance.now();
    void this.start();
  }

  private release(): void {
    if (this.pressedAt === 0 || performance.now() - this.pressedAt < HOLD_MS) return;
    this.pressedAt = 0;
    // Held, not clicked: talking ends with the release, even if the microphone is still starting.
    if (this.starting) void this.starting.then(() => this.stop());
    else this.stop();
  }

  private toggle(): void {
    if (this.talking) this.stop();
    else void this.start();
  }

  private async start(): Promise<void> {
    if (this.starting || !this.sender) return;
    const sender = this.sender;
    this.starting = (async () => {
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
        const track = stream.getAudioTracks()[0];
        if (this.sender !== sender || !track) {
          stream.getTracks().forEach((t) => t.stop());
          return;
        }
        await sender.replaceTrack(track);
        this.track = track;
        this.onChange(true);
      } catch (e) {
        this.onChange(false, e instanceof Error ? e.message : String(e));
      } finally {
        this.starting = null;
      }
    })();
    await this.starting;
  }

  stop(): void {
    const track = this.track;
    this.track = null;
    if (!track) return;
    track.stop();
    // A closed connection rejects this; there is nothing left to mute then.
    this.sender?.replaceTrack(null).catch(() => {});
    this.onChange(false);
  }
}
