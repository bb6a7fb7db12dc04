/**
 * Every HTTP client of the package is made here, from the settings `config.ts` resolves: the functions', the
 * resources', the CLI's (through the functions) and the plugin's (through the resources). Unusable settings and
 * missing keys become the errors users see, named by setting, before any request.
 */
import { OneSignalAuthError, OneSignalError, OneSignalMissingKeyError } from "./client/errors";
import { httpClient, type OneSignalHttpClient } from "./client/http";
import { missingKeyMessage, type OneSignalSettings, type PartialSettings, resolveSettings } from "./config";

/** The settings of `layers` (then the environment); unusable ones are refused, each by name. */
export function settingsOf(layers: PartialSettings[], env: NodeJS.ProcessEnv = process.env): OneSignalSettings {
  const { settings, problems } = resolveSettings(layers, env);
  if (problems.length > 0) throw new OneSignalError(problems.map((problem) => problem.reason).join(" "));
  return settings;
}

/** The HTTP client for resolved settings and the key a call takes (its time limits included). */
export function clientWith(settings: OneSignalSettings, apiKey: string): OneSignalHttpClient {
  return httpClient({
    apiUrl: settings.apiUrl,
    apiKey,
    timeoutMs: settings.requestTimeoutMs,
    deadlineMs: settings.deadlineMs,
  });
}

/** Which key an endpoint takes; `either` prefers the organization key. */
export type KeyKind = "organization" | "app" | "either";

/**
 * The key a call takes: `apiKey` when given, else the one `keyKind` names in `settings`; when there is none, the
 * error that names the setting to give (after `context`, the caller's name, when set).
 */
export function keyFor(settings: OneSignalSettings, keyKind: KeyKind, apiKey?: string, context?: string): string {
  const key =
    apiKey ??
    (keyKind === "app"
      ? settings.appApiKey
      : keyKind === "organization"
        ? settings.organizationApiKey
        : (settings.organizationApiKey ?? settings.appApiKey));
  if (!key) {
    const which = keyKind === "app" ? "appApiKey" : "organizationApiKey";
    const message = missingKeyMessage(which);
    throw new OneSignalMissingKeyError(which, context ? `${context}: ${message}` : message);
  }
  return key;
}

/**
 * The client for `layers` (first non-empty value wins, then the environment) and the key `keyKind` names,
 * or `apiKey` when given.
 */
export function clientOf(layers: PartialSettings[], keyKind: KeyKind, apiKey?: string): OneSignalHttpClient {
  const settings = settingsOf(layers);
  return clientWith(settings, keyFor(settings, keyKind, apiKey));
}

/** A resource's client with the organization API key (apps, API keys). */
export function organizationClient(stackConfig: PartialSettings): OneSignalHttpClient {
  return clientOf([stackConfig], "organization");
}

/**
 * A resource's client with an app API key: the resource's own `apiKey` input when set, else
 * `onesignal:appApiKey`, else the environment.
 */
export function appClient(stackConfig: PartialSettings, apiKeyInput: string | undefined): OneSignalHttpClient {
  return clientOf([{ appApiKey: apiKeyInput }, stackConfig], "app");
}

/**
 * Runs `operation` with a resource's app key (the one stored with it); when OneSignal refuses that key
 * (401/403) and another one is configured (`onesignal:appApiKey` or the environment), tries that one once,
 * and says which worked. A rotation whose `up` failed leaves the old key in state; refresh and destroy
 * still work with the configured one.
 */
export async function withAppKey<T>(
  stackConfig: PartialSettings,
  storedKey: string | undefined,
  what: string,
  operation: (client: OneSignalHttpClient) => Promise<T>,
): Promise<T> {
  try {
    return await operation(appClient(stackConfig, storedKey));
  } catch (error) {
    if (!(error instanceof OneSignalAuthError) || !storedKey) throw error;
    const configured = settingsOf([stackConfig]).appApiKey;
    if (!configured || configured === storedKey) throw error;
    const result = await operation(appClient(stackConfig, undefined));
    console.warn(
      `warning: ${what}: OneSignal refused the app API key stored with it (${error.status}); the configured key ` +
        "(onesignal:appApiKey or ONESIGNAL_APP_API_KEY) worked. Run `pulumi up` to store the current key.",
    );
    return result;
  }
}
