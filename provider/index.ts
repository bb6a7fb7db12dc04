/**
 * pulumi-onesignal: OneSignal as code. Dynamic resources for apps and API keys, functions for
 * programs, hooks and scripts, and the error classes they throw.
 * @packageDocumentation
 */
export {
  OneSignalApiError,
  OneSignalAuthError,
  OneSignalConnectionError,
  OneSignalError,
  OneSignalNotFoundError,
  OneSignalRateLimitError,
} from "./client/errors";
export type { RetryPolicy } from "./client/retry";
export { CONFIG_KEYS, DEFAULT_API_URL, ENV_VARS } from "./config";
export { getApp, listApps } from "./functions/apps";
export type { OneSignalOptions } from "./functions/options";
export type { ApiKeyInfo, ApiKeySettings, IpAllowlistMode } from "./models/api-key";
export type { App as AppInfo, AppSettings } from "./models/app";
export { ApiKey, type ApiKeyArgs, type ApiKeyInputs, type ApiKeyOutputs } from "./resources/api-key";
export { App, type AppArgs, type AppInputs, type AppOutputs } from "./resources/app";
