import { fieldTextProblems, isSmsSender, unknownProperties } from "../properties";
import { filterProblems } from "../segment";
import { NOTIFICATION_FIELDS, PLATFORM_FLAGS } from "./fields";
import type { NotificationChannel } from "./types";

/** The targeting methods, each by the camelCase keys that make it up. */
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
  // The filters of a message are a segment's: the same grammar, the same refusals, named by position.
  if (notification.filters !== undefined) {
    problems.push(...filterProblems(notification.filters).map((problem) => `${problem.property}: ${problem.reason}`));
  }
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
  for (const key of ["url", "webUrl", "bigPicture", "chromeWebImage", "chromeWebIcon", "huaweiBigPicture"]) {
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
  huaweiMsgType: ["message", "data"],
  huaweiCategory: [
    "IM",
    "VOIP",
    "SUBSCRIPTION",
    "TRAVEL",
    "HEALTH",
    "WORK",
    "ACCOUNT",
    "EXPRESS",
    "FINANCE",
    "DEVICE_REMINDER",
    "MAIL",
    "MARKETING",
  ],
};
/** The whole numbers OneSignal documents a range for: [least, most]. */
const NOTIFICATION_RANGES: Record<string, [number, number]> = {
  huaweiBadgeAddNum: [1, 99],
  huaweiBadgeSetNum: [0, 99],
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
  for (const [key, [least, most]] of Object.entries(NOTIFICATION_RANGES)) {
    const value = notification[key];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= least && (value as number) <= most)) {
      problems.push(`${key} must be a whole number from ${least} to ${most}, not ${JSON.stringify(value)}`);
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
