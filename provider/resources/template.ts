import * as pulumi from "@pulumi/pulumi";
import { ifFound } from "../client/errors";
import type { OneSignalHttpClient } from "../client/http";
import {
  type ApiTemplate,
  createTemplate,
  deleteTemplate,
  getTemplate,
  listAllTemplatesDated,
  updateTemplate,
} from "../client/templates";
import { appClient, withAppKey } from "../clients";
import type { EnglishContents } from "../models/notification";
import { isSmsSender } from "../models/properties";
import {
  CHANNEL_CONTENT,
  channelOf,
  fromApiTemplate,
  TEMPLATE_CONTENT_NAMES,
  type TemplateChannel,
  type TemplateContent,
  toApiTemplateRequest,
} from "../models/template";
import { type CheckFailure, Failures } from "./check";
import { type Candidate, createOnce, type NameLookup, sameNamed } from "./create-once";
import { declareUnregisteredInputs, registration } from "./declare";
import { type Checked, OneSignalProvider } from "./provider-base";
import { RESOURCES } from "./registry";
import templateShim from "./thin/template";
import { changedKeys, jsonSafe, type PropertyChanges, pick, propertyChanges, UNKNOWN } from "./values";

/** The inputs of a {@link Template}, resolved. */
export interface TemplateInputs extends TemplateContent {
  /** The app the template belongs to; a new app id replaces the template. */
  appId: string;
  /** At most 128 characters. */
  name: string;
  /** `"push"`, `"email"` or `"sms"`; a new channel replaces the template. */
  channel: TemplateChannel;
  /** The app's API key; overrides `onesignal:appApiKey`. Kept secret. */
  apiKey?: string;
  /**
   * Adopt this existing template instead of creating one: how dynamic resources adopt, since `pulumi import` cannot
   * read them (the plugin's resources also take `pulumi import` and the `import` option).
   */
  adoptExistingId?: string;
}

/** The outputs of a {@link Template}. */
export interface TemplateOutputs extends TemplateInputs {
  createdAt?: string;
}

type InputsOf<T> = { [K in keyof T]: pulumi.Input<T[K]> };
type Never<K extends PropertyKey> = { [P in K]?: never };
type PushKeys =
  | "headings"
  | "subtitle"
  | "data"
  | "url"
  | "bigPicture"
  | "chromeWebImage"
  | "iosAttachments"
  | "buttons";
type EmailKeys = "emailFromName" | "emailFromAddress";
type SmsKeys = "smsFrom" | "smsMediaUrls";

/** What every template takes, whatever its channel. */
type CommonTemplateArgs = InputsOf<Pick<TemplateInputs, "appId" | "name" | "apiKey" | "adoptExistingId">>;

/** A push template: English content (`contents.en`), and push fields only. */
export type PushTemplateArgs = CommonTemplateArgs & {
  channel: "push";
  /** The message per language, English (`en`) among them. */
  contents: pulumi.Input<EnglishContents>;
} & InputsOf<Pick<TemplateContent, PushKeys>> &
  Never<"emailSubject" | "emailBody" | EmailKeys | SmsKeys>;

/** An email template: a subject and an HTML body, and email fields only. */
export type EmailTemplateArgs = CommonTemplateArgs & {
  channel: "email";
  /** The subject. */
  emailSubject: pulumi.Input<string>;
  /** The HTML body. */
  emailBody: pulumi.Input<string>;
} & InputsOf<Pick<TemplateContent, EmailKeys>> &
  Never<"contents" | PushKeys | SmsKeys>;

/** An SMS template: English content (`contents.en`), and SMS fields only. */
export type SmsTemplateArgs = CommonTemplateArgs & {
  channel: "sms";
  /** The message per language, English (`en`) among them. */
  contents: pulumi.Input<EnglishContents>;
} & InputsOf<Pick<TemplateContent, SmsKeys>> &
  Never<"emailSubject" | "emailBody" | PushKeys | EmailKeys>;

/**
 * The inputs of a {@link Template} as a program gives them: the channel decides which content fields
 * exist, so that a subject on a push template or an SMS without English text does not compile.
 */
export type TemplateArgs = PushTemplateArgs | EmailTemplateArgs | SmsTemplateArgs;

const CHANNELS: readonly TemplateChannel[] = ["push", "email", "sms"];
const EDITABLE_KEYS = ["name", ...TEMPLATE_CONTENT_NAMES] as const;
const LANGUAGE_MAPS = ["contents", "headings", "subtitle"] as const;

/** The dynamic provider of {@link Template}; one instance for every template. */
export class TemplateProvider extends OneSignalProvider<TemplateInputs, TemplateOutputs> {
  protected checked(olds: Partial<TemplateInputs>, news: TemplateInputs): Checked<TemplateInputs> {
    return { inputs: news, failures: checkTemplate(olds, news) };
  }

  changes(olds: Partial<TemplateOutputs>, news: Partial<TemplateInputs>): PropertyChanges {
    return diffTemplate(olds, news);
  }

  async create(inputs: TemplateInputs): Promise<pulumi.dynamic.CreateResult<TemplateOutputs>> {
    const client = appClient(this.stackConfig, inputs.apiKey);
    const body = { ...toApiTemplateRequest(inputs.channel, pick(inputs, TEMPLATE_CONTENT_NAMES)), name: inputs.name };
    // OneSignal's description requires `contents` on every template; an email template's is its subject.
    if (inputs.channel === "email") body.contents = { en: inputs.emailSubject ?? inputs.name };
    const template = inputs.adoptExistingId
      ? await getTemplate(client, inputs.appId, inputs.adoptExistingId).then(() =>
          updateTemplate(client, inputs.appId, inputs.adoptExistingId as string, body),
        )
      : await createOnce({
          ...this.lookup(client, inputs),
          create: () => createTemplate(client, { ...body, app_id: inputs.appId }),
          adopt: (id) => getTemplate(client, inputs.appId, id),
        });
    const outs: TemplateOutputs = { ...inputs };
    if (template.created_at) outs.createdAt = template.created_at;
    return { id: template.id, outs: jsonSafe(outs) };
  }

  /** The app's templates of the declared name and channel, which a create would duplicate. */
  existing(inputs: TemplateInputs): Promise<Candidate[]> {
    return sameNamed(this.lookup(appClient(this.stackConfig, inputs.apiKey), inputs));
  }

  private lookup(client: OneSignalHttpClient, inputs: TemplateInputs): NameLookup<ApiTemplate> {
    return {
      kind: "template",
      name: inputs.name,
      list: () => listAllTemplatesDated(client, inputs.appId),
      candidate: (found) => ({ id: found.id, name: found.name, createdAt: found.created_at }),
      // A template of another channel may share the name: a replacement on a new channel makes one.
      sameKind: (found) => channelOf(found) === inputs.channel,
      adoptAdvice: (id) => `set adoptExistingId: "${id}" on this Template`,
    };
  }

  async read(id: string, props?: TemplateOutputs): Promise<pulumi.dynamic.ReadResult<TemplateOutputs>> {
    if (!props?.appId) return {};
    const template = await withAppKey(this.stackConfig, props.apiKey, `template ${id}`, (client) =>
      ifFound(getTemplate(client, props.appId, id)),
    );
    if (!template) return {};
    const fresh = fromApiTemplate(template);
    const inputs: TemplateInputs = {
      appId: props.appId,
      name: fresh.name,
      channel: fresh.channel,
      ...pick(fresh, CHANNEL_CONTENT[fresh.channel]),
    };
    if (props.adoptExistingId) inputs.adoptExistingId = props.adoptExistingId;
    const outputs: TemplateOutputs = { ...inputs };
    if (props.apiKey) outputs.apiKey = props.apiKey;
    if (fresh.createdAt) outputs.createdAt = fresh.createdAt;
    return jsonSafe({ id, props: outputs, inputs });
  }

  async update(
    id: string,
    olds: TemplateOutputs,
    news: TemplateInputs,
  ): Promise<pulumi.dynamic.UpdateResult<TemplateOutputs>> {
    const changed = changedKeys(olds, news, EDITABLE_KEYS);
    if (changed.length > 0) {
      const delta: Partial<Record<keyof TemplateContent, unknown>> = {};
      for (const key of TEMPLATE_CONTENT_NAMES) if (changed.includes(key)) delta[key] = news[key] ?? null;
      // OneSignal's docs want the name on every PATCH, so it is always sent.
      await withAppKey(this.stackConfig, news.apiKey, `template ${id}`, (client) =>
        updateTemplate(client, news.appId, id, { ...toApiTemplateRequest(undefined, delta), name: news.name }),
      );
    }
    const outs: TemplateOutputs = { ...news };
    if (olds.createdAt) outs.createdAt = olds.createdAt;
    return { outs: jsonSafe(outs) };
  }

  async delete(id: string, props: TemplateOutputs): Promise<void> {
    // An already-deleted template is what delete wants.
    await withAppKey(this.stackConfig, props.apiKey, `template ${id}`, (client) =>
      ifFound(deleteTemplate(client, props.appId, id)),
    );
  }
}

/** The check rules of a Template, as pure logic. */
export function checkTemplate(_olds: Partial<TemplateInputs>, news: Partial<TemplateInputs>): CheckFailure[] {
  const failures = new Failures();
  failures.unknown(news, ["appId", ...EDITABLE_KEYS, "channel", "apiKey", "adoptExistingId"], "Template");
  failures.text(news);
  failures.string("appId", news.appId, { required: true });
  failures.string("name", news.name, { required: true, max: 128 });
  failures.string("apiKey", news.apiKey);
  failures.string("adoptExistingId", news.adoptExistingId);
  if (news.channel === undefined) failures.add("channel", 'channel is required: "push", "email" or "sms"');
  failures.oneOf("channel", news.channel, CHANNELS);
  const channel = news.channel as string | undefined;
  if (channel === UNKNOWN || !CHANNELS.includes(channel as TemplateChannel)) return failures.list;
  const allowed = CHANNEL_CONTENT[channel as TemplateChannel];
  for (const key of TEMPLATE_CONTENT_NAMES) {
    if (news[key] !== undefined && !allowed.includes(key)) {
      failures.add(key, `${key} does not apply to ${channel} templates; it takes ${allowed.join(", ")}`);
    }
  }
  for (const key of LANGUAGE_MAPS) {
    const map = news[key] as unknown;
    if (map === undefined || map === UNKNOWN) continue;
    if (typeof map !== "object" || map === null || Array.isArray(map)) {
      failures.add(key, `${key} must map language codes to text, e.g. { en: "Hello" }`);
    } else {
      for (const [language, text] of Object.entries(map)) {
        if (typeof text !== "string" && text !== UNKNOWN)
          failures.add(`${key}.${language}`, `${key}.${language} must be text`);
      }
    }
  }
  const contents = news.contents as Record<string, unknown> | typeof UNKNOWN | undefined;
  if (channel !== "email" && contents !== UNKNOWN) {
    const english = contents?.en;
    if (english !== UNKNOWN && (typeof english !== "string" || english === "")) {
      failures.add("contents", `${channel} templates need English content: contents.en`);
    }
  }
  const sender = news.smsFrom as unknown;
  if (typeof sender === "string" && sender !== UNKNOWN && !isSmsSender(sender)) {
    failures.add("smsFrom", `smsFrom must be an E.164 phone number such as +15555550100 (or a Messaging Service SID)`);
  }
  if (channel === "email") {
    failures.string("emailSubject", news.emailSubject, { required: true });
    failures.string("emailBody", news.emailBody, { required: true });
  }
  for (const key of ["url", "bigPicture", "chromeWebImage"] as const) failures.url(key, news[key]);
  const buttons = news.buttons as unknown;
  if (Array.isArray(buttons)) {
    if (buttons.length > 3) failures.add("buttons", `at most 3 buttons (there are ${buttons.length})`);
    buttons.forEach((button: unknown, index) => {
      const entry = button as Record<string, unknown> | null;
      if (button === UNKNOWN) return;
      if (typeof entry?.id !== "string" || typeof entry.text !== "string") {
        failures.add(`buttons[${index}]`, `buttons[${index}] needs an id and a text`);
      }
    });
  }
  const media = news.smsMediaUrls as unknown;
  if (Array.isArray(media)) {
    if (media.length > 10) failures.add("smsMediaUrls", `at most 10 media URLs (there are ${media.length})`);
    media.forEach((url, index) => {
      failures.url(`smsMediaUrls[${index}]`, url);
    });
  }
  return failures.list;
}

/** What a Template's update changes: a new `appId` or `channel` replaces it; a new `apiKey` is only remembered. */
export function diffTemplate(olds: Partial<TemplateOutputs>, news: Partial<TemplateInputs>): PropertyChanges {
  return propertyChanges(olds, news, [...EDITABLE_KEYS, "appId", "channel", "apiKey"], ["appId", "channel"]);
}

/** The one provider object for every {@link Template}. */
export const templateProvider = new TemplateProvider();

type TemplateOutputProperties = { readonly [K in keyof TemplateOutputs]-?: pulumi.Output<TemplateOutputs[K]> };
/** The outputs of a Template, each a typed Output (declared here, set by the provider). */
export interface Template extends TemplateOutputProperties {}

/**
 * A message template for push, email or SMS. Name and content update in place (one PATCH); a new
 * `appId` or `channel` replaces it. Takes the app's API key from `apiKey` or `onesignal:appApiKey`.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface only declares the outputs the provider sets.
export class Template extends pulumi.dynamic.Resource {
  constructor(name: string, args: TemplateArgs, opts?: pulumi.CustomResourceOptions) {
    super(templateShim, name, ...registration(RESOURCES.Template, name, args, opts));
  }
}
declareUnregisteredInputs(Template, RESOURCES.Template);
