import { badRequest, EmulatorError } from "../errors";
import { type FaultList, parseFault } from "../faults";
import { parseRateLimit, type RateLimiter } from "../rate-limits";
import type { RequestLog } from "../request-log";
import type { RouteResult } from "../router";
import type { Store } from "../store";
import { adminNotifications, deliverDue, recordClicks } from "./notifications";

/** The most one `POST /_emulator/clock` moves the clock: 100 years. */
const MAX_ADVANCE_MS = 100 * 365 * 24 * 3600 * 1000;

/** What the admin endpoints act on. */
export interface AdminState {
  store: Store;
  log: RequestLog;
  faults: FaultList;
  rateLimiter: RateLimiter;
  /** Puts the rate limits back to those the emulator started with. */
  resetLimits: () => void;
}

/**
 * Serves the emulator's own endpoints under `/_emulator/`: no auth, never part of OneSignal's API.
 */
export function handleAdmin(state: AdminState, method: string, path: string, body: unknown): RouteResult {
  const key = `${method} ${path}`;
  const clicks = /^POST \/_emulator\/notifications\/([^/]+)\/clicks$/.exec(key);
  if (clicks) return { body: recordClicks(state.store, clicks[1] as string, body) };
  switch (key) {
    case "GET /_emulator/requests":
      return { body: state.log.list() };
    case "POST /_emulator/reset":
      state.store.reset();
      state.log.clear();
      state.faults.clear();
      state.resetLimits();
      return { body: { success: true } };
    case "POST /_emulator/faults": {
      const fault = parseFault(body);
      if (typeof fault === "string") throw badRequest(fault);
      state.faults.add(fault);
      return { status: 201, body: { success: true } };
    }
    case "DELETE /_emulator/faults":
      state.faults.clear();
      return { body: { success: true } };
    case "GET /_emulator/clock":
      return { body: { now: state.store.clock.iso(), offsetMs: state.store.clock.offsetMs } };
    case "POST /_emulator/clock": {
      const advanceMs = (body as { advanceMs?: unknown } | null)?.advanceMs;
      // Bounded so that the clock stays a date: past year 275760 every date (and the restart) breaks.
      if (
        typeof advanceMs !== "number" ||
        !Number.isFinite(advanceMs) ||
        advanceMs < 0 ||
        advanceMs > MAX_ADVANCE_MS ||
        !Number.isFinite(new Date(state.store.clock.now() + advanceMs).getTime())
      ) {
        throw badRequest(`advanceMs must be a number of milliseconds from 0 to ${MAX_ADVANCE_MS} (100 years)`);
      }
      state.store.clock.advance(advanceMs);
      // Scheduled notifications whose time has come go out now.
      deliverDue(state.store);
      return { body: { now: state.store.clock.iso(), offsetMs: state.store.clock.offsetMs } };
    }
    case "POST /_emulator/rate-limits": {
      const spec = parseRateLimit(body);
      if (typeof spec === "string") throw badRequest(spec);
      state.rateLimiter.set(spec);
      return { status: 201, body: { success: true } };
    }
    case "DELETE /_emulator/rate-limits":
      state.rateLimiter.clear();
      return { body: { success: true } };
    case "GET /_emulator/notifications":
      return { body: adminNotifications(state.store) };
    case "GET /_emulator/health":
      return { body: { ok: true } };
    default:
      throw new EmulatorError(404, { errors: [`No emulator endpoint ${key}`] });
  }
}
