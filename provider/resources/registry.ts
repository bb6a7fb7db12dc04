/**
 * One row per resource type: everything the rest of the package knows of a type besides its implementation. The
 * resource classes, the thin providers, the plugin, the schema generator, `index.ts` and the docs read these rows,
 * so adding a resource is one resource file and one row here (and a line under `thin/`); a unit test fails when a
 * consumer misses a row. Data only: reading a row loads no implementation, no client and no Pulumi SDK.
 */
import { APP_SETTING_NAMES, SECRET_APP_SETTINGS } from "../models/app";
import { TEMPLATE_CONTENT_NAMES } from "../models/template";

/** What one resource type is, for every part of the package that names it. */
export interface ResourceRow {
  /** The type name: the class's, `pulumi-nodejs:dynamic/onesignal:<name>`, and the plugin's `onesignal:index:<name>`. */
  readonly name: string;
  /**
   * The module under `provider/resources/` (file name without extension) that exports the class (`name`), its
   * inputs, outputs and args types (`<name>Inputs`, `<name>Outputs`, `<name>Args`), and the provider (`provider`,
   * the one instance, and `providerClass`); `thin/<module>` is its thin provider.
   */
  readonly module: string;
  /** The provider class that module exports. */
  readonly providerClass: string;
  /** The one provider instance that module exports, the one the thin provider forwards to. */
  readonly provider: string;
  /** Outputs that are always secret, whatever the program marked; given as inputs, they are secret inputs too. */
  readonly secretOutputs: readonly string[];
  /**
   * Properties registered even when the program leaves them out, so that each is an Output the provider's answer
   * fills: what OneSignal sets, and inputs whose output can differ from the input (a default, a value read back).
   */
  readonly declaredOutputs: readonly string[];
  /**
   * Optional inputs whose output is always the input: left out, they are not registered, and the resource still
   * has an Output (undefined) for each.
   */
  readonly unregisteredInputs: readonly string[];
  /** Whether the resource lives inside an app: its import id is then `<appId>/<id>`. */
  readonly inApp: boolean;
  /** Outputs that `pulumi import` cannot learn from OneSignal (absent after an import), with why. */
  readonly unreadable?: { readonly names: readonly string[]; readonly reason: string };
  /** Inputs that default to the resource's name when not given. */
  readonly nameDefaults: readonly string[];
  /**
   * What `pulumi-onesignal recover` does with the one object a killed create made: adopt it into the state, or
   * delete it (then `up` makes a new one) when what the state must hold cannot be read back.
   */
  readonly afterInterruptedCreate: "adopt" | "delete";
}

/** The package of the plugin's type tokens, and the module of the dynamic resources' tokens. */
export const PACKAGE_NAME = "onesignal";

/** The resource types, by name. */
export const RESOURCES = {
  App: {
    name: "App",
    module: "app",
    providerClass: "AppProvider",
    provider: "appProvider",
    secretOutputs: SECRET_APP_SETTINGS,
    // Every setting: a refresh reads back what OneSignal holds, declared or not.
    declaredOutputs: [
      "safariPushId",
      "createdAt",
      "updatedAt",
      ...APP_SETTING_NAMES,
      "organizationId",
      "adoptExistingId",
    ],
    unregisteredInputs: [],
    inApp: false,
    nameDefaults: [],
    afterInterruptedCreate: "adopt",
  },
  ApiKey: {
    name: "ApiKey",
    module: "api-key",
    providerClass: "ApiKeyProvider",
    provider: "apiKeyProvider",
    secretOutputs: ["token"],
    // The allowlist's defaults are OneSignal's, made explicit by check.
    declaredOutputs: ["tokenId", "token", "createdAt", "ipAllowlistMode", "ipAllowlist", "rotation"],
    unregisteredInputs: [],
    inApp: true,
    unreadable: {
      names: ["token"],
      reason:
        "OneSignal shows a key's secret only when it is made or rotated: an imported key has no `token` until `rotation` changes",
    },
    nameDefaults: ["name"],
    // Its secret was shown only to the killed run: adopted, it would be a key nobody holds.
    afterInterruptedCreate: "delete",
  },
  Segment: {
    name: "Segment",
    module: "segment",
    providerClass: "SegmentProvider",
    provider: "segmentProvider",
    secretOutputs: ["apiKey"],
    declaredOutputs: ["apiKey"],
    unregisteredInputs: ["description", "adoptExistingId"],
    inApp: true,
    nameDefaults: [],
    afterInterruptedCreate: "adopt",
  },
  Template: {
    name: "Template",
    module: "template",
    providerClass: "TemplateProvider",
    provider: "templateProvider",
    secretOutputs: ["apiKey"],
    declaredOutputs: ["createdAt", "apiKey"],
    unregisteredInputs: [...TEMPLATE_CONTENT_NAMES, "adoptExistingId"],
    inApp: true,
    nameDefaults: [],
    afterInterruptedCreate: "adopt",
  },
} as const satisfies Record<string, ResourceRow>;

/** The name of a resource type. */
export type ResourceName = keyof typeof RESOURCES;

/** Every row, in a stable order. */
export const RESOURCE_ROWS: readonly ResourceRow[] = Object.values(RESOURCES);

/** The plugin's type token of a resource type (`onesignal:index:App`). */
export function pluginTypeToken(row: ResourceRow): string {
  return `${PACKAGE_NAME}:index:${row.name}`;
}

/** The dynamic resource's type token (`pulumi-nodejs:dynamic/onesignal:App`), as Pulumi forms it. */
export function dynamicTypeToken(row: ResourceRow): string {
  return `pulumi-nodejs:dynamic/${PACKAGE_NAME}:${row.name}`;
}

/** The row of a type token, the plugin's or the dynamic resource's, if it is one of ours. */
export function rowOfType(token: string): ResourceRow | undefined {
  return RESOURCE_ROWS.find((row) => pluginTypeToken(row) === token || dynamicTypeToken(row) === token);
}

/** The row of a plugin type token, if it is one of ours. */
export function rowOfPluginType(token: string): ResourceRow | undefined {
  return RESOURCE_ROWS.find((row) => pluginTypeToken(row) === token);
}
