/**
 * The provider plugin's functions: each row of `invoke-rows.ts` served by the package's own look-up function (the
 * same code a TypeScript program calls), with the key and settings the provider was configured with. Arguments are
 * checked against the function's inputs in the plugin's schema before any request, each problem naming its argument.
 */
import { OneSignalError } from "../client/errors";
import { keyFor, settingsOf } from "../clients";
import type { PartialSettings } from "../config";
import { getApp, listApps } from "../functions/apps";
import { getDevice } from "../functions/devices";
import { getNotification, listNotifications } from "../functions/notifications";
import type { OneSignalOptions } from "../functions/options";
import { listSegments } from "../functions/segments";
import { getTemplate, listTemplates } from "../functions/templates";
import { type App, SECRET_APP_SETTINGS } from "../models/app";
import type { CheckFailure } from "../resources/check";
import { jsonSafe } from "../resources/values";
import { INVOKE_ROWS, type InvokeRow, invokeToken } from "./invoke-rows";

type Args = Record<string, unknown>;

/** The function a row names, given its checked arguments and the options for the call. */
const IMPLEMENTATIONS: Record<string, (args: Args, opts: OneSignalOptions) => Promise<object>> = {
  getApp: async (args, opts) => withoutKeyMaterial(await getApp(String(args.appId), opts)),
  listApps: async (_args, opts) => ({ apps: (await listApps(opts)).map(withoutKeyMaterial) }),
  getSegments: async (args, opts) => ({ segments: await listSegments(String(args.appId), opts) }),
  getTemplate: (args, opts) => getTemplate(String(args.appId), String(args.templateId), opts),
  listTemplates: async (args, opts) => ({ templates: await listTemplates(String(args.appId), opts) }),
  getNotification: (args, opts) => getNotification(String(args.appId), String(args.notificationId), opts),
  listNotifications: async (args, opts) => {
    const limit = typeof args.limit === "number" ? args.limit : 50;
    const query = {
      pageSize: Math.min(limit, 50),
      ...(args.kind !== undefined ? { kind: args.kind as 0 | 1 | 3 } : {}),
      ...(typeof args.templateId === "string" ? { templateId: args.templateId } : {}),
    };
    const notifications: object[] = [];
    for await (const notification of listNotifications(String(args.appId), query, opts)) {
      notifications.push(notification);
      if (notifications.length >= limit) break;
    }
    return { notifications };
  },
  getDevice: (args, opts) => getDevice(String(args.appId), String(args.deviceId), opts),
};

/** A function's inputs as the schema declares them. */
interface InputsSpec {
  properties?: Record<string, { type?: string }>;
  required?: string[];
}

/** What an invoke answers: the result, or the problems with its arguments (no request made). */
export type InvokeOutcome = { result: Args } | { failures: CheckFailure[] };

/** The plugin's functions, by token, checked against `schema` (the plugin's own). */
export class Invokes {
  private readonly rows = new Map(INVOKE_ROWS.map((row) => [invokeToken(row), row]));

  constructor(private readonly schema: { functions?: Record<string, { inputs?: InputsSpec }> }) {}

  /** Calls the function `token` names with `args` (secret marks taken off) and the provider's `settings`. */
  async invoke(token: string, args: Args, settings: PartialSettings): Promise<InvokeOutcome> {
    const row = this.rows.get(token);
    if (!row) {
      const known = [...this.rows.keys()].join(", ");
      throw new OneSignalError(`${token} is not a function of the onesignal provider; it has ${known}`);
    }
    const failures = argumentProblems(row, args, this.schema.functions?.[token]?.inputs ?? {});
    if (failures.length > 0) return { failures };
    const implementation = IMPLEMENTATIONS[row.name];
    if (!implementation) throw new Error(`no implementation for ${row.name}`);
    const result = await implementation(args, optionsFor(row, args, settings));
    return { result: jsonSafe(result) as Args };
  }
}

/** Unknown, missing and mistyped arguments, and numbers out of their range, each naming its argument. */
function argumentProblems(row: InvokeRow, args: Args, inputs: InputsSpec): CheckFailure[] {
  const properties = inputs.properties ?? {};
  const failures: CheckFailure[] = [];
  for (const [name, value] of Object.entries(args)) {
    const spec = properties[name];
    if (!spec) {
      const known = Object.keys(properties).join(", ");
      failures.push({ property: name, reason: `${row.name} takes no argument ${name}; it takes ${known}` });
    } else if (value !== undefined && value !== null && !hasType(value, spec.type)) {
      failures.push({ property: name, reason: `${name} must be ${article(spec.type)}, not ${describe(value)}` });
    } else if (spec.type === "string" && value === "") {
      failures.push({ property: name, reason: `${name} must not be empty` });
    }
  }
  for (const name of inputs.required ?? []) {
    if (args[name] === undefined || args[name] === null) {
      failures.push({ property: name, reason: `${row.name} needs ${name}` });
    }
  }
  const limit = args.limit;
  if (typeof limit === "number" && !(Number.isInteger(limit) && limit >= 1 && limit <= 1000)) {
    failures.push({ property: "limit", reason: "limit must be a whole number from 1 to 1000" });
  }
  const kind = args.kind;
  if (typeof kind === "number" && ![0, 1, 3].includes(kind)) {
    failures.push({ property: "kind", reason: "kind must be 0 (dashboard), 1 (API) or 3 (automated)" });
  }
  return failures;
}

function hasType(value: unknown, type: string | undefined): boolean {
  if (type === "integer") return typeof value === "number" && Number.isInteger(value);
  if (type === "string" || type === "number" || type === "boolean") return typeof value === type;
  return true;
}

function article(type: string | undefined): string {
  return type === "integer" ? "a whole number" : `a ${type}`;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : `the ${typeof value} ${value}`;
}

/** The call's options: the provider's settings (then the environment), and the key the function takes. */
function optionsFor(row: InvokeRow, args: Args, settings: PartialSettings): OneSignalOptions {
  const resolved = settingsOf([settings]);
  return {
    apiKey: keyFor(resolved, row.keyKind, typeof args.apiKey === "string" ? args.apiKey : undefined, row.name),
    apiUrl: resolved.apiUrl,
    requestTimeoutMs: resolved.requestTimeoutMs,
    deadlineMs: resolved.deadlineMs,
  };
}

/** An app without its key material, which only the App resource's state keeps (secret). */
function withoutKeyMaterial(app: App): object {
  const copy: Record<string, unknown> = { ...app };
  for (const name of SECRET_APP_SETTINGS) delete copy[name];
  return copy;
}
