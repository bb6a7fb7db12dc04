import type { LanguageStringMap } from "../../client/templates";
import type { SegmentFilter } from "../segment";

// The shapes `sendNotification` takes: typed so that push, email and SMS fields cannot be mixed, and so that
// a notification names exactly one targeting method.

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
  /** A picture for every platform that shows one (`bigPicture`, `chromeWebImage`... win where set). */
  globalImage?: string;
  admBigPicture?: string;
  chromeBigPicture?: string;
  admSmallIcon?: string;
  admLargeIcon?: string;
  firefoxIcon?: string;
  chromeIcon?: string;
  wpWnsSound?: string;
  /** A notification channel the app made itself (Android 8+), instead of `androidChannelId`. */
  existingAndroidChannelId?: string;
  /** Android's background image layout, passed through as OneSignal documents it (`image`, `headings_color`...). */
  androidBackgroundLayout?: Record<string, unknown>;
  /** ARGB, such as `FF9900FF`. */
  androidAccentColor?: string;
  huaweiAccentColor?: string;
  /** Notifications with the same group are stacked (Android). */
  androidGroup?: string;
  /** The summary of a stacked group per language (Android 6 and older); `$[notif_count]` is the count. */
  androidGroupMessage?: LanguageStringMap | string;
  admGroup?: string;
  admGroupMessage?: LanguageStringMap;
  /** Browsers show one notification per topic: a new one of the same topic replaces the last. */
  webPushTopic?: string;
  /** iOS's localized alert (`loc-key`, `loc-args`...), passed through. */
  apnsAlert?: Record<string, unknown>;
  /** iOS 12+ grouped notifications: the summary's argument, and the count it stands for. */
  summaryArg?: string;
  summaryArgCount?: number;
  /** iOS 13+: the scene (window) the notification opens. */
  targetContentIdentifier?: string;
  /** Huawei: `message` shows a notification, `data` only delivers `data` to the app. */
  huaweiMsgType?: "message" | "data";
  /** Huawei's message category, which its push service needs for messages past its daily quota. */
  huaweiCategory?:
    | "IM"
    | "VOIP"
    | "SUBSCRIPTION"
    | "TRAVEL"
    | "HEALTH"
    | "WORK"
    | "ACCOUNT"
    | "EXPRESS"
    | "FINANCE"
    | "DEVICE_REMINDER"
    | "MAIL"
    | "MARKETING";
  huaweiChannelId?: string;
  huaweiExistingChannelId?: string;
  huaweiSmallIcon?: string;
  huaweiLargeIcon?: string;
  /** An image URL, as `bigPicture` for Android. */
  huaweiBigPicture?: string;
  huaweiSound?: string;
  /** The app's launcher class, for the badge. */
  huaweiBadgeClass?: string;
  /** Adds to the badge: a whole number from 1 to 99. */
  huaweiBadgeAddNum?: number;
  /** Sets the badge: a whole number from 0 to 99. */
  huaweiBadgeSetNum?: number;
  /** A tag for Huawei's delivery receipts. */
  huaweiBiTag?: string;
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
  /** The sender domain of this message, over the app's default one. */
  emailSenderDomain?: string;
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
