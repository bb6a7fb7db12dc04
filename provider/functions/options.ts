import { OneSignalError } from "../client/errors";
import type { OneSignalHttpClient } from "../client/http";
import { clientOf, type KeyKind } from "../clients";
import { programStackConfig } from "../config";
import { unknownProperties } from "../models/properties";

/** The last argument of every function: which key and API URL to use. */
export interface OneSignalOptions {
  /** The key for this call; defaults to stack config, then the environment. */
  apiKey?: string;
  /** The API URL for this call; defaults to stack config, then `ONESIGNAL_API_URL`, then OneSignal's. */
  apiUrl?: string;
  /** The timeout of each attempt in ms (default 30 s; `onesignal:requestTimeoutMs`, `ONESIGNAL_REQUEST_TIMEOUT_MS`). */
  requestTimeoutMs?: number;
  /** How long the call may take in all, retries included, in ms (default 120 s; `onesignal:deadlineMs`, `ONESIGNAL_DEADLINE_MS`). */
  deadlineMs?: number;
}

/** The names {@link OneSignalOptions} takes. */
export const OPTION_NAMES = ["apiKey", "apiUrl", "requestTimeoutMs", "deadlineMs"] as const;

/**
 * Refuses an options argument that is not an object, or that holds a name the function does not take
 * (with the nearest one): a misspelled option would otherwise be ignored without a word.
 */
export function refuseUnknownOptions(what: string, value: unknown, known: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new OneSignalError(`${what} must be an object, not ${value === null ? "null" : typeof value}`);
  }
  const unknown = unknownProperties(value, known, what);
  if (unknown.length > 0) throw new OneSignalError(unknown.map((entry) => entry.reason).join("; "));
}

/**
 * The client for a function call: `opts` first, then the program's stack config, then the
 * environment. `keyKind` says which key the endpoint takes; `either` prefers the organization key.
 */
export function clientFor(
  opts: OneSignalOptions | undefined,
  keyKind: KeyKind,
  moreOptions: readonly string[] = [],
): OneSignalHttpClient {
  refuseUnknownOptions("options", opts, [...OPTION_NAMES, ...moreOptions]);
  if (opts?.apiKey !== undefined && (typeof opts.apiKey !== "string" || opts.apiKey === "")) {
    throw new OneSignalError("options.apiKey must be a OneSignal API key (text)");
  }
  if (opts?.apiUrl !== undefined && typeof opts.apiUrl !== "string") {
    throw new OneSignalError("options.apiUrl must be a URL such as https://api.onesignal.com");
  }
  for (const name of ["requestTimeoutMs", "deadlineMs"] as const) {
    const value: unknown = opts?.[name];
    if (value !== undefined && typeof value !== "number")
      throw new OneSignalError(`options.${name} must be a number of ms`);
  }
  return clientOf(
    [
      { apiUrl: opts?.apiUrl, requestTimeoutMs: opts?.requestTimeoutMs, deadlineMs: opts?.deadlineMs },
      programStackConfig(),
    ],
    keyKind,
    opts?.apiKey,
  );
}
