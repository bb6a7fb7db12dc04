import { gzipSync } from "node:zlib";
import { stringify } from "csv-stringify/sync";
import { assert, requireObject } from "../errors";
import { newId } from "../ids";
import { appIdFromQuery, type RequestContext, type Route } from "../router";
import type { DeviceRecord, Store } from "../store";
import { segmentFiltersByName, segmentMembers } from "../targeting";

// Modelled on POST /players/csv_export (export_subscriptions in onesignal-current.yaml, export_players
// in the legacy one) and the reference notes §9: a gzipped CSV whose URL answers 403 until it is ready.

/** A CSV export being prepared or ready. */
export interface CsvExport {
  appId: string;
  readyAt: number;
  file: Buffer;
  contentType: string;
}

// ((emulator: D31 prepared files live in memory, not in the data file: a restart forgets them, where
// OneSignal keeps them 3 days))
/** Where exports wait; the server owns it. */
export interface ExportShelf {
  exports: Map<string, CsvExport>;
  /** How long an export takes to be ready, in ms of real time. */
  delayMs: number;
}

/**
 * Puts a prepared file on the shelf, ready once the shelf's delay has passed, and answers the URL that serves it
 * (`GET /csv_exports/{app_id}/{file}`).
 */
export function shelveExport(
  shelf: ExportShelf,
  baseUrl: string,
  name: string,
  prepared: Omit<CsvExport, "readyAt">,
): string {
  shelf.exports.set(name, { ...prepared, readyAt: Date.now() + shelf.delayMs });
  return `${baseUrl}/csv_exports/${prepared.appId}/${name}`;
}

const BASE_COLUMNS = [
  "id",
  "identifier",
  "session_count",
  "language",
  "timezone",
  "game_version",
  "device_os",
  "device_type",
  "device_model",
  "ad_id",
  "tags",
  "last_active",
  "playtime",
  "amount_spent",
  "created_at",
  "invalid_identifier",
  "badge_count",
];
const EXTRA_FIELDS = [
  "location",
  "country",
  "rooted",
  "notification_types",
  "ip",
  "external_user_id",
  "web_auth",
  "web_p256",
  "timezone_id",
];

function cell(value: unknown): string {
  return value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
}

function columnsFor(extra: string[]): string[] {
  const columns = [...BASE_COLUMNS];
  for (const field of extra) {
    if (field === "location") columns.push("lat", "long");
    else columns.push(field);
  }
  return columns;
}

/** The columns that are a device field as it is kept, by column. */
const DEVICE_COLUMNS: Record<string, keyof DeviceRecord> = {
  id: "id",
  identifier: "identifier",
  session_count: "sessionCount",
  language: "language",
  timezone: "timezone",
  game_version: "gameVersion",
  device_os: "deviceOs",
  device_type: "deviceType",
  device_model: "deviceModel",
  ad_id: "adId",
  tags: "tags",
  playtime: "sessionTime",
  amount_spent: "amountSpent",
  badge_count: "badgeCount",
  lat: "lat",
  long: "long",
  country: "country",
  notification_types: "notificationTypes",
  external_user_id: "externalUserId",
};

function columnValue(store: Store, device: DeviceRecord, column: string): unknown {
  const field = Object.hasOwn(DEVICE_COLUMNS, column) ? DEVICE_COLUMNS[column] : undefined;
  if (field !== undefined) return device[field];
  const iso = (seconds: number) =>
    new Date(seconds * 1000)
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, "");
  switch (column) {
    case "last_active":
      return iso(device.lastActive);
    case "created_at":
      return iso(device.createdAt);
    case "invalid_identifier":
      return device.notificationTypes <= 0 ? "t" : "f";
    case "rooted":
      return "f";
    case "timezone_id":
      return device.userId ? store.users.get(device.userId)?.properties.timezone_id : undefined;
    default:
      return "";
  }
}

/** Routes for CSV exports, with the shelf they keep them on. */
export function exportRoutes(shelf: ExportShelf): Route[] {
  return [
    {
      method: "POST",
      pattern: "/players/csv_export",
      auth: "app",
      appId: appIdFromQuery,
      query: ["app_id"],
      handler: ({ store, query, body, baseUrl }: RequestContext) => {
        const appId = query.get("app_id") as string;
        // ((emulator: D34 exports may run side by side; OneSignal runs one per account at a time))
        const input = requireObject(body ?? {});
        const extra = input.extra_fields ?? [];
        assert(
          Array.isArray(extra) && extra.every((field) => typeof field === "string"),
          "extra_fields must be a list",
        );
        for (const field of extra) assert(EXTRA_FIELDS.includes(field), `extra_fields: ${field} is not supported`);
        let devices = store.devicesOf(appId);
        if (input.last_active_since !== undefined) {
          const since = Number(input.last_active_since);
          assert(Number.isFinite(since), "last_active_since must be a Unix time in seconds");
          devices = devices.filter((device) => device.lastActive > since);
        }
        if (input.include_unsubscribed !== undefined) {
          assert(typeof input.include_unsubscribed === "boolean", "include_unsubscribed must be true or false");
        }
        if (input.segment_name !== undefined) {
          assert(typeof input.segment_name === "string", "segment_name must be a string");
          const filters = segmentFiltersByName(store, appId, input.segment_name);
          assert(filters, `Segment ${input.segment_name} not found`);
          devices = segmentMembers(store, devices, filters, input.include_unsubscribed === true);
        }
        const columns = columnsFor(extra as string[]);
        const csv = stringify([
          columns,
          ...devices.map((device) => columns.map((column) => cell(columnValue(store, device, column)))),
        ]);
        const name = `users_${appId}_${new Date(store.clock.now()).toISOString().slice(0, 10)}_${newId()}.csv.gz`;
        const url = shelveExport(shelf, baseUrl, name, { appId, file: gzipSync(csv), contentType: "application/gzip" });
        return { body: { csv_file_url: url } };
      },
    },
    {
      method: "GET",
      pattern: "/csv_exports/:app_id/:file",
      auth: "none",
      handler: ({ params }: RequestContext) => {
        const found = shelf.exports.get(params.file as string);
        // The real file sits on a storage host that answers 404 NoSuchKey until it exists, as OneSignal's
        // reference page shows (the reference notes had a 403; the client waits through both).
        if (!found || found.appId !== params.app_id || Date.now() < found.readyAt) {
          return {
            status: 404,
            body: "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>",
            headers: { "Content-Type": "application/xml" },
          };
        }
        return { body: found.file, headers: { "Content-Type": found.contentType } };
      },
    },
  ];
}
