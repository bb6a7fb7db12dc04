import { OneSignalAuthError, OneSignalMissingKeyError } from "../client/errors";
import type { OneSignalHttpClient } from "../client/http";
import { clientWith, missingKeyMessage, type PartialSettings, resolveSettings } from "../config";

/** The client that uses the organization API key (apps, API keys). */
export function organizationClient(stackConfig: PartialSettings): OneSignalHttpClient {
  const settings = resolveSettings([stackConfig]);
  if (!settings.organizationApiKey)
    throw new OneSignalMissingKeyError("organizationApiKey", missingKeyMessage("organizationApiKey"));
  return clientWith(settings, settings.organizationApiKey);
}

/**
 * The client that uses an app API key: the resource's own `apiKey` input when set, else
 * `onesignal:appApiKey`, else the environment.
 */
export function appClient(stackConfig: PartialSettings, apiKeyInput: string | undefined): OneSignalHttpClient {
  const settings = resolveSettings([{ appApiKey: apiKeyInput }, stackConfig]);
  if (!settings.appApiKey) throw new OneSignalMissingKeyError("appApiKey", missingKeyMessage("appApiKey"));
  return clientWith(settings, settings.appApiKey);
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
    const configured = resolveSettings([stackConfig]).appApiKey;
    if (!configured || configured === storedKey) throw error;
    const result = await operation(appClient(stackConfig, undefined));
    console.warn(
      `warning: ${what}: OneSignal refused the app API key stored with it (${error.status}); the configured key ` +
        "(onesignal:appApiKey or ONESIGNAL_APP_API_KEY) worked. Run `pulumi up` to store the current key.",
    );
    return result;
  }
}
