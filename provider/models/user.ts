import type { ApiSubscription, ApiUser } from "../client/users";
import type { TimeInput } from "./device";
import { textProblems, unknownProperties } from "./properties";

/** A subscription's type in OneSignal's user model. */
export type SubscriptionType =
  | "iOSPush"
  | "AndroidPush"
  | "FireOSPush"
  | "ChromeExtensionPush"
  | "ChromePush"
  | "WindowsPush"
  | "SafariLegacyPush"
  | "FirefoxPush"
  | "macOSPush"
  | "HuaweiPush"
  | "SafariPush"
  | "Email"
  | "SMS";

/** The v1 device type of each subscription type, to find a user's device of a given type. */
export const SUBSCRIPTION_DEVICE_TYPES: Record<SubscriptionType, number> = {
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

/** A subscription: a push token, an email address or a phone number of a user. */
export interface Subscription {
  id?: string;
  type: SubscriptionType;
  token: string;
  enabled?: boolean;
  notificationTypes?: number;
  sessionTime?: number;
  sessionCount?: number;
  sdk?: string;
  deviceModel?: string;
  deviceOs?: string;
  appVersion?: string;
  testType?: number;
}

/** A purchase, as OneSignal records it. */
export interface Purchase {
  sku: string;
  amount: string;
  iso: string;
  count?: number;
}

/** A user's properties, camelCase. `tags` pass through verbatim; an empty value deletes a tag. */
export interface UserProperties {
  tags?: Record<string, string | number | null>;
  language?: string;
  /** An IANA time zone, e.g. `Europe/Paris`. */
  timezoneId?: string;
  country?: string;
  lat?: number;
  long?: number;
  firstActive?: TimeInput;
  lastActive?: TimeInput;
  amountSpent?: number;
  ip?: string;
  purchases?: Purchase[];
}

/** What `upsertUser` takes: aliases (label → id, verbatim), properties and subscriptions. */
export interface UserInput {
  identity: Record<string, string>;
  properties?: UserProperties;
  subscriptions?: Subscription[];
}

/** A user as this package shows it. */
export interface User {
  /** OneSignal's own id of the user. */
  onesignalId: string;
  identity: Record<string, string>;
  properties: UserProperties;
  subscriptions: Subscription[];
}

const PROPERTY_FIELDS = {
  tags: "tags",
  language: "language",
  timezoneId: "timezone_id",
  country: "country",
  lat: "lat",
  long: "long",
  firstActive: "first_active",
  lastActive: "last_active",
  amountSpent: "amount_spent",
  ip: "ip",
  purchases: "purchases",
} as const satisfies Record<keyof UserProperties, string>;

const SUBSCRIPTION_FIELDS = {
  id: "id",
  type: "type",
  token: "token",
  enabled: "enabled",
  notificationTypes: "notification_types",
  sessionTime: "session_time",
  sessionCount: "session_count",
  sdk: "sdk",
  deviceModel: "device_model",
  deviceOs: "device_os",
  appVersion: "app_version",
  testType: "test_type",
} as const satisfies Record<keyof Subscription, keyof ApiSubscription>;

function mapKeys(source: object, fields: Record<string, string>, reverse = false): Record<string, unknown> {
  const pairs = Object.entries(fields).map(([camel, wire]) => (reverse ? [wire, camel] : [camel, wire]));
  const out: Record<string, unknown> = {};
  for (const [from, to] of pairs) {
    const value = (source as Record<string, unknown>)[from as string];
    if (value !== undefined) out[to as string] = value;
  }
  return out;
}

/** The wire body of a user; aliases pass through verbatim, times become Unix seconds. */
export function toApiUser(user: UserInput): ApiUser {
  const properties = user.properties ? mapKeys(user.properties, PROPERTY_FIELDS) : undefined;
  for (const key of ["first_active", "last_active"]) {
    const value = properties?.[key];
    if (value instanceof Date && properties) properties[key] = Math.floor(value.getTime() / 1000);
  }
  return {
    identity: { ...user.identity },
    ...(properties ? { properties } : {}),
    ...(user.subscriptions
      ? { subscriptions: user.subscriptions.map((sub) => mapKeys(sub, SUBSCRIPTION_FIELDS) as ApiSubscription) }
      : {}),
  };
}

/** A user as this package shows it, from OneSignal's answer. */
export function fromApiUser(user: ApiUser): User {
  const { onesignal_id: onesignalId, ...identity } = user.identity ?? {};
  return {
    onesignalId: onesignalId ?? "",
    identity,
    properties: mapKeys(user.properties ?? {}, PROPERTY_FIELDS, true) as UserProperties,
    subscriptions: (user.subscriptions ?? []).map(
      (sub) => mapKeys(sub, SUBSCRIPTION_FIELDS, true) as unknown as Subscription,
    ),
  };
}

/**
 * What is wrong with a user before anything is sent: its shape (identity of text, properties and each
 * subscription objects), unknown properties with the nearest name, and text OneSignal cannot store.
 */
export function userProblems(user: unknown): string[] {
  if (typeof user !== "object" || user === null || Array.isArray(user)) {
    return [`the user must be an object with identity, not ${user === null ? "null" : typeof user}`];
  }
  const fields = user as Record<string, unknown>;
  const problems = unknownProperties(fields, ["identity", "properties", "subscriptions"], "a user").map(
    (p) => p.reason,
  );
  problems.push(...textProblems(fields, "user").map((p) => p.reason));
  const identity = fields.identity;
  if (
    typeof identity !== "object" ||
    identity === null ||
    Array.isArray(identity) ||
    !Object.values(identity).every((alias) => typeof alias === "string")
  ) {
    problems.push('identity must map alias labels to text, e.g. { external_id: "user-1" }');
  }
  const properties = fields.properties;
  if (properties !== undefined) {
    if (typeof properties !== "object" || properties === null || Array.isArray(properties)) {
      problems.push("properties must be an object");
    } else {
      problems.push(
        ...unknownProperties(properties, Object.keys(PROPERTY_FIELDS), "a user's properties").map((p) => p.reason),
      );
    }
  }
  const subscriptions = fields.subscriptions;
  if (subscriptions !== undefined) {
    if (!Array.isArray(subscriptions)) problems.push("subscriptions must be a list");
    else
      subscriptions.forEach((subscription: unknown, index) => {
        if (typeof subscription !== "object" || subscription === null || Array.isArray(subscription)) {
          problems.push(`subscriptions[${index}] must be an object with type and token`);
          return;
        }
        problems.push(
          ...unknownProperties(subscription, Object.keys(SUBSCRIPTION_FIELDS), `subscriptions[${index}]`).map(
            (p) => p.reason,
          ),
        );
      });
  }
  return problems;
}
