/**
 * The latest time the emulator's clock may show: the end of year 9999. Past it ISO 8601 needs six-digit years
 * that few clients read, and a clock near JavaScript's own limit (year 275760) would run past it while the
 * emulator runs, breaking every date it writes, and its restart.
 */
export const LATEST_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

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

  /** How far the clock may still move forward before it would pass {@link LATEST_TIME_MS}. */
  headroomMs(): number {
    return Math.max(0, LATEST_TIME_MS - this.now());
  }

  /** Moves the clock forward by `ms` (never backwards). */
  advance(ms: number): void {
    this.offsetMs += Math.max(0, ms);
  }
}

/** Whether `seconds` (Unix time) is a moment a JavaScript Date can hold, so that writing it as ISO 8601 cannot fail. */
export function isUnixTime(seconds: unknown): seconds is number {
  return typeof seconds === "number" && Number.isFinite(new Date(seconds * 1000).getTime());
}
