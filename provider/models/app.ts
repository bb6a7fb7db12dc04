import type { ApiApp, ApiAppSettings } from "../client/apps";

/** The platform settings of an app, camelCase; each maps to one field of OneSignal's app API. */
export interface AppSettings {
  /** APNs environment: `"sandbox"` or `"production"`. */
  apnsEnv?: "sandbox" | "production";
  /** APNs token auth: the .p8 key (PEM text or base64). Write-only secret. */
  apnsP8?: string;
  /** APNs token auth: the key id (required with `apnsP8`). */
  apnsKeyId?: string;
  /** APNs token auth: the Apple team id (required with `apnsP8`). */
  apnsTeamId?: string;
  /** APNs token auth: the app's bundle id (required with `apnsP8`). */
  apnsBundleId?: string;
  /** APNs certificate auth: the .p12 file, base64. Write-only secret. */
  apnsP12?: string;
  /** APNs certificate auth: the .p12 password. Write-only secret. */
  apnsP12Password?: string;
  /** Android (FCM HTTP v1): the service account JSON, as JSON text or base64 of it. Write-only secret. */
  fcmServiceAccountJson?: string;
  /** Legacy Android: the FCM/GCM server key. */
  gcmKey?: string;
  /** Legacy Android: the Google project number. Write-only. */
  androidGcmSenderId?: string;
  /** Chrome apps and extensions: the push messaging key. */
  chromeKey?: string;
  /** Web push: the site origin, e.g. `https://example.com`. */
  chromeWebOrigin?: string;
  /** Web push: the default notification icon URL (256x256). */
  chromeWebDefaultNotificationIcon?: string;
  /** Web push on non-HTTPS sites: the onesignal.com subdomain. */
  chromeWebSubDomain?: string;
  /** Safari web push: the site origin. */
  safariSiteOrigin?: string;
  /** Safari web push: a 256x256 PNG icon URL. */
  safariIcon256?: string;
  /** Safari web push: the .p12 certificate, base64. Write-only secret. */
  safariApnsP12?: string;
  /** Safari web push: the .p12 password. Write-only secret. */
  safariApnsP12Password?: string;
  /** Web push: the site name (needs `chromeWebOrigin`). */
  siteName?: string;
  /** iOS: put notification data at the root of the APNs payload. Write-only. */
  additionalDataIsRootPayload?: boolean;
}

/** An app as this package returns it. */
export interface App extends AppSettings {
  id: string;
  name: string;
  players?: number;
  messageablePlayers?: number;
  safariPushId?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** camelCase setting → OneSignal's wire field. The one mapping between the two. */
export const APP_SETTING_FIELDS = {
  apnsEnv: "apns_env",
  apnsP8: "apns_p8",
  apnsKeyId: "apns_key_id",
  apnsTeamId: "apns_team_id",
  apnsBundleId: "apns_bundle_id",
  apnsP12: "apns_p12",
  apnsP12Password: "apns_p12_password",
  fcmServiceAccountJson: "fcm_v1_service_account_json",
  gcmKey: "gcm_key",
  androidGcmSenderId: "android_gcm_sender_id",
  chromeKey: "chrome_key",
  chromeWebOrigin: "chrome_web_origin",
  chromeWebDefaultNotificationIcon: "chrome_web_default_notification_icon",
  chromeWebSubDomain: "chrome_web_sub_domain",
  safariSiteOrigin: "safari_site_origin",
  safariIcon256: "safari_icon_256_256",
  safariApnsP12: "safari_apns_p12",
  safariApnsP12Password: "safari_apns_p12_password",
  siteName: "site_name",
  additionalDataIsRootPayload: "additional_data_is_root_payload",
} as const satisfies Record<keyof AppSettings, keyof ApiAppSettings>;

/** Every setting name. */
export const APP_SETTING_NAMES = Object.keys(APP_SETTING_FIELDS) as (keyof AppSettings)[];

/**
 * Settings OneSignal never returns: compared by input, never from a read.
 */
export const WRITE_ONLY_APP_SETTINGS: readonly (keyof AppSettings)[] = [
  "apnsP8",
  "apnsP12",
  "apnsP12Password",
  "fcmServiceAccountJson",
  "androidGcmSenderId",
  "safariApnsP12",
  "safariApnsP12Password",
  "additionalDataIsRootPayload",
];

/** Settings that are key material: kept secret in state and never printed. */
export const SECRET_APP_SETTINGS = [
  "apnsP8",
  "apnsP12",
  "apnsP12Password",
  "fcmServiceAccountJson",
  "gcmKey",
  "chromeKey",
  "safariApnsP12",
  "safariApnsP12Password",
] as const satisfies readonly (keyof AppSettings)[];

/** A setting that is key material. */
export type SecretAppSetting = (typeof SECRET_APP_SETTINGS)[number];

/** An app as the look-up functions of the plugin show it: without its key material, which stays in state alone. */
export type AppView = Omit<App, SecretAppSetting>;

/**
 * The wire body for these settings. `null` unsets a setting; an absent key leaves it as it is.
 * A service account given as JSON text is base64-encoded, as OneSignal wants it.
 */
export function toApiAppSettings(settings: Partial<Record<keyof AppSettings, unknown>>): ApiAppSettings {
  const body: Record<string, unknown> = {};
  for (const name of APP_SETTING_NAMES) {
    if (!(name in settings) || settings[name] === undefined) continue;
    let value = settings[name];
    if (name === "fcmServiceAccountJson" && typeof value === "string") value = serviceAccountToBase64(value);
    body[APP_SETTING_FIELDS[name]] = value;
  }
  return body as ApiAppSettings;
}

/** The app as this package shows it, from OneSignal's answer; absent and null settings are left out. */
export function fromApiApp(app: ApiApp): App {
  const out: App = { id: app.id, name: app.name };
  const wire = app as unknown as Record<string, unknown>;
  const settings = out as unknown as Record<string, unknown>;
  for (const name of APP_SETTING_NAMES) {
    const value = wire[APP_SETTING_FIELDS[name]];
    if (value !== undefined && value !== null) settings[name] = value;
  }
  if (typeof app.players === "number") out.players = app.players;
  if (typeof app.messageable_players === "number") out.messageablePlayers = app.messageable_players;
  if (app.safari_push_id) out.safariPushId = app.safari_push_id;
  if (app.created_at) out.createdAt = app.created_at;
  if (app.updated_at) out.updatedAt = app.updated_at;
  return out;
}

/** JSON text is base64-encoded; base64 is passed as it is. */
export function serviceAccountToBase64(value: string): string {
  return value.trimStart().startsWith("{") ? Buffer.from(value, "utf8").toString("base64") : value;
}
