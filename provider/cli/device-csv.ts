import { closest } from "fastest-levenshtein";
import type { DeviceUpsert } from "../functions/devices";
import { resolveDeviceType } from "../models/device";

const NUMBER_COLUMNS: Record<string, keyof DeviceUpsert> = {
  timezone: "timezone",
  session_count: "sessionCount",
  sessionCount: "sessionCount",
  playtime: "sessionTime",
  session_time: "sessionTime",
  sessionTime: "sessionTime",
  amount_spent: "amountSpent",
  amountSpent: "amountSpent",
  lat: "lat",
  long: "long",
  notification_types: "notificationTypes",
  notificationTypes: "notificationTypes",
  test_type: "testType",
  testType: "testType",
  badge_count: "badgeCount",
  last_active: "lastActive",
  lastActive: "lastActive",
};

const TEXT_COLUMNS: Record<string, keyof DeviceUpsert> = {
  id: "id",
  identifier: "identifier",
  external_user_id: "externalUserId",
  externalUserId: "externalUserId",
  external_id: "externalUserId",
  language: "language",
  country: "country",
  game_version: "appVersion",
  app_version: "appVersion",
  appVersion: "appVersion",
  device_model: "deviceModel",
  deviceModel: "deviceModel",
  device_os: "deviceOs",
  deviceOs: "deviceOs",
  ad_id: "adId",
  sdk: "sdk",
};

/**
 * Columns of OneSignal's CSV export that no device write takes (OneSignal computes them): a file that
 * `devices export` wrote imports with them left out.
 */
const EXPORT_ONLY_COLUMNS = ["created_at", "invalid_identifier", "rooted", "ip", "web_auth", "web_p256"];

const KNOWN_COLUMNS = [
  "device_type",
  "deviceType",
  "tags",
  ...Object.keys(NUMBER_COLUMNS),
  ...Object.keys(TEXT_COLUMNS),
  ...EXPORT_ONLY_COLUMNS,
];

/** How many unknown (or repeated) columns a refusal names before it says how many more there are. */
export const NAMED_COLUMNS_AT_MOST = 3;

const KNOWN = new Set(KNOWN_COLUMNS);

/** A column's name for a message: quoted, and cut short when long. */
function shown(column: string): string {
  return JSON.stringify(column.length > 40 ? `${column.slice(0, 40)}...` : column);
}

/**
 * The header's problems: unknown or repeated columns, the first few named (unknown ones with the nearest known
 * one), then how many more; no device_type. A header of thousands of columns gets a message of a few lines.
 */
export function headerProblems(header: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const repeated: string[] = [];
  const unknown: string[] = [];
  for (const column of header) {
    if (seen.has(column)) repeated.push(column);
    seen.add(column);
    if (column.startsWith("tag:") && column.length > 4) continue;
    if (!KNOWN.has(column)) unknown.push(column);
  }
  for (const column of repeated.slice(0, NAMED_COLUMNS_AT_MOST)) problems.push(`column ${shown(column)} appears twice`);
  for (const column of unknown.slice(0, NAMED_COLUMNS_AT_MOST)) {
    // The nearest known name only for the few named: a distance to every known name takes time per column.
    problems.push(`unknown column ${shown(column)} (did you mean ${JSON.stringify(closest(column, KNOWN_COLUMNS))}?)`);
  }
  if (repeated.length > NAMED_COLUMNS_AT_MOST)
    problems.push(`and ${repeated.length - NAMED_COLUMNS_AT_MOST} more repeated columns`);
  if (unknown.length > NAMED_COLUMNS_AT_MOST)
    problems.push(`and ${unknown.length - NAMED_COLUMNS_AT_MOST} more unknown columns`);
  if (!header.includes("device_type") && !header.includes("deviceType")) problems.push("no device_type column");
  return problems;
}

/** A time cell: Unix seconds, or a date as OneSignal's export writes it (`2026-11-26 12:00:00`, UTC). */
function secondsOf(column: string, value: string): number {
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  const parsed = Date.parse(
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(" ", "T")}Z` : value,
  );
  if (Number.isNaN(parsed)) throw new Error(`${column} is neither Unix seconds nor a date: ${value}`);
  return Math.floor(parsed / 1000);
}

/**
 * A device from one CSV row. Headers may be OneSignal's (`device_type`, `external_user_id`...) or
 * camelCase; tags come from a `tags` JSON column and from `tag:<key>` columns. Throws on a bad row.
 */
export function deviceFromRow(row: Record<string, string>): DeviceUpsert {
  const typeCell = row.device_type ?? row.deviceType;
  if (!typeCell) throw new Error("device_type is empty");
  const device: DeviceUpsert = { deviceType: resolveDeviceType(typeCell) };
  const target = device as unknown as Record<string, unknown>;
  const tags: Record<string, string> = {};
  for (const [column, raw] of Object.entries(row)) {
    const value = raw.trim();
    if (value === "" || column === "device_type" || column === "deviceType" || EXPORT_ONLY_COLUMNS.includes(column))
      continue;
    if (column.startsWith("tag:")) tags[column.slice(4)] = value;
    else if (column === "tags") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        throw new Error(`tags is not JSON: ${value}`);
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new Error("tags must be a JSON object");
      Object.assign(tags, parsed);
    } else if (column === "last_active" || column === "lastActive") {
      device.lastActive = secondsOf(column, value);
    } else if (NUMBER_COLUMNS[column]) {
      const number = Number(value);
      if (!Number.isFinite(number)) throw new Error(`${column} is not a number: ${value}`);
      target[NUMBER_COLUMNS[column]] = number;
    } else if (TEXT_COLUMNS[column]) {
      target[TEXT_COLUMNS[column]] = value;
    }
  }
  if (Object.keys(tags).length > 0) device.tags = tags;
  return device;
}
