import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { OneSignalError } from "../client/errors";
import { fetchPreparedFile } from "../client/exports";

/** How to wait for a file OneSignal prepares (an export, a history). */
export interface WaitOptions {
  /** The first wait between checks (default 2 s); it doubles up to 30 s. */
  pollIntervalMs?: number;
  /** How long to wait in all (default 10 minutes). */
  timeoutMs?: number;
  /** Called on each check while the file is not ready yet. */
  onWait?: (waitedMs: number) => void;
}

/** The shortest wait between checks for a prepared file. */
export const MIN_POLL_INTERVAL_MS = 100;

/** Refuses wait options that cannot work, before any request. */
export function checkWaitOptions(options: WaitOptions): void {
  const { pollIntervalMs, timeoutMs } = options;
  // A poll interval of 0 would ask OneSignal again and again without a pause.
  if (pollIntervalMs !== undefined && !(Number.isFinite(pollIntervalMs) && pollIntervalMs >= MIN_POLL_INTERVAL_MS)) {
    throw new OneSignalError(
      `pollIntervalMs must be at least ${MIN_POLL_INTERVAL_MS} ms, not ${String(pollIntervalMs)}.`,
    );
  }
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
    throw new OneSignalError(`timeoutMs must be a number of milliseconds, not ${String(timeoutMs)}.`);
  }
}

/** Downloads a file that answers 403 until it is ready, checking again with backoff. */
export async function waitForFile(url: string, what: string, options: WaitOptions = {}): Promise<Buffer> {
  const started = Date.now();
  const timeout = options.timeoutMs ?? 600_000;
  let wait = options.pollIntervalMs ?? 2_000;
  checkWaitOptions(options);
  for (;;) {
    const file = await fetchPreparedFile(url);
    if (file) return file;
    const waited = Date.now() - started;
    if (waited + wait > timeout) {
      throw new OneSignalError(
        `The ${what} was not ready after ${Math.round(waited / 1000)} s; OneSignal may still be preparing it: try a longer timeoutMs.`,
      );
    }
    options.onWait?.(waited);
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 30_000);
  }
}

/**
 * A prepared CSV file as text (gunzipped where OneSignal compressed it: exports are, histories are not)
 * and its rows, keyed by the header's column names.
 */
export function readPreparedCsv(file: Buffer): { text: string; rows: Record<string, string>[] } {
  const text = file[0] === 0x1f && file[1] === 0x8b ? gunzipSync(file).toString("utf8") : file.toString("utf8");
  return { text, rows: parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[] };
}
