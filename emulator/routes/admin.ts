import { badRequest, requireObject } from "../errors";
import { type FaultList, parseFault } from "../faults";
import { parseRateLimit, type RateLimiter } from "../rate-limits";
import type { RequestLog } from "../request-log";
import type { Route, RouteResult } from "../router";
import type { Store } from "../store";

// The emulator's own endpoints about the whole emulator, under `/_emulator/`: no auth, never part of
// OneSignal's API. Those about one area live beside its routes (e.g. notifications/admin-routes.ts).

/** The most one `POST /_emulator/clock` moves the clock: 100 years. */
const MAX_ADVANCE_MS = 100 * 365 * 24 * 3600 * 1000;

/** What the admin endpoints act on besides the store. */
export interface AdminState {
  log: RequestLog;
  faults: FaultList;
  rateLimiter: RateLimiter;
  /** Puts the rate limits back to those the emulator started with. */
  resetLimits: () => void;
  /** Runs after each move of the clock: what has come due happens now (scheduled notifications go out). */
  clockAdvanced: (store: Store) => void;
}

/** The answer of an admin endpoint that only acts. */
function success(status = 200): RouteResult {
  return { status, body: { success: true } };
}

/** The clock as `GET` and `POST /_emulator/clock` answer it. */
function clockReading(store: Store): RouteResult {
  return { body: { now: store.clock.iso(), offsetMs: store.clock.offsetMs } };
}

/**
 * `POST` and `DELETE` of a list of injected behaviours (faults, rate limits): POST parses the body and adds
 * it (a 201), or answers the parser's 400; DELETE clears the list.
 */
function specRoutes<T>(
  pattern: string,
  parse: (body: unknown) => T | string,
  add: (spec: T) => void,
  clear: () => void,
): Route[] {
  return [
    {
      method: "POST",
      pattern,
      auth: "none",
      handler: ({ body }) => {
        const spec = parse(body);
        if (typeof spec === "string") throw badRequest(spec);
        add(spec);
        return success(201);
      },
    },
    {
      method: "DELETE",
      pattern,
      auth: "none",
      handler: () => {
        clear();
        return success();
      },
    },
  ];
}

/** The emulator's own endpoints about the whole emulator: request log, reset, faults, clock, rate limits, health. */
export function adminRoutes(state: AdminState): Route[] {
  return [
    { method: "GET", pattern: "/_emulator/requests", auth: "none", handler: () => ({ body: state.log.list() }) },
    {
      method: "POST",
      pattern: "/_emulator/reset",
      auth: "none",
      handler: ({ store }) => {
        store.reset();
        state.log.clear();
        state.faults.clear();
        state.resetLimits();
        return success();
      },
    },
    { method: "GET", pattern: "/_emulator/faults", auth: "none", handler: () => ({ body: state.faults.list() }) },
    ...specRoutes(
      "/_emulator/faults",
      parseFault,
      (fault) => state.faults.add(fault),
      () => state.faults.clear(),
    ),
    { method: "GET", pattern: "/_emulator/clock", auth: "none", handler: ({ store }) => clockReading(store) },
    {
      method: "POST",
      pattern: "/_emulator/clock",
      auth: "none",
      handler: ({ store, body }) => {
        const advanceMs = requireObject(body).advanceMs;
        // Bounded so that the clock stays a date every client reads, now and after a restart (LATEST_TIME_MS).
        if (typeof advanceMs !== "number" || !(advanceMs >= 0 && advanceMs <= MAX_ADVANCE_MS)) {
          throw badRequest(`advanceMs must be a number of milliseconds from 0 to ${MAX_ADVANCE_MS} (100 years)`);
        }
        if (advanceMs > store.clock.headroomMs()) {
          throw badRequest(
            `advanceMs would move the clock past the end of year 9999; it can move ${store.clock.headroomMs()} ms more`,
          );
        }
        store.clock.advance(advanceMs);
        state.clockAdvanced(store);
        return clockReading(store);
      },
    },
    ...specRoutes(
      "/_emulator/rate-limits",
      parseRateLimit,
      (spec) => state.rateLimiter.set(spec),
      () => state.rateLimiter.clear(),
    ),
    { method: "GET", pattern: "/_emulator/health", auth: "none", handler: () => ({ body: { ok: true } }) },
  ];
}
