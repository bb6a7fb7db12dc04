import { isUnixTime, LATEST_TIME_MS } from "./clock";
import { fieldNestedTooDeep, MAX_BODY_DEPTH } from "./json-depth";

// The structure of a data file (a StoreSnapshot), checked before anything of it is loaded: a file of the wrong
// shape would otherwise load, and fail later at the first request that reads the broken record (a 500), or at the
// first write. A small explicit table, not a schema library: the emulator ships with none, and the records are few.

/** Checks one value; answers what is wrong with it (its path first), or undefined. */
type Check = (value: unknown, at: string) => string | undefined;

const string: Check = (value, at) => (typeof value === "string" ? undefined : `${at} is not a string`);
const boolean: Check = (value, at) => (typeof value === "boolean" ? undefined : `${at} is not true or false`);
const number: Check = (value, at) =>
  typeof value === "number" && Number.isFinite(value) ? undefined : `${at} is not a number`;
const integer: Check = (value, at) => (Number.isInteger(value) ? undefined : `${at} is not a whole number`);
/** Unix seconds that a Date can hold (they are written out as ISO 8601 dates). */
const unixTime: Check = (value, at) => (isUnixTime(value) ? undefined : `${at} is not a Unix time in seconds`);
/** An ISO 8601 time, as the emulator writes `createdAt` and `updatedAt` of apps, keys, segments and templates. */
const isoTime: Check = (value, at) =>
  typeof value === "string" && !Number.isNaN(Date.parse(value)) ? undefined : `${at} is not an ISO 8601 time`;
const object: Check = (value, at) =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? undefined : `${at} is not an object`;

function nullable(check: Check): Check {
  return (value, at) => (value === null ? undefined : check(value, at));
}

function oneOf(...allowed: string[]): Check {
  return (value, at) =>
    typeof value === "string" && allowed.includes(value) ? undefined : `${at} is not one of ${allowed.join(", ")}`;
}

function listOf(check: Check): Check {
  return (value, at) => {
    if (!Array.isArray(value)) return `${at} is not a list`;
    for (const [index, item] of value.entries()) {
      const problem = check(item, `${at}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** An object whose every value passes `check` (tags, aliases). */
function recordOf(check: Check): Check {
  return (value, at) =>
    object(value, at) ??
    Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => check(item, `${at}.${key}`))
      .find((problem) => problem !== undefined);
}

/** An object with these fields (each required unless named in `optional`); other fields are let through. */
function shape(fields: Record<string, Check>, optional: readonly string[] = []): Check {
  return (value, at) => {
    const notObject = object(value, at);
    if (notObject) return notObject;
    const record = value as Record<string, unknown>;
    for (const [field, check] of Object.entries(fields)) {
      if (record[field] === undefined) {
        if (optional.includes(field)) continue;
        return `${at}.${field} is missing`;
      }
      const problem = check(record[field], `${at}.${field}`);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** The clock's offset: forward only, and never past the latest time the clock may show. */
const clockOffset: Check = (value, at) =>
  typeof value === "number" && value >= 0 && Date.now() + value <= LATEST_TIME_MS
    ? undefined
    : `${at} is not a number of milliseconds the clock can hold (from 0 to the end of year 9999)`;

const dated = { createdAt: isoTime, updatedAt: isoTime };

const app = shape({ id: string, organizationId: string, name: string, settings: object, ...dated });
const apiKey = shape({
  tokenId: string,
  appId: string,
  name: string,
  ipAllowlistMode: oneOf("disabled", "explicit"),
  ipAllowlist: listOf(string),
  tokenHash: string,
  ...dated,
});
const segment = shape({
  id: string,
  appId: string,
  name: string,
  description: nullable(string),
  filters: listOf(object),
  ...dated,
});
const channel = oneOf("push", "email", "sms");
const template = shape({ id: string, appId: string, name: string, channel, content: object, ...dated });
const device = shape({
  id: string,
  appId: string,
  deviceType: integer,
  subscriptionType: nullable(string),
  identifier: nullable(string),
  externalUserId: nullable(string),
  userId: nullable(string),
  language: nullable(string),
  timezone: nullable(number),
  country: nullable(string),
  tags: recordOf(string),
  sessionCount: number,
  sessionTime: number,
  amountSpent: number,
  lastActive: unixTime,
  createdAt: unixTime,
  gameVersion: nullable(string),
  deviceModel: nullable(string),
  deviceOs: nullable(string),
  adId: nullable(string),
  sdk: nullable(string),
  lat: nullable(number),
  long: nullable(number),
  notificationTypes: number,
  testType: nullable(number),
  badgeCount: number,
});
const user = shape({ id: string, appId: string, aliases: recordOf(string), properties: object });
const notification = shape(
  {
    id: string,
    appId: string,
    kind: number,
    request: object,
    channel,
    queuedAt: unixTime,
    sendAfter: nullable(unixTime),
    completedAt: nullable(unixTime),
    canceled: boolean,
    recipients: listOf(string),
    successful: number,
    failed: number,
    errored: number,
    converted: number,
    received: number,
    remaining: number,
    idempotencyKey: nullable(string),
    clicks: listOf(shape({ subscriptionId: string, at: unixTime })),
    queuedAtMs: number,
  },
  // Data files written before clicks and milliseconds were recorded have neither.
  ["clicks", "queuedAtMs"],
);
const idempotency = shape({ appId: string, key: string, createdAt: unixTime, body: object });

/** The lists of a snapshot; `segments` and later ones are absent from data files written before they existed. */
const snapshotShape = shape(
  {
    organization: shape({ id: string, apiKey: string }),
    clockOffsetMs: clockOffset,
    apps: listOf(app),
    apiKeys: listOf(apiKey),
    segments: listOf(segment),
    templates: listOf(template),
    devices: listOf(device),
    users: listOf(user),
    notifications: listOf(notification),
    idempotency: listOf(idempotency),
  },
  ["segments", "templates", "devices", "users", "notifications", "idempotency"],
);

/**
 * How deep a data file may nest: what the emulator stores comes from request bodies of at most
 * {@link MAX_BODY_DEPTH} levels, held a few levels down in the snapshot. Deeper would load, and then fail every write.
 */
const MAX_SNAPSHOT_DEPTH = MAX_BODY_DEPTH + 8;

/**
 * What is wrong with a parsed data file, as a short phrase naming the field (`apps[2].name is not a string`),
 * or undefined when it is a version 1 snapshot the emulator can load and write back.
 */
export function snapshotProblem(parsed: unknown): string | undefined {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return `it holds ${Array.isArray(parsed) ? "a list" : parsed === null ? "null" : `a ${typeof parsed}`}, not an object`;
  }
  const version = (parsed as { version?: unknown }).version;
  if (version === undefined) return "it has no version";
  if (version !== 1) return `its version is ${JSON.stringify(version)}; this emulator reads version 1`;
  const tooDeep = fieldNestedTooDeep(parsed, MAX_SNAPSHOT_DEPTH);
  if (tooDeep !== undefined) return `${tooDeep} is nested deeper than ${MAX_SNAPSHOT_DEPTH} levels`;
  const problem = snapshotShape(parsed, "snapshot");
  // Paths are named from the top (`apps[0].id`), as the file's own fields are.
  if (problem) return problem.replace(/^snapshot\./, "");
  return undefined;
}
