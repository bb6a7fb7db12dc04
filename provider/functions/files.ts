import { createWriteStream } from "node:fs";
import { PassThrough, Readable, Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import { OneSignalError } from "../client/errors";
import { fetchPreparedFile } from "../client/exports";

/** How to wait for a file OneSignal prepares (an export, a history). */
export interface WaitOptions {
  /**
   * The first wait between checks (default 100 ms). Each wait is a tenth longer than the one before, up to
   * 30 s: the file is picked up at most about a tenth of the time waited after it is ready.
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
    wait = Math.min(Math.ceil(wait * POLL_GROWTH), MAX_POLL_INTERVAL_MS);
  }
}

/** The first wait between checks for a prepared file. */
const DEFAULT_POLL_INTERVAL_MS = 100;
/**
 * How much longer each wait is than the one before: the file is picked up at most a tenth of the time waited
 * after it is ready, for some 70 checks of the storage host in 10 minutes.
 */
const POLL_GROWTH = 1.1;
/** The longest wait between checks for a prepared file. */
const MAX_POLL_INTERVAL_MS = 30_000;

/**
 * The stages that turn a prepared file into CSV text: the download, then a gunzip where OneSignal compressed
 * it (exports are, histories are not), told by the first bytes.
 */
async function csvStages(file: Readable): Promise<[Readable, Transform]> {
  const chunks = file[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  // The first two bytes tell, whatever size the download's first chunks are.
  let head = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await chunks.next();
    if (next.done) break;
    head = Buffer.concat([head, next.value]);
  }
  const source = Readable.from(
    (async function* () {
      if (head.length > 0) yield head;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    })(),
  );
  return [source, head[0] === 0x1f && head[1] === 0x8b ? createGunzip() : new PassThrough()];
}

/** Reads a prepared CSV file as it downloads: its rows, keyed by the header's column names. */
export async function readPreparedCsv(file: Readable): Promise<Record<string, string>[]> {
  const rows: Record<string, string>[] = [];
  const parser = parse({ columns: true, skip_empty_lines: true });
  parser.on("data", (row: Record<string, string>) => rows.push(row));
  await pipeline(...(await csvStages(file)), parser);
  return rows;
}

/**
 * Counts the records of CSV text as its bytes pass: line ends outside quoted cells, empty lines aside. A full
 * parse only to count took csv-parse about 0.3 s per 10,000 rows; the export's rows are parsed where they are used.
 */
export class CsvRecordCounter {
  private quoted = false;
  private lineHasContent = false;
  private records = 0;

  /** Counts the line ends in a chunk (a quote toggles; `""` inside a cell toggles twice). */
  push(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (byte === 0x22) {
        this.quoted = !this.quoted;
        this.lineHasContent = true;
      } else if (byte === 0x0a && !this.quoted) {
        if (this.lineHasContent) this.records += 1;
        this.lineHasContent = false;
      } else if (byte !== 0x0d) {
        this.lineHasContent = true;
      }
    }
  }

  /** The records seen, the last one included when the text does not end with a line break. */
  count(): number {
    return this.records + (this.lineHasContent ? 1 : 0);
  }
}

/**
 * Writes a prepared CSV file to `out` as it downloads (gunzipped), counting its rows on the way, so a file
 * of any size takes the memory of a few chunks. `out` is a file path, or a stream (such as standard output),
 * which is left open. Resolves to the number of rows (the header aside).
 */
export async function writePreparedCsv(file: Readable, out: string | Writable): Promise<number> {
  const counter = new CsvRecordCounter();
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      counter.push(chunk);
      done(null, chunk);
    },
  });
  if (typeof out === "string") await pipeline(...(await csvStages(file)), tee, createWriteStream(out));
  // A stream the caller owns (standard output) is not ended: it may still have more to write.
  else await pipeline(...(await csvStages(file)), tee, out, { end: false });
  return Math.max(0, counter.count() - 1);
}
