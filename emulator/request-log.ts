/** One answered (or dropped) request, as `GET /_emulator/requests` lists it. */
export interface LoggedRequest {
  method: string;
  path: string;
  /** The HTTP status answered, or 0 when the connection was dropped. */
  status: number;
  durationMs: number;
}

/** The request log; it never holds header values, so no key reaches it. */
export class RequestLog {
  private entries: LoggedRequest[] = [];

  /** Appends an entry. */
  add(entry: LoggedRequest): void {
    this.entries.push(entry);
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
