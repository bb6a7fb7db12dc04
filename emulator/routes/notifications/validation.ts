import { assert, badRequest } from "../../errors";
import { filterErrors } from "../../filters";
import type { Store } from "../../store";
import { PLATFORM_FLAGS } from "./platforms";

// What POST /notifications refuses before anything is sent: the fields' JSON types, the one targeting
// method, the content each channel needs, and the documented sets, ranges and sizes.

/** The channel a message goes out on. */
export type Channel = "push" | "email" | "sms";

/** A subscription id or idempotency key: a UUID. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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

/** `send_after` in Unix seconds, or null when absent; a 400 for a time OneSignal would not read. */
export function parseSendAfter(value: unknown): number | null {
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

/** The channel a message goes out on, by `target_channel` or the fields it carries; a 400 for a mix. */
export function channelOf(input: Record<string, unknown>): Channel {
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

/** Refuses a message OneSignal would refuse, with a 400 that says why. */
export function validate(store: Store, appId: string, input: Record<string, unknown>, channel: Channel): void {
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
