import * as pulumi from "@pulumi/pulumi";
import { type ApiApp, createApp, getApp, listAppsDated, updateApp } from "../client/apps";
import { ifFound } from "../client/errors";
import type { OneSignalHttpClient } from "../client/http";
import { organizationClient } from "../clients";
import {
  APP_SETTING_NAMES,
  type AppSettings,
  fromApiApp,
  SECRET_APP_SETTINGS,
  toApiAppSettings,
  WRITE_ONLY_APP_SETTINGS,
} from "../models/app";
import { type CheckFailure, Failures } from "./check";
import { type Candidate, createOnce, type NameLookup, sameNamed } from "./create-once";
import { registration } from "./declare";
import { type Checked, OneSignalProvider } from "./provider-base";
import { RESOURCES } from "./registry";
import appShim from "./thin/app";
import { changedKeys, jsonSafe, type PropertyChanges, pick, propertyChanges, UNKNOWN } from "./values";

/** The inputs of an {@link App}, resolved. */
export interface AppInputs extends AppSettings {
  name: string;
  /** The organization the app belongs to; defaults to the organization of the organization API key. */
  organizationId?: string;
  /**
   * Adopt this existing app instead of creating one: how dynamic resources adopt, since `pulumi import` cannot
   * read them (the plugin's resources also take `pulumi import` and the `import` option).
   */
  adoptExistingId?: string;
}

/** The outputs of an {@link App}. */
export interface AppOutputs extends AppInputs {
  safariPushId?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** The inputs of an {@link App} as a program gives them. */
export type AppArgs = { [K in keyof AppInputs]: pulumi.Input<AppInputs[K]> };

const SETTABLE_KEYS = ["name", ...APP_SETTING_NAMES] as const;
/** Safari web push settings that OneSignal wants together on every update that touches any of them. */
const SAFARI_GROUP: readonly (keyof AppSettings)[] = [
  "safariSiteOrigin",
  "safariIcon256",
  "safariApnsP12",
  "safariApnsP12Password",
  "siteName",
  "chromeWebOrigin",
];

/** The dynamic provider of {@link App}; one instance serves every App. */
export class AppProvider extends OneSignalProvider<AppInputs, AppOutputs> {
  protected checked(olds: Partial<AppInputs>, news: AppInputs): Checked<AppInputs> {
    return { inputs: news, failures: checkApp(olds, news) };
  }

  changes(olds: Partial<AppOutputs>, news: Partial<AppInputs>): PropertyChanges {
    return diffApp(olds, news);
  }

  async create(inputs: AppInputs): Promise<pulumi.dynamic.CreateResult<AppOutputs>> {
    const client = organizationClient(this.stackConfig);
    const body = toApiAppSettings(pick(inputs, APP_SETTING_NAMES));
    if (inputs.adoptExistingId) {
      // Adoption: read the existing app (a clear error when it is missing), then declare its state.
      const existing = await getApp(client, inputs.adoptExistingId);
      const updated = await updateApp(client, existing.id, { ...body, name: inputs.name });
      return { id: updated.id, outs: appOutputs(inputs, updated) };
    }
    const organization = inputs.organizationId ? { organization_id: inputs.organizationId } : {};
    const created = await createOnce({
      ...this.lookup(client, inputs),
      create: () => createApp(client, { ...body, name: inputs.name, ...organization }),
      // The create carried out the whole body; what remains is to read what it made.
      adopt: (id) => getApp(client, id),
    });
    return { id: created.id, outs: appOutputs(inputs, created) };
  }

  /** The apps of the declared name, which a create would duplicate. */
  existing(inputs: AppInputs): Promise<Candidate[]> {
    return sameNamed(this.lookup(organizationClient(this.stackConfig), inputs));
  }

  private lookup(client: OneSignalHttpClient, inputs: AppInputs): NameLookup<ApiApp> {
    return {
      kind: "app",
      name: inputs.name,
      list: () => listAppsDated(client),
      candidate: (app) => ({ id: app.id, name: app.name, createdAt: app.created_at }),
      adoptAdvice: (id) => `set adoptExistingId: "${id}" on this App`,
    };
  }

  async read(id: string, props: AppOutputs = { name: "" }): Promise<pulumi.dynamic.ReadResult<AppOutputs>> {
    const app = await ifFound(getApp(organizationClient(this.stackConfig), id));
    if (!app) return {};
    const fresh = fromApiApp(app);
    const inputs: AppInputs = { name: fresh.name };
    for (const name of APP_SETTING_NAMES) {
      // Write-only settings cannot be read back: keep what was deployed.
      const value = WRITE_ONLY_APP_SETTINGS.includes(name) ? props[name] : fresh[name];
      if (value !== undefined) (inputs as unknown as Record<string, unknown>)[name] = value;
    }
    if (props.organizationId) inputs.organizationId = props.organizationId;
    if (props.adoptExistingId) inputs.adoptExistingId = props.adoptExistingId;
    const outputs: AppOutputs = { ...inputs };
    if (fresh.safariPushId) outputs.safariPushId = fresh.safariPushId;
    if (fresh.createdAt) outputs.createdAt = fresh.createdAt;
    if (fresh.updatedAt) outputs.updatedAt = fresh.updatedAt;
    // Secrets go back in the outputs (marked secret) but not in the inputs the engine stores.
    const publicInputs = { ...inputs };
    for (const name of SECRET_APP_SETTINGS) delete publicInputs[name];
    return jsonSafe({ id: app.id, props: outputs, inputs: publicInputs });
  }

  async update(id: string, olds: AppOutputs, news: AppInputs): Promise<pulumi.dynamic.UpdateResult<AppOutputs>> {
    const changed = new Set(changedKeys(olds, news, SETTABLE_KEYS));
    if (SAFARI_GROUP.some((key) => changed.has(key))) for (const key of SAFARI_GROUP) changed.add(key);
    const delta: Partial<Record<keyof AppSettings, unknown>> = {};
    for (const key of APP_SETTING_NAMES) {
      if (changed.has(key)) delta[key] = news[key] ?? null;
    }
    const body = toApiAppSettings(delta);
    if (changed.has("name")) body.name = news.name;
    const updated = await updateApp(organizationClient(this.stackConfig), id, body);
    return { outs: appOutputs(news, updated) };
  }

  async delete(id: string, props: AppOutputs): Promise<void> {
    // OneSignal has no API to delete an app: forget it, and say so.
    console.warn(
      `warning: OneSignal app "${props.name}" (${id}) was kept: OneSignal's API cannot delete apps. ` +
        "Delete it in the OneSignal dashboard if it is no longer needed.",
    );
  }
}

/** What an App's update changes: every setting updates in place. */
export function diffApp(olds: Partial<AppOutputs>, news: Partial<AppInputs>): PropertyChanges {
  return propertyChanges(olds, news, SETTABLE_KEYS);
}

/** The check rules of an App, as pure logic. */
export function checkApp(olds: Partial<AppInputs>, news: Partial<AppInputs>): CheckFailure[] {
  const failures = new Failures();
  failures.unknown(news, [...SETTABLE_KEYS, "organizationId", "adoptExistingId"], "App");
  failures.text(news);
  failures.string("name", news.name, { required: true, max: 128 });
  failures.string("organizationId", news.organizationId);
  if (
    olds.organizationId !== undefined &&
    olds.organizationId !== UNKNOWN &&
    news.organizationId !== UNKNOWN &&
    (news.organizationId ?? undefined) !== olds.organizationId
  ) {
    failures.add(
      "organizationId",
      `organizationId cannot change (from ${String(olds.organizationId)}): OneSignal would move the app to another organization. ` +
        "Declare a new App for the other organization instead.",
    );
  }
  failures.string("adoptExistingId", news.adoptExistingId);
  failures.oneOf("apnsEnv", news.apnsEnv, ["sandbox", "production"]);
  for (const key of APP_SETTING_NAMES) {
    if (key !== "additionalDataIsRootPayload" && key !== "apnsEnv") failures.string(key, news[key]);
  }
  failures.boolean("additionalDataIsRootPayload", news.additionalDataIsRootPayload);
  failures.url("chromeWebOrigin", news.chromeWebOrigin, { origin: true });
  failures.url("safariSiteOrigin", news.safariSiteOrigin, { origin: true });
  failures.url("chromeWebDefaultNotificationIcon", news.chromeWebDefaultNotificationIcon);
  failures.url("safariIcon256", news.safariIcon256);
  if (news.apnsP8 !== undefined) {
    for (const key of ["apnsKeyId", "apnsTeamId", "apnsBundleId"] as const) {
      if (news[key] === undefined) failures.add(key, `${key} is required with apnsP8 (APNs token authentication)`);
    }
    if (news.apnsP8 === "") failures.add("apnsP8", "apnsP8 must not be empty");
  }
  if (news.apnsP12 !== undefined && news.apnsP8 !== undefined) {
    failures.add("apnsP12", "give either apnsP8 (token authentication) or apnsP12 (certificate), not both");
  }
  if (news.siteName !== undefined && news.chromeWebOrigin === undefined) {
    failures.add("siteName", "siteName needs chromeWebOrigin: OneSignal sets the site name only for web push sites");
  }
  if (news.safariApnsP12 !== undefined && news.safariSiteOrigin === undefined) {
    failures.add("safariApnsP12", "safariApnsP12 needs safariSiteOrigin");
  }
  const account = news.fcmServiceAccountJson;
  if (typeof account === "string" && account !== UNKNOWN && !isServiceAccount(account)) {
    failures.add(
      "fcmServiceAccountJson",
      "fcmServiceAccountJson must be the service account JSON file from Firebase (as text or base64), with project_id, client_email and private_key",
    );
  }
  return failures.list;
}

function isServiceAccount(value: string): boolean {
  const text = value.trimStart().startsWith("{") ? value : Buffer.from(value, "base64").toString("utf8");
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return ["project_id", "client_email", "private_key"].every((key) => typeof parsed[key] === "string");
  } catch {
    return false;
  }
}

function appOutputs(
  inputs: AppInputs,
  app: { name?: string; safari_push_id?: string | null; created_at?: string; updated_at?: string },
): AppOutputs {
  const outputs: AppOutputs = { ...inputs, name: app.name ?? inputs.name };
  if (app.safari_push_id) outputs.safariPushId = app.safari_push_id;
  if (app.created_at) outputs.createdAt = app.created_at;
  if (app.updated_at) outputs.updatedAt = app.updated_at;
  return jsonSafe(outputs);
}

/** The one provider object for every {@link App} (one per type keeps serialization cached). */
export const appProvider = new AppProvider();

// Outputs mirror the inputs; declared through this interface so each is a typed Output.
type AppOutputProperties = { readonly [K in keyof AppOutputs]-?: pulumi.Output<AppOutputs[K]> };
/** The outputs of a App, each a typed Output (declared here, set by the provider). */
export interface App extends AppOutputProperties {}

/**
 * A OneSignal app with its platform settings (web push, Safari, APNs, FCM).
 *
 * Renames and setting changes update the app in place. OneSignal cannot delete apps: `pulumi destroy`
 * forgets the app and warns. Key material inputs are kept secret.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class App extends pulumi.dynamic.Resource {
  constructor(name: string, args: AppArgs, opts?: pulumi.CustomResourceOptions) {
    super(appShim, name, ...registration(RESOURCES.App, name, args, opts));
  }
}
