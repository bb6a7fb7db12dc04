import { gzipSync } from "node:zlib";
import { stringify } from "csv-stringify/sync";
import { channelOfDevice, E164, EMAIL, isSubscribed, newDevice } from "../devices";
import { assert, badRequest, EmulatorError, requireObject } from "../errors";
import { filterErrors } from "../filters";
import { newId } from "../ids";
import { pageOf } from "../query";
import { appIdFromBody, appIdFromQuery, type RequestContext, type Route } from "../router";
import type { DeviceRecord, NotificationRecord, Store } from "../store";
import { matchesFilters, segmentFiltersByName } from "../targeting";
import type { ExportShelf } from "./exports";

// Modelled on onesignal-current.yaml (create_notification, get_notification, get_notifications,
// cancel_notification, get_notification_history) and the reference notes §6 and §13. Immediate
// sends are delivered before the answer; scheduled ones when the emulator's clock reaches them.

type Channel = "push" | "email" | "sms";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDEMPOTENCY_SECONDS = 30 * 24 * 3600;
/** The fields OneSignal documents a closed set of values for, with those values. */
const ENUMS: Record<string, string[]> = {
  ios_badgeType: ["None", "SetTo", "Increase"],
  ios_interruption_level: ["active", "passive", "time_sensitive", "critical"],
  huawei_msg_type: ["message", "data"],
  huawei_category: [
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
/** The numbers OneSignal documents a range for: [least, most, whole numbers only]. */
const RANGES: Record<string, [number, number, boolean]> = {
  huawei_badge_set_num: [0, 99, true],
  huawei_badge_add_num: [1, 99, true],
  ios_relevance_score: [0, 1, false],
};
/** At most this many subscriptions, aliases, addresses or numbers a message names ("up to 20,000"). */
const MAX_TARGETS = 20_000;
const NO_TARGET = "You must include which players, segments, or tags you wish to send this notification to.";
const NO_ENGLISH = "Message Notifications must have English language content";
const ONE_CHANNEL =
  "Platforms You may only send to one delivery channel at a time. Make sure you are only including one of push platforms, Email, or SMS.";
const NOT_FOUND = "Notification not found";
/** The answer OneSignal's reference page for exporting events gives to a missing or wrong key (a 401). */
const EXPORT_EVENTS_DENIED = "Missing or invalid REST API key for the app.";

/** The targeting methods, each by the fields that make it up. */
const TARGETING: Record<string, string[]> = {
  segments: ["included_segments", "excluded_segments"],
  filters: ["filters"],
  include_aliases: ["include_aliases"],
  include_subscription_ids: ["include_subscription_ids", "include_player_ids"],
  include_external_user_ids: ["include_external_user_ids"],
  email_to: ["email_to", "include_email_tokens"],
  include_phone_numbers: ["include_phone_numbers"],
};

/** Routes for `/notifications`. */
export function notificationRoutes(shelf: ExportShelf): Route[] {
  return [
    { method: "POST", pattern: "/notifications", auth: "app", appId: appIdFromBody, handler: createNotification },
    {
      method: "GET",
      pattern: "/notifications",
      auth: "app",
      appId: appIdFromQuery,
      handler: listNotifications,
      query: ["app_id", "limit", "offset", "kind", "template_id", "time_offset"],
    },
    {
      method: "GET",
      pattern: "/notifications/:id",
      auth: "app",
      appId: appIdFromQuery,
      handler: viewNotification,
      query: ["app_id"],
      // ((emulator: D14 outcomes are not modelled: asking for them is refused, not answered without them))
      notEmulated: ["outcome_names", "outcome_time_range", "outcome_platforms", "outcome_attribution"],
    },
    {
      method: "DELETE",
      pattern: "/notifications/:id",
      auth: "app",
      appId: appIdFromQuery,
      handler: cancelNotification,
      query: ["app_id"],
    },
    {
      method: "POST",
      pattern: "/notifications/:id/export_events",
      auth: "app",
      appId: appIdFromQuery,
      handler: (context) => exportEvents(context, shelf),
      query: ["app_id"],
      denied: () => new EmulatorError(401, { errors: [EXPORT_EVENTS_DENIED] }),
    },
    {
      method: "POST",
      pattern: "/notifications/:id/history",
      auth: "app",
      appId: appIdFromBody,
      handler: (context) => notificationHistory(context, shelf),
    },
  ];
}

function nowSeconds(store: Store): number {
  return Math.floor(store.clock.now() / 1000);
}

/** Delivers every scheduled notification whose time has come (the emulator's clock). */
export function deliverDue(store: Store): void {
  const now = nowSeconds(store);
  for (const id of store.pendingNotifications) {
    const notification = store.notifications.get(id);
    if (notification && (notification.sendAfter ?? 0) <= now) deliver(store, notification);
  }
}

// ((emulator: D30 a notification reaches every recipient at once when it is due: delayed_option,
// delivery_time_of_day, throttle_rate_per_minute, enable_frequency_cap and ttl are checked and kept, not
// simulated))
function deliver(store: Store, notification: NotificationRecord): void {
  const { recipients } = resolveRecipients(store, notification.appId, notification.request, notification.channel);
  notification.recipients = recipients.map((device) => device.id);
  notification.successful = recipients.length;
  notification.received = notification.channel === "push" ? recipients.length : 0;
  notification.remaining = 0;
  notification.completedAt = nowSeconds(store);
  store.pendingNotifications.delete(notification.id);
}

function parseSendAfter(value: unknown): number | null {
  if (value === undefined || value === null || value === "") return null;
  assert(typeof value === "string", "send_after must be a string");
  // OneSignal takes what JavaScript's Date() reads: ISO 8601, "2015-09-24 14:00:00 GMT-0700", and
  // "Thu Sep 24 2015 14:00:00 GMT-0700 (PDT)", whose zone name in brackets follows the offset. A time without
  // a zone is read at UTC-11:00, "the API defaults to UTC -1100" (not at this machine's zone, as Date.parse would).
  const normalized = value
    .trim()
    .replace(/\s*\([^()]*\)$/, "")
    .replace(/ GMT([+-]\d{2})(\d{2})$/, " GMT$1:$2");
  const zoned = /(?:Z|GMT|UTC|[+-]\d{2}:?\d{2})$/i.test(normalized) || !/\d{1,2}:\d{2}/.test(normalized);
  const unzoned = /^\d{4}-\d{2}-\d{2}T/.test(normalized) ? `${normalized}-11:00` : `${normalized} GMT-11:00`;
  const time = Date.parse(zoned ? normalized : unzoned);
  assert(!Number.isNaN(time), `send_after is not a time OneSignal understands: ${value}`);
  return Math.floor(time / 1000);
}

function channelOf(input: Record<string, unknown>): Channel {
  const target = input.target_channel;
  if (target !== undefined && target !== null) {
    assert(target === "push" || target === "email" || target === "sms", "target_channel must be push, email or sms");
  }
  const email = ["email_subject", "email_body", "email_from_name", "email_from_address"].some(
    (field) => input[field] != null,
  );
  const sms = ["sms_from", "sms_media_urls"].some((field) => input[field] != null);
  if (email && sms) throw badRequest(ONE_CHANNEL);
  if (target) {
    if ((email && target !== "email") || (sms && target !== "sms")) throw badRequest(ONE_CHANNEL);
    return target as Channel;
  }
  if (input.email_to || input.include_email_tokens || email) return "email";
  if (input.include_phone_numbers || sms) return "sms";
  return "push";
}

function hasEnglish(map: unknown): boolean {
  return typeof map === "object" && map !== null && typeof (map as Record<string, unknown>).en === "string";
}

/** The platform flag of each push device type; web browsers also answer to `isAnyWeb`. */
const PLATFORM_FLAGS: Record<number, string> = {
  0: "isIos",
  1: "isAndroid",
  2: "isAdm",
  3: "isWP",
  4: "isChrome",
  5: "isChromeWeb",
  6: "isWP_WNS",
  7: "isSafari",
  8: "isFirefox",
  9: "isMacOSX",
  10: "isAlexa",
  13: "isHuawei",
};
/** The browsers' device types (Chrome, Safari, Firefox): what `isAnyWeb: false` leaves out. */
const WEB_DEVICE_TYPES = [5, 7, 8];

// ((emulator: D13 OneSignal's texts for these checks are not all documented; unknown ones are the emulator's))
/** The JSON type each field must have, by field. */
const FIELD_SHAPES: [string[], string, (value: unknown) => boolean][] = [
  [
    [
      "included_segments",
      "excluded_segments",
      "include_external_user_ids",
      "email_to",
      "include_phone_numbers",
      "sms_media_urls",
      "email_bcc",
    ],
    "a list of strings",
    (value) => Array.isArray(value) && value.every((item) => typeof item === "string"),
  ],
  [["contents", "headings", "subtitle"], "an object of language codes to text", (value) => isTextMap(value)],
  [["data"], "an object", (value) => typeof value === "object" && !Array.isArray(value)],
  [[...Object.values(PLATFORM_FLAGS), "isAnyWeb"], "true or false", (value) => typeof value === "boolean"],
  [["buttons", "web_buttons", "filters"], "a list", (value) => Array.isArray(value)],
  [
    [
      "email_subject",
      "email_body",
      "email_from_name",
      "email_from_address",
      "sms_from",
      "url",
      "web_url",
      "app_url",
      "send_after",
      "target_channel",
      "template_id",
      "big_picture",
      "chrome_web_icon",
      "chrome_web_image",
      "name",
    ],
    "a string",
    (value) => typeof value === "string",
  ],
];

function isTextMap(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((text) => typeof text === "string")
  );
}

/**
 * Refuses fields of the wrong JSON type before anything reads them.
 * ((emulator: D13 OneSignal documents no wording for these; the emulator answers a 400 in its error shape))
 */
function checkShapes(input: Record<string, unknown>): void {
  for (const [fields, shape, valid] of FIELD_SHAPES) {
    for (const field of fields) {
      const value = input[field];
      if (value !== undefined && value !== null && !valid(value)) throw badRequest(`${field} must be ${shape}`);
    }
  }
}

function validate(store: Store, appId: string, input: Record<string, unknown>, channel: Channel): void {
  checkShapes(input);
  const methods = Object.entries(TARGETING)
    .filter(([, fields]) => fields.some((field) => input[field] !== undefined && input[field] !== null))
    .map(([method]) => method);
  if (methods.length === 0) throw badRequest(NO_TARGET);
  if (methods.length > 1) {
    if (methods.includes("include_aliases"))
      throw badRequest("include_aliases must not be combined with other targeting modes");
    throw badRequest(`Use one targeting method per notification, not ${methods.join(" and ")}`);
  }
  for (const field of [
    "include_subscription_ids",
    "include_player_ids",
    "email_to",
    "include_email_tokens",
    "include_phone_numbers",
  ]) {
    const ids = input[field];
    if (Array.isArray(ids)) assert(ids.length <= MAX_TARGETS, `${field} takes at most ${MAX_TARGETS} entries`);
  }
  if (methods[0] === "include_aliases") {
    const aliases = input.include_aliases;
    assert(
      typeof aliases === "object" && !Array.isArray(aliases),
      "include_aliases must map alias labels to lists of ids",
    );
    assert(input.target_channel, "target_channel is required with include_aliases: push, email or sms");
    // ((emulator: D21 OneSignal's reference pages allow 20,000 aliases, its OpenAPI 2,000: the emulator takes
    // the pages' bound, and its wording for this refusal and the others of this check is its own))
    const count = Object.values(aliases as Record<string, unknown>).reduce<number>(
      (total, ids) => total + (Array.isArray(ids) ? ids.length : 1),
      0,
    );
    assert(count <= MAX_TARGETS, `include_aliases takes at most ${MAX_TARGETS} ids`);
  }
  if (input.filters !== undefined) {
    const errors = filterErrors(input.filters);
    if (errors.length > 0) throw badRequest(...errors);
  }
  for (const field of ["include_subscription_ids", "include_player_ids"]) {
    const ids = input[field];
    if (ids === undefined) continue;
    assert(Array.isArray(ids), `${field} must be a list`);
    const bad = ids.filter((id) => typeof id !== "string" || !UUID.test(id));
    if (bad.length > 0)
      throw badRequest(`Incorrect subscription_id format in ${field} (not a valid UUID): ${bad.join(", ")}`);
  }
  const template = input.template_id;
  if (template !== undefined && template !== null) {
    const found = store.templates.get(String(template));
    assert(found && found.appId === appId, `template_id ${String(template)} not found`);
  }
  const templated = template !== undefined && template !== null;
  if (channel === "email") {
    if (!templated) {
      assert(
        typeof input.email_subject === "string" && input.email_subject !== "",
        "Email notifications must have an email_subject",
      );
      assert(
        typeof input.email_body === "string" && input.email_body !== "",
        "Email notifications must have an email_body",
      );
    }
    assert(!Array.isArray(input.email_bcc) || input.email_bcc.length <= 5, "email_bcc takes at most 5 addresses");
  } else if (!templated && input.content_available !== true) {
    if (!hasEnglish(input.contents)) throw badRequest(NO_ENGLISH);
  }
  if (channel === "sms" && Array.isArray(input.sms_media_urls)) {
    assert(input.sms_media_urls.length <= 10, "sms_media_urls takes at most 10 URLs");
  }
  if (input.headings !== undefined && input.headings !== null && input.contents) {
    const missing = Object.keys(input.contents as object).filter(
      (language) => !(language in (input.headings as object)),
    );
    assert(missing.length === 0, `headings must cover the languages of contents; missing: ${missing.join(", ")}`);
  }
  if (input.data !== undefined && input.data !== null) {
    assert(Buffer.byteLength(JSON.stringify(input.data)) <= 2048, "data must be at most 2048 bytes");
  }
  assert(!Array.isArray(input.buttons) || input.buttons.length <= 3, "buttons takes at most 3 buttons");
  assert(!Array.isArray(input.web_buttons) || input.web_buttons.length <= 2, "web_buttons takes at most 2 buttons");
  assert(
    input.name === undefined || (typeof input.name === "string" && input.name.length <= 128),
    "name must be at most 128 characters",
  );
  if (input.ttl !== undefined && input.ttl !== null) {
    assert(
      typeof input.ttl === "number" && input.ttl >= 0 && input.ttl <= 2_419_200,
      "ttl must be between 0 and 2419200 seconds",
    );
  }
  if (input.priority !== undefined && input.priority !== null) {
    assert(input.priority === 5 || input.priority === 10, "priority must be 5 (normal) or 10 (high)");
  }
  for (const [field, allowed] of Object.entries(ENUMS)) {
    const value = input[field];
    if (value !== undefined && value !== null) {
      assert(allowed.includes(value as string), `${field} must be one of ${allowed.join(", ")}`);
    }
  }
  for (const [field, [least, most, whole]] of Object.entries(RANGES)) {
    const value = input[field];
    if (value !== undefined && value !== null) {
      assert(
        typeof value === "number" && value >= least && value <= most && (!whole || Number.isInteger(value)),
        `${field} must be ${whole ? "a whole number" : "a number"} from ${least} to ${most}`,
      );
    }
  }
  if (input.custom_data !== undefined && input.custom_data !== null) {
    // At most 2,048 bytes for push and SMS, 10 KB for email.
    const max = channel === "email" ? 10_240 : 2048;
    assert(
      typeof input.custom_data === "object" && !Array.isArray(input.custom_data),
      "custom_data must be a JSON object",
    );
    assert(Buffer.byteLength(JSON.stringify(input.custom_data)) <= max, `custom_data must be at most ${max} bytes`);
  }
  if (input.throttle_rate_per_minute !== undefined && input.throttle_rate_per_minute !== null) {
    const rate = input.throttle_rate_per_minute;
    assert(
      Number.isInteger(rate) && (rate as number) >= 0,
      "throttle_rate_per_minute must be a whole number, 0 for none",
    );
  }
  if (input.delivery_time_of_day !== undefined && input.delivery_time_of_day !== null) {
    // OneSignal's examples: "9:00AM", "21:45", "9:45:30".
    assert(
      typeof input.delivery_time_of_day === "string" &&
        /^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?\s*([AP]M)?$/i.test(input.delivery_time_of_day.trim()),
      "delivery_time_of_day must be a time of day such as 9:00AM, 21:45 or 9:45:30",
    );
  }
  if (input.delayed_option !== undefined && input.delayed_option !== null) {
    assert(
      input.delayed_option === "timezone" || input.delayed_option === "last-active",
      "delayed_option must be timezone or last-active",
    );
  }
}

function subscribed(device: DeviceRecord, input: Record<string, unknown>): boolean {
  return isSubscribed(device) || (device.deviceType === 11 && input.include_unsubscribed === true);
}

/** Whether a message's platform flags let it reach the device: every platform unless its flag is false. */
function platformWanted(device: DeviceRecord, input: Record<string, unknown>): boolean {
  const flag = PLATFORM_FLAGS[device.deviceType];
  if (flag !== undefined && input[flag] === false) return false;
  return !(WEB_DEVICE_TYPES.includes(device.deviceType) && input.isAnyWeb === false);
}

/** The devices a notification reaches, and the ids it names that match nothing. */
function resolveRecipients(
  store: Store,
  appId: string,
  input: Record<string, unknown>,
  channel: Channel,
): { recipients: DeviceRecord[]; invalid: Record<string, unknown> } {
  const now = nowSeconds(store);
  const devices = store.devicesOf(appId);
  const ofChannel = devices.filter(
    (device) => channelOfDevice(device) === channel && subscribed(device, input) && platformWanted(device, input),
  );
  const invalid: Record<string, unknown> = {};
  const segmentFilters = (name: string) => {
    const filters = segmentFiltersByName(store, appId, name);
    // ((emulator: D22 an unknown segment name is refused; OneSignal's exact answer is not documented))
    if (!filters) throw badRequest(`Segment not found: ${name}`);
    return filters;
  };
  let recipients: DeviceRecord[] = [];
  if (input.included_segments || input.excluded_segments) {
    const included = ((input.included_segments as string[] | undefined) ?? []).map(segmentFilters);
    const excluded = ((input.excluded_segments as string[] | undefined) ?? []).map(segmentFilters);
    recipients = ofChannel.filter(
      (device) =>
        included.some((filters) => matchesFilters(store, device, filters, now)) &&
        !excluded.some((filters) => matchesFilters(store, device, filters, now)),
    );
  } else if (input.filters) {
    recipients = ofChannel.filter((device) =>
      matchesFilters(store, device, input.filters as Record<string, unknown>[], now),
    );
  } else if (input.include_aliases) {
    const unknown: Record<string, string[]> = {};
    const userIds = new Set<string>();
    for (const [label, ids] of Object.entries(input.include_aliases as Record<string, unknown>)) {
      for (const id of Array.isArray(ids) ? ids : []) {
        const user = store.findUserByAlias(appId, label, String(id));
        if (user) userIds.add(user.id);
        else unknown[label] = [...(unknown[label] ?? []), String(id)];
      }
    }
    if (Object.keys(unknown).length > 0) invalid.invalid_aliases = unknown;
    recipients = ofChannel.filter((device) => device.userId !== null && userIds.has(device.userId));
  } else if (input.include_subscription_ids || input.include_player_ids) {
    const ids = (input.include_subscription_ids ?? input.include_player_ids) as string[];
    const found = ids.map((id) => store.devices.get(id)).filter((device) => device?.appId === appId) as DeviceRecord[];
    const missing = ids.filter((id) => !found.some((device) => device.id === id));
    if (missing.length > 0) invalid.invalid_player_ids = missing;
    recipients = found.filter((device) => subscribed(device, input) && platformWanted(device, input));
  } else if (input.include_external_user_ids) {
    const ids = input.include_external_user_ids as string[];
    recipients = ofChannel.filter((device) => device.externalUserId !== null && ids.includes(device.externalUserId));
    const missing = ids.filter((id) => !recipients.some((device) => device.externalUserId === id));
    if (missing.length > 0) invalid.invalid_external_user_ids = missing;
  } else {
    const identifiers = (input.email_to ?? input.include_email_tokens ?? input.include_phone_numbers) as string[];
    recipients = ofChannel.filter((device) => device.identifier !== null && identifiers.includes(device.identifier));
  }
  return { recipients, invalid };
}

/**
 * Makes a subscription for each email address or phone number a message names that the app has not
 * seen, as OneSignal documents ("a new SMS Subscription will be created"; an email "automatically creates
 * a Subscription"). Phone numbers that are not E.164 are left out and returned, for `invalid_phone_numbers`;
 * a malformed email address refuses the message before anything is made.
 */
function adoptUnseenContacts(store: Store, appId: string, input: Record<string, unknown>): string[] {
  const emails = (input.email_to ?? input.include_email_tokens ?? []) as string[];
  const phones = (input.include_phone_numbers ?? []) as string[];
  // ((emulator: D18 OneSignal documents no answer to a malformed address in email_to; the emulator refuses it))
  const badEmails = emails.filter((address) => !EMAIL.test(address));
  if (badEmails.length > 0) throw badRequest(`email_to: not valid email addresses: ${badEmails.join(", ")}`);
  const adopt = (identifier: string, deviceType: number) => {
    if (store.findDeviceByIdentifier(appId, identifier)) return;
    const device = newDevice(store, newId(), appId, deviceType);
    device.identifier = identifier;
    store.putDevice(device);
  };
  for (const address of emails) adopt(address, 11);
  for (const number of phones) if (E164.test(number)) adopt(number, 14);
  return phones.filter((number) => !E164.test(number));
}

function createNotification({ store, body }: RequestContext) {
  deliverDue(store);
  const input = requireObject(body);
  const appId = input.app_id as string;
  const key = (input.idempotency_key ?? input.external_id ?? null) as string | null;
  if (key !== null) {
    assert(typeof key === "string" && UUID.test(key), "idempotency_key must be a UUID");
    const previous = store.idempotency.get(`${appId} ${key}`);
    if (previous && nowSeconds(store) - previous.createdAt < IDEMPOTENCY_SECONDS) {
      return { body: previous.body, headers: { "Idempotent-Replayed": "true" } };
    }
  }
  const channel = channelOf(input);
  validate(store, appId, input, channel);
  const sendAfter = parseSendAfter(input.send_after);
  const { app_id: _appId, ...request } = input;
  const invalidPhoneNumbers = adoptUnseenContacts(store, appId, request);
  const { recipients, invalid } = resolveRecipients(store, appId, request, channel);
  if (invalidPhoneNumbers.length > 0) invalid.invalid_phone_numbers = invalidPhoneNumbers;
  let answer: Record<string, unknown>;
  if (recipients.length === 0) {
    answer = { id: "", external_id: key, errors: ["All included players are not subscribed"] };
  } else {
    const now = nowSeconds(store);
    const notification: NotificationRecord = {
      id: newId(),
      appId,
      kind: 1,
      request,
      channel,
      queuedAt: now,
      sendAfter: sendAfter !== null && sendAfter > now ? sendAfter : null,
      completedAt: null,
      canceled: false,
      recipients: [],
      successful: 0,
      failed: 0,
      errored: 0,
      converted: 0,
      received: 0,
      remaining: recipients.length,
      idempotencyKey: key,
    };
    store.notifications.set(notification.id, notification);
    if (notification.sendAfter === null) deliver(store, notification);
    else store.pendingNotifications.add(notification.id);
    answer = { id: notification.id, external_id: key, ...(Object.keys(invalid).length > 0 ? { errors: invalid } : {}) };
  }
  if (key !== null)
    store.idempotency.set(`${appId} ${key}`, { appId, key, createdAt: nowSeconds(store), body: answer });
  return { body: answer };
}

const PLATFORMS: Record<number, string> = {
  0: "ios",
  1: "android",
  2: "android",
  5: "chrome_web_push",
  7: "safari_web_push",
  8: "firefox_web_push",
  11: "email",
  13: "android",
  14: "sms",
};

function present(store: Store, notification: NotificationRecord): Record<string, unknown> {
  const stats: Record<string, Record<string, number>> = {};
  for (const id of notification.recipients) {
    const device = store.devices.get(id);
    const platform = PLATFORMS[device?.deviceType ?? -1] ?? "chrome_web_push";
    const entry = stats[platform] ?? { successful: 0, failed: 0, errored: 0, converted: 0, received: 0 };
    entry.successful = (entry.successful ?? 0) + 1;
    // Push deliveries are confirmed by the device, as the notification's own `received` counts them.
    if (notification.channel === "push") entry.received = (entry.received ?? 0) + 1;
    if (notification.clicks?.some((click) => click.subscriptionId === id)) entry.converted = (entry.converted ?? 0) + 1;
    stats[platform] = entry;
  }
  const { send_after: _sendAfter, idempotency_key: _key, ...request } = notification.request;
  return {
    ...request,
    id: notification.id,
    app_id: notification.appId,
    successful: notification.successful,
    failed: notification.failed,
    errored: notification.errored,
    converted: notification.converted,
    received: notification.received,
    remaining: notification.remaining,
    queued_at: notification.queuedAt,
    send_after: notification.sendAfter,
    completed_at: notification.completedAt,
    canceled: notification.canceled,
    platform_delivery_stats: stats,
    // Null when not throttled, as OneSignal answers.
    throttle_rate_per_minute: request.throttle_rate_per_minute ?? null,
    // Each email delivered goes to every BCC address too.
    ...(notification.channel === "email"
      ? { bcc_sent: Array.isArray(request.email_bcc) ? notification.successful * request.email_bcc.length : null }
      : {}),
  };
}

// ((emulator: D38 notifications are kept for good: none ages past OneSignal's retention, so views and event
// exports never answer the 404 of a purged message))
function requireNotification(store: Store, appId: string | undefined, id: string): NotificationRecord {
  const notification = store.notifications.get(id);
  if (!notification || notification.appId !== appId) throw new EmulatorError(404, { errors: [NOT_FOUND] });
  return notification;
}

function viewNotification({ store, params, query }: RequestContext) {
  deliverDue(store);
  return { body: present(store, requireNotification(store, query.get("app_id") ?? undefined, params.id as string)) };
}

function listNotifications({ store, query }: RequestContext) {
  deliverDue(store);
  const appId = query.get("app_id");
  const { limit, offset } = pageOf(query, 50);
  const kind = query.get("kind");
  if (kind !== null && !["0", "1", "3"].includes(kind)) {
    throw badRequest("Invalid kind, must be 0 (dashboard), 1 (API) or 3 (automated)");
  }
  const templateId = query.get("template_id");
  // `kind` and `template_id` filter both ways of paging.
  const matching = [...store.notifications.values()].filter(
    (notification) =>
      notification.appId === appId &&
      (kind === null || notification.kind === Number(kind)) &&
      (templateId === null || notification.request.template_id === templateId),
  );
  const timeOffset = query.get("time_offset");
  if (timeOffset !== null) return timeOffsetPage(store, matching, timeOffset, query.get("offset"), limit);
  // Newest first; notifications of the same second keep their creation order, newest first.
  const all = matching.reverse().sort((a, b) => b.queuedAt - a.queuedAt);
  return {
    body: {
      total_count: all.length,
      offset,
      limit,
      notifications: all.slice(offset, offset + limit).map((notification) => present(store, notification)),
    },
  };
}

/** Where a `time_offset` page starts: at a time (inclusive), or after the last notification of a page. */
interface TimeCursor {
  at: number;
  afterId?: string;
}

/** A `time_offset`: an ISO 8601 time, or a `next_time_offset` this emulator gave (Base64 of its position). */
function parseTimeOffset(value: string): TimeCursor | undefined {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const time = Date.parse(value);
    return Number.isNaN(time) ? undefined : { at: Math.floor(time / 1000) };
  }
  try {
    const cursor = JSON.parse(Buffer.from(value, "base64").toString("utf8")) as Partial<{ at: number; id: string }>;
    return typeof cursor.at === "number" && typeof cursor.id === "string"
      ? { at: cursor.at, afterId: cursor.id }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The optimized paging of the reference: with `time_offset`, oldest first by the time each goes out
 * (send_after, else queued_at); `next_time_offset` continues after the page, and an empty page ends the list.
 * ((emulator: D23 OneSignal's cursor is opaque; this one is Base64 JSON of the last position, and the wording of the
 * refusals is this emulator's))
 */
function timeOffsetPage(
  store: Store,
  matching: NotificationRecord[],
  timeOffset: string,
  offset: string | null,
  limit: number,
) {
  if (offset !== null) throw badRequest("offset cannot be combined with time_offset: page with next_time_offset");
  const cursor = parseTimeOffset(timeOffset);
  if (!cursor) throw badRequest("time_offset must be an ISO 8601 time or a next_time_offset from an earlier page");
  const timeOf = (notification: NotificationRecord) => notification.sendAfter ?? notification.queuedAt;
  const ordered = [...matching].sort((a, b) => timeOf(a) - timeOf(b) || a.id.localeCompare(b.id));
  const after = ordered.filter((notification) => {
    const at = timeOf(notification);
    if (cursor.afterId === undefined) return at >= cursor.at;
    return at > cursor.at || (at === cursor.at && notification.id.localeCompare(cursor.afterId) > 0);
  });
  const page = after.slice(0, limit);
  const last = page.at(-1);
  const next = last ? Buffer.from(JSON.stringify({ at: timeOf(last), id: last.id })).toString("base64") : timeOffset;
  return {
    body: {
      total_count: matching.length,
      offset: 0,
      limit,
      time_offset: timeOffset,
      next_time_offset: next,
      notifications: page.map((notification) => present(store, notification)),
    },
  };
}

function cancelNotification({ store, params, query }: RequestContext) {
  deliverDue(store);
  const notification = requireNotification(store, query.get("app_id") ?? undefined, params.id as string);
  if (notification.completedAt !== null || notification.canceled) {
    throw badRequest(
      `Notification ${notification.id} cannot be canceled. Usually due to the message already being sent to all recipients.`,
    );
  }
  notification.canceled = true;
  notification.remaining = 0;
  store.pendingNotifications.delete(notification.id);
  return { body: { success: true } };
}

// ((emulator: D35 history is served for a message of any age and any audience: OneSignal's 7-day window, its
// 1,000-recipient minimum for sent events and its dashboard switch are not modelled, so that tests get rows))
function notificationHistory({ store, params, body, baseUrl }: RequestContext, shelf: ExportShelf) {
  deliverDue(store);
  const input = requireObject(body);
  const notification = requireNotification(store, input.app_id as string, params.id as string);
  if (input.events !== "sent" && input.events !== "clicked") {
    throw new EmulatorError(400, { errors: ["param `events` must be sent or clicked"], success: false });
  }
  if (
    input.email !== undefined &&
    !(typeof input.email === "string" && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email))
  ) {
    throw new EmulatorError(400, { errors: ["param `email` must be a valid email"], success: false });
  }
  const rows: (string | number)[][] = [
    ["subscription_id", "external_id", "device_type", "identifier", "event", "event_at"],
  ];
  // ((emulator: D24 nobody clicks on their own: clicks are recorded with POST /_emulator/notifications/{id}/clicks))
  const events =
    input.events === "sent"
      ? notification.completedAt === null
        ? []
        : notification.recipients.map((id) => ({ subscriptionId: id, at: notification.completedAt as number }))
      : (notification.clicks ?? []);
  for (const { subscriptionId, at } of events) {
    const device = store.devices.get(subscriptionId);
    if (!device) continue;
    const when = new Date(at * 1000).toISOString();
    rows.push([
      subscriptionId,
      device.externalUserId ?? "",
      device.deviceType,
      device.identifier ?? "",
      input.events,
      when,
    ]);
  }
  const name = `history_${notification.id}_${input.events}_${newId()}.csv`;
  shelf.exports.set(name, {
    appId: notification.appId,
    readyAt: Date.now() + shelf.delayMs,
    file: Buffer.from(stringify(rows)),
    contentType: "text/csv",
  });
  return { body: { success: true, destination_url: `${baseUrl}/csv_exports/${notification.appId}/${name}` } };
}

/** POST /notifications/{id}/export_events?app_id=: every event of the notification, as a gzip CSV served later. */
function exportEvents({ store, params, query, baseUrl }: RequestContext, shelf: ExportShelf) {
  deliverDue(store);
  const notification = requireNotification(store, query.get("app_id") ?? undefined, params.id as string);
  // ((emulator: D25 OneSignal documents no columns for this export; these are the emulator's own))
  const rows: (string | number)[][] = [
    ["notification_id", "subscription_id", "external_id", "device_type", "event", "event_at"],
  ];
  const sent =
    notification.completedAt === null
      ? []
      : notification.recipients.map((id) => ({
          subscriptionId: id,
          at: notification.completedAt as number,
          event: "sent",
        }));
  const clicked = (notification.clicks ?? []).map((click) => ({ ...click, event: "clicked" }));
  for (const { subscriptionId, at, event } of [...sent, ...clicked]) {
    const device = store.devices.get(subscriptionId);
    if (!device) continue;
    rows.push([
      notification.id,
      subscriptionId,
      device.externalUserId ?? "",
      device.deviceType,
      event,
      new Date(at * 1000).toISOString(),
    ]);
  }
  const name = `events_${notification.id}_${newId()}.csv.gz`;
  shelf.exports.set(name, {
    appId: notification.appId,
    readyAt: Date.now() + shelf.delayMs,
    file: gzipSync(stringify(rows)),
    contentType: "application/gzip",
  });
  return { body: { csv_file_url: `${baseUrl}/csv_exports/${notification.appId}/${name}` } };
}

/**
 * Records clicks on a delivered notification (the emulator's stand-in for people): by the given
 * recipients, or by every recipient; each counts once. Sets `converted` and the "clicked" history.
 */
export function recordClicks(store: Store, id: string, body: unknown): { converted: number } {
  deliverDue(store);
  const notification = store.notifications.get(id);
  if (!notification) throw new EmulatorError(404, { errors: [`No notification ${id}`] });
  if (notification.completedAt === null) {
    throw badRequest(`Notification ${id} has not been delivered yet: nobody can click it`);
  }
  const given = body === undefined || body === null ? {} : body;
  if (typeof given !== "object" || Array.isArray(given)) throw badRequest("the body must be an object");
  const ids = (given as { subscriptionIds?: unknown }).subscriptionIds ?? notification.recipients;
  if (!Array.isArray(ids) || ids.some((item) => typeof item !== "string")) {
    throw badRequest("subscriptionIds must be a list of the notification's recipients' ids");
  }
  const strangers = (ids as string[]).filter((item) => !notification.recipients.includes(item));
  if (strangers.length > 0) throw badRequest(`not recipients of notification ${id}: ${strangers.join(", ")}`);
  const clicks = notification.clicks ?? [];
  const now = Math.floor(store.clock.now() / 1000);
  for (const subscriptionId of ids as string[]) {
    if (!clicks.some((click) => click.subscriptionId === subscriptionId)) clicks.push({ subscriptionId, at: now });
  }
  notification.clicks = clicks;
  notification.converted = clicks.length;
  return { converted: notification.converted };
}

/** The admin view of every notification, for tests: who each reached. */
export function adminNotifications(store: Store): Record<string, unknown>[] {
  deliverDue(store);
  return [...store.notifications.values()].map((notification) => ({
    id: notification.id,
    appId: notification.appId,
    channel: notification.channel,
    recipients: notification.recipients,
    sendAfter: notification.sendAfter,
    completedAt: notification.completedAt,
    canceled: notification.canceled,
  }));
}
