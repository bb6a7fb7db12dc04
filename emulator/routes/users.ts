import {
  applyPlayerFields,
  channelOfDevice,
  checkIdentifier,
  mergeTags,
  newDevice,
  presentSubscription,
  SUBSCRIPTION_TYPES,
} from "../devices";
import { accessDenied, EmulatorError, requireObject } from "../errors";
import { newId } from "../ids";
import type { RequestContext, Route } from "../router";
import type { DeviceRecord, Store, UserRecord } from "../store";

// Modelled on onesignal-current.yaml (create_user, get_user, update_user, delete_user,
// create_subscription, update_subscription, delete_subscription). Users-API errors are objects
// with a title, as OneSignal sends them.

/** Routes for `/apps/{app_id}/users` and `/apps/{app_id}/subscriptions`. */
export const userRoutes: Route[] = usersApiRoutes([
  { method: "POST", pattern: "/apps/:app_id/users", handler: createUser },
  { method: "GET", pattern: "/apps/:app_id/users/by/:alias_label/:alias_id", handler: viewUser },
  { method: "GET", pattern: "/apps/:app_id/users/by/:alias_label/:alias_id/identity", handler: viewIdentity },
  { method: "PATCH", pattern: "/apps/:app_id/users/by/:alias_label/:alias_id", handler: updateUser },
  { method: "DELETE", pattern: "/apps/:app_id/users/by/:alias_label/:alias_id", handler: deleteUser },
  {
    method: "POST",
    pattern: "/apps/:app_id/users/by/:alias_label/:alias_id/subscriptions",
    handler: createSubscription,
  },
  { method: "PATCH", pattern: "/apps/:app_id/subscriptions/:subscription_id", handler: updateSubscription },
  { method: "DELETE", pattern: "/apps/:app_id/subscriptions/:subscription_id", handler: deleteSubscription },
]);

/** Routes of the Users API: an app key, its 401 and 403, and its error items with a code and a title. */
export function usersApiRoutes(routes: Omit<Route, "auth">[]): Route[] {
  return routes.map((route): Route => ({ ...route, auth: "app", denied: usersApiDenied, errors: usersApiErrors }));
}

/**
 * The `code` of the Users API's 400 items. ((emulator: D40 OneSignal documents that its 400 items carry a `code` and a
 * `title`, not their values: this code and the titles are the emulator's))
 */
const BAD_REQUEST_CODE = "bad-request";

/**
 * The Users API's 400s: items with a `code` and a `title` (its reference pages), also for the refusals shared with
 * other families (a malformed body, a body that is not an object); its 401, 403, 404, 409 and 429 keep their own.
 */
function usersApiErrors(error: EmulatorError): EmulatorError {
  const items = error.body.errors;
  if (error.status !== 400 || !Array.isArray(items)) return error;
  const errors = items.map((item: unknown) =>
    typeof item === "string" ? { code: BAD_REQUEST_CODE, title: item } : item,
  );
  return new EmulatorError(400, { errors }, error.headers);
}

/**
 * The Users API's refusals: a request with no key gets its structured 401 (`auth-1`); a wrong or
 * mismatched key gets the 403 "Access denied" of OneSignal's front end, as every other API does.
 */
function usersApiDenied({ principal }: RequestContext): EmulatorError {
  if (principal.kind === "none" && principal.missing) {
    return userError(401, "This operation requires 'Authorization' in the HTTP header", "auth-1");
  }
  return accessDenied();
}

/** A Users API refusal: `{"errors":[{code, title}]}`. */
export function userError(status: number, title: string, code = BAD_REQUEST_CODE): EmulatorError {
  return new EmulatorError(status, { errors: [{ code, title }] });
}

const PROPERTY_KEYS = [
  "tags",
  "language",
  "timezone_id",
  "country",
  "lat",
  "long",
  "first_active",
  "last_active",
  "amount_spent",
  "ip",
  "purchases",
];

function mergeProperties(current: Record<string, unknown>, changes: unknown): Record<string, unknown> {
  if (changes === undefined || changes === null) return current;
  if (typeof changes !== "object" || Array.isArray(changes)) throw userError(400, "properties must be an object");
  const merged = { ...current };
  for (const [key, value] of Object.entries(changes as Record<string, unknown>)) {
    if (!PROPERTY_KEYS.includes(key)) continue;
    if (key === "tags") merged.tags = mergeTags((current.tags as Record<string, string>) ?? {}, value);
    else if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** The full user as the users API shows it; its first and last activity are its subscriptions' unless set. */
export function presentUser(store: Store, user: UserRecord): Record<string, unknown> {
  const subscriptions = subscriptionsOf(store, user);
  const activity =
    subscriptions.length === 0
      ? {}
      : {
          first_active: Math.min(...subscriptions.map((device) => device.createdAt)),
          last_active: Math.max(...subscriptions.map((device) => device.lastActive)),
        };
  return {
    identity: { ...user.aliases, onesignal_id: user.id },
    properties: { tags: {}, ...activity, ...user.properties },
    subscriptions: subscriptions.map(presentSubscription),
  };
}

/** The user's subscriptions, oldest first. */
export function subscriptionsOf(store: Store, user: UserRecord): DeviceRecord[] {
  return store.devicesOfUser(user.id).sort((a, b) => a.createdAt - b.createdAt);
}

/** A user keeps at most this many subscriptions. */
const MAX_SUBSCRIPTIONS = 20;
/** ...of which at least this many email and SMS ones each stay, when it has them. */
const KEPT_PER_CHANNEL = 3;

/**
 * OneSignal's rule for a user past 20 subscriptions: the least recently active ones leave it, each
 * becoming an anonymous user of its own (a new onesignal_id, no external id), while at least 3 email
 * and 3 SMS subscriptions stay.
 */
export function enforceSubscriptionLimit(store: Store, user: UserRecord): void {
  const subscriptions = subscriptionsOf(store, user);
  let excess = subscriptions.length - MAX_SUBSCRIPTIONS;
  if (excess <= 0) return;
  const left = { email: 0, sms: 0, push: 0 };
  for (const device of subscriptions) left[channelOfDevice(device)] += 1;
  const leastActiveFirst = [...subscriptions].sort((a, b) => a.lastActive - b.lastActive || a.createdAt - b.createdAt);
  for (const device of leastActiveFirst) {
    if (excess === 0) break;
    const channel = channelOfDevice(device);
    if (channel !== "push" && left[channel] <= KEPT_PER_CHANNEL) continue;
    const anonymous: UserRecord = { id: newId(), appId: user.appId, aliases: {}, properties: {} };
    store.putUser(anonymous);
    device.userId = anonymous.id;
    device.externalUserId = null;
    store.putDevice(device);
    left[channel] -= 1;
    excess -= 1;
  }
}

/** Links a device to the user with its external id, making that user when there is none (the user model does). */
export function linkExternalUser(store: Store, device: DeviceRecord): void {
  if (!device.externalUserId) {
    device.userId = null;
    return;
  }
  let user = store.findUserByAlias(device.appId, "external_id", device.externalUserId);
  if (!user) {
    user = { id: newId(), appId: device.appId, aliases: { external_id: device.externalUserId }, properties: {} };
    store.putUser(user);
  }
  device.userId = user.id;
}

/** The user an alias names, or the Users API's 404. */
export function requireUser(store: Store, appId: string, label: string, id: string): UserRecord {
  const user = store.findUserByAlias(appId, label, id);
  if (!user) throw userError(404, "User not found", "user-2");
  return user;
}

/** Creates or updates the devices of a subscriptions list for a user. */
function upsertSubscriptions(store: Store, user: UserRecord, subscriptions: unknown): DeviceRecord[] {
  if (subscriptions === undefined || subscriptions === null) return [];
  if (!Array.isArray(subscriptions)) throw userError(400, "subscriptions must be an array");
  return subscriptions.map((entry: unknown) => {
    if (typeof entry !== "object" || entry === null) throw userError(400, "each subscription must be an object");
    const input = entry as Record<string, unknown>;
    const type = input.type;
    if (typeof type !== "string" || SUBSCRIPTION_TYPES[type] === undefined) {
      throw userError(400, `subscription type must be one of ${Object.keys(SUBSCRIPTION_TYPES).join(", ")}`);
    }
    const deviceType = SUBSCRIPTION_TYPES[type] as number;
    try {
      checkIdentifier(deviceType, input.token);
    } catch (error) {
      if (error instanceof EmulatorError) throw userError(400, String((error.body.errors as string[])[0]));
      throw error;
    }
    const token = (input.token as string | undefined) ?? null;
    const existing = token ? store.findDeviceByIdentifier(user.appId, token) : undefined;
    const device = existing ?? newDevice(store, newId(), user.appId, deviceType);
    device.deviceType = deviceType;
    device.subscriptionType = type;
    device.identifier = token;
    device.userId = user.id;
    device.externalUserId = user.aliases.external_id ?? null;
    applySubscriptionFields(device, input);
    store.putDevice(device);
    return device;
  });
}

function applySubscriptionFields(device: DeviceRecord, input: Record<string, unknown>): void {
  if (typeof input.enabled === "boolean") device.notificationTypes = input.enabled ? 1 : -2;
  if (typeof input.notification_types === "number") device.notificationTypes = input.notification_types;
  const fields: Record<string, unknown> = {
    session_count: input.session_count,
    playtime: input.session_time,
    sdk: input.sdk,
    device_model: input.device_model,
    device_os: input.device_os,
    game_version: input.app_version,
    test_type: input.test_type,
  };
  applyPlayerFields(device, Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)));
}

function applyUserPropertiesToDevices(store: Store, user: UserRecord): void {
  // Targeting reads these from each subscription; the user model keeps them on the user.
  for (const device of subscriptionsOf(store, user)) {
    const { language, country, lat, long } = user.properties as Record<string, unknown>;
    if (typeof language === "string") device.language = language;
    if (typeof country === "string") device.country = country;
    if (typeof lat === "number") device.lat = lat;
    if (typeof long === "number") device.long = long;
  }
}

function createUser({ store, params, body }: RequestContext) {
  const appId = params.app_id as string;
  const input = requireObject(body);
  const identity = input.identity;
  if (
    typeof identity !== "object" ||
    identity === null ||
    Array.isArray(identity) ||
    Object.keys(identity).length === 0
  ) {
    throw userError(400, "identity is required: at least one alias, such as external_id");
  }
  const aliases = identity as Record<string, unknown>;
  for (const [label, id] of Object.entries(aliases)) {
    if (typeof id !== "string" || id === "") throw userError(400, `alias ${label} must be a non-empty string`);
  }
  const owners = new Set(
    Object.entries(aliases)
      .map(([label, id]) => store.findUserByAlias(appId, label, id as string)?.id)
      .filter((id): id is string => id !== undefined),
  );
  if (owners.size > 1) throw conflict(store, appId, aliases);
  const existing = owners.size === 1 ? store.users.get([...owners][0] as string) : undefined;
  if (!existing && typeof aliases.onesignal_id === "string") throw userError(404, "User not found", "user-2");
  const user: UserRecord = existing ?? { id: newId(), appId, aliases: {}, properties: {} };
  for (const [label, id] of Object.entries(aliases)) if (label !== "onesignal_id") user.aliases[label] = id as string;
  user.properties = mergeProperties(user.properties, input.properties);
  store.putUser(user);
  upsertSubscriptions(store, user, input.subscriptions);
  enforceSubscriptionLimit(store, user);
  applyUserPropertiesToDevices(store, user);
  return { status: existing ? 200 : 201, body: presentUser(store, user) };
}

/**
 * OneSignal's 409 for a create whose aliases name different users: `Conflict`, with the aliases that
 * identify a user other than the first alias's, in `meta.conflicting_aliases`.
 */
function conflict(store: Store, appId: string, aliases: Record<string, unknown>): EmulatorError {
  const ownerOf = (label: string) => store.findUserByAlias(appId, label, aliases[label] as string)?.id;
  const labels = Object.keys(aliases).filter((label) => ownerOf(label) !== undefined);
  const first = ownerOf(labels[0] as string);
  const conflicting = Object.fromEntries(
    labels.filter((label) => ownerOf(label) !== first).map((label) => [label, aliases[label]]),
  );
  return new EmulatorError(409, {
    errors: [{ code: "Conflict", title: "Conflicting aliases", meta: { conflicting_aliases: conflicting } }],
  });
}

function viewUser({ store, params }: RequestContext) {
  const user = requireUser(store, params.app_id as string, params.alias_label as string, params.alias_id as string);
  return { body: presentUser(store, user) };
}

/** GET .../identity: the user's aliases, its OneSignal id among them. */
function viewIdentity({ store, params }: RequestContext) {
  const user = requireUser(store, params.app_id as string, params.alias_label as string, params.alias_id as string);
  return { body: { identity: { ...user.aliases, onesignal_id: user.id } } };
}

function updateUser({ store, params, body }: RequestContext) {
  const user = requireUser(store, params.app_id as string, params.alias_label as string, params.alias_id as string);
  const input = requireObject(body);
  // Everything is checked before anything changes: a refused update leaves the user as it was.
  const properties = mergeProperties(user.properties, input.properties);
  const deltas = input.deltas as Record<string, unknown> | undefined;
  const purchases = deltas && typeof deltas === "object" ? checkPurchases(deltas.purchases) : [];
  const spent = purchases.reduce((total, purchase) => total + Number(purchase.amount) * (purchase.count ?? 1), 0);
  const subscriptions = subscriptionsOf(store, user);
  const sessionCount = typeof deltas?.session_count === "number" ? deltas.session_count : 0;
  const sessionTime = typeof deltas?.session_time === "number" ? deltas.session_time : 0;
  // A sum past what a number holds would be stored as null in the data file: refused by the field that overflows.
  const overflows = (add: number, field: "amountSpent" | "sessionCount" | "sessionTime") =>
    subscriptions.some((device) => !Number.isFinite(device[field] + add));
  if (!Number.isFinite(spent) || overflows(spent, "amountSpent")) {
    throw userError(400, "deltas.purchases add up to an amount past what a number can hold");
  }
  if (overflows(sessionCount, "sessionCount")) {
    throw userError(400, "deltas.session_count takes a session count past what a number can hold");
  }
  if (overflows(sessionTime, "sessionTime")) {
    throw userError(400, "deltas.session_time takes a session time past what a number can hold");
  }
  user.properties = properties;
  // Purchases add to the user's history (what bought_sku filters read) and to what its devices have spent.
  if (purchases.length > 0) {
    const history = Array.isArray(user.properties.purchases) ? (user.properties.purchases as unknown[]) : [];
    user.properties.purchases = [...history, ...purchases];
  }
  if (deltas && typeof deltas === "object") {
    for (const device of subscriptions) {
      device.sessionCount += sessionCount;
      device.sessionTime += sessionTime;
      device.amountSpent += spent;
    }
  }
  store.putUser(user);
  applyUserPropertiesToDevices(store, user);
  return { status: 202, body: { properties: user.properties } };
}

/** A purchase of the Users API: a SKU, an amount (a number, or its text), an ISO currency, an optional count. */
interface Purchase {
  sku: string;
  amount: string | number;
  iso: string;
  count?: number;
}

/** The purchases of a delta, checked; none when absent. */
function checkPurchases(purchases: unknown): Purchase[] {
  if (purchases === undefined || purchases === null) return [];
  if (!Array.isArray(purchases)) throw userError(400, "deltas.purchases must be an array");
  for (const purchase of purchases as Record<string, unknown>[]) {
    const valid =
      typeof purchase === "object" &&
      purchase !== null &&
      typeof purchase.sku === "string" &&
      purchase.sku !== "" &&
      Number.isFinite(Number(purchase.amount)) &&
      purchase.amount !== "" &&
      typeof purchase.iso === "string" &&
      (purchase.count === undefined || (Number.isInteger(purchase.count) && (purchase.count as number) > 0));
    if (!valid) throw userError(400, "each purchase needs sku, amount and iso, and a whole count when given");
  }
  return purchases as Purchase[];
}

function deleteUser({ store, params }: RequestContext) {
  const user = requireUser(store, params.app_id as string, params.alias_label as string, params.alias_id as string);
  for (const device of subscriptionsOf(store, user)) store.deleteDevice(device.id);
  store.deleteUser(user.id);
  return { body: {} };
}

function createSubscription({ store, params, body }: RequestContext) {
  const user = requireUser(store, params.app_id as string, params.alias_label as string, params.alias_id as string);
  const input = requireObject(body);
  const token = (input.subscription as { token?: unknown } | null | undefined)?.token;
  const owner = typeof token === "string" ? store.findDeviceByIdentifier(user.appId, token)?.userId : undefined;
  const [device] = upsertSubscriptions(store, user, [input.subscription]);
  enforceSubscriptionLimit(store, user);
  // 201 made, 202 moved here from another user, 200 already this user's (OneSignal's three answers).
  const status = owner === undefined ? 201 : owner === user.id ? 200 : 202;
  return { status, body: { subscription: presentSubscription(device as DeviceRecord) } };
}

/** A subscription of the app, or the Users API's 404. */
export function requireSubscription(store: Store, appId: string, id: string): DeviceRecord {
  const device = store.devices.get(id);
  if (!device || device.appId !== appId) throw userError(404, "Subscription not found", "subscription-0");
  return device;
}

function updateSubscription({ store, params, body }: RequestContext) {
  const device = requireSubscription(store, params.app_id as string, params.subscription_id as string);
  const input = requireObject(body).subscription;
  if (typeof input !== "object" || input === null) throw userError(400, "subscription is required");
  const changes = input as Record<string, unknown>;
  if (changes.token !== undefined) {
    checkIdentifier(device.deviceType, changes.token);
    device.identifier = changes.token as string;
  }
  applySubscriptionFields(device, changes);
  store.putDevice(device);
  return { body: {} };
}

function deleteSubscription({ store, params }: RequestContext) {
  const device = requireSubscription(store, params.app_id as string, params.subscription_id as string);
  store.deleteDevice(device.id);
  return { status: 202, body: {} };
}
