import { listApiKeys } from "../client/api-keys";
import { OneSignalError } from "../client/errors";
import { isUuid } from "../models/properties";
import { builtInSegmentNamed } from "../models/segment";
import { pluginTypeToken, RESOURCES, type ResourceName } from "../resources/registry";
import { getApp, listApps } from "./apps";
import { clientFor, type OneSignalOptions } from "./options";
import { listSegments, type SegmentSummary } from "./segments";
import { listTemplates } from "./templates";

/** One resource of a `pulumi import --file` file: the plugin's type, a logical name, and OneSignal's id. */
export interface ImportEntry {
  type: string;
  name: string;
  id: string;
}

/** Something OneSignal holds that the file leaves out, and why. */
export interface SkippedObject {
  type: string;
  name: string;
  id: string;
  reason: string;
}

/** What {@link importFileOf} finds: the file's content, and what it skipped. */
export interface ImportFile {
  resources: ImportEntry[];
  skipped: SkippedObject[];
}

/** Options of {@link importFileOf}: one app, with its key, or the whole organization. */
export interface ImportFileOptions {
  /** One app: the app itself, its segments and its templates (these need the app's key, `appApiKey`). */
  appId?: string;
  /** The app's API key for its segments and templates (default: `onesignal:appApiKey`, `ONESIGNAL_APP_API_KEY`). */
  appApiKey?: string;
}

/**
 * A logical name from a display name: lowercase words joined by dashes (`Weekly digest` → `weekly-digest`), accents
 * taken off; `fallback` where nothing is left.
 */
export function logicalName(display: string, fallback: string): string {
  const slug = display
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents off: "Ünïcode" → "unicode"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || fallback;
}

/** Gives each entry a name no other entry has (`vips`, `vips-2`...), in order. */
function uniqueNames(entries: ImportEntry[]): ImportEntry[] {
  const taken = new Set<string>();
  return entries.map((entry) => {
    let name = entry.name;
    for (let n = 2; taken.has(name); n++) name = `${entry.name}-${n}`;
    taken.add(name);
    return { ...entry, name };
  });
}

const token = (name: ResourceName) => pluginTypeToken(RESOURCES[name]);

/** Why an API key is never imported. */
const KEY_REASON =
  "OneSignal shows a key's secret only when it is made or rotated, so an imported key has no token: declare a new " +
  "ApiKey instead (or import it and change its rotation to get a new secret)";

/** What one app holds, as read from OneSignal: its keys, and its segments and templates when they were asked for. */
export interface FoundApp {
  id: string;
  name: string;
  keys: { tokenId: string; name?: string }[];
  segments?: Pick<SegmentSummary, "id" | "name" | "readOnly">[];
  templates?: { id: string; name: string }[];
}

/**
 * The import file of what was found (pure: {@link importFileOf} reads, this decides): each app, segment and template
 * with a readable, unique logical name; keys, read-only segments and segments named like a built-in one skipped,
 * each with why.
 */
export function importFileFrom(apps: FoundApp[]): ImportFile {
  const resources: ImportEntry[] = [];
  const skipped: SkippedObject[] = [];
  for (const app of apps) {
    resources.push({ type: token("App"), name: logicalName(app.name, "app"), id: app.id });
    for (const key of app.keys) {
      skipped.push({ type: token("ApiKey"), name: key.name ?? "", id: `${app.id}/${key.tokenId}`, reason: KEY_REASON });
    }
    for (const segment of app.segments ?? []) {
      const id = `${app.id}/${segment.id}`;
      const builtIn = builtInSegmentNamed(segment.name);
      if (segment.readOnly) {
        skipped.push({ type: token("Segment"), name: segment.name, id, reason: "OneSignal does not let it change" });
      } else if (builtIn) {
        skipped.push({
          type: token("Segment"),
          name: segment.name,
          id,
          reason: `OneSignal makes "${builtIn}" for every app and messages name it: it is not a program's to change or delete`,
        });
      } else {
        resources.push({ type: token("Segment"), name: logicalName(segment.name, "segment"), id });
      }
    }
    for (const template of app.templates ?? []) {
      resources.push({
        type: token("Template"),
        name: logicalName(template.name, "template"),
        id: `${app.id}/${template.id}`,
      });
    }
  }
  return { resources: uniqueNames(resources), skipped };
}

/**
 * What an organization, or one app, holds that the resources manage, as a `pulumi import --file` file for the provider
 * plugin: apps (organization key), an app's segments and templates (its own key), with readable logical names. API
 * keys are listed as skipped, with the reason, as are segments a program should not manage (see {@link importFileFrom}).
 */
export async function importFileOf(options: ImportFileOptions = {}, opts?: OneSignalOptions): Promise<ImportFile> {
  if (options.appId !== undefined && !isUuid(options.appId)) {
    throw new OneSignalError("importFileOf: appId must be a OneSignal app id (a UUID)");
  }
  // Both keys are looked for before any request: a missing one is said before anything is read.
  const organization = clientFor(opts, "organization");
  const appOpts: OneSignalOptions = { ...opts };
  if (options.appApiKey !== undefined) appOpts.apiKey = options.appApiKey;
  else delete appOpts.apiKey;
  if (options.appId) clientFor(appOpts, "app");
  const apps = options.appId ? [await getApp(options.appId, opts)] : await listApps(opts);
  const found: FoundApp[] = [];
  for (const app of apps) {
    const keys = (await listApiKeys(organization, app.id)).map((key) => ({
      tokenId: key.token_id,
      ...(key.name !== undefined ? { name: key.name } : {}),
    }));
    found.push({ id: app.id, name: app.name, keys });
  }
  const one = found[0];
  if (options.appId && one) {
    one.segments = await listSegments(options.appId, appOpts);
    one.templates = await listTemplates(options.appId, appOpts);
  }
  return importFileFrom(found);
}
