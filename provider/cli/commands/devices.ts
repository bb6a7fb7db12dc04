import { createReadStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import { type DeviceUpsert, getDevice, upsertDevice, upsertDevices } from "../../functions/devices";
import { exportDevicesCsv } from "../../functions/exports";
import { deviceFromRow, headerProblems } from "../device-csv";
import {
  appIdFrom,
  EXIT,
  keyValue,
  positiveInteger,
  print,
  printRecord,
  requestOptions,
  timeFlag,
  UsageError,
} from "../shared";

/** One data row of an import file: its cells, and its line in the file (the last, for a row over several). */
interface CsvRow {
  line: number;
  cells: string[];
}

interface FailedRow {
  row: CsvRow;
  error: string;
}

/** The records of a CSV file, read as a stream: one at a time, with the line each ends on. */
async function* csvRows(file: string): AsyncGenerator<CsvRow> {
  const parser = createReadStream(file).pipe(
    parse({ info: true, bom: true, skip_empty_lines: true, relax_column_count: true }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { line: info.lines, cells: record };
  }
}

/**
 * Reads an import file once, as a stream, before any request: its header (every column known, device_type
 * present) and how many rows follow. A file that cannot be read as CSV, has unknown columns or no rows is
 * refused. A row of the wrong length is counted, to fail on its own.
 */
async function checkDeviceCsv(file: string): Promise<{ header: string[]; rowCount: number }> {
  let header: string[] | undefined;
  let rowCount = 0;
  try {
    for await (const row of csvRows(file)) {
      if (header) rowCount += 1;
      else header = row.cells.map((name) => name.trim());
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${file} is not a CSV file that can be read: ${reason}`);
  }
  if (!header)
    throw new UsageError(
      `${file} is empty: give a header line (device_type,identifier,...), then one device per line.`,
    );
  const problems = headerProblems(header);
  if (problems.length > 0) {
    throw new UsageError(
      `${file}: ${problems.join("; ")}. Columns: device_type, identifier, external_user_id, tag:<key>... (see docs/cli.md).`,
    );
  }
  if (rowCount === 0) throw new UsageError(`${file} has a header and no devices: nothing to import.`);
  return { header, rowCount };
}

/** `devices import`, `devices export`, `device get`, `device upsert`. */
export function registerDeviceCommands(program: Command): void {
  const devices = program.command("devices").description("many devices at once (app API key)");

  devices
    .command("import <file>")
    .description("upsert every device of a CSV file (columns: device_type, identifier, external_user_id, tag:<key>...)")
    .option("--app-id <id>", "the app (default: ONESIGNAL_APP_ID)")
    .option("--concurrency <n>", "requests in flight at once", positiveInteger, 10)
    .option("--failed-out <file>", "where to write the rows that failed (default: <file>.failed.csv)")
    .action(async (file: string, options: { appId?: string; concurrency: number; failedOut?: string }) => {
      const appId = appIdFrom(options);
      const { header, rowCount } = await checkDeviceCsv(file);
      const failedRows: FailedRow[] = [];
      // The line of each device handed on, by its index: a device that fails is found again by its line.
      const lines: number[] = [];
      /** The file's devices, read again as a stream while they are upserted; rows that are not devices fail here. */
      async function* devicesOf(): AsyncGenerator<DeviceUpsert> {
        let first = true;
        for await (const row of csvRows(file)) {
          if (first) {
            first = false;
            continue;
          }
          if (row.cells.length !== header.length) {
            failedRows.push({ row, error: `has ${row.cells.length} fields; the header has ${header.length}` });
            continue;
          }
          let device: DeviceUpsert;
          try {
            device = deviceFromRow(Object.fromEntries(header.map((name, i) => [name, row.cells[i] ?? ""])));
          } catch (error) {
            failedRows.push({ row, error: (error as Error).message });
            continue;
          }
          lines.push(row.line);
          yield device;
        }
      }
      const bar = new SingleBar({
        stream: process.stderr,
        format: "importing [{bar}] {value}/{total} devices | {percentage}% | eta {eta_formatted}",
        noTTYOutput: true,
        notTTYSchedule: 5_000,
        hideCursor: true,
      });
      bar.start(rowCount, 0);
      let result: Awaited<ReturnType<typeof upsertDevices>>;
      try {
        result = await upsertDevices(appId, devicesOf(), {
          ...requestOptions(program),
          concurrency: options.concurrency,
          keepSucceeded: false,
          onProgress: (done) => bar.update(failedRows.length + done),
        });
      } finally {
        bar.stop();
      }
      if (result.failed.length > 0) {
        // The rows of the devices OneSignal refused, read a third time (only then) to write them out as they were.
        const errors = new Map(result.failed.map((failure) => [lines[failure.index], failure.error.message]));
        for await (const row of csvRows(file)) {
          const error = errors.get(row.line);
          if (error !== undefined) failedRows.push({ row, error });
        }
      }
      let failedFile: string | undefined;
      if (failedRows.length > 0) {
        failedFile = options.failedOut ?? `${file}.failed.csv`;
        failedRows.sort((a, b) => a.row.line - b.row.line);
        // The rows as they were, with the line of the file each came from and why it failed.
        await writeFile(
          failedFile,
          stringify([
            ["line", ...header, "error"],
            ...failedRows.map(({ row, error }) => [row.line, ...row.cells, error]),
          ]),
        );
      }
      const summary = { total: rowCount, succeeded: result.succeededCount, failed: failedRows.length, failedFile };
      print(program, summary, () =>
        failedFile
          ? `Imported ${summary.succeeded} of ${summary.total} devices; ${summary.failed} failed: see ${failedFile}`
          : `Imported ${summary.succeeded} of ${summary.total} devices.`,
      );
      if (failedRows.length > 0) process.exitCode = EXIT.failed;
    });

  devices
    .command("export")
    .description("export the app's devices as CSV (waits for OneSignal to prepare the file)")
    .option("--app-id <id>", "the app (default: ONESIGNAL_APP_ID)")
    .requiredOption("--out <file>", "where to write the CSV")
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
        const result = await exportDevicesCsv(appId, {
          ...requestOptions(program),
          outFile: options.out,
          ...(options.extraFields ? { extraFields: options.extraFields.split(",").map((field) => field.trim()) } : {}),
          ...(options.segment ? { segmentName: options.segment } : {}),
          ...(options.includeUnsubscribed ? { includeUnsubscribed: true } : {}),
          ...(options.lastActiveSince ? { lastActiveSince: options.lastActiveSince } : {}),
          onWait: (waited) =>
            process.stderr.write(`waiting for OneSignal to prepare the export (${Math.round(waited / 1000)} s)\n`),
        });
        print(program, result, () => `Wrote ${result.rowCount} devices to ${result.file}`);
      },
    );

  const device = program.command("device").description("one device (app API key)");

  device
    .command("get <id>")
    .description("show one device")
    .option("--app-id <id>", "the app (default: ONESIGNAL_APP_ID)")
    .action(async (id: string, options: { appId?: string }) => {
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
          throw new UsageError((error as Error).message);
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
