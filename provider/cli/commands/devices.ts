import { unlink, writeFile } from "node:fs/promises";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { stringify } from "csv-stringify/sync";
import { type DeviceUpsert, getDevice, upsertDevice, upsertDevices } from "../../functions/devices";
import { exportDevicesCsv } from "../../functions/exports";
import {
  type CsvRecord,
  csvRecords,
  firstProblemOf,
  InputChecker,
  openImportInput,
  problemText,
  unreadableCsv,
} from "../csv-input";
import { deviceFromRow, headerProblems } from "../device-csv";
import { etaSeconds, formatDuration, waitNotice } from "../progress";
import {
  appIdFrom,
  checkOutPath,
  EXIT,
  keyValue,
  messageOf,
  namingFlags,
  positiveInteger,
  print,
  printRecord,
  refuseLinkAt,
  requestOptions,
  timeFlag,
  UsageError,
  writeOwnFile,
} from "../shared";

/** One data row of an import file: its cells, its line in the file (the last, for a row over several), its bytes. */
type CsvRow = CsvRecord;

interface FailedRow {
  row: CsvRow;
  error: string;
}

/**
 * Refuses a header before any request: unknown or repeated columns (a few named, then how many more), no
 * device_type.
 */
function checkHeader(name: string, header: string[]): void {
  const problems = headerProblems(header);
  if (problems.length > 0) {
    throw new UsageError(
      `${name}: ${problems.join("; ")}. Columns: device_type, identifier, external_user_id, tag:<key>... (see docs/cli.md).`,
    );
  }
}

/** The progress of an import on standard error: a share of the file's bytes when its size is known, else a count. */
function importProgress(size: number | undefined): {
  update: (bytesDone: number, devicesDone: number) => void;
  stop: () => void;
} {
  const bar = new SingleBar({
    stream: process.stderr,
    format:
      size === undefined
        ? "importing {devices} devices done"
        : "importing [{bar}] {devices} devices | {percentage}% | eta {eta_text}",
    noTTYOutput: true,
    notTTYSchedule: 5_000,
    hideCursor: true,
  });
  const started = Date.now();
  bar.start(size ?? 1, 0, { devices: 0, eta_text: formatDuration(undefined) });
  return {
    update: (bytesDone, devicesDone) => {
      const eta = etaSeconds(bytesDone, size, Date.now() - started);
      bar.update(size === undefined ? 0 : Math.min(bytesDone, size), {
        devices: devicesDone,
        eta_text: formatDuration(eta),
      });
    },
    stop: () => bar.stop(),
  };
}

/** `1 device`, `2 devices`. */
function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** The file the failed rows go to by default: beside the input, or for standard input or a pipe, in this folder. */
function defaultFailedFile(file: string, regularFile: boolean): string {
  return regularFile && file !== "-" ? `${file}.failed.csv` : "devices.failed.csv";
}

/**
 * Removes the failed rows file an earlier import left under the name this one would have used (checked before the
 * import to be no link and no folder); true when there was one.
 */
async function removeStale(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return false;
    throw error;
  }
}

/** `devices import`, `devices export`, `device get`, `device upsert`. */
export function registerDeviceCommands(program: Command): void {
  const devices = program.command("devices").description("many devices at once (app API key)");

  devices
    .command("import <file>")
    .description(
      "upsert every device of a CSV file, or - for standard input (columns: device_type, identifier, external_user_id, tag:<key>...)",
    )
    .option("--app-id <id>", "the app (default: ONESIGNAL_APP_ID)")
    .option("--concurrency <n>", "requests in flight at once", positiveInteger, 10)
    .option(
      "--failed-out <file>",
      "where to write the rows that failed (default: <file>.failed.csv; devices.failed.csv for standard input or a pipe)",
    )
    .action(async (file: string, options: { appId?: string; concurrency: number; failedOut?: string }) => {
      const appId = appIdFrom(options);
      if (options.failedOut !== undefined) await checkOutPath("--failed-out", options.failedOut, { stdout: false });
      const input = await openImportInput(file);
      // A file by name can be read twice: checked whole first. Standard input is checked as it streams.
      if (input.regularFile && input.name === file) {
        const problem = await firstProblemOf(file);
        if (problem) throw new UsageError(`${input.name}: ${problem}. Nothing was sent.`);
      }
      const failedFile = options.failedOut ?? defaultFailedFile(file, input.regularFile);
      const advice = "remove it, or name the file with --failed-out";
      if (options.failedOut === undefined) {
        // A name the CLI made up: checked now, before any request, not after the import.
        await checkOutPath("the failed rows file", failedFile, { stdout: false });
        await refuseLinkAt(failedFile, advice);
      }
      // The input is read once, as a stream: the header, then each row as requests free up (a pipe cannot be
      // read again).
      const checker = new InputChecker();
      const records = csvRecords(input.chunks, checker);
      let readError: string | undefined;
      const readProblem = () => {
        if (readError) return readError;
        const problem = checker.problem;
        return problem ? problemText(problem) : undefined;
      };
      let first: IteratorResult<CsvRow>;
      let second: IteratorResult<CsvRow>;
      try {
        first = await records.next();
        second = first.done ? first : await records.next();
      } catch (error) {
        throw new UsageError(`${input.name} is not a CSV file that can be read: ${messageOf(error)}`);
      }
      if (first.done) {
        const problem = readProblem();
        if (problem) throw new UsageError(`${input.name}: ${problem}. Nothing was sent.`);
        throw new UsageError(
          `${input.name} is empty: give a header line (device_type,identifier,...), then one device per line.`,
        );
      }
      const header = first.value.cells.map((name) => name.trim());
      checkHeader(input.name, header);
      if (second.done) {
        const problem = readProblem();
        if (problem) throw new UsageError(`${input.name}: ${problem}. Nothing was sent.`);
        throw new UsageError(`${input.name} has a header and no devices: nothing to import.`);
      }
      const progress = importProgress(input.size);
      const failedRows: FailedRow[] = [];
      // The rows in flight, by the index upsertDevices gives their device: a row is let go of once its device is
      // done (kept only if it failed), so a file of any length takes the same memory.
      const inFlight = new Map<number, CsvRow>();
      let rowCount = 0;
      let bytesDone = first.value.bytes;
      let devicesDone = 0;
      const settle = (row: CsvRow) => {
        bytesDone += row.bytes;
        devicesDone += 1;
        progress.update(bytesDone, devicesDone);
      };
      /** The devices of the rows, read as requests free up; rows that are not devices fail here. */
      async function* devicesOf(): AsyncGenerator<DeviceUpsert> {
        let index = 0;
        let next: IteratorResult<CsvRow> = second;
        try {
          for (; !next.done; next = await records.next()) {
            const row = next.value;
            rowCount += 1;
            if (row.cells.length !== header.length) {
              failedRows.push({ row, error: `has ${row.cells.length} fields; the header has ${header.length}` });
              settle(row);
              continue;
            }
            let device: DeviceUpsert;
            try {
              device = deviceFromRow(Object.fromEntries(header.map((name, i) => [name, row.cells[i] ?? ""])));
            } catch (error) {
              failedRows.push({ row, error: messageOf(error) });
              settle(row);
              continue;
            }
            inFlight.set(index, row);
            index += 1;
            yield device;
          }
        } catch (error) {
          // Bad CSV part of the way: what was read before it goes on; nothing after it is sent.
          readError = unreadableCsv(error);
        }
      }
      let result: Awaited<ReturnType<typeof upsertDevices>>;
      try {
        result = await upsertDevices(appId, devicesOf(), {
          ...requestOptions(program),
          concurrency: options.concurrency,
          keepSucceeded: false,
          onItem: (index, error) => {
            const row = inFlight.get(index);
            if (!row) return;
            inFlight.delete(index);
            if (error) failedRows.push({ row, error: error.message });
            settle(row);
          },
        });
      } finally {
        progress.stop();
      }
      let failedWritten: string | undefined;
      if (failedRows.length > 0) {
        failedRows.sort((a, b) => a.row.line - b.row.line);
        // The rows as they were, with the line of the file each came from and why it failed.
        const text = stringify([
          ["line", ...header, "error"],
          ...failedRows.map(({ row, error }) => [row.line, ...row.cells, error]),
        ]);
        if (options.failedOut === undefined) await writeOwnFile(failedFile, text, advice);
        else await writeFile(failedFile, text);
        failedWritten = failedFile;
      } else if (options.failedOut !== undefined) {
        // The named file always says this run's failures (none: its header alone), never an earlier run's.
        await writeFile(failedFile, stringify([["line", ...header, "error"]]));
      } else if (await removeStale(failedFile)) {
        process.stderr.write(`Removed ${failedFile}: its rows failed in an earlier run, and none failed now.\n`);
      }
      const problem = readProblem();
      if (problem) {
        const before =
          `of the ${plural(rowCount, "row")} before it, ${plural(result.succeededCount, "device")} ` +
          `${result.succeededCount === 1 ? "was" : "were"} imported` +
          (failedWritten ? ` and ${failedRows.length} failed (see ${failedWritten})` : "");
        throw new UsageError(`${input.name}: ${problem}. Nothing was sent for that line or after it; ${before}.`);
      }
      const summary = {
        total: rowCount,
        succeeded: result.succeededCount,
        failed: failedRows.length,
        failedFile: failedWritten,
      };
      print(program, summary, () =>
        failedWritten
          ? `Imported ${summary.succeeded} of ${summary.total} devices; ${summary.failed} failed: see ${failedWritten}`
          : `Imported ${summary.succeeded} of ${summary.total} devices.`,
      );
      if (failedRows.length > 0) process.exitCode = EXIT.failed;
    });

  devices
    .command("export")
    .description("export the app's devices as CSV (waits for OneSignal to prepare the file)")
    .option("--app-id <id>", "the app (default: ONESIGNAL_APP_ID)")
    .requiredOption("--out <file>", "where to write the CSV (- for standard output)")
    .option("--extra-fields <fields>", "more columns, comma-separated: location,country,notification_types,...")
    .option("--segment <name>", "only the subscribed devices of this segment")
    .option("--include-unsubscribed", "with --segment: its unsubscribed devices too")
    .option("--last-active-since <time>", "only devices active since (ISO 8601 or Unix seconds)", timeFlag)
    .action(
      async (options: {
        appId?: string;
        out: string;
        extraFields?: string;
        segment?: string;
        includeUnsubscribed?: boolean;
        lastActiveSince?: Date;
      }) => {
        const appId = appIdFrom(options);
        await checkOutPath("--out", options.out, { stdout: true });
        if (options.includeUnsubscribed && options.segment === undefined) {
          throw new UsageError(
            "--include-unsubscribed needs --segment: an export without a segment has every device already.",
          );
        }
        const common = {
          ...requestOptions(program),
          ...(options.extraFields ? { extraFields: options.extraFields.split(",").map((field) => field.trim()) } : {}),
          ...(options.segment ? { segmentName: options.segment } : {}),
          ...(options.includeUnsubscribed ? { includeUnsubscribed: true } : {}),
          ...(options.lastActiveSince ? { lastActiveSince: options.lastActiveSince } : {}),
          onWait: waitNotice("the export", (line) => process.stderr.write(line)),
        };
        if (options.out === "-") {
          // The CSV alone on standard output, for a pipe; the summary on standard error.
          const { rowCount } = await exportDevicesCsv(appId, { ...common, outStream: process.stdout });
          process.stderr.write(`Wrote ${rowCount} devices to standard output\n`);
          return;
        }
        const result = await exportDevicesCsv(appId, { ...common, outFile: options.out });
        print(program, result, () => `Wrote ${result.rowCount} devices to ${result.file}`);
      },
    );

  const device = program.command("device").description("one device (app API key)");

  device
    .command("get <id>")
    .description("show one device")
    .option("--app-id <id>", "the app (default: ONESIGNAL_APP_ID)")
    .action(async (id: string, options: { appId?: string }) => {
      if (id.trim() === "") throw new UsageError('device get needs the device\'s id, not "".');
      const found = await getDevice(appIdFrom(options), id, requestOptions(program));
      printRecord(program, found);
    });

  device
    .command("upsert")
    .description("add a device, or update the one with this id, identifier or external id")
    .option("--app-id <id>", "the app (default: ONESIGNAL_APP_ID)")
    .requiredOption("--device-type <type>", "ios, android, chromeWeb, email, sms... or OneSignal's number")
    .option("--id <id>", "the device's OneSignal id")
    .option("--identifier <identifier>", "push token, email address or E.164 phone number")
    .option("--external-id <id>", "your user id for the device")
    .option("--language <code>", "2-letter language code")
    .option("--tag <key=value>", "a tag (repeatable; an empty value deletes it)", keyValue)
    .action(
      async (options: {
        appId?: string;
        deviceType: string;
        id?: string;
        identifier?: string;
        externalId?: string;
        language?: string;
        tag?: Record<string, string>;
      }) => {
        if (!options.id && !options.identifier && !options.externalId) {
          throw new UsageError(
            "Give --id, --identifier or --external-id, so the device can be found instead of added twice.",
          );
        }
        let upsert: DeviceUpsert;
        try {
          upsert = deviceFromRow({ device_type: options.deviceType });
        } catch (error) {
          // The row's field is the --device-type flag here.
          throw new UsageError(namingFlags(messageOf(error)).message);
        }
        if (options.id) upsert.id = options.id;
        if (options.identifier) upsert.identifier = options.identifier;
        if (options.externalId) upsert.externalUserId = options.externalId;
        if (options.language) upsert.language = options.language;
        if (options.tag) upsert.tags = options.tag;
        const result = await upsertDevice(appIdFrom(options), upsert, requestOptions(program));
        print(program, result, () => result.id);
      },
    );
}
