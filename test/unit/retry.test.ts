import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelayMs, shouldRetry } from "../../provider/client/retry";

describe("parseRetryAfter", () => {
  it("reads whole and fractional seconds", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter("0.25")).toBe(250);
    expect(parseRetryAfter(" 1 ")).toBe(1000);
  });

  it("reads an HTTP date relative to now", () => {
    const now = Date.parse("2026-11-26T12:00:00Z");
    expect(parseRetryAfter("Thu, 26 Nov 2026 12:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Thu, 26 Nov 2026 11:59:00 GMT", now)).toBe(0);
  });

  it("ignores absent or unreadable values", () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter("")).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter("-1")).toBeUndefined();
  });
});

describe("retryDelayMs", () => {
  it("honours Retry-After up to the cap", () => {
    expect(retryDelayMs(0, 2000)).toBe(2000);
    expect(retryDelayMs(5, 2000)).toBe(2000);
    expect(retryDelayMs(0, 600_000)).toBe(DEFAULT_RETRY_POLICY.maxRetryAfterMs);
  });

  it("backs off exponentially with at most 25 % jitter taken off", () => {
    const noJitter = () => 0;
    const fullJitter = () => 1;
    expect([0, 1, 2, 3].map((retry) => retryDelayMs(retry, undefined, DEFAULT_RETRY_POLICY, noJitter))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect(retryDelayMs(10, undefined, DEFAULT_RETRY_POLICY, noJitter)).toBe(8000);
    expect(retryDelayMs(1, undefined, DEFAULT_RETRY_POLICY, fullJitter)).toBe(750);
  });
});

describe("shouldRetry", () => {
  it("always retries 429: OneSignal refused the request before doing anything", () => {
    expect(shouldRetry({ kind: "status", status: 429 }, false)).toBe(true);
    expect(shouldRetry({ kind: "status", status: 429 }, true)).toBe(true);
  });

  it("retries 5xx and dropped connections only when the request is idempotent", () => {
    expect(shouldRetry({ kind: "status", status: 503 }, true)).toBe(true);
    expect(shouldRetry({ kind: "status", status: 500 }, false)).toBe(false);
    expect(shouldRetry({ kind: "connection", reached: true }, true)).toBe(true);
    expect(shouldRetry({ kind: "connection", reached: true }, false)).toBe(false);
  });

  it("retries a refused connection even for a POST: it never reached OneSignal", () => {
    expect(shouldRetry({ kind: "connection", reached: false }, false)).toBe(true);
  });

  it("never retries other client errors", () => {
    for (const status of [400, 401, 403, 404, 409, 422]) {
      expect(shouldRetry({ kind: "status", status }, true)).toBe(false);
    }
  });
});
