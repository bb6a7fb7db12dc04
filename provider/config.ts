/**
 * Where the API URL, the keys and the time limits come from, as data: the names (stack config keys, environment
 * variables), how layers of settings resolve, and what is wrong with them, each problem naming its setting. No
 * client is made here (`clients.ts` makes them all), and nothing is thrown: each caller reports problems its way.
 */

import { isHttpUrl, type PropertyProblem } from "./models/properties";

/** OneSignal's production API. */
export const DEFAULT_API_URL = "https://api.onesignal.com";

/** The stack configuration keys this package reads. */
export const CONFIG_KEYS = {
  apiUrl: "onesignal:apiUrl",
  organizationApiKey: "onesignal:organizationApiKey",
  appApiKey: "onesignal:appApiKey",
  requestTimeoutMs: "onesignal:requestTimeoutMs",
  deadlineMs: "onesignal:deadlineMs",
} as const;

/**
 * The settings that are secrets. Given as stack config they must be set with `--secret`: a plain value is kept in
 * clear in the stack file and, since the engine hands the whole stack config to the providers, in the stack's state.
 */
export const SECRET_SETTINGS = ["organizationApiKey", "appApiKey"] as const;

/** A setting that is a secret. */
export type SecretSetting = (typeof SECRET_SETTINGS)[number];

/** The environment variables this package reads, in order of preference. */
export const ENV_VARS = {
  apiUrl: ["ONESIGNAL_API_URL"],
  organizationApiKey: ["ONESIGNAL_ORGANIZATION_API_KEY", "ONESIGNAL_USER_AUTH_KEY"],
  appApiKey: ["ONESIGNAL_APP_API_KEY", "ONESIGNAL_REST_API_KEY"],
  requestTimeoutMs: ["ONESIGNAL_REQUEST_TIMEOUT_MS"],
  deadlineMs: ["ONESIGNAL_DEADLINE_MS"],
} as const;

/** Where to reach OneSignal and with which keys. */
export interface OneSignalSettings {
  apiUrl: string;
  organizationApiKey: string | undefined;
  appApiKey: string | undefined;
  /** The timeout of one attempt, in ms (the client's default: 30 s). */
  requestTimeoutMs: number | undefined;
  /** How long one call may take with its retries, in ms (the client's default: 120 s). */
  deadlineMs: number | undefined;
}

/** Values given explicitly (options, stack config); an empty string counts as not given. */
export interface PartialSettings {
  /** OneSignal's API URL (default https://api.onesignal.com; an emulator's URL to test); env ONESIGNAL_API_URL. */
  apiUrl?: string | undefined;
  /** The organization API key (apps, API keys); env ONESIGNAL_ORGANIZATION_API_KEY. Keep it secret. */
  organizationApiKey?: string | undefined;
  /** The app API key (segments, templates, messages) where a resource gives none; env ONESIGNAL_APP_API_KEY. Keep it secret. */
  appApiKey?: string | undefined;
  /** The timeout of one request in milliseconds (default 30000); env ONESIGNAL_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: string | number | undefined;
  /** How long one call may take with its retries, in milliseconds (default 120000); env ONESIGNAL_DEADLINE_MS. */
  deadlineMs?: string | number | undefined;
}

/** Anything with a `get(key)` that answers stack config, like the dynamic provider's `req.config`. */
export interface ConfigReader {
  get(key: string): string | undefined;
}

/** Reads the three settings from a stack config reader (namespaced keys). */
export function readStackConfig(config: ConfigReader): PartialSettings {
  return {
    apiUrl: config.get(CONFIG_KEYS.apiUrl),
    organizationApiKey: config.get(CONFIG_KEYS.organizationApiKey),
    appApiKey: config.get(CONFIG_KEYS.appApiKey),
    requestTimeoutMs: config.get(CONFIG_KEYS.requestTimeoutMs),
    deadlineMs: config.get(CONFIG_KEYS.deadlineMs),
  };
}

/** A problem with one setting: which (its name, as in {@link PartialSettings}) and why, with where it is given. */
export interface SettingProblem extends PropertyProblem {
  property: keyof PartialSettings;
}

/** Settings resolved from their layers, and the problems of those that cannot be used (left unset). */
export interface ResolvedSettings {
  settings: OneSignalSettings;
  problems: SettingProblem[];
}

/**
 * Resolves the settings: each layer in order (first non-empty value wins), then the environment
 * variables, then the default API URL. A setting that cannot be used is reported in `problems`.
 */
export function resolveSettings(layers: PartialSettings[], env: NodeJS.ProcessEnv = process.env): ResolvedSettings {
  const problems: SettingProblem[] = [];
  const pick = (key: keyof PartialSettings): string | number | undefined => {
    for (const layer of layers) {
      const value = layer[key];
      if (value !== undefined && value !== "") return value;
    }
    for (const name of ENV_VARS[key]) {
      const value = env[name];
      if (value) return value;
    }
    return undefined;
  };
  const text = (key: "apiUrl" | "organizationApiKey" | "appApiKey") => {
    const value = pick(key);
    return value === undefined ? undefined : String(value);
  };
  const apiUrl = text("apiUrl") ?? DEFAULT_API_URL;
  if (!isHttpUrl(apiUrl)) {
    problems.push({
      property: "apiUrl",
      reason:
        `apiUrl must be an http(s) URL such as ${DEFAULT_API_URL}, not ${JSON.stringify(apiUrl)}: ` +
        `check the option, ${CONFIG_KEYS.apiUrl} or ${ENV_VARS.apiUrl[0]}.`,
    });
  }
  const milliseconds = (key: "requestTimeoutMs" | "deadlineMs"): number | undefined => {
    const value = pick(key);
    if (value === undefined) return undefined;
    const parsed = typeof value === "number" ? value : Number(value);
    if (Number.isInteger(parsed) && parsed >= 1) return parsed;
    problems.push({
      property: key,
      reason:
        `${key} must be a whole number of milliseconds (at least 1), not ${JSON.stringify(value)}: ` +
        `check the option, ${CONFIG_KEYS[key]} or ${ENV_VARS[key][0]}.`,
    });
    return undefined;
  };
  const settings: OneSignalSettings = {
    apiUrl,
    organizationApiKey: text("organizationApiKey"),
    appApiKey: text("appApiKey"),
    requestTimeoutMs: milliseconds("requestTimeoutMs"),
    deadlineMs: milliseconds("deadlineMs"),
  };
  return { settings, problems };
}

/**
 * The `onesignal:*` stack config of the Pulumi program this code runs in, if any; outside a Pulumi
 * program (a script, the CLI) it is empty.
 *
 * A program run by the language host gets its config in PULUMI_CONFIG; an Automation API inline
 * program gets it through the runtime of the SDK already loaded in its process. Both are read through
 * `runtime.getConfig`, as `pulumi.Config` does. The SDK is loaded only when either holds, so scripts
 * and the CLI never pay for it.
 */
export function programStackConfig(): PartialSettings {
  let entry: string;
  try {
    entry = require.resolve("@pulumi/pulumi");
  } catch {
    return {};
  }
  if (!process.env.PULUMI_CONFIG && !require.cache[entry]) return {};
  const runtime = (require(entry) as { runtime: { getConfig(key: string): string | undefined } }).runtime;
  return readStackConfig({ get: (key) => runtime.getConfig(key) });
}

/** Explains which setting is missing and how to give it. */
export function missingKeyMessage(which: "organizationApiKey" | "appApiKey"): string {
  const [primary, fallback] = ENV_VARS[which];
  return which === "organizationApiKey"
    ? `No OneSignal organization API key: set it with \`pulumi config set --secret ${CONFIG_KEYS.organizationApiKey} <key>\`, ` +
        `or the environment variable ${primary} (or ${fallback}), or pass { apiKey }.`
    : `No OneSignal app API key: set it with \`pulumi config set --secret ${CONFIG_KEYS.appApiKey} <key>\`, ` +
        `or the environment variable ${primary} (or ${fallback}), or pass { apiKey } (resources: the apiKey input).`;
}

/**
 * Why a secret setting given as plain stack config is refused, and how to give it instead. Names the key, never
 * the value.
 */
export function plainSecretMessage(which: SecretSetting): string {
  const key = CONFIG_KEYS[which];
  const [primary, fallback] = ENV_VARS[which];
  return (
    `${key} is set as plain stack config, which Pulumi keeps in clear in the stack's state: ` +
    `set it as a secret with \`pulumi config set --secret ${key} <key>\`, ` +
    `or give it in the environment variable ${primary} (or ${fallback}) instead.`
  );
}
