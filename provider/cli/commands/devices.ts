import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { parse } from "csv-parse/sync";
import { type DeviceUpsert, getDevice, upsertDevice, upsertDevices } from "../../functions/devices";
import { exportDevicesCsv } from "../../functions/exports";
import { deviceFromRow } from "../device-csv";
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

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
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
      const rows = parse(await readFile(file, "utf8"), { columns: true, skip_empty_lines: true, bom: true }) as Record<
        string,
        string
      >[];
      const failedRows: { row: Record<string, string>; error: string }[] = [];
      const upserts: { row: Record<string, string>; device: DeviceUpsert }[] = [];
      for (const row of rows) {
        try {
          upserts.push({ row, device: deviceFromRow(row) });
        } catch (error) {
          failedRows.push({ row, error: (error as Error).message });
        }
      }
      const bar = new SingleBar({
        stream: process.stderr,
        format: "importing [{bar}] {value}/{total} devices | {percentage}% | eta {eta_formatted}",
        noTTYOutput: true,
        notTTYSchedule: 5_000,
        hideCursor: true,
      });
      bar.start(rows.length, failedRows.length);
      const result = await upsertDevices(
        appId,
        upserts.map((entry) => entry.device),
        {
          ...requestOptions(program),
          concurrency: options.concurrency,
          onProgress: (done) => bar.update(failedRows.length + done),
        },
      );
      bar.stop();
      for (const failure of result.failed) {
        failedRows.push({
          row: (upserts[failure.index] as { row: Record<string, string> }).row,
          error: failure.error.message,
        });
      }
      let failedFile: string | undefined;
      if (failedRows.length > 0) {
        failedFile = options.failedOut ?? `${file}.failed.csv`;
        const columns = [...new Set([...Object.keys(rows[0] ?? {}), "error"])];
        const out = createWriteStream(failedFile);
        out.write(`${columns.join(",")}\n`);
        for (const { row, error } of failedRows) {
          out.write(
            `${columns.map((column) => csvCell(column === "error" ? error : (row[column] ?? ""))).join(",")}\n`,
          );
        }
        await new Promise((resolve) => out.end(resolve));
      }
      const summary = { total: rows.length, succeeded: result.succeeded.length, failed: failedRows.length, failedFile };
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
    .option("--segment <name>", "only the devices of this segment")
    .option("--last-active-since <time>", "only devices active since (ISO 8601 or Unix seconds)", timeFlag)
    .action(
      async (options: {
        appId?: string;
        out: string;
        extraFields?: string;
        segment?: string;
        lastActiveSince?: Date;
      }) => {
        const appId = appIdFrom(options);
        const result = await exportDevicesCsv(appId, {
          ...requestOptions(program),
          outFile: options.out,
          ...(options.extraFields ? { extraFields: options.extraFields.split(",").map((field) => field.trim()) } : {}),
          ...(options.segment ? { segmentName: options.segment } : {}),
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
