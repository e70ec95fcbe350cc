/** How far back the ingest rate looks, and how often it samples. */
export const RATE_WINDOW_MS = 60_000;
const SAMPLE_EVERY_MS = 5_000;

interface Sample {
  at: number;
  count: number;
}

/**
 * Events committed per second over the last minute, from samples of a running counter
 * taken every 5 s (no per-request work on the ingest path).
 */
export class IngestRate {
  private readonly samples: Sample[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly counter: () => number,
    private readonly clock: () => number = Date.now,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  /** Events per second over the window ending now, and the window's length in seconds. */
  current(): { eventsPerSecond: number; windowSeconds: number } {
    const now = { at: this.clock(), count: this.counter() };
    const first = this.samples.find((s) => now.at - s.at <= RATE_WINDOW_MS) ?? now;
    const seconds = (now.at - first.at) / 1000;
    return { eventsPerSecond: seconds > 0 ? Math.round(((now.count - first.count) / seconds) * 10) / 10 : 0, windowSeconds: Math.round(seconds) };
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    this.samples.push({ at: this.clock(), count: this.counter() });
    while (this.samples.length > RATE_WINDOW_MS / SAMPLE_EVERY_MS + 1) this.samples.shift();
  }
}
