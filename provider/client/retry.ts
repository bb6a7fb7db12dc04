/** How the client retries; every field has a default. */
export interface RetryPolicy {
  /** Retries after a 5xx or a dropped connection (default 3). */
  maxRetries: number;
  /**
   * Waits after a 429 (default 10). A 429 is flow control, not failure, so it has its own budget and
   * bulk work under a rate limit keeps going.
   */
  maxRateLimitRetries: number;
  /** The first backoff step (default 500 ms); it doubles each retry. */
  baseDelayMs: number;
  /** The longest backoff step without `Retry-After` (default 8 s). */
  maxDelayMs: number;
  /** The longest `Retry-After` honoured (default 60 s); a longer one is cut to this. */
  maxRetryAfterMs: number;
}

/** The default retry policy. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  maxRateLimitRetries: 10,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/**
 * Parses a `Retry-After` value (seconds, possibly fractional, or an HTTP date) into milliseconds.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Anything else must be an HTTP date ("Thu, 26 Nov 2026 12:00:05 GMT"); a bare "-1" is not one.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (0 for the first retry): `Retry-After` when OneSignal sent one
 * (capped), else exponential backoff with up to 25 % jitter taken off.
 */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const step = Math.min(policy.baseDelayMs * 2 ** retry, policy.maxDelayMs);
  return Math.round(step * (1 - 0.25 * random()));
}

/** What happened to one attempt, for {@link shouldRetry}. */
export type AttemptOutcome =
  | { kind: "status"; status: number }
  /** `reached` is false when the request certainly never reached the server (connection refused). */
  | { kind: "connection"; reached: boolean };

/**
 * Whether an attempt may be retried. A 429 was refused before any work, so it is always safe; a 5xx
 * or a dropped connection may have been carried out, so only idempotent requests are retried then.
 */
export function shouldRetry(outcome: AttemptOutcome, idempotent: boolean): boolean {
  if (outcome.kind === "connection") return idempotent || !outcome.reached;
  if (outcome.status === 429) return true;
  if (outcome.status >= 500) return idempotent;
  return false;
}
