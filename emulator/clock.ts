/** The emulator's clock: wall time plus an offset that `POST /_emulator/clock` moves forward. */
export class Clock {
  offsetMs: number;

  constructor(offsetMs = 0) {
    this.offsetMs = offsetMs;
  }

  /** Milliseconds since the epoch, as the emulator sees them. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** The emulator's time as an ISO 8601 string. */
  iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Moves the clock forward by `ms` (never backwards). */
  advance(ms: number): void {
    this.offsetMs += Math.max(0, ms);
  }
}
