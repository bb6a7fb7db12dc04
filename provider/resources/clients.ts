import { httpClient, type OneSignalHttpClient } from "../client/http";
import { missingKeyMessage, type PartialSettings, resolveSettings } from "../config";

/** The client that uses the organization API key (apps, API keys). */
export function organizationClient(stackConfig: PartialSettings): OneSignalHttpClient {
  const settings = resolveSettings([stackConfig]);
  if (!settings.organizationApiKey) throw new Error(missingKeyMessage("organizationApiKey"));
  return httpClient({ apiUrl: settings.apiUrl, apiKey: settings.organizationApiKey });
}

/**
 * The client that uses an app API key: the resource's own `apiKey` input when set, else
 * `onesignal:appApiKey`, else the environment.
 */
export function appClient(stackConfig: PartialSettings, apiKeyInput: string | undefined): OneSignalHttpClient {
  const settings = resolveSettings([{ appApiKey: apiKeyInput }, stackConfig]);
  if (!settings.appApiKey) throw new Error(missingKeyMessage("appApiKey"));
  return httpClient({ apiUrl: settings.apiUrl, apiKey: settings.appApiKey });
}
