import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, lstat, rename, rm, stat, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { OneSignalError } from "../client/errors";
import { ENV_VARS } from "../config";
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

/**
 * Exit codes: 0 done, 1 OneSignal refused or could not be reached (or some items failed), 2 bad usage,
 * 3 nothing sent: the notification reached no recipient (`notify` without `--allow-no-recipients`).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, nothingSent: 3 } as const;

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

/**
 * Refuses, before any request, an environment variable the CLI would read that cannot work, naming it: a flag
 * given instead wins, so its variable is not checked.
 */
export function checkEnvironment(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): void {
  const [urlVariable] = ENV_VARS.apiUrl;
  const url = env[urlVariable];
  if (options.apiUrl === undefined && url && !isHttpUrl(url)) {
    throw new UsageError(
      `${urlVariable} must be an http(s) URL such as https://api.onesignal.com, not ${JSON.stringify(url)}.`,
    );
  }
  const durations = [
    [options.requestTimeout, ENV_VARS.requestTimeoutMs[0]],
    [options.deadline, ENV_VARS.deadlineMs[0]],
  ] as const;
  for (const [flag, variable] of durations) {
    const value = env[variable];
    if (flag !== undefined || !value) continue;
    const number = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
      throw new UsageError(
        `${variable} must be a whole number of milliseconds (at least 1), not ${JSON.stringify(value)}.`,
      );
    }
  }
}

/**
 * The CLI's flag for each field name of the functions it calls. A function refuses a value by its field's
 * name (`idempotencyKey must be a UUID`); the CLI user gave a flag, so the message names the flag.
 */
const FLAG_OF_FIELD: Record<string, string> = {
  idempotencyKey: "--idempotency-key",
  templateId: "--template",
  sendAfter: "--schedule",
  emailSubject: "--subject",
  emailBody: "--message",
  contents: "--message",
  headings: "--heading",
  data: "--data",
  includedSegments: "--segment",
  filters: "--filter",
  includeAliases: "--external-id",
  targetChannel: "--channel",
  outFile: "--out",
  extraFields: "--extra-fields",
  segmentName: "--segment",
  includeUnsubscribed: "--include-unsubscribed",
  lastActiveSince: "--last-active-since",
  deviceType: "--device-type",
  externalUserId: "--external-id",
  identifier: "--identifier",
  language: "--language",
  tags: "--tag",
  concurrency: "--concurrency",
  email: "--email",
  events: "--events",
  apiUrl: "--api-url",
  apiKey: "--api-key",
  requestTimeoutMs: "--request-timeout",
  deadlineMs: "--deadline",
};

// A field is named where a problem starts (after `: `, `; ` or at the start), maybe after the function's
// name (`exportDevicesCsv: `) or `options.`: plain words elsewhere in a message (a "data" or "language") stay.
const FIELD_AT_PROBLEM = new RegExp(
  `(^|: |; )(?:[a-z][A-Za-z]+: )?(?:options\\.|request\\.)?(${Object.keys(FLAG_OF_FIELD).join("|")})\\b`,
  "g",
);

/**
 * The message of a refusal by one of the functions, with each field it names replaced by the CLI's flag;
 * `flagged` says whether any was, i.e. whether a flag the user gave was refused (bad usage).
 */
export function namingFlags(message: string): { message: string; flagged: boolean } {
  let flagged = false;
  const replaced = message.replace(FIELD_AT_PROBLEM, (_match, before: string, field: string) => {
    flagged = true;
    return `${before}${FLAG_OF_FIELD[field] ?? field}`;
  });
  return { message: replaced, flagged };
}

/**
 * Whether an error is the functions refusing an argument before any request: a plain {@link OneSignalError}
 * (OneSignal's answers, connection failures and missing keys are subclasses).
 */
export function isArgumentRefusal(error: unknown): error is OneSignalError {
  return error instanceof OneSignalError && error.constructor === OneSignalError;
}

/**
 * Checks an output flag before any request: not empty, `-` (standard output) only where `stdout` allows, not a
 * folder, in a folder that exists and can be written.
 */
export async function checkOutPath(flag: string, value: string, options: { stdout: boolean }): Promise<void> {
  if (value.trim() === "") {
    throw new UsageError(`${flag} needs a file name${options.stdout ? " (or - for standard output)" : ""}, not "".`);
  }
  if (value === "-") {
    if (options.stdout) return;
    throw new UsageError(`${flag} needs a file name: - (standard output) is not taken here.`);
  }
  const folder = path.dirname(path.resolve(value));
  const folderStat = await stat(folder).catch(() => undefined);
  if (!folderStat?.isDirectory()) {
    throw new UsageError(`${flag} ${value}: the folder ${folder} does not exist; create it first.`);
  }
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${value}: the folder ${folder} cannot be written.`);
  }
  if ((await stat(value).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(`${flag} ${value} is a folder: name a file in it.`);
  }
}

/**
 * Refuses a file name the CLI made up (not one the user named) where a symbolic link stands: writing there would
 * follow a link someone else may have planted and overwrite its target.
 */
export async function refuseLinkAt(file: string, advice: string): Promise<void> {
  const found = await lstat(file).catch(() => undefined);
  if (found?.isSymbolicLink()) {
    throw new UsageError(
      `${file} is a symbolic link: it is not followed, since this command did not make it; ${advice}.`,
    );
  }
  if (found && !found.isFile()) throw new UsageError(`${file} exists and is not a file; ${advice}.`);
}

/**
 * Writes a file whose name the CLI made up, never through a symbolic link: the text goes to a new file beside it,
 * created exclusively (`wx`: no link can redirect it), which then takes the name (a rename replaces a link planted
 * there, it does not follow it). A link found there beforehand is refused.
 */
export async function writeOwnFile(file: string, text: string, advice: string): Promise<void> {
  await refuseLinkAt(file, advice);
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}-${randomBytes(6).toString("hex")}.tmp`,
  );
  await writeFile(temp, text, { flag: "wx" });
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** An error's message (anything thrown, as text). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
