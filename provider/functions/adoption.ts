import { listApiKeys } from "../client/api-keys";
import { OneSignalError } from "../client/errors";
import { isUuid } from "../models/properties";
import { pluginTypeToken, RESOURCES, type ResourceName } from "../resources/registry";
import { getApp, listApps } from "./apps";
import { clientFor, type OneSignalOptions } from "./options";
import { listSegments } from "./segments";
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

/**
 * What an organization, or one app, holds that the resources manage, as a `pulumi import --file` file for the provider
 * plugin: apps (organization key), an app's segments and templates (its own key), with readable logical names. API
 * keys are listed as skipped, with the reason. Read-only segments are skipped too: OneSignal does not let them change.
 */
export async function importFileOf(options: ImportFileOptions = {}, opts?: OneSignalOptions): Promise<ImportFile> {
  if (options.appId !== undefined && !isUuid(options.appId)) {
    throw new OneSignalError("importFileOf: appId must be a OneSignal app id (a UUID)");
  }
  const apps = options.appId ? [await getApp(options.appId, opts)] : await listApps(opts);
  const resources: ImportEntry[] = [];
  const skipped: SkippedObject[] = [];
  const organization = clientFor(opts, "organization");
  for (const app of apps) {
    resources.push({ type: token("App"), name: logicalName(app.name, "app"), id: app.id });
    for (const key of await listApiKeys(organization, app.id)) {
      skipped.push({
        type: token("ApiKey"),
        name: key.name ?? "",
        id: `${app.id}/${key.token_id}`,
        reason: KEY_REASON,
      });
    }
  }
  if (options.appId) {
    const appOpts = { ...opts, apiKey: options.appApiKey };
    if (options.appApiKey === undefined) delete appOpts.apiKey;
    for (const segment of await listSegments(options.appId, appOpts)) {
      const id = `${options.appId}/${segment.id}`;
      if (segment.readOnly) {
        skipped.push({ type: token("Segment"), name: segment.name, id, reason: "OneSignal does not let it change" });
      } else {
        resources.push({ type: token("Segment"), name: logicalName(segment.name, "segment"), id });
      }
    }
    for (const template of await listTemplates(options.appId, appOpts)) {
      const id = `${options.appId}/${template.id}`;
      resources.push({ type: token("Template"), name: logicalName(template.name, "template"), id });
    }
  }
  return { resources: uniqueNames(resources), skipped };
}
