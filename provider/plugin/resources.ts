/**
 * The resources the provider plugin serves, by type token: the same implementations as the dynamic
 * resources (their check rules, REST calls and exactly-once creates), reached a second way.
 */
import type { PartialSettings } from "../config";
import { SECRET_APP_SETTINGS } from "../models/app";
import { ApiKeyProvider, diffApiKey } from "../resources/api-key";
import { AppProvider, diffApp } from "../resources/app";
import type { CheckFailure } from "../resources/check";
import { diffSegment, SegmentProvider } from "../resources/segment";
import { diffTemplate, TemplateProvider } from "../resources/template";
import type { PropertyChanges } from "../resources/values";

type Properties = Record<string, unknown>;

/** One resource's implementation, as each dynamic provider class has it. */
export interface ResourceImplementation {
  /** The provider configuration (`onesignal:*`) the calls use. */
  stackConfig: PartialSettings;
  check(olds: Properties, news: Properties): Promise<{ inputs?: Properties; failures?: CheckFailure[] }>;
  create(inputs: Properties): Promise<{ id: string; outs?: Properties }>;
  read(id: string, props?: Properties): Promise<{ id?: string; props?: Properties; inputs?: unknown }>;
  update(id: string, olds: Properties, news: Properties): Promise<{ outs?: Properties }>;
  delete(id: string, props: Properties): Promise<void>;
}

/** What the plugin knows of one resource type beyond its implementation. */
export interface PluginResource {
  /** The type name within the package (`onesignal:index:<name>`). */
  name: string;
  /** A new implementation object (one per plugin process and type). */
  implementation(): ResourceImplementation;
  /** The changed properties of an update, and those that replace. */
  diff(olds: Properties, news: Properties): PropertyChanges;
  /** Outputs that are always secret, whatever the program marked. */
  secretOutputs: readonly string[];
  /** Whether the resource lives inside an app: its import id is then `<appId>/<id>`. */
  inApp: boolean;
  /** Outputs that `pulumi import` cannot learn from OneSignal (absent after an import), with why. */
  unreadable?: { names: readonly string[]; reason: string };
  /** Inputs that default to the resource's name when not given. */
  nameDefaults?: readonly string[];
}

/** The package name of the plugin and of its type tokens. */
export const PACKAGE_NAME = "onesignal";

// The implementations are typed for dynamic providers; their shape is the one above.
const asImplementation = (provider: object) => provider as unknown as ResourceImplementation;
const asDiff = (diff: (olds: never, news: never) => PropertyChanges) => diff as PluginResource["diff"];

/** The resources, by type token. */
export const PLUGIN_RESOURCES: Readonly<Record<string, PluginResource>> = {
  [`${PACKAGE_NAME}:index:App`]: {
    name: "App",
    implementation: () => asImplementation(new AppProvider()),
    diff: asDiff(diffApp),
    secretOutputs: SECRET_APP_SETTINGS,
    inApp: false,
  },
  [`${PACKAGE_NAME}:index:ApiKey`]: {
    name: "ApiKey",
    implementation: () => asImplementation(new ApiKeyProvider()),
    diff: asDiff(diffApiKey),
    secretOutputs: ["token"],
    inApp: true,
    unreadable: {
      names: ["token"],
      reason:
        "OneSignal shows a key's secret only when it is made or rotated: an imported key has no `token` until `rotation` changes",
    },
    nameDefaults: ["name"],
  },
  [`${PACKAGE_NAME}:index:Segment`]: {
    name: "Segment",
    implementation: () => asImplementation(new SegmentProvider()),
    diff: asDiff(diffSegment),
    secretOutputs: ["apiKey"],
    inApp: true,
  },
  [`${PACKAGE_NAME}:index:Template`]: {
    name: "Template",
    implementation: () => asImplementation(new TemplateProvider()),
    diff: asDiff(diffTemplate),
    secretOutputs: ["apiKey"],
    inApp: true,
  },
};

/** The type token and the resource name of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  return { type: qualified.split("$").pop() ?? "", name: parts.slice(3).join("::") };
}

/**
 * The id and known properties of a resource to import: `<appId>/<id>` for resources inside an app,
 * the id alone for an app. Returns a reason when the id has the wrong form.
 */
export function importTarget(resource: PluginResource, id: string): { id: string; props: Properties } | string {
  if (!resource.inApp) return { id, props: {} };
  const slash = id.indexOf("/");
  const appId = id.slice(0, slash);
  const ownId = id.slice(slash + 1);
  if (slash < 1 || ownId === "" || ownId.includes("/")) {
    return `import a ${resource.name} by "<appId>/<${lowerFirst(resource.name)}Id>", not "${id}": it belongs to an app`;
  }
  return { id: ownId, props: { appId } };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
