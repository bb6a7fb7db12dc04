import { type Command, InvalidArgumentError } from "commander";
import type { OneSignalOptions } from "../functions/options";
import { isHttpUrl, isUuid } from "../models/properties";

/** The global options of the CLI. */
export interface GlobalOptions {
  apiUrl?: string;
  apiKey?: string;
  requestTimeout?: number;
  deadline?: number;
  json?: boolean;
}

/** Exit codes: 0 done, 1 OneSignal refused or could not be reached (or some items failed), 2 bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A usage error: printed, and the CLI exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The request options from the global flags (the environment fills in the rest). */
export function requestOptions(program: Command): OneSignalOptions {
  const { apiUrl, apiKey, requestTimeout, deadline } = program.opts<GlobalOptions>();
  return {
    ...(apiUrl ? { apiUrl } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(requestTimeout ? { requestTimeoutMs: requestTimeout } : {}),
    ...(deadline ? { deadlineMs: deadline } : {}),
  };
}

/** The app id from `--app-id` or `ONESIGNAL_APP_ID`, checked before any request: OneSignal's ids are UUIDs. */
export function appIdFrom(options: { appId?: string }): string {
  const appId = options.appId ?? process.env.ONESIGNAL_APP_ID;
  if (!appId) throw new UsageError("No app id: pass --app-id <id> or set ONESIGNAL_APP_ID.");
  if (!isUuid(appId)) {
    const source = options.appId !== undefined ? "--app-id" : "ONESIGNAL_APP_ID";
    throw new UsageError(
      `${source} must be a OneSignal app id (a UUID such as 8f1c3a2e-...), not ${JSON.stringify(appId)}.`,
    );
  }
  return appId;
}

/** Parses `--api-url`: an http(s) URL, checked before any request. */
export function apiUrlFlag(value: string): string {
  if (!isHttpUrl(value)) throw new InvalidArgumentError("an http(s) URL such as https://api.onesignal.com");
  return value;
}

/** Prints a value as JSON with `--json`, else as text. */
export function print(program: Command, value: unknown, text: () => string): void {
  const json = program.opts<GlobalOptions>().json;
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

/** Prints an object as JSON with `--json`, else one `key: value` line per field (Dates as ISO, objects as JSON). */
export function printRecord(program: Command, value: object): void {
  print(program, value, () =>
    Object.entries(value)
      .map(([key, field]) => {
        const text =
          field instanceof Date
            ? field.toISOString()
            : typeof field === "object"
              ? JSON.stringify(field)
              : String(field);
        return `${key}: ${text}`;
      })
      .join("\n"),
  );
}

/** Parses a positive whole number flag. */
export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError("a whole number of at least 1");
  return number;
}

/** Collects a repeatable `key=value` flag into an object. */
export function keyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf("=");
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got ${JSON.stringify(value)}`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** A time flag: ISO 8601 or Unix seconds. */
export function timeFlag(value: string): Date {
  const date = /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError("an ISO 8601 time or Unix seconds");
  return date;
}
