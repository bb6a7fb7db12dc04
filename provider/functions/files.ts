import { createWriteStream } from "node:fs";
import { PassThrough, Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import { OneSignalError } from "../client/errors";
import { fetchPreparedFile } from "../client/exports";

/** How to wait for a file OneSignal prepares (an export, a history). */
export interface WaitOptions {
  /**
   * The first wait between checks (default 100 ms). Each wait is a quarter longer than the one before, up to
   * 30 s: the file is picked up at most about a quarter of the time waited after it is ready.
   */
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

/** Waits for a file that answers 403 until it is ready, checking again with backoff; resolves to its stream. */
export async function waitForFile(url: string, what: string, options: WaitOptions = {}): Promise<Readable> {
  const started = Date.now();
  const timeout = options.timeoutMs ?? 600_000;
  let wait = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
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
    wait = Math.min(Math.ceil(wait * 1.25), MAX_POLL_INTERVAL_MS);
  }
}

/** The first wait between checks for a prepared file. */
const DEFAULT_POLL_INTERVAL_MS = 100;
/** The longest wait between checks for a prepared file. */
const MAX_POLL_INTERVAL_MS = 30_000;

/**
 * The stages that turn a prepared file into CSV text: the download, then a gunzip where OneSignal compressed
 * it (exports are, histories are not), told by the first bytes.
 */
async function csvStages(file: Readable): Promise<[Readable, Transform]> {
  const chunks = file[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await chunks.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  const source = Readable.from(
    (async function* () {
      if (head.length > 0) yield head;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    })(),
  );
  return [source, head[0] === 0x1f && head[1] === 0x8b ? createGunzip() : new PassThrough()];
}

/** The CSV parser of prepared files: one object per row, keyed by the header's column names. */
function csvParser() {
  return parse({ columns: true, skip_empty_lines: true });
}

/** Reads a prepared CSV file as it downloads: its rows, keyed by the header's column names. */
export async function readPreparedCsv(file: Readable): Promise<Record<string, string>[]> {
  const rows: Record<string, string>[] = [];
  const parser = csvParser();
  parser.on("data", (row: Record<string, string>) => rows.push(row));
  await pipeline(...(await csvStages(file)), parser);
  return rows;
}

/**
 * Writes a prepared CSV file to `outFile` as it downloads (gunzipped), counting its rows on the way, so a file
 * of any size takes the memory of a few chunks. Resolves to the number of rows.
 */
export async function writePreparedCsv(file: Readable, outFile: string): Promise<number> {
  let rows = 0;
  const counter = csvParser();
  counter.on("data", () => {
    rows += 1;
  });
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      // The parser only counts: it sees the same bytes as the file, and its objects are dropped at once.
      if (counter.write(chunk)) done(null, chunk);
      else counter.once("drain", () => done(null, chunk));
    },
    flush(done) {
      counter.end(() => done());
    },
  });
  counter.on("error", (error) => tee.destroy(error));
  await pipeline(...(await csvStages(file)), tee, createWriteStream(outFile));
  return rows;
}
