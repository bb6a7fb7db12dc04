import { isUnixTime } from "./clock";
import { assert, badRequest } from "./errors";
import type { DeviceRecord, Store } from "./store";

// Device ("player") rules from onesignal-legacy.yaml `Player` and the reference notes §9:
// device types 0-14 (12 unused), email (11) and SMS (14) identifiers, tags edited with "" to delete.

/** OneSignal's device types. */
export const DEVICE_TYPES: Record<number, string> = {
  0: "iOS",
  1: "Android",
  2: "Amazon",
  3: "WindowsPhone",
  4: "ChromeApp",
  5: "ChromeWeb",
  6: "Windows",
  7: "Safari",
  8: "Firefox",
  9: "MacOS",
  10: "Alexa",
  11: "Email",
  13: "Huawei",
  14: "SMS",
};

/** User-model subscription type → device type. */
export const SUBSCRIPTION_TYPES: Record<string, number> = {
  iOSPush: 0,
  AndroidPush: 1,
  FireOSPush: 2,
  ChromeExtensionPush: 4,
  ChromePush: 5,
  WindowsPush: 6,
  SafariLegacyPush: 7,
  FirefoxPush: 8,
  macOSPush: 9,
  HuaweiPush: 13,
  SafariPush: 7,
  Email: 11,
  SMS: 14,
};

const DEFAULT_SUBSCRIPTION_TYPE: Record<number, string> = {
  0: "iOSPush",
  1: "AndroidPush",
  2: "FireOSPush",
  3: "WindowsPush",
  4: "ChromeExtensionPush",
  5: "ChromePush",
  6: "WindowsPush",
  7: "SafariLegacyPush",
  8: "FirefoxPush",
  9: "macOSPush",
  10: "AndroidPush",
  11: "Email",
  13: "HuaweiPush",
  14: "SMS",
};

/** Whether a device is email (11), SMS (14) or push (anything else). */
export function channelOfDevice(device: DeviceRecord): "email" | "sms" | "push" {
  if (device.deviceType === 11) return "email";
  if (device.deviceType === 14) return "sms";
  return "push";
}

/** Whether a device can be messaged: subscribed, not opted out (`notification_types` above 0). */
export function isSubscribed(device: DeviceRecord): boolean {
  return device.notificationTypes > 0;
}

/** A device's subscription type in the user model. */
export function subscriptionTypeOf(device: DeviceRecord): string {
  return device.subscriptionType ?? DEFAULT_SUBSCRIPTION_TYPE[device.deviceType] ?? "AndroidPush";
}

/** An email address, as loosely as OneSignal checks one. */
export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** A phone number in E.164 form. */
export const E164 = /^\+[1-9]\d{6,14}$/;

// ((emulator: D03 OneSignal's texts for bad device types and identifiers are not documented; these are the emulator's))
/** Checks an identifier for a device type. */
export function checkIdentifier(deviceType: number, identifier: unknown): void {
  if (identifier === undefined || identifier === null) {
    assert(deviceType !== 11 && deviceType !== 14, `identifier is required for device_type ${deviceType}`);
    return;
  }
  assert(typeof identifier === "string" && identifier !== "", "identifier must be a non-empty string");
  if (deviceType === 11) assert(EMAIL.test(identifier), `identifier ${identifier} is not a valid email address`);
  if (deviceType === 14)
    assert(E164.test(identifier), `identifier ${identifier} is not a phone number in E.164 format`);
  if (deviceType === 0) assert(/^[A-Za-z0-9]+$/.test(identifier), "iOS push tokens must be alphanumeric only");
}

/** Checks a device type. */
export function checkDeviceType(deviceType: unknown): number {
  assert(
    typeof deviceType === "number" && Number.isInteger(deviceType) && DEVICE_TYPES[deviceType] !== undefined,
    `device_type must be one of ${Object.keys(DEVICE_TYPES).join(", ")}`,
  );
  return deviceType;
}

/** A new device with OneSignal's defaults. */
export function newDevice(store: Store, id: string, appId: string, deviceType: number): DeviceRecord {
  const now = Math.floor(store.clock.now() / 1000);
  return {
    id,
    appId,
    deviceType,
    subscriptionType: null,
    identifier: null,
    externalUserId: null,
    userId: null,
    language: null,
    timezone: null,
    country: null,
    tags: {},
    sessionCount: 1,
    sessionTime: 0,
    amountSpent: 0,
    lastActive: now,
    createdAt: now,
    gameVersion: null,
    deviceModel: null,
    deviceOs: null,
    adId: null,
    sdk: null,
    lat: null,
    long: null,
    notificationTypes: 1,
    testType: null,
    badgeCount: 0,
  };
}

/** Merges tags: `""` or null deletes a tag; values are kept as strings. At most 100 keys per call. */
export function mergeTags(current: Record<string, string>, changes: unknown): Record<string, string> {
  if (changes === undefined || changes === null) return current;
  if (typeof changes !== "object" || Array.isArray(changes))
    throw badRequest("tags must be an object of key-value pairs");
  const entries = Object.entries(changes as Record<string, unknown>);
  assert(entries.length <= 100, "You can only set 100 tags per call");
  const merged = { ...current };
  for (const [key, value] of entries) {
    if (value === "" || value === null) delete merged[key];
    else {
      assert(
        typeof value === "string" || typeof value === "number" || typeof value === "boolean",
        `tag ${key} must be a string`,
      );
      merged[key] = String(value);
    }
  }
  return merged;
}

const STRING_FIELDS: [keyof DeviceRecord, string][] = [
  ["language", "language"],
  ["country", "country"],
  ["gameVersion", "game_version"],
  ["deviceModel", "device_model"],
  ["deviceOs", "device_os"],
  ["adId", "ad_id"],
  ["sdk", "sdk"],
  ["externalUserId", "external_user_id"],
];
const NUMBER_FIELDS: [keyof DeviceRecord, string][] = [
  ["timezone", "timezone"],
  ["sessionCount", "session_count"],
  ["sessionTime", "playtime"],
  ["amountSpent", "amount_spent"],
  ["lastActive", "last_active"],
  ["createdAt", "created_at"],
  ["lat", "lat"],
  ["long", "long"],
  ["notificationTypes", "notification_types"],
  ["testType", "test_type"],
  ["badgeCount", "badge_count"],
];

/** The number fields that hold Unix times. */
const TIME_FIELDS: (keyof DeviceRecord)[] = ["lastActive", "createdAt"];

/** Applies the v1 player fields of a request body to a device (identifier and type excepted). */
export function applyPlayerFields(device: DeviceRecord, input: Record<string, unknown>): void {
  const target = device as unknown as Record<string, unknown>;
  for (const [field, wire] of STRING_FIELDS) {
    if (!(wire in input)) continue;
    const value = input[wire];
    assert(value === null || typeof value === "string", `${wire} must be a string`);
    target[field] = value === "" ? null : value;
  }
  for (const [field, wire] of NUMBER_FIELDS) {
    if (!(wire in input) || input[wire] === null) continue;
    const value = typeof input[wire] === "string" ? Number(input[wire]) : input[wire];
    assert(typeof value === "number" && Number.isFinite(value), `${wire} must be a number`);
    // Times a Date cannot hold would be stored, and then fail the CSV export that writes them as dates.
    if (TIME_FIELDS.includes(field)) assert(isUnixTime(value), `${wire} must be a Unix time in seconds`);
    target[field] = value;
  }
  if (typeof input.language === "string") {
    assert(
      /^[a-z]{2}(-[A-Za-z]{2,4})?$/.test(input.language),
      "language must be a 2-letter code (zh-Hans and zh-Hant for Chinese)",
    );
  }
  device.tags = mergeTags(device.tags, input.tags);
}

/** A device as GET /players shows it. */
export function presentPlayer(device: DeviceRecord): Record<string, unknown> {
  return {
    id: device.id,
    app_id: device.appId,
    identifier: device.identifier,
    session_count: device.sessionCount,
    language: device.language ?? "en",
    timezone: device.timezone ?? 0,
    game_version: device.gameVersion,
    device_os: device.deviceOs,
    device_type: device.deviceType,
    device_model: device.deviceModel,
    ad_id: device.adId,
    tags: device.tags,
    last_active: device.lastActive,
    playtime: device.sessionTime,
    amount_spent: device.amountSpent,
    created_at: device.createdAt,
    invalid_identifier: device.notificationTypes <= 0,
    badge_count: device.badgeCount,
    sdk: device.sdk ?? "",
    test_type: device.testType,
    external_user_id: device.externalUserId,
    notification_types: device.notificationTypes,
    ...(device.country ? { country: device.country } : {}),
    ...(device.lat !== null ? { lat: device.lat } : {}),
    ...(device.long !== null ? { long: device.long } : {}),
  };
}

/** A device as the users API shows it, as a subscription. */
export function presentSubscription(device: DeviceRecord): Record<string, unknown> {
  return {
    id: device.id,
    app_id: device.appId,
    type: subscriptionTypeOf(device),
    token: device.identifier ?? "",
    enabled: device.notificationTypes > 0,
    notification_types: device.notificationTypes,
    session_time: device.sessionTime,
    session_count: device.sessionCount,
    sdk: device.sdk ?? "",
    device_model: device.deviceModel ?? "",
    device_os: device.deviceOs ?? "",
    app_version: device.gameVersion ?? "",
    // ((emulator: D20 devices are never rooted here; net_type, carrier, web_auth and web_p256 are not kept))
    rooted: false,
    ...(device.testType !== null ? { test_type: device.testType } : {}),
  };
}
