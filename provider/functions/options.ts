import { httpClient, type OneSignalHttpClient } from "../client/http";
import { missingKeyMessage, programStackConfig, resolveSettings } from "../config";

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

/**
 * The client for a function call: `opts` first, then the program's stack config, then the
 * environment. `keyKind` says which key the endpoint takes; `either` prefers the organization key.
 */
export function clientFor(
  opts: OneSignalOptions | undefined,
  keyKind: "organization" | "app" | "either",
): OneSignalHttpClient {
  const settings = resolveSettings([
    { apiUrl: opts?.apiUrl, requestTimeoutMs: opts?.requestTimeoutMs, deadlineMs: opts?.deadlineMs },
    programStackConfig(),
  ]);
  const key =
    opts?.apiKey ??
    (keyKind === "app"
      ? settings.appApiKey
      : keyKind === "organization"
        ? settings.organizationApiKey
        : (settings.organizationApiKey ?? settings.appApiKey));
  if (!key) throw new Error(missingKeyMessage(keyKind === "app" ? "appApiKey" : "organizationApiKey"));
  return httpClient({
    apiUrl: settings.apiUrl,
    apiKey: key,
    timeoutMs: settings.requestTimeoutMs,
    deadlineMs: settings.deadlineMs,
  });
}
