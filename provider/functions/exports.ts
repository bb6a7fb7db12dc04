import { writeFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { OneSignalError } from "../client/errors";
import { fetchCsvExport, startCsvExport } from "../client/exports";
import type { TimeInput } from "../models/device";
import { clientFor, type OneSignalOptions } from "./options";

/** Options of {@link exportDevicesCsv}. */
export interface ExportDevicesOptions extends OneSignalOptions {
  /** More columns: `location`, `country`, `rooted`, `notification_types`, `ip`, `external_user_id`, `web_auth`, `web_p256`. */
  extraFields?: string[];
  /** Only devices active after this time. */
  lastActiveSince?: TimeInput;
  /** Only devices in this segment. */
  segmentName?: string;
  /** Write the CSV (uncompressed) to this file instead of returning the rows. */
  outFile?: string;
  /** The first wait between checks for the file (default 2 s); it doubles up to 30 s. */
  pollIntervalMs?: number;
  /** How long to wait for the file (default 10 minutes). */
  timeoutMs?: number;
  /** Called on each check while the file is not ready yet. */
  onWait?: (waitedMs: number) => void;
}

/** One row of the export: column name → text. */
export type ExportRow = Record<string, string>;

/**
 * Exports an app's devices as CSV: starts the export, waits for the file with backoff, downloads,
 * gunzips and parses it. Resolves to the rows, or with `outFile` to the file written and its row count.
 */
export async function exportDevicesCsv(
  appId: string,
  opts?: ExportDevicesOptions & { outFile?: undefined },
): Promise<ExportRow[]>;
export async function exportDevicesCsv(
  appId: string,
  opts: ExportDevicesOptions & { outFile: string },
): Promise<{ file: string; rowCount: number }>;
export async function exportDevicesCsv(
  appId: string,
  opts: ExportDevicesOptions = {},
): Promise<ExportRow[] | { file: string; rowCount: number }> {
  const since = opts.lastActiveSince;
  const url = await startCsvExport(clientFor(opts, "app"), appId, {
    ...(opts.extraFields ? { extra_fields: opts.extraFields } : {}),
    ...(since !== undefined
      ? { last_active_since: String(since instanceof Date ? Math.floor(since.getTime() / 1000) : since) }
      : {}),
    ...(opts.segmentName ? { segment_name: opts.segmentName } : {}),
  });
  const started = Date.now();
  const timeout = opts.timeoutMs ?? 600_000;
  let wait = opts.pollIntervalMs ?? 2_000;
  let file: Buffer | undefined;
  for (;;) {
    file = await fetchCsvExport(url);
    if (file) break;
    const waited = Date.now() - started;
    if (waited + wait > timeout) {
      throw new OneSignalError(
        `The CSV export was not ready after ${Math.round(waited / 1000)} s; OneSignal may still be preparing it: try a longer timeoutMs.`,
      );
    }
    opts.onWait?.(waited);
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 30_000);
  }
  const text = gunzipSync(file).toString("utf8");
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as ExportRow[];
  if (opts.outFile) {
    await writeFile(opts.outFile, text);
    return { file: opts.outFile, rowCount: rows.length };
  }
  return rows;
}
