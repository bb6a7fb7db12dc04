// ((emulator: D32 requests are limited only where a limit is set (--rate-limit or POST /_emulator/rate-limits);
// OneSignal always limits, per endpoint family))

/** A rate limit for an app's API requests: a token bucket. */
export interface RateLimitSpec {
  /** `*` for every app, or one app id. */
  appId: string;
  requestsPerSecond: number;
  /** The bucket size; defaults to one second's worth. */
  burst?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Per-app token buckets, as OneSignal limits requests per app (reference §10). Off unless configured,
 * so tests are deterministic; `POST /_emulator/rate-limits` or `startEmulator({ rateLimits })` turns it on.
 */
export class RateLimiter {
  private specs: RateLimitSpec[] = [];
  private readonly buckets = new Map<string, Bucket>();

  /** Adds (or replaces, for the same app) a limit. */
  set(spec: RateLimitSpec): void {
    this.specs = [...this.specs.filter((existing) => existing.appId !== spec.appId), spec];
    this.buckets.clear();
  }

  /** Removes every limit. */
  clear(): void {
    this.specs = [];
    this.buckets.clear();
  }

  /** Takes a token for the app; returns the seconds to wait when there is none. */
  take(appId: string, now: number = Date.now()): number | undefined {
    const spec = this.specs.find((candidate) => candidate.appId === appId) ?? this.specs.find((c) => c.appId === "*");
    if (!spec) return undefined;
    const burst = spec.burst ?? spec.requestsPerSecond;
    const bucket = this.buckets.get(appId) ?? { tokens: burst, updatedAt: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * spec.requestsPerSecond);
    bucket.updatedAt = now;
    this.buckets.set(appId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    // OneSignal sends whole seconds in Retry-After.
    return Math.max(1, Math.ceil((1 - bucket.tokens) / spec.requestsPerSecond));
  }
}

/** The slowest and fastest limits a spec may set, in requests per second. */
const MIN_RATE = 0.01;
const MAX_RATE = 1_000_000;

/** Parses a rate limit body; returns the reason it is wrong, or the spec. */
export function parseRateLimit(body: unknown): RateLimitSpec | string {
  if (typeof body !== "object" || body === null) return "the body must be a JSON object";
  const input = body as Record<string, unknown>;
  const appId = input.appId ?? "*";
  if (typeof appId !== "string") return "appId must be a string";
  // Bounded so that Retry-After stays a whole number of seconds a client can wait (at most 100).
  if (
    typeof input.requestsPerSecond !== "number" ||
    !(input.requestsPerSecond >= MIN_RATE && input.requestsPerSecond <= MAX_RATE)
  ) {
    return `requestsPerSecond must be a number from ${MIN_RATE} to ${MAX_RATE}`;
  }
  if (input.burst !== undefined && (typeof input.burst !== "number" || !(input.burst >= 1 && input.burst <= MAX_RATE)))
    return `burst must be a number from 1 to ${MAX_RATE}`;
  return {
    appId,
    requestsPerSecond: input.requestsPerSecond,
    ...(input.burst ? { burst: input.burst as number } : {}),
  };
}
