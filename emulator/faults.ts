/** An injected fault, as `POST /_emulator/faults` takes it. */
export interface FaultSpec {
  method: string;
  path: string;
  times: number;
  status?: number | undefined;
  retryAfter?: number | undefined;
  delayMs?: number | undefined;
  reset?: boolean | undefined;
  afterCommit?: boolean | undefined;
  /**
   * The body to answer with `status` instead of the emulator's own: JSON, or text when a string; for
   * answers OneSignal documents that the emulator does not give by itself (a 202, an HTML page...).
   */
  body?: unknown;
  /** The Content-Type of `body` (JSON by default, `text/plain` for a string). */
  contentType?: string | undefined;
}

/** The faults waiting for matching requests, oldest first. */
export class FaultList {
  private faults: FaultSpec[] = [];

  /** Adds a fault that matches the next `times` requests with that method and path prefix. */
  add(fault: FaultSpec): void {
    this.faults.push({ ...fault });
  }

  /** Clears every fault. */
  clear(): void {
    this.faults = [];
  }

  /** Takes one use of the first fault that matches the request, if any. */
  take(method: string, path: string): FaultSpec | undefined {
    const fault = this.faults.find(
      (candidate) =>
        (candidate.method === "*" || candidate.method.toUpperCase() === method) &&
        (candidate.path === "*" || path.startsWith(candidate.path)),
    );
    if (!fault) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return fault;
  }
}

/** Parses and checks a fault body; returns the reason it is wrong, or the fault. */
export function parseFault(body: unknown): FaultSpec | string {
  if (typeof body !== "object" || body === null) return "the body must be a JSON object";
  const input = body as Record<string, unknown>;
  const method = input.method ?? "*";
  const path = input.path ?? "*";
  const times = input.times ?? 1;
  if (typeof method !== "string") return "method must be a string";
  if (typeof path !== "string") return "path must be a string";
  if (typeof times !== "number" || !Number.isInteger(times) || times < 1) return "times must be a positive integer";
  for (const key of ["status", "retryAfter", "delayMs"] as const) {
    if (input[key] !== undefined && (typeof input[key] !== "number" || (input[key] as number) < 0)) {
      return `${key} must be a non-negative number`;
    }
  }
  for (const key of ["reset", "afterCommit"] as const) {
    if (input[key] !== undefined && typeof input[key] !== "boolean") return `${key} must be a boolean`;
  }
  if (input.contentType !== undefined && typeof input.contentType !== "string") return "contentType must be a string";
  if ((input.body !== undefined || input.contentType !== undefined) && input.status === undefined) {
    return "body and contentType need a status to answer with";
  }
  if (input.status === undefined && input.reset !== true && input.afterCommit !== true && input.delayMs === undefined) {
    return "a fault needs status, reset, afterCommit or delayMs";
  }
  return {
    method,
    path,
    times,
    status: input.status as number | undefined,
    retryAfter: input.retryAfter as number | undefined,
    delayMs: input.delayMs as number | undefined,
    reset: input.reset as boolean | undefined,
    afterCommit: input.afterCommit as boolean | undefined,
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.contentType !== undefined ? { contentType: input.contentType as string } : {}),
  };
}
