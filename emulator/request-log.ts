/** One answered (or dropped) request, as `GET /_emulator/requests` lists it. */
export interface LoggedRequest {
  method: string;
  path: string;
  /** The HTTP status answered, or 0 when the connection was dropped. */
  status: number;
  durationMs: number;
}

/** How many entries the log keeps by default: enough for any test, bounded for a long-running emulator. */
export const DEFAULT_REQUEST_LOG_LIMIT = 100_000;

/** The request log, a window of the newest entries; it never holds header values, so no key reaches it. */
export class RequestLog {
  private entries: LoggedRequest[] = [];

  constructor(private readonly limit = DEFAULT_REQUEST_LOG_LIMIT) {}

  /** Appends an entry, forgetting the oldest beyond the limit (a tenth at a time, so appends stay cheap). */
  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries = this.entries.slice(-Math.ceil(this.limit * 0.9));
  }

  /** Every entry, oldest first. */
  list(): LoggedRequest[] {
    return [...this.entries];
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries = [];
  }
}
