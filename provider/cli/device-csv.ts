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
    if (value === "" || column === "device_type" || column === "deviceType") continue;
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
