import { httpClient, type OneSignalHttpClient } from "../client/http";
import { missingKeyMessage, programStackConfig, resolveSettings } from "../config";

/** The last argument of every function: which key and API URL to use. */
export interface OneSignalOptions {
  /** The key for this call; defaults to stack config, then the environment. */
  apiKey?: string;
  /** The API URL for this call; defaults to stack config, then `ONESIGNAL_API_URL`, then OneSignal's. */
  apiUrl?: string;
}

/**
 * The client for a function call: `opts` first, then the program's stack config, then the
 * environment. `keyKind` says which key the endpoint takes; `either` prefers the organization key.
 */
export function clientFor(
  opts: OneSignalOptions | undefined,
  keyKind: "organization" | "app" | "either",
): OneSignalHttpClient {
  const settings = resolveSettings([{ apiUrl: opts?.apiUrl }, programStackConfig()]);
  const key =
    opts?.apiKey ??
    (keyKind === "app"
      ? settings.appApiKey
      : keyKind === "organization"
        ? settings.organizationApiKey
        : (settings.organizationApiKey ?? settings.appApiKey));
  if (!key) throw new Error(missingKeyMessage(keyKind === "app" ? "appApiKey" : "organizationApiKey"));
  return httpClient({ apiUrl: settings.apiUrl, apiKey: key });
}
