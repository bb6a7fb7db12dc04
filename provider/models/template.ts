import type {
  ApiButton,
  ApiTemplate,
  ApiTemplateContent,
  ApiTemplateRequest,
  LanguageStringMap,
} from "../client/templates";

/** A template's delivery channel. */
export type TemplateChannel = "push" | "email" | "sms";

/** A push action button. */
export interface TemplateButton extends ApiButton {
  /** The button's id, reported back when it is clicked. */
  id: string;
  /** The button's label. */
  text: string;
  /** The button's icon (Android: a resource name; web: an image URL). */
  icon?: string;
}

/** The content of a template, camelCase; which fields apply depends on the channel. */
export interface TemplateContent {
  /** Push and SMS: the message per language; `en` is required. */
  contents?: LanguageStringMap;
  /** Push: the title per language. */
  headings?: LanguageStringMap;
  /** Push (iOS): the subtitle per language. */
  subtitle?: LanguageStringMap;
  /** Push: custom data delivered with the notification, passed through verbatim. */
  data?: Record<string, unknown>;
  /** Push: the URL opened on click. */
  url?: string;
  /** Push (Android): a large image URL. */
  bigPicture?: string;
  /** Push (Chrome): a large image URL. */
  chromeWebImage?: string;
  /** Push (iOS): media attachments, id → URL. */
  iosAttachments?: Record<string, string>;
  /** Push: up to 3 action buttons. */
  buttons?: TemplateButton[];
  /** Email: the subject (required). */
  emailSubject?: string;
  /** Email: the HTML body (required). */
  emailBody?: string;
  /** Email: the sender's name. */
  emailFromName?: string;
  /** Email: the sender's address. */
  emailFromAddress?: string;
  /** SMS: the sending number (E.164) or Messaging Service SID. */
  smsFrom?: string;
  /** SMS: MMS media URLs (at most 10). */
  smsMediaUrls?: string[];
}

/** A template as this package shows it. */
export interface Template extends TemplateContent {
  id: string;
  name: string;
  channel: TemplateChannel;
  createdAt?: string;
  updatedAt?: string;
}

/** camelCase content field → OneSignal's field. */
export const TEMPLATE_FIELDS = {
  contents: "contents",
  headings: "headings",
  subtitle: "subtitle",
  data: "data",
  url: "url",
  bigPicture: "big_picture",
  chromeWebImage: "chrome_web_image",
  iosAttachments: "ios_attachments",
  buttons: "buttons",
  emailSubject: "email_subject",
  emailBody: "email_body",
  emailFromName: "email_from_name",
  emailFromAddress: "email_from_address",
  smsFrom: "sms_from",
  smsMediaUrls: "sms_media_urls",
} as const satisfies Record<keyof TemplateContent, keyof ApiTemplateContent>;

/** Every content field name. */
export const TEMPLATE_CONTENT_NAMES = Object.keys(TEMPLATE_FIELDS) as (keyof TemplateContent)[];

/** The content fields each channel takes. */
export const CHANNEL_CONTENT: Record<TemplateChannel, readonly (keyof TemplateContent)[]> = {
  push: [
    "contents",
    "headings",
    "subtitle",
    "data",
    "url",
    "bigPicture",
    "chromeWebImage",
    "iosAttachments",
    "buttons",
  ],
  email: ["emailSubject", "emailBody", "emailFromName", "emailFromAddress"],
  sms: ["contents", "smsFrom", "smsMediaUrls"],
};

/** The wire body for a template's channel and content; `null` unsets, undefined is left out. */
export function toApiTemplateRequest(
  channel: TemplateChannel | undefined,
  content: Partial<Record<keyof TemplateContent, unknown>>,
): ApiTemplateRequest {
  const body: Record<string, unknown> = {};
  if (channel !== undefined) {
    body.isEmail = channel === "email";
    body.isSMS = channel === "sms";
  }
  for (const name of TEMPLATE_CONTENT_NAMES) {
    if (content[name] !== undefined) body[TEMPLATE_FIELDS[name]] = content[name];
  }
  return body as ApiTemplateRequest;
}

/** The channel of a template as OneSignal answers it (it has been seen answering `"SMS"`). */
export function channelOf(template: ApiTemplate): TemplateChannel {
  const channel = template.channel?.toLowerCase();
  if (channel === "email" || channel === "sms") return channel;
  if (template.content?.isEmail) return "email";
  if (template.content?.isSMS) return "sms";
  return "push";
}

/** A template as this package shows it; content that does not apply (null) is left out. */
export function fromApiTemplate(template: ApiTemplate): Template {
  const out: Template = { id: template.id, name: template.name, channel: channelOf(template) };
  const content = (template.content ?? {}) as Record<string, unknown>;
  const fields = out as unknown as Record<string, unknown>;
  for (const name of CHANNEL_CONTENT[out.channel]) {
    const value = content[TEMPLATE_FIELDS[name]];
    if (value !== undefined && value !== null) fields[name] = value;
  }
  if (template.created_at) out.createdAt = template.created_at;
  if (template.updated_at) out.updatedAt = template.updated_at;
  return out;
}
