import { createHash } from "node:crypto";
import { isSubscribed } from "../devices";
import { assert, badRequest, EmulatorError, notFound, requireObject } from "../errors";
import { newId } from "../ids";
import type { RequestContext, Route } from "../router";
import type { AppRecord, Store } from "../store";

// Modelled on onesignal-current.yaml (`App`, get_apps, create_app, get_app, update_app) and the
// reference notes: create needs `name` (at most 128 characters) and belongs to the key's organization.

type FieldKind = "string" | "boolean" | "apnsEnv" | "url" | "base64Json" | "hours";

/** The settings OneSignal echoes back when an app is viewed. */
const READABLE_FIELDS: Record<string, FieldKind> = {
  apns_env: "apnsEnv",
  apns_key_id: "string",
  apns_team_id: "string",
  apns_bundle_id: "string",
  gcm_key: "string",
  chrome_key: "string",
  chrome_web_origin: "url",
  chrome_web_default_notification_icon: "url",
  chrome_web_sub_domain: "string",
  safari_site_origin: "url",
  safari_icon_256_256: "url",
  site_name: "string",
  conversion_attribution_window_push: "hours",
  conversion_attribution_window_iam: "hours",
  conversion_attribution_window_email: "hours",
  conversion_attribution_window_sms: "hours",
};

/**
 * Settings OneSignal takes but never returns. ((emulator: D06 `apns_p8` and `fcm_v1_service_account_json`
 * are treated as write-only too; the spec lists `apns_p8` as readable, but it is private key material.))
 */
const WRITE_ONLY_FIELDS: Record<string, FieldKind> = {
  apns_p8: "string",
  apns_p12: "string",
  apns_p12_password: "string",
  safari_apns_p12: "string",
  safari_apns_p12_password: "string",
  android_gcm_sender_id: "string",
  fcm_v1_service_account_json: "base64Json",
  additional_data_is_root_payload: "boolean",
};

const SETTING_FIELDS: Record<string, FieldKind> = { ...READABLE_FIELDS, ...WRITE_ONLY_FIELDS };

/** Routes for `/apps`. */
export const appRoutes: Route[] = [
  { method: "GET", pattern: "/apps", auth: "organization", handler: listApps },
  { method: "POST", pattern: "/apps", auth: "organization", handler: createApp },
  // The spec says an organization key, OneSignal's docs an app key: both work.
  { method: "GET", pattern: "/apps/:app_id", auth: "organization-or-app", handler: viewApp, query: ["view"] },
  { method: "PUT", pattern: "/apps/:app_id", auth: "organization", handler: updateApp },
];

/** The app with `appId` in the caller's organization, or OneSignal's 404. */
export function requireApp(store: Store, appId: string): AppRecord {
  const app = store.apps.get(appId);
  if (!app || app.organizationId !== store.organization.id) {
    throw notFound(`Couldn't find app with id = ${appId}`);
  }
  return app;
}

// ((emulator: D36 the 400 OneSignal answers an organization of more than 1,000 apps is not modelled))
function listApps({ store, baseUrl }: RequestContext) {
  const apps = [...store.apps.values()]
    .filter((app) => app.organizationId === store.organization.id)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return { body: apps.map((app) => presentApp(store, app, baseUrl, true)) };
}

function createApp({ store, body, baseUrl }: RequestContext) {
  const input = requireObject(body);
  const name = input.name;
  assert(typeof name === "string" && name.trim().length > 0, "Name can't be blank");
  assert(name.length <= 128, "Name is too long (maximum is 128 characters)");
  checkOrganization(store, input.organization_id);
  const settings = readSettings(input);
  const now = store.clock.iso();
  const app: AppRecord = {
    id: newId(),
    organizationId: store.organization.id,
    name,
    createdAt: now,
    updatedAt: now,
    settings,
  };
  store.apps.set(app.id, app);
  // ((emulator: D19 the create answer is the full view, without organization_id: OneSignal's docs show a short
  // answer with organization_id, its OpenAPI marks organization_id write-only; the emulator follows the OpenAPI))
  return { body: presentApp(store, app, baseUrl, true) };
}

function viewApp({ store, params, query, baseUrl }: RequestContext) {
  const app = requireApp(store, params.app_id as string);
  const view = query.get("view");
  if (view !== null && view !== "config") throw badRequest("Invalid view, the only view is config");
  return { body: presentApp(store, app, baseUrl, view !== "config") };
}

// ((emulator: D37 an update changes the Safari settings it names; OneSignal wants the whole Safari set each time))
function updateApp({ store, params, body, baseUrl }: RequestContext) {
  const app = requireApp(store, params.app_id as string);
  const input = requireObject(body);
  if (input.name !== undefined) {
    assert(typeof input.name === "string" && input.name.trim().length > 0, "Name can't be blank");
    assert(input.name.length <= 128, "Name is too long (maximum is 128 characters)");
    app.name = input.name;
  }
  if (input.organization_id !== undefined && input.organization_id !== app.organizationId) {
    // ((emulator: D07 OneSignal moves the app to another organization; the emulator has only one))
    throw badRequest("Moving an app to another organization is not supported by the emulator");
  }
  Object.assign(app.settings, readSettings(input));
  app.updatedAt = store.clock.iso();
  return { body: presentApp(store, app, baseUrl, true) };
}

function checkOrganization(store: Store, organizationId: unknown): void {
  // ((emulator: D08 OneSignal makes a new organization when organization_id is absent; the emulator
  // files the app under the key's organization))
  if (organizationId === undefined || organizationId === null || organizationId === "") return;
  if (organizationId !== store.organization.id) {
    throw new EmulatorError(404, { errors: ["Organization not found"] });
  }
}

/** The known settings of a create or update body, checked; unknown fields are ignored as OneSignal does. */
function readSettings(input: Record<string, unknown>): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(SETTING_FIELDS)) {
    if (!(field in input)) continue;
    const value = input[field];
    if (value === null) {
      settings[field] = null;
      continue;
    }
    checkSetting(field, kind, value);
    settings[field] = value;
  }
  return settings;
}

// ((emulator: D09 OneSignal's texts for malformed settings are not documented; these are the emulator's))
function checkSetting(field: string, kind: FieldKind, value: unknown): void {
  if (kind === "boolean") {
    assert(typeof value === "boolean", `${field} must be a boolean`);
    return;
  }
  if (kind === "hours") {
    assert(Number.isInteger(value) && (value as number) >= 0, `${field} must be a whole number of hours`);
    return;
  }
  assert(typeof value === "string", `${field} must be a string`);
  switch (kind) {
    case "apnsEnv":
      assert(value === "sandbox" || value === "production", `${field} must be one of sandbox, production`);
      return;
    case "url":
      assert(isHttpUrl(value), `${field} must be an http(s) URL`);
      return;
    case "base64Json":
      assert(isBase64Json(value), `${field} must be the base64 encoding of a service account JSON file`);
      return;
    case "string":
      // OneSignal answers an empty APNs key with a 500 (onesignal-python-api#16); a 400 is kinder.
      assert(!(field === "apns_p8" && value === ""), "apns_p8 can't be blank");
      return;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

function isBase64Json(value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64").toString("utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/**
 * An app as OneSignal shows it: readable settings (null when unset), never the write-only ones; with
 * `withCounts`, its subscriptions (`players`) and those that can be messaged (`messageable_players`).
 */
function presentApp(store: Store, app: AppRecord, baseUrl: string, withCounts: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = { id: app.id, name: app.name };
  if (withCounts) {
    const devices = store.devicesOf(app.id);
    view.players = devices.length;
    view.messageable_players = devices.filter(isSubscribed).length;
  }
  for (const field of Object.keys(READABLE_FIELDS)) {
    const value = app.settings[field];
    // The spec marks safari_icon_256_256 as not nullable: leave it out when unset.
    if (field === "safari_icon_256_256" && (value === undefined || value === null)) continue;
    view[field] = value ?? null;
  }
  const hasSafari = typeof app.settings.safari_site_origin === "string";
  view.safari_push_id = hasSafari ? `web.onesignal.auto.${app.id}` : null;
  if (typeof app.settings.safari_icon_256_256 === "string") {
    for (const size of [16, 32, 64, 128]) {
      view[`safari_icon_${size}_${size}`] = `${baseUrl}/safari_packages/${app.id}/${size}x${size}.png`;
    }
  }
  view.apns_certificates = typeof app.settings.apns_p12 === "string" ? "apns_certificate_on_file" : null;
  view.basic_auth_key = null;
  // The Firebase project number is not in the service account file; OneSignal reads it from Firebase.
  view.fcm_sender_id = null;
  view.chrome_web_key = typeof app.settings.chrome_web_origin === "string" ? vapidPublicKey(app.id) : null;
  view.channels = channelsOf(app);
  view.created_at = app.createdAt;
  view.updated_at = app.updatedAt;
  return view;
}

/**
 * The app's web push public key (VAPID): ((emulator: D16 65 bytes derived from the app id, in the form
 * of a P-256 public key, not a key pair anyone holds)).
 */
function vapidPublicKey(appId: string): string {
  const digest = createHash("sha512").update(appId).digest();
  return Buffer.concat([Buffer.from([4]), digest]).toString("base64url");
}

/**
 * Which channels the app can send on, and on which platforms, from its settings.
 * ((emulator: D17 OneSignal documents the shape, not the platform names; these are the emulator's, and
 * email and SMS, set up in the dashboard only, are never enabled))
 */
function channelsOf(app: AppRecord): Record<string, { enabled: boolean; platforms: string[] }> {
  const has = (field: string) => typeof app.settings[field] === "string" && app.settings[field] !== "";
  const platforms: string[] = [];
  if (has("apns_p8") || has("apns_p12")) platforms.push("ios");
  if (has("fcm_v1_service_account_json") || has("gcm_key")) platforms.push("android");
  if (has("chrome_web_origin")) platforms.push("chrome", "firefox", "edge");
  if (has("safari_site_origin")) platforms.push("safari");
  return {
    push: { enabled: platforms.length > 0, platforms },
    email: { enabled: false, platforms: [] },
    sms: { enabled: false, platforms: [] },
  };
}
