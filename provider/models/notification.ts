import type { ApiNotification } from "../client/notifications";
import type { LanguageStringMap } from "../client/templates";
import { fieldTextProblems, isSmsSender, unknownProperties } from "./properties";
import { fromApiFilters, type SegmentFilter, toApiFilters } from "./segment";

/** A delivery channel. */
export type NotificationChannel = "push" | "email" | "sms";

/** A push action button. */
export interface NotificationButton {
  id: string;
  text?: string;
  icon?: string;
}

/** A web push action button. */
export interface WebButton extends NotificationButton {
  url?: string;
}

/** Fields every notification may carry. */
export interface NotificationBase {
  /** The app to send from. */
  appId: string;
  /**
   * Makes the send safe to repeat: OneSignal answers a repeat with the first result for 30 days.
   * Generated when absent, and the same on every retry of one call.
   */
  idempotencyKey?: string;
  /** An internal name (required by OneSignal for SMS in some accounts); at most 128 characters. */
  name?: string;
  /** When to send: a Date, or a time OneSignal understands ("2026-09-24 14:00:00 GMT-0700", ISO 8601). */
  sendAfter?: Date | string;
  /** Send in each recipient's time zone, or at their usual time. */
  delayedOption?: "timezone" | "last-active";
  /** With `delayedOption: "timezone"`, e.g. "9:00AM". */
  deliveryTimeOfDay?: string;
  /** Messages per minute (0 = no throttling). */
  throttleRatePerMinute?: number;
  /** Seconds the message stays deliverable (at most 2,419,200). */
  ttl?: number;
  /** 10 high, 5 normal. */
  priority?: 5 | 10;
  /** Data for Liquid personalization in templates; passed through verbatim. */
  customData?: Record<string, unknown>;
}

/** Text per language, English (`en`) among them: OneSignal falls back to it for every other language. */
export type EnglishContents = LanguageStringMap & { en: string };

/** Content and options of a push notification. */
export interface PushFields {
  /** The message per language, English (`en`) among them; not needed with `templateId` or `contentAvailable`. */
  contents?: EnglishContents;
  headings?: LanguageStringMap;
  subtitle?: LanguageStringMap;
  templateId?: string;
  /** A silent (background) notification. */
  contentAvailable?: boolean;
  mutableContent?: boolean;
  /** Data delivered with the notification (at most 2 KB), passed through verbatim. */
  data?: Record<string, unknown>;
  url?: string;
  webUrl?: string;
  appUrl?: string;
  bigPicture?: string;
  chromeWebImage?: string;
  chromeWebIcon?: string;
  chromeWebBadge?: string;
  largeIcon?: string;
  smallIcon?: string;
  iosAttachments?: Record<string, string>;
  /** At most 3. */
  buttons?: NotificationButton[];
  /** At most 2. */
  webButtons?: WebButton[];
  iosSound?: string;
  androidSound?: string;
  androidChannelId?: string;
  iosBadgeType?: "None" | "SetTo" | "Increase";
  iosBadgeCount?: number;
  iosCategory?: string;
  iosInterruptionLevel?: "active" | "passive" | "time_sensitive" | "critical";
  iosRelevanceScore?: number;
  threadId?: string;
  collapseId?: string;
  apnsPushTypeOverride?: string;
  /** Platforms: each is sent to unless its flag is `false` (`isAnyWeb: false` leaves out every browser). */
  isIos?: boolean;
  isAndroid?: boolean;
  isHuawei?: boolean;
  isAdm?: boolean;
  isAnyWeb?: boolean;
  isChromeWeb?: boolean;
  isFirefox?: boolean;
  isSafari?: boolean;
  isWP_WNS?: boolean;
}

/** Content and options of an email. */
export interface EmailFields {
  emailSubject?: string;
  /** HTML. */
  emailBody?: string;
  emailFromName?: string;
  emailFromAddress?: string;
  emailReplyToAddress?: string;
  emailPreheader?: string;
  /** At most 5. */
  emailBcc?: string[];
  disableEmailClickTracking?: boolean;
  /** Transactional: also to unsubscribed addresses. */
  includeUnsubscribed?: boolean;
  templateId?: string;
}

/** Content and options of an SMS. */
export interface SmsFields {
  /** The message per language, English (`en`) among them; not needed with `templateId`. */
  contents?: EnglishContents;
  /** The sending number (E.164) or Messaging Service SID. */
  smsFrom?: string;
  /** MMS media (at most 10). */
  smsMediaUrls?: string[];
  templateId?: string;
}

type TargetKey =
  | "includedSegments"
  | "excludedSegments"
  | "filters"
  | "includeAliases"
  | "includeSubscriptionIds"
  | "includePlayerIds"
  | "includeExternalUserIds"
  | "emailTo"
  | "includePhoneNumbers";

/** One targeting method: the keys of the others cannot be given. */
type Only<T> = T & { [K in Exclude<TargetKey, keyof T>]?: never };

/** Who receives a notification on a channel: exactly one method. */
type TargetOn<C extends NotificationChannel, Default extends boolean> =
  | Only<{ includedSegments: string[]; excludedSegments?: string[] } & ChannelChoice<C, Default>>
  | Only<{ filters: SegmentFilter[] } & ChannelChoice<C, Default>>
  | Only<{ includeAliases: Record<string, string[]>; targetChannel: C }>
  | Only<{ includeSubscriptionIds: string[] } & ChannelChoice<C, true>>
  | Only<{ includePlayerIds: string[] } & ChannelChoice<C, true>>
  | Only<{ includeExternalUserIds: string[] } & ChannelChoice<C, Default>>;

/** `targetChannel` is optional where the channel is the default (push) or implied. */
type ChannelChoice<C extends NotificationChannel, Optional extends boolean> = Optional extends true
  ? { targetChannel?: C }
  : { targetChannel: C };

// The content of a push: English text, a template, or nothing at all for a silent push. The rule with
// `contents` comes last, so that the compiler's message for a missing or non-English content names it.
type PushContentRule = { templateId: string } | { contentAvailable: true } | { contents: EnglishContents };
type EmailContentRule = { templateId: string } | { emailSubject: string; emailBody: string };
type SmsContentRule = { templateId: string } | { contents: EnglishContents };
type NotOf<T> = { [K in keyof T]?: never };

/** A push notification: one targeting method, and English content (or a template, or silent). */
export type PushNotification = NotificationBase &
  PushFields &
  NotOf<Omit<EmailFields, "templateId">> &
  NotOf<Omit<SmsFields, "templateId" | "contents">> &
  PushContentRule &
  TargetOn<"push", true>;

/** An email: one targeting method (or `emailTo`), a subject and a body (or a template). */
export type EmailNotification = NotificationBase &
  EmailFields &
  NotOf<Omit<PushFields, "templateId">> &
  NotOf<Omit<SmsFields, "templateId">> &
  EmailContentRule &
  (TargetOn<"email", false> | Only<{ emailTo: string[]; targetChannel?: "email" }>);

/** An SMS: one targeting method (or `includePhoneNumbers`), and English content (or a template). */
export type SmsNotification = NotificationBase &
  SmsFields &
  NotOf<Omit<PushFields, "templateId" | "contents">> &
  NotOf<Omit<EmailFields, "templateId">> &
  SmsContentRule &
  (TargetOn<"sms", false> | Only<{ includePhoneNumbers: string[]; targetChannel?: "sms" }>);

/** What `sendNotification` takes: a push notification, an email or an SMS, typed so that they cannot be mixed. */
// Push comes last: the compiler explains a failed match against the last member, the most common kind.
export type NotificationInput = EmailNotification | SmsNotification | PushNotification;

/** The platform flags a push notification takes (see {@link PushFields}). */
const PLATFORM_FLAGS = [
  "isIos",
  "isAndroid",
  "isHuawei",
  "isAdm",
  "isAnyWeb",
  "isChromeWeb",
  "isFirefox",
  "isSafari",
  "isWP_WNS",
] as const satisfies readonly (keyof PushFields)[];

/** camelCase field → OneSignal's field. The one mapping between the two (filters are mapped on their own). */
export const NOTIFICATION_FIELDS: Record<string, string> = {
  appId: "app_id",
  idempotencyKey: "idempotency_key",
  name: "name",
  sendAfter: "send_after",
  delayedOption: "delayed_option",
  deliveryTimeOfDay: "delivery_time_of_day",
  throttleRatePerMinute: "throttle_rate_per_minute",
  ttl: "ttl",
  priority: "priority",
  customData: "custom_data",
  contents: "contents",
  headings: "headings",
  subtitle: "subtitle",
  templateId: "template_id",
  contentAvailable: "content_available",
  mutableContent: "mutable_content",
  data: "data",
  url: "url",
  webUrl: "web_url",
  appUrl: "app_url",
  bigPicture: "big_picture",
  chromeWebImage: "chrome_web_image",
  chromeWebIcon: "chrome_web_icon",
  chromeWebBadge: "chrome_web_badge",
  largeIcon: "large_icon",
  smallIcon: "small_icon",
  iosAttachments: "ios_attachments",
  buttons: "buttons",
  webButtons: "web_buttons",
  iosSound: "ios_sound",
  androidSound: "android_sound",
  androidChannelId: "android_channel_id",
  iosBadgeType: "ios_badgeType",
  iosBadgeCount: "ios_badgeCount",
  iosCategory: "ios_category",
  iosInterruptionLevel: "ios_interruption_level",
  iosRelevanceScore: "ios_relevance_score",
  threadId: "thread_id",
  collapseId: "collapse_id",
  apnsPushTypeOverride: "apns_push_type_override",
  emailSubject: "email_subject",
  emailBody: "email_body",
  emailFromName: "email_from_name",
  emailFromAddress: "email_from_address",
  emailReplyToAddress: "email_reply_to_address",
  emailPreheader: "email_preheader",
  emailBcc: "email_bcc",
  disableEmailClickTracking: "disable_email_click_tracking",
  includeUnsubscribed: "include_unsubscribed",
  smsFrom: "sms_from",
  smsMediaUrls: "sms_media_urls",
  includedSegments: "included_segments",
  excludedSegments: "excluded_segments",
  filters: "filters",
  includeAliases: "include_aliases",
  targetChannel: "target_channel",
  includeSubscriptionIds: "include_subscription_ids",
  includePlayerIds: "include_player_ids",
  includeExternalUserIds: "include_external_user_ids",
  emailTo: "email_to",
  includePhoneNumbers: "include_phone_numbers",
  // OneSignal's platform flags are camelCase already.
  ...Object.fromEntries(PLATFORM_FLAGS.map((flag) => [flag, flag])),
};

const TARGETING_METHODS: Record<string, string[]> = {
  segments: ["includedSegments", "excludedSegments"],
  filters: ["filters"],
  includeAliases: ["includeAliases"],
  includeSubscriptionIds: ["includeSubscriptionIds"],
  includePlayerIds: ["includePlayerIds"],
  includeExternalUserIds: ["includeExternalUserIds"],
  emailTo: ["emailTo"],
  includePhoneNumbers: ["includePhoneNumbers"],
};

/** The channel a notification goes out on. */
export function channelOfNotification(notification: Record<string, unknown>): NotificationChannel {
  const target = notification.targetChannel;
  if (target === "push" || target === "email" || target === "sms") return target;
  if (notification.emailTo || notification.emailSubject || notification.emailBody) return "email";
  if (notification.includePhoneNumbers || notification.smsFrom || notification.smsMediaUrls) return "sms";
  return "push";
}

/**
 * The problems OneSignal would refuse the notification for, found before any request (the same rules,
 * checked here for a clear error and no wasted call).
 */
export function notificationProblems(notification: Record<string, unknown>): string[] {
  const problems: string[] = unknownProperties(notification, Object.keys(NOTIFICATION_FIELDS), "a notification").map(
    (unknown) => unknown.reason,
  );
  if (typeof notification.appId !== "string" || notification.appId === "") problems.push("appId is required");
  const methods = Object.entries(TARGETING_METHODS)
    .filter(([, keys]) => keys.some((key) => notification[key] !== undefined))
    .map(([method]) => method);
  if (methods.length === 0) {
    problems.push(
      "say who receives it: includedSegments, filters, includeAliases, includeSubscriptionIds, includeExternalUserIds, emailTo or includePhoneNumbers",
    );
  }
  if (methods.length > 1) problems.push(`use one targeting method, not ${methods.join(" and ")}`);
  if (notification.includeAliases !== undefined && notification.targetChannel === undefined) {
    problems.push('includeAliases needs targetChannel: "push", "email" or "sms"');
  }
  const channel = channelOfNotification(notification);
  const templated = notification.templateId !== undefined;
  const english = (notification.contents as Record<string, unknown> | undefined)?.en;
  if (channel === "email" && !templated) {
    if (!notification.emailSubject) problems.push("an email needs emailSubject (or a templateId)");
    if (!notification.emailBody) problems.push("an email needs emailBody (or a templateId)");
  }
  if (channel !== "email" && !templated && notification.contentAvailable !== true && typeof english !== "string") {
    problems.push(`a ${channel} notification needs English content: contents.en (or a templateId)`);
  }
  if (Array.isArray(notification.buttons) && notification.buttons.length > 3) problems.push("at most 3 buttons");
  if (Array.isArray(notification.webButtons) && notification.webButtons.length > 2)
    problems.push("at most 2 webButtons");
  problems.push(...timeProblems("sendAfter", notification.sendAfter));
  const sendAfter = notification.sendAfter;
  // OneSignal reads a time of day without a zone at UTC-11:00, where JavaScript would read it locally.
  if (
    typeof sendAfter === "string" &&
    /\d:\d{2}/.test(sendAfter) &&
    // A zone name in brackets may follow the offset, as JavaScript's Date prints it: "GMT-0700 (PDT)".
    !/(?:Z|GMT|UTC|[+-]\d{2}:?\d{2})$/i.test(sendAfter.trim().replace(/\s*\([^()]*\)$/, ""))
  ) {
    problems.push(
      `sendAfter ${JSON.stringify(sendAfter)} names no time zone, and OneSignal would read it at UTC-11:00: add one (Z, +01:00, GMT-0700) or pass a Date`,
    );
  }
  problems.push(...fieldTextProblems(notification).map((p) => p.reason));
  if (typeof notification.smsFrom === "string" && !isSmsSender(notification.smsFrom)) {
    problems.push(
      `smsFrom must be an E.164 phone number such as +15555550100 (or a Messaging Service SID), not ${JSON.stringify(notification.smsFrom)}`,
    );
  }
  problems.push(...dataProblems(notification.data));
  problems.push(...deliveryProblems(notification, channel));
  for (const key of ["url", "webUrl", "bigPicture", "chromeWebImage", "chromeWebIcon"]) {
    problems.push(...webUrlProblems(key, notification[key]));
  }
  if (typeof notification.appUrl === "string" && /^\s*(javascript|data|vbscript):/i.test(notification.appUrl)) {
    problems.push("appUrl must be a deep link or a web URL, not a script URL");
  }
  return problems;
}

/** The closed sets OneSignal documents, by camelCase field. */
const NOTIFICATION_ENUMS: Record<string, readonly string[]> = {
  iosBadgeType: ["None", "SetTo", "Increase"],
  iosInterruptionLevel: ["active", "passive", "time_sensitive", "critical"],
  delayedOption: ["timezone", "last-active"],
};
/** At most this many subscriptions, aliases, addresses or numbers per message. */
const MAX_TARGETS = 20_000;

/** The documented sets, sizes and forms of the delivery options, as OneSignal checks them. */
function deliveryProblems(notification: Record<string, unknown>, channel: string): string[] {
  const problems: string[] = [];
  for (const [key, allowed] of Object.entries(NOTIFICATION_ENUMS)) {
    const value = notification[key];
    if (value !== undefined && !allowed.includes(value as string)) {
      problems.push(`${key} must be one of ${allowed.join(", ")}, not ${JSON.stringify(value)}`);
    }
  }
  const relevance = notification.iosRelevanceScore;
  // "Use a float between 0-1", as the reference says.
  if (relevance !== undefined && !(typeof relevance === "number" && relevance >= 0 && relevance <= 1)) {
    problems.push(`iosRelevanceScore must be a number from 0 to 1, not ${JSON.stringify(relevance)}`);
  }
  for (const flag of PLATFORM_FLAGS) {
    const value = notification[flag];
    if (value !== undefined && typeof value !== "boolean") problems.push(`${flag} must be true or false`);
  }
  const rate = notification.throttleRatePerMinute;
  if (rate !== undefined && !(Number.isInteger(rate) && (rate as number) >= 0)) {
    problems.push("throttleRatePerMinute must be a whole number, 0 for none");
  }
  const time = notification.deliveryTimeOfDay;
  if (
    time !== undefined &&
    !(typeof time === "string" && /^\d{1,2}:[0-5]\d(?::[0-5]\d)?\s*([AP]M)?$/i.test(time.trim()))
  ) {
    problems.push(
      `deliveryTimeOfDay must be a time of day such as 9:00AM, 21:45 or 9:45:30, not ${JSON.stringify(time)}`,
    );
  }
  const custom = notification.customData;
  if (custom !== undefined) {
    const max = channel === "email" ? 10_240 : 2048;
    if (typeof custom !== "object" || custom === null || Array.isArray(custom)) {
      problems.push("customData must be an object of JSON values");
    } else if (Buffer.byteLength(JSON.stringify(custom)) > max) {
      problems.push(
        `customData must be at most ${max} bytes as JSON for ${channel === "email" ? "an email" : `a ${channel} message`}`,
      );
    }
  }
  for (const key of ["includeSubscriptionIds", "includeExternalUserIds", "emailTo", "includePhoneNumbers"]) {
    const list = notification[key];
    if (Array.isArray(list) && list.length > MAX_TARGETS) problems.push(`${key} takes at most ${MAX_TARGETS} entries`);
  }
  const aliases = notification.includeAliases;
  if (typeof aliases === "object" && aliases !== null) {
    const count = Object.values(aliases).reduce<number>(
      (total, ids) => total + (Array.isArray(ids) ? ids.length : 1),
      0,
    );
    if (count > MAX_TARGETS) problems.push(`includeAliases takes at most ${MAX_TARGETS} ids`);
  }
  return problems;
}

/** A time given as a Date or as date text that JavaScript can read. */
function timeProblems(key: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? [`${key} is an invalid Date`] : [];
  if (typeof value === "string")
    return Number.isNaN(Date.parse(value)) ? [`${key} is not a date: ${JSON.stringify(value)}`] : [];
  return [`${key} must be a Date or date text such as 2026-12-24T18:00:00Z`];
}

/** `data` is an object of JSON values, at most 2048 bytes. */
function dataProblems(data: unknown): string[] {
  if (data === undefined) return [];
  if (typeof data !== "object" || data === null || Array.isArray(data))
    return ["data must be an object of JSON values"];
  const found: string[] = [];
  const text = JSON.stringify(data, (key, value: unknown) => {
    if (typeof value === "bigint" || typeof value === "function" || typeof value === "symbol") {
      found.push(`data.${key} is a ${typeof value}, which JSON cannot carry`);
      return undefined;
    }
    return value;
  });
  if (found.length === 0 && Buffer.byteLength(text) > 2048) found.push("data must be at most 2048 bytes as JSON");
  return found;
}

/** A link or image that a browser opens: http or https only. */
function webUrlProblems(key: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (typeof value !== "string") return [`${key} must be a URL string`];
  try {
    const { protocol } = new URL(value);
    return protocol === "https:" || protocol === "http:"
      ? []
      : [`${key} must use http or https, not ${protocol.replace(":", "")}`];
  } catch {
    return [`${key} must be an absolute URL such as https://example.com, not ${JSON.stringify(value)}`];
  }
}

/** The wire body: fields mapped one by one, user dictionaries passed through, filters mapped, times as text. */
export function toApiNotification(notification: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [camel, value] of Object.entries(notification)) {
    if (value === undefined) continue;
    const wire = Object.hasOwn(NOTIFICATION_FIELDS, camel) ? NOTIFICATION_FIELDS[camel] : undefined;
    if (!wire) continue;
    if (camel === "filters") body.filters = toApiFilters(value as SegmentFilter[]);
    else if (camel === "sendAfter") body.send_after = value instanceof Date ? value.toISOString() : value;
    else body[wire] = value;
  }
  return body;
}

/** A notification as this package shows it: camelCase, counters, times as Dates. */
export interface Notification extends Record<string, unknown> {
  id: string;
  appId: string;
  successful: number | null;
  failed: number | null;
  errored: number | null;
  converted: number | null;
  received: number | null;
  remaining: number | null;
  canceled: boolean;
  queuedAt?: Date;
  sendAfter?: Date;
  completedAt?: Date;
  platformDeliveryStats?: Record<string, Record<string, number | null>>;
}

const CAMEL_BY_WIRE = Object.fromEntries(Object.entries(NOTIFICATION_FIELDS).map(([camel, wire]) => [wire, camel]));

/** A notification from OneSignal's answer; user dictionaries are left as they are. */
export function fromApiNotification(notification: ApiNotification): Notification {
  const counter = (key: string) => (typeof notification[key] === "number" ? (notification[key] as number) : null);
  const time = (key: string) =>
    typeof notification[key] === "number" ? new Date((notification[key] as number) * 1000) : undefined;
  const out: Notification = {
    id: notification.id,
    appId: String(notification.app_id ?? ""),
    successful: counter("successful"),
    failed: counter("failed"),
    errored: counter("errored"),
    converted: counter("converted"),
    received: counter("received"),
    remaining: counter("remaining"),
    canceled: notification.canceled === true,
  };
  for (const [key, date] of [
    ["queuedAt", time("queued_at")],
    ["sendAfter", time("send_after")],
    ["completedAt", time("completed_at")],
  ] as const) {
    if (date) out[key] = date;
  }
  if (notification.platform_delivery_stats) {
    out.platformDeliveryStats = notification.platform_delivery_stats as Record<string, Record<string, number | null>>;
  }
  for (const [wire, value] of Object.entries(notification)) {
    const camel = CAMEL_BY_WIRE[wire];
    if (!camel || camel in out || camel === "appId" || value === null || value === undefined) continue;
    out[camel] = camel === "filters" && Array.isArray(value) ? fromApiFilters(value) : value;
  }
  return out;
}
