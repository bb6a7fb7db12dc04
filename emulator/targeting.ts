import { isSubscribed } from "./devices";
import { listValues } from "./filters";
import type { DeviceRecord, Store } from "./store";

// Evaluates OneSignal's filter grammar against stored devices: conditions in a row are ANDed, AND
// binds tighter than OR. Field meanings follow the reference notes §5.1.

type Filter = Record<string, unknown>;

function numeric(value: unknown): number {
  return typeof value === "number" ? value : Number(value);
}

function compare(actual: number, relation: unknown, expected: number): boolean {
  switch (relation) {
    case ">":
      return actual > expected;
    case "<":
      return actual < expected;
    case "=":
      return actual === expected;
    case "!=":
      return actual !== expected;
    default:
      return false;
  }
}

function compareVersions(actual: string, expected: string): number {
  const a = actual.split(".").map(Number);
  const b = expected.split(".").map(Number);
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

function distanceMeters(lat1: number, long1: number, lat2: number, long2: number): number {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const a =
    Math.sin(radians(lat2 - lat1) / 2) ** 2 +
    Math.cos(radians(lat1)) * Math.cos(radians(lat2)) * Math.sin(radians(long2 - long1) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
}

/** The tags a device is filtered on: its user's, then its own. */
export function tagsOf(store: Store, device: DeviceRecord): Record<string, string> {
  const user = device.userId ? store.users.get(device.userId) : undefined;
  return { ...((user?.properties.tags as Record<string, string> | undefined) ?? {}), ...device.tags };
}

function matches(store: Store, device: DeviceRecord, filter: Filter, nowSeconds: number): boolean {
  const { field, relation, value } = filter;
  switch (field) {
    case "tag": {
      const tag = tagsOf(store, device)[filter.key as string];
      if (relation === "exists") return tag !== undefined;
      if (relation === "not_exists") return tag === undefined;
      if (relation === "in_array") return tag !== undefined && listValues(value).includes(tag);
      if (relation === "not_in_array") return tag === undefined || !listValues(value).includes(tag);
      if (tag === undefined) return relation === "!=";
      if (relation === "time_elapsed_gt") return nowSeconds - numeric(tag) > numeric(value);
      if (relation === "time_elapsed_lt") return nowSeconds - numeric(tag) < numeric(value);
      if (relation === "=") return tag === String(value);
      if (relation === "!=") return tag !== String(value);
      return compare(numeric(tag), relation, numeric(value));
    }
    case "last_session":
      return compare((nowSeconds - device.lastActive) / 3600, relation, numeric(filter.hours_ago ?? value));
    case "first_session":
      return compare((nowSeconds - device.createdAt) / 3600, relation, numeric(filter.hours_ago ?? value));
    case "session_count":
      return compare(device.sessionCount, relation, numeric(value));
    case "session_time":
      return compare(device.sessionTime, relation, numeric(value));
    case "amount_spent":
      return compare(device.amountSpent, relation, numeric(value));
    case "app_version":
      return device.gameVersion !== null && compare(compareVersions(device.gameVersion, String(value)), relation, 0);
    case "language":
      return inCodes(device.language, relation, value);
    case "country":
      return inCodes(device.country, relation, value);
    case "location":
      return (
        device.lat !== null &&
        device.long !== null &&
        distanceMeters(device.lat, device.long, numeric(filter.lat), numeric(filter.long)) <= numeric(filter.radius)
      );
    case "email":
      return device.deviceType === 11 && device.identifier === value;
    case "bought_sku":
      return compare(spentOn(store, device, String(filter.key)), relation, numeric(value));
    default:
      return false;
  }
}

/**
 * A language or country filter: `=` and `in_array` hold when the device's code is the value or one of
 * the list; `!=` and `not_in_array` when it is not, a device without a code included. Codes compare
 * without regard to case (`US` and `us` alike).
 */
function inCodes(actual: string | null, relation: unknown, value: unknown): boolean {
  const codes = relation === "in_array" || relation === "not_in_array" ? listValues(value) : [String(value)];
  const found = actual !== null && codes.some((code) => code.toLowerCase() === actual.toLowerCase());
  return relation === "!=" || relation === "not_in_array" ? !found : found;
}

/**
 * What the device's user has spent on a SKU, from the purchases the Users API recorded (its `purchases`
 * property and purchase deltas): each purchase's amount times its count.
 */
function spentOn(store: Store, device: DeviceRecord, sku: string): number {
  const user = device.userId ? store.users.get(device.userId) : undefined;
  const purchases = user?.properties.purchases;
  if (!Array.isArray(purchases)) return 0;
  return purchases
    .filter((purchase: { sku?: unknown }) => purchase?.sku === sku)
    .reduce((total: number, purchase: { amount?: unknown; count?: unknown }) => {
      const count = purchase.count === undefined ? 1 : numeric(purchase.count);
      return total + numeric(purchase.amount) * count;
    }, 0);
}

/**
 * The members of a segment with these filters among `devices`, as of now: its subscribed devices, and its
 * unsubscribed ones too with `includeUnsubscribed`.
 */
export function segmentMembers(
  store: Store,
  devices: readonly DeviceRecord[],
  filters: Filter[],
  includeUnsubscribed = false,
): DeviceRecord[] {
  const now = Math.floor(store.clock.now() / 1000);
  return devices.filter(
    (device) => (includeUnsubscribed || isSubscribed(device)) && matchesFilters(store, device, filters, now),
  );
}

/** Whether a device is in the set a filter list describes. */
export function matchesFilters(store: Store, device: DeviceRecord, filters: Filter[], nowSeconds: number): boolean {
  if (filters.length === 0) return true;
  let group: Filter[] = [];
  const groups: Filter[][] = [group];
  for (const entry of filters) {
    if (entry.operator === "OR") {
      group = [];
      groups.push(group);
    } else if (entry.operator !== "AND") {
      group.push(entry);
    }
  }
  return groups.some(
    (conditions) =>
      conditions.length > 0 && conditions.every((condition) => matches(store, device, condition, nowSeconds)),
  );
}

/** OneSignal's built-in segments, by name. */
export const BUILT_IN_SEGMENTS: Record<string, Filter[]> = {
  "Subscribed Users": [],
  "Total Subscriptions": [],
  "Active Users": [{ field: "last_session", relation: "<", hours_ago: "168" }],
  "Engaged Users": [{ field: "session_count", relation: ">", value: "10" }],
  "Inactive Users": [{ field: "last_session", relation: ">", hours_ago: "168" }],
};

/** The filters of a segment by name: one of OneSignal's built-in segments, or one the app made; `undefined` if none. */
export function segmentFiltersByName(store: Store, appId: string, name: string): Filter[] | undefined {
  const builtIn = BUILT_IN_SEGMENTS[name];
  if (builtIn) return builtIn;
  for (const segment of store.segments.values()) {
    if (segment.appId === appId && segment.name === name) return segment.filters;
  }
  return undefined;
}
