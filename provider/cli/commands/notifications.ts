import { writeFile } from "node:fs/promises";
import { type Command, InvalidArgumentError } from "commander";
import { stringify } from "csv-stringify/sync";
import {
  cancelNotification,
  exportNotificationEvents,
  getNotification,
  getNotificationHistory,
  listNotifications,
  sendNotification,
} from "../../functions/notifications";

import type { Notification, NotificationInput } from "../../models/notification";
import { isUuid } from "../../models/properties";
import type { SegmentFilter } from "../../models/segment";
import { idempotencyKeyFrom } from "../idempotency";
import { waitNotice } from "../progress";
import {
  appIdFrom,
  checkOutPath,
  EXIT,
  keyValue,
  positiveInteger,
  print,
  printRecord,
  requestOptions,
  timeFlag,
  UsageError,
} from "../shared";

const FILTER_FIELDS: Record<string, string> = {
  language: "language",
  country: "country",
  session_count: "sessionCount",
  sessionCount: "sessionCount",
  app_version: "appVersion",
  appVersion: "appVersion",
  last_session: "lastSession",
  lastSession: "lastSession",
  first_session: "firstSession",
  firstSession: "firstSession",
};

/** Parses `--filter` forms: `tag:KEY=VALUE` (also != > <), `tag:KEY` (exists), `language=fr`, `last_session<24` (hours). */
export function parseFilter(value: string, previous: SegmentFilter[] = []): SegmentFilter[] {
  const tag = /^tag:([^=!<>]+)(=|!=|>|<)(.*)$/.exec(value);
  if (tag) {
    const [, key, relation, text] = tag as unknown as [string, string, "=" | "!=" | ">" | "<", string];
    return [...previous, { field: "tag", key, relation, value: text }];
  }
  const exists = /^tag:([^=!<>]+)$/.exec(value);
  if (exists) return [...previous, { field: "tag", key: exists[1] as string, relation: "exists" }];
  const field = /^([a-z_A-Z]+)(=|!=|>|<)(.+)$/.exec(value);
  const name = field ? FILTER_FIELDS[field[1] as string] : undefined;
  if (!field || !name) {
    throw new InvalidArgumentError(
      "use tag:KEY=VALUE (or != > <), tag:KEY, language=fr, country=FR, session_count>3 or last_session<24",
    );
  }
  const [, , relation, text] = field as unknown as [string, string, string, string];
  const entry =
    name === "lastSession" || name === "firstSession"
      ? { field: name, relation, hoursAgo: text }
      : { field: name, relation, value: text };
  return [...previous, entry as SegmentFilter];
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

interface NotifyOptions {
  appId?: string;
  message?: string;
  heading?: string;
  channel: "push" | "email" | "sms";
  subject?: string;
  segment?: string[];
  filter?: SegmentFilter[];
  externalId?: string[];
  schedule?: Date;
  data?: Record<string, string>;
  template?: string;
  idempotencyKey?: string;
  idempotencyKeyFrom?: string;
  allowNoRecipients?: boolean;
}

/** Builds the notification a `notify` command line describes. */
export function notificationFromFlags(appId: string, options: NotifyOptions): NotificationInput {
  const targets = [options.segment, options.filter, options.externalId].filter((target) => target && target.length > 0);
  if (targets.length !== 1)
    throw new UsageError(
      "Give exactly one target: --segment (repeatable), --filter (repeatable) or --external-id (repeatable).",
    );
  if (!options.message && !options.template) throw new UsageError("Give --message (or --template).");
  const channel = options.channel;
  if (!["push", "email", "sms"].includes(channel)) throw new UsageError("--channel is push, email or sms.");
  const notification: Record<string, unknown> = { appId };
  if (options.segment?.length) notification.includedSegments = options.segment;
  if (options.filter?.length) notification.filters = options.filter;
  if (options.externalId?.length) notification.includeAliases = { external_id: options.externalId };
  if (channel !== "push" || options.externalId?.length) notification.targetChannel = channel;
  if (channel === "email") {
    if (!options.subject && !options.template) throw new UsageError("An email needs --subject (or --template).");
    if (options.subject) notification.emailSubject = options.subject;
    if (options.message) notification.emailBody = options.message;
  } else if (options.message) {
    notification.contents = { en: options.message };
    if (options.heading && channel === "push") notification.headings = { en: options.heading };
  }
  if (options.template) notification.templateId = options.template;
  if (options.schedule) notification.sendAfter = options.schedule;
  if (options.data) notification.data = options.data;
  const key = idempotencyKeyOf(options);
  if (key) notification.idempotencyKey = key;
  return notification as unknown as NotificationInput;
}

/**
 * The idempotency key from `--idempotency-key` (a UUID, checked here so that the error names the flag) or derived
 * from `--idempotency-key-from <text>` (a UUID v5 of the text); not both.
 */
function idempotencyKeyOf(options: NotifyOptions): string | undefined {
  const { idempotencyKey, idempotencyKeyFrom: text } = options;
  if (idempotencyKey !== undefined && text !== undefined) {
    throw new UsageError("Give --idempotency-key or --idempotency-key-from, not both: each is the key of the send.");
  }
  if (idempotencyKey !== undefined) {
    if (!isUuid(idempotencyKey)) {
      throw new UsageError(
        `--idempotency-key must be a UUID (such as uuidgen prints), not ${JSON.stringify(idempotencyKey)}; ` +
          "or derive one from any text with --idempotency-key-from <text>.",
      );
    }
    return idempotencyKey;
  }
  if (text !== undefined) {
    if (text.trim() === "") {
      throw new UsageError(
        '--idempotency-key-from needs text that names this send, such as "deploy-$GITHUB_SHA-$GITHUB_RUN_ID", not "".',
      );
    }
    return idempotencyKeyFrom(text);
  }
  return undefined;
}

/** Writes rows as CSV to a file, or with `-` to standard output (the summary then goes to standard error). */
async function writeCsv(program: Command, rows: Record<string, string>[], out: string, what: string): Promise<void> {
  // The user named this path: a link they named is theirs to follow (only names the CLI makes up are not).
  const columns = Object.keys(rows[0] ?? {});
  const csv = stringify(rows, { header: columns.length > 0, columns });
  if (out === "-") {
    process.stdout.write(csv);
    process.stderr.write(`Wrote ${what}\n`);
    return;
  }
  await writeFile(out, csv);
  print(program, { file: out, rowCount: rows.length }, () => `Wrote ${what} to ${out}`);
}

/** `notify`, `cancel`, `notifications list`, `notification get`, `events`, `history`. */
export function registerNotificationCommands(program: Command): void {
  program
    .command("notify")
    .description("send (or schedule) a notification to one target (app API key)")
    .option("--app-id <id>", "the app (default: ONESIGNAL_APP_ID)")
    .option("--message <text>", "the message (English); the HTML body for email")
    .option("--heading <text>", "the push title")
    .option("--channel <channel>", "push, email or sms", "push")
    .option("--subject <text>", "the email subject")
    .option("--segment <name>", "send to a segment (repeatable)", collect)
    .option(
      "--filter <filter>",
      "send by filter: tag:plan=pro, language=fr, last_session<24 (repeatable, ANDed)",
      parseFilter,
    )
    .option("--external-id <id>", "send to a user by external id (repeatable)", collect)
    .option("--schedule <time>", "send later: ISO 8601 or Unix seconds", timeFlag)
    .option("--data <key=value>", "custom data (repeatable)", keyValue)
    .option("--template <id>", "use a template's content")
    .option("--idempotency-key <uuid>", "makes the send safe to repeat (generated when absent)")
    .option(
      "--idempotency-key-from <text>",
      "derive the idempotency key from text (a UUID v5), e.g. deploy-$GITHUB_SHA-$GITHUB_RUN_ID",
    )
    .option("--allow-no-recipients", "exit 0 when the notification reaches nobody (else exit 3)")
    .action(async (options: NotifyOptions) => {
      const result = await sendNotification(
        notificationFromFlags(appIdFrom(options), options),
        requestOptions(program),
      );
      // The idempotency key under its own name: OneSignal's `external_id` is not the user's external id.
      const shown = {
        id: result.id,
        idempotencyKey: result.idempotencyKey,
        ...(result.errors !== undefined ? { errors: result.errors } : {}),
      };
      print(program, shown, () =>
        result.id
          ? `Sent notification ${result.id}`
          : `Nothing sent: ${JSON.stringify(result.errors ?? "no recipients")}`,
      );
      if (!result.id && !options.allowNoRecipients) {
        // OneSignal answers "nobody to reach" with a 200: a pipeline would never notice without its own exit code.
        process.stderr.write(
          "pulumi-onesignal: nothing sent: no recipient matched the target (pass --allow-no-recipients to accept it).\n",
        );
        process.exitCode = EXIT.nothingSent;
      }
    });

  program
    .command("cancel <id>")
    .description("cancel a scheduled notification")
    .option("--app-id <id>", "the app (default: ONESIGNAL_APP_ID)")
    .action(async (id: string, options: { appId?: string }) => {
      await cancelNotification(appIdFrom(options), id, requestOptions(program));
      print(program, { id, canceled: true }, () => `Canceled ${id}`);
    });

  program
    .command("notifications")
    .description("notifications of an app")
    .command("list")
    .description("list notifications, newest first")
    .option("--app-id <id>", "the app (default: ONESIGNAL_APP_ID)")
    .option("--limit <n>", "how many at most", positiveInteger, 50)
    .action(async (options: { appId?: string; limit: number }) => {
      const found: Notification[] = [];
      for await (const notification of listNotifications(appIdFrom(options), {}, requestOptions(program))) {
        found.push(notification);
        if (found.length >= options.limit) break;
      }
      print(program, found, () => {
        const rows = found.map((n) => [
          n.id,
          n.queuedAt?.toISOString() ?? "",
          String(n.successful ?? ""),
          String(n.remaining ?? ""),
          n.canceled ? "canceled" : n.completedAt ? "sent" : "scheduled",
          String((n.contents as Record<string, string> | undefined)?.en ?? n.emailSubject ?? ""),
        ]);
        const header = ["ID", "QUEUED AT", "SENT", "REMAINING", "STATUS", "MESSAGE"];
        const widths = header.map((title, column) =>
          Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
        );
        return [header, ...rows]
          .map((row) =>
            row
              .map((cell, column) => cell.padEnd(widths[column] ?? 0))
              .join("  ")
              .trimEnd(),
          )
          .join("\n");
      });
    });

  program
    .command("notification")
    .description("one notification")
    .command("get <id>")
    .description("show a notification with its counters")
    .option("--app-id <id>", "the app (default: ONESIGNAL_APP_ID)")
    .action(async (id: string, options: { appId?: string }) => {
      const notification = await getNotification(appIdFrom(options), id, requestOptions(program));
      printRecord(program, notification);
    });

  program
    .command("events <id>")
    .description("download every event of a notification (sent, clicked...) as CSV")
    .option("--app-id <id>", "the app (default: ONESIGNAL_APP_ID)")
    .requiredOption("--out <file>", "where to write the CSV (- for standard output)")
    .action(async (id: string, options: { appId?: string; out: string }) => {
      const appId = appIdFrom(options);
      await checkOutPath("--out", options.out, { stdout: true });
      const rows = await exportNotificationEvents(
        appId,
        id,
        { wait: true, onWait: waitNotice("the events", (line) => process.stderr.write(line)) },
        requestOptions(program),
      );
      await writeCsv(program, rows, options.out, `${rows.length} events`);
    });

  program
    .command("history <id>")
    .description("download who a notification was sent to, or who clicked it, as CSV")
    .option("--app-id <id>", "the app (default: ONESIGNAL_APP_ID)")
    .requiredOption("--events <events>", "sent or clicked")
    .requiredOption("--out <file>", "where to write the CSV (- for standard output)")
    .option("--email <address>", "also email the CSV to this address")
    .action(async (id: string, options: { appId?: string; events: string; out: string; email?: string }) => {
      if (options.events !== "sent" && options.events !== "clicked")
        throw new UsageError("--events is sent or clicked.");
      const appId = appIdFrom(options);
      await checkOutPath("--out", options.out, { stdout: true });
      const rows = await getNotificationHistory(
        appId,
        id,
        {
          events: options.events,
          wait: true,
          ...(options.email ? { email: options.email } : {}),
          onWait: waitNotice("the history", (line) => process.stderr.write(line)),
        },
        requestOptions(program),
      );
      await writeCsv(program, rows, options.out, `${rows.length} ${options.events} events`);
    });
}
