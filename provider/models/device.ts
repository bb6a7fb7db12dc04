import type { ApiPlayer } from "../client/devices";
import { OneSignalError } from "../client/errors";
import { fieldTextProblems, unknownProperties } from "./properties";

/** OneSignal's device types by name. */
export const DEVICE_TYPES = {
  ios: 0,
  android: 1,
  amazon: 2,
  windowsPhone: 3,
  chromeApp: 4,
  chromeWeb: 5,
  windows: 6,
  safari: 7,
  firefox: 8,
  macos: 9,
  alexa: 10,
  email: 11,
  huawei: 13,
  sms: 14,
} as const;

/** A device type's name. */
export type DeviceTypeName = keyof typeof DEVICE_TYPES;

/** A time given as a Date or as Unix seconds. */
export type TimeInput = Date | number;

/** The fields of a device that a program sets, camelCase. */
export interface DeviceFields {
  /** The push token, email address (email) or E.164 phone number (sms). */
  identifier?: string;
  /** Your user id for this device (OneSignal's external id). */
  externalUserId?: string;
  /** A 2-letter language code (`zh-Hans`, `zh-Hant` for Chinese). */
  language?: string;
  /** The offset from UTC in seconds, e.g. -28800. */
  timezone?: number;
  /** The version of your app (OneSignal's `game_version`). */
  appVersion?: string;
  deviceModel?: string;
  deviceOs?: string;
  adId?: string;
  sdk?: string;
  sessionCount?: number;
  /** Seconds spent in the app (OneSignal's `playtime`). */
  sessionTime?: number;
  amountSpent?: number;
  /** Tags; an empty string or null deletes a tag. Passed through verbatim. */
  tags?: Record<string, string | number | null>;
  lastActive?: TimeInput;
  createdAt?: TimeInput;
  lat?: number;
  long?: number;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** 1 subscribed; -2 unsubscribed. */
  notificationTypes?: number;
  /** 1 development, 2 ad-hoc (iOS). */
  testType?: number;
  badgeCount?: number;
}

/** A device to add: its type, as OneSignal's number or by name, and its fields. */
export interface DeviceInput extends DeviceFields {
  deviceType: DeviceTypeName | number;
}

/** A device as this package shows it. */
export interface Device extends Omit<DeviceFields, "lastActive" | "createdAt" | "tags"> {
  id: string;
  deviceType: number;
  /** The device type's name, when OneSignal's number has one. */
  deviceTypeName?: DeviceTypeName;
  tags: Record<string, string>;
  lastActive?: Date;
  createdAt?: Date;
  /** True when the device no longer receives messages (unsubscribed). */
  invalidIdentifier: boolean;
}

/** camelCase field → OneSignal's field. The one mapping between the two. */
export const DEVICE_FIELDS = {
  identifier: "identifier",
  externalUserId: "external_user_id",
  language: "language",
  timezone: "timezone",
  appVersion: "game_version",
  deviceModel: "device_model",
  deviceOs: "device_os",
  adId: "ad_id",
  sdk: "sdk",
  sessionCount: "session_count",
  sessionTime: "playtime",
  amountSpent: "amount_spent",
  tags: "tags",
  lastActive: "last_active",
  createdAt: "created_at",
  lat: "lat",
  long: "long",
  country: "country",
  notificationTypes: "notification_types",
  testType: "test_type",
  badgeCount: "badge_count",
} as const satisfies Record<keyof DeviceFields, keyof ApiPlayer>;

/** {@link DEVICE_FIELDS} as entries, made once: bulk upserts map thousands of devices. */
const DEVICE_FIELD_ENTRIES = Object.entries(DEVICE_FIELDS) as [keyof DeviceFields, string][];
/** camelCase field → OneSignal's field, as a Map (no inherited names). */
const WIRE_NAMES = new Map<string, string>(DEVICE_FIELD_ENTRIES);
/** The names a device takes. */
const DEVICE_KEYS: readonly string[] = [...Object.keys(DEVICE_FIELDS), "deviceType"];
/** The names a device takes with a caller's extra ones (`id` for upserts), each list made once. */
const KNOWN_WITH_EXTRA = new Map<string, readonly string[]>([["", DEVICE_KEYS]]);

const NAME_BY_NUMBER = Object.fromEntries(
  Object.entries(DEVICE_TYPES).map(([name, number]) => [number, name]),
) as Record<number, DeviceTypeName>;

/** OneSignal's number for a device type given by number or name; throws a clear error otherwise. */
export function resolveDeviceType(deviceType: unknown): number {
  if (typeof deviceType === "number" && NAME_BY_NUMBER[deviceType] !== undefined) return deviceType;
  if (typeof deviceType === "string") {
    const byName = (DEVICE_TYPES as Record<string, number>)[deviceType];
    if (byName !== undefined) return byName;
    if (/^\d+$/.test(deviceType) && NAME_BY_NUMBER[Number(deviceType)] !== undefined) return Number(deviceType);
  }
  throw new OneSignalError(
    `deviceType ${JSON.stringify(deviceType)} is not a OneSignal device type: use one of ${Object.keys(DEVICE_TYPES).join(", ")} or its number`,
  );
}

function toUnixSeconds(time: TimeInput): number {
  return time instanceof Date ? Math.floor(time.getTime() / 1000) : time;
}

/** The wire fields for a device's fields; undefined fields are left out, times become Unix seconds. */
export function toApiPlayer(fields: DeviceFields & { deviceType?: DeviceTypeName | number }): ApiPlayer {
  const body: Record<string, unknown> = {};
  // The device's own fields, not the whole table: bulk upserts map thousands of devices of a few fields each.
  for (const name of Object.keys(fields)) {
    const value = (fields as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (name === "deviceType") {
      body.device_type = resolveDeviceType(value);
      continue;
    }
    const wire = WIRE_NAMES.get(name);
    if (wire === undefined) continue;
    body[wire] = name === "lastActive" || name === "createdAt" ? toUnixSeconds(value as TimeInput) : value;
  }
  return body as ApiPlayer;
}

/** A device as this package shows it, from OneSignal's answer. */
export function fromApiPlayer(player: ApiPlayer): Device {
  const device: Device = {
    id: player.id ?? "",
    deviceType: player.device_type ?? -1,
    tags: Object.fromEntries(Object.entries(player.tags ?? {}).map(([key, value]) => [key, String(value)])),
    invalidIdentifier: player.invalid_identifier === true,
  };
  const name = NAME_BY_NUMBER[device.deviceType];
  if (name) device.deviceTypeName = name;
  const target = device as unknown as Record<string, unknown>;
  for (const [camel, wire] of DEVICE_FIELD_ENTRIES) {
    if (camel === "tags") continue;
    const value = (player as Record<string, unknown>)[wire];
    if (value === undefined || value === null || value === "") continue;
    target[camel] = camel === "lastActive" || camel === "createdAt" ? new Date((value as number) * 1000) : value;
  }
  return device;
}

const text = { shape: "text", valid: (value: unknown) => typeof value === "string" };
const number = { shape: "a number", valid: (value: unknown) => typeof value === "number" && Number.isFinite(value) };
const time = {
  shape: "a Date or Unix seconds",
  valid: (value: unknown) =>
    (value instanceof Date && !Number.isNaN(value.getTime())) || (typeof value === "number" && Number.isFinite(value)),
};

/** The JSON type of each device field. */
const DEVICE_FIELD_TYPES: Record<string, { shape: string; valid: (value: unknown) => boolean }> = {
  id: text,
  identifier: text,
  externalUserId: text,
  language: text,
  appVersion: text,
  deviceModel: text,
  deviceOs: text,
  adId: text,
  sdk: text,
  country: text,
  timezone: number,
  sessionCount: number,
  sessionTime: number,
  amountSpent: number,
  notificationTypes: number,
  testType: number,
  badgeCount: number,
  lastActive: time,
  createdAt: time,
  deviceType: {
    shape: "a device type name or number",
    valid: (value) => typeof value === "string" || typeof value === "number",
  },
  tags: {
    shape: "an object of tag names to text, numbers or null",
    valid: (value) =>
      typeof value === "object" &&
      !Array.isArray(value) &&
      Object.values(value as object).every((tag) => tag === null || typeof tag === "string" || typeof tag === "number"),
  },
};

/**
 * What is wrong with a device before anything is sent: properties that are not device fields (with the
 * nearest one), text OneSignal cannot store, coordinates out of range.
 */
export function deviceProblems(device: object, extra: readonly string[] = []): string[] {
  const fields = device as Record<string, unknown>;
  const extraKey = extra.join(",");
  let known = KNOWN_WITH_EXTRA.get(extraKey);
  if (!known) {
    known = [...DEVICE_KEYS, ...extra];
    KNOWN_WITH_EXTRA.set(extraKey, known);
  }
  const problems = unknownProperties(device, known, "a device").map((unknown) => unknown.reason);
  problems.push(...fieldTextProblems(fields).map((p) => p.reason));
  for (const [key, value] of Object.entries(fields)) {
    const expected = Object.hasOwn(DEVICE_FIELD_TYPES, key) ? DEVICE_FIELD_TYPES[key] : undefined;
    if (value === undefined || value === null || !expected || expected.valid(value)) continue;
    problems.push(`${key} must be ${expected.shape}, not ${typeof value}`);
  }
  const ranges: [string, number][] = [
    ["lat", 90],
    ["long", 180],
  ];
  for (const [key, limit] of ranges) {
    const value = fields[key];
    if (value !== undefined && !(typeof value === "number" && Number.isFinite(value) && Math.abs(value) <= limit)) {
      problems.push(`${key} must be a number from -${limit} to ${limit}, not ${String(value)}`);
    }
  }
  return problems;
}
