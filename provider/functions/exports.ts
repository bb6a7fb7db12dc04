import { constants } from "node:fs";
import { access } from "node:fs/promises";
import * as path from "node:path";
import type { Writable } from "node:stream";
import { OneSignalError } from "../client/errors";
import { startCsvExport } from "../client/exports";
import type { TimeInput } from "../models/device";
import { checkWaitOptions, readPreparedCsv, type WaitOptions, waitForFile, writePreparedCsv } from "./files";
import { clientFor, type OneSignalOptions, OPTION_NAMES, refuseUnknownOptions } from "./options";

/** Options of {@link exportDevicesCsv}. */
export interface ExportDevicesOptions extends OneSignalOptions, WaitOptions {
  /**
   * More columns: `location`, `country`, `rooted`, `notification_types`, `ip`, `external_user_id`, `web_auth`,
   * `web_p256`, `timezone_id`.
   */
  extraFields?: string[];
  /** Only devices active after this time. */
  lastActiveSince?: TimeInput;
  /** Only the segment's subscribed devices. */
  segmentName?: string;
  /** With `segmentName`: the segment's unsubscribed devices too (OneSignal ignores it without one). */
  includeUnsubscribed?: boolean;
  /** Write the CSV (uncompressed) to this file instead of returning the rows. */
  outFile?: string;
  /**
   * Write the CSV (uncompressed) to this stream instead of returning the rows, such as `process.stdout` (it is
   * left open). Not with `outFile`.
   */
  outStream?: Writable;
}

const EXPORT_OPTION_NAMES = [
  "extraFields",
  "lastActiveSince",
  "segmentName",
  "includeUnsubscribed",
  "outFile",
  "outStream",
  "pollIntervalMs",
  "timeoutMs",
  "onWait",
] as const;

/** One row of the export: column name → text. */
export type ExportRow = Record<string, string>;

/**
 * Exports an app's devices as CSV: starts the export, waits for the file with backoff, downloads,
 * gunzips and parses it. Resolves to the rows, or with `outFile` to the file written and its row count.
 */
export async function exportDevicesCsv(
  appId: string,
  opts?: ExportDevicesOptions & { outFile?: undefined; outStream?: undefined },
): Promise<ExportRow[]>;
export async function exportDevicesCsv(
  appId: string,
  opts: ExportDevicesOptions & { outFile: string },
): Promise<{ file: string; rowCount: number }>;
export async function exportDevicesCsv(
  appId: string,
  opts: ExportDevicesOptions & { outStream: Writable },
): Promise<{ rowCount: number }>;
export async function exportDevicesCsv(
  appId: string,
  opts: ExportDevicesOptions = {},
): Promise<ExportRow[] | { file: string; rowCount: number } | { rowCount: number }> {
  // Found now, not after the export has been made and waited for.
  refuseUnknownOptions("options", opts, [...OPTION_NAMES, ...EXPORT_OPTION_NAMES]);
  checkWaitOptions(opts);
  const wrong = (option: string, shape: string) => new OneSignalError(`exportDevicesCsv: ${option} must be ${shape}`);
  if (opts.outFile !== undefined && typeof opts.outFile !== "string") throw wrong("outFile", "a file path");
  const outStream: unknown = opts.outStream;
  if (outStream !== undefined) {
    if (typeof (outStream as { write?: unknown } | null)?.write !== "function")
      throw wrong("outStream", "a writable stream");
    if (opts.outFile !== undefined) throw wrong("outStream", "given without outFile (one place to write)");
  }
  if (opts.segmentName !== undefined && typeof opts.segmentName !== "string")
    throw wrong("segmentName", "a segment name");
  const unsubscribed: unknown = opts.includeUnsubscribed;
  if (unsubscribed !== undefined && typeof unsubscribed !== "boolean")
    throw wrong("includeUnsubscribed", "true or false");
  // OneSignal would ignore it silently: said now, so that nobody believes unsubscribed devices were exported.
  if (unsubscribed === true && opts.segmentName === undefined) {
    throw wrong("includeUnsubscribed", "given with segmentName (an export without a segment has every device already)");
  }
  const extra: unknown = opts.extraFields;
  if (extra !== undefined && !(Array.isArray(extra) && extra.every((field) => typeof field === "string"))) {
    throw wrong("extraFields", "a list of column names");
  }
  const sinceGiven: unknown = opts.lastActiveSince;
  const validSince =
    (sinceGiven instanceof Date && !Number.isNaN(sinceGiven.getTime())) ||
    (typeof sinceGiven === "number" && Number.isFinite(sinceGiven));
  if (sinceGiven !== undefined && !validSince) throw wrong("lastActiveSince", "a Date or Unix seconds");
  if (opts.outFile) await assertWritableDirectory("outFile", opts.outFile);
  const since = opts.lastActiveSince;
  const url = await startCsvExport(clientFor(opts, "app", EXPORT_OPTION_NAMES), appId, {
    ...(opts.extraFields ? { extra_fields: opts.extraFields } : {}),
    ...(since !== undefined
      ? { last_active_since: String(since instanceof Date ? Math.floor(since.getTime() / 1000) : since) }
      : {}),
    ...(opts.segmentName ? { segment_name: opts.segmentName } : {}),
    ...(unsubscribed !== undefined ? { include_unsubscribed: unsubscribed } : {}),
  });
  const file = await waitForFile(url, "CSV export", opts);
  if (opts.outFile) return { file: opts.outFile, rowCount: await writePreparedCsv(file, opts.outFile) };
  if (opts.outStream) return { rowCount: await writePreparedCsv(file, opts.outStream) };
  return readPreparedCsv(file);
}

/** Refuses a file whose directory is missing or not writable, naming the option. */
export async function assertWritableDirectory(option: string, file: string): Promise<void> {
  const directory = path.dirname(path.resolve(file));
  try {
    await access(directory, constants.W_OK);
  } catch {
    throw new OneSignalError(
      `${option}: the directory ${directory} does not exist or cannot be written; create it first.`,
    );
  }
}
