import { validateHeaderValue } from "node:http";

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
   * Carries the request out, then holds its answer this long (ms): OneSignal has made the object while the
   * client still waits, the moment a deployment killed "after the create landed" meets.
   */
  holdAnswerMs?: number | undefined;
  /**
   * Ends `delayMs` and `holdAnswerMs` early when the client closes its connection: a test can hold a request for
   * as long as a killed deployment takes to be killed, and no longer.
   */
  endOnClose?: boolean | undefined;
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

  /** The faults still waiting, with the uses each has left: a test sees that a held request has arrived. */
  list(): FaultSpec[] {
    return this.faults.map((fault) => ({ ...fault }));
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

/**
 * The bounds of a fault's numbers: each keeps the answer one that HTTP, Node and a client can carry
 * (a status line, a whole `Retry-After`, a timer Node can set), documented in docs/emulator.md.
 */
export const FAULT_BOUNDS = {
  times: { min: 1, max: 1_000_000 },
  status: { min: 200, max: 599 },
  /** Whole seconds, at most a day. */
  retryAfter: { min: 0, max: 86_400 },
  /** At most ten minutes. */
  delayMs: { min: 0, max: 600_000 },
  /** At most ten minutes. */
  holdAnswerMs: { min: 0, max: 600_000 },
} as const;

/** The reason a fault's number is out of its bounds (whole numbers but for `delayMs`), or undefined. */
function numberProblem(key: keyof typeof FAULT_BOUNDS, value: unknown): string | undefined {
  const { min, max } = FAULT_BOUNDS[key];
  const whole = key !== "delayMs" && key !== "holdAnswerMs";
  if (typeof value === "number" && value >= min && value <= max && (!whole || Number.isInteger(value)))
    return undefined;
  return `${key} must be a ${whole ? "whole number" : "number"} from ${min} to ${max}`;
}

/** Parses and checks a fault body; returns the reason it is wrong, or the fault. */
export function parseFault(body: unknown): FaultSpec | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "the body must be a JSON object";
  const input = body as Record<string, unknown>;
  const method = input.method ?? "*";
  const path = input.path ?? "*";
  const times = input.times ?? 1;
  if (typeof method !== "string") return "method must be a string";
  if (typeof path !== "string") return "path must be a string";
  const timesProblem = numberProblem("times", times);
  if (timesProblem) return timesProblem;
  for (const key of ["status", "retryAfter", "delayMs", "holdAnswerMs"] as const) {
    const problem = input[key] === undefined ? undefined : numberProblem(key, input[key]);
    if (problem) return problem;
  }
  for (const key of ["reset", "afterCommit", "endOnClose"] as const) {
    if (input[key] !== undefined && typeof input[key] !== "boolean") return `${key} must be a boolean`;
  }
  if (input.contentType !== undefined) {
    if (typeof input.contentType !== "string") return "contentType must be a string";
    // Checked now, as Node checks a header when the answer is written: later, it would fail that answer.
    try {
      validateHeaderValue("Content-Type", input.contentType);
    } catch {
      return "contentType must be a valid header value (no line breaks or control characters)";
    }
  }
  if (input.endOnClose === true && input.delayMs === undefined && input.holdAnswerMs === undefined) {
    return "endOnClose needs delayMs or holdAnswerMs";
  }
  if ((input.body !== undefined || input.contentType !== undefined) && input.status === undefined) {
    return "body and contentType need a status to answer with";
  }
  if (
    input.status === undefined &&
    input.reset !== true &&
    input.afterCommit !== true &&
    input.delayMs === undefined &&
    input.holdAnswerMs === undefined
  ) {
    return "a fault needs status, reset, afterCommit, delayMs or holdAnswerMs";
  }
  return {
    method,
    path,
    times: times as number,
    status: input.status as number | undefined,
    retryAfter: input.retryAfter as number | undefined,
    delayMs: input.delayMs as number | undefined,
    reset: input.reset as boolean | undefined,
    afterCommit: input.afterCommit as boolean | undefined,
    holdAnswerMs: input.holdAnswerMs as number | undefined,
    ...(input.endOnClose !== undefined ? { endOnClose: input.endOnClose as boolean } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.contentType !== undefined ? { contentType: input.contentType as string } : {}),
  };
}
