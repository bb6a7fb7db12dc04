import { OneSignalError } from "./errors";
import { type Dated, type OneSignalHttpClient, segment, serverDate } from "./http";

/** A map of language code to text (`{"en": "Hi", "fr": "Salut"}`), passed through verbatim. */
export type LanguageStringMap = Record<string, string>;

/** A push action button. */
export interface ApiButton {
  id: string;
  text: string;
  icon?: string;
}

/** The content fields of a template on the wire. */
export interface ApiTemplateContent {
  contents?: LanguageStringMap | null;
  headings?: LanguageStringMap | null;
  subtitle?: LanguageStringMap | null;
  data?: Record<string, unknown> | null;
  url?: string | null;
  big_picture?: string | null;
  chrome_web_image?: string | null;
  ios_attachments?: Record<string, string> | null;
  buttons?: ApiButton[] | null;
  email_subject?: string | null;
  email_body?: string | null;
  email_from_name?: string | null;
  email_from_address?: string | null;
  sms_from?: string | null;
  sms_media_urls?: string[] | null;
}

/** The body of POST `/templates` and PATCH `/templates/{id}`. */
export interface ApiTemplateRequest extends ApiTemplateContent {
  app_id?: string;
  name?: string;
  isEmail?: boolean;
  isSMS?: boolean;
}

/** A template as OneSignal returns it. */
export interface ApiTemplate {
  readonly id: string;
  readonly name: string;
  /** OneSignal has been seen answering `"SMS"` as well as `"sms"`. */
  readonly channel?: string | null;
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly content?: ApiTemplateContent & { isEmail?: boolean; isSMS?: boolean };
}

/** POST /templates (app API key). */
export function createTemplate(client: OneSignalHttpClient, body: ApiTemplateRequest): Promise<ApiTemplate> {
  return client.request<ApiTemplate>({ method: "POST", path: "/templates", body });
}

/** GET /templates/{template_id}?app_id=. */
export function getTemplate(client: OneSignalHttpClient, appId: string, templateId: string): Promise<ApiTemplate> {
  return client.request<ApiTemplate>({
    method: "GET",
    path: `/templates/${segment(templateId)}`,
    query: { app_id: appId },
  });
}

/** GET /templates?app_id=: one page of at most 50. */
export async function listTemplatesPage(
  client: OneSignalHttpClient,
  appId: string,
  options: { offset?: number; limit?: number; channel?: "push" | "email" | "sms" } = {},
): Promise<TemplatePage> {
  return (await listTemplatesPageDated(client, appId, options)).value;
}

/** One page of templates, as OneSignal lists them. */
export interface TemplatePage {
  total_count?: number;
  templates: ApiTemplate[];
}

/** GET /templates?app_id=, with OneSignal's clock at the answer. */
export async function listTemplatesPageDated(
  client: OneSignalHttpClient,
  appId: string,
  options: { offset?: number; limit?: number; channel?: "push" | "email" | "sms" } = {},
): Promise<Dated<TemplatePage>> {
  const response = await client.requestWithResponse<TemplatePage>({
    method: "GET",
    path: "/templates",
    query: { app_id: appId, offset: options.offset ?? 0, limit: options.limit ?? 50, channel: options.channel },
  });
  return { value: response.body, serverDate: serverDate(response.headers) };
}

/** Every template of an app, page after page, with OneSignal's clock at the first answer. */
export async function listAllTemplatesDated(client: OneSignalHttpClient, appId: string): Promise<Dated<ApiTemplate[]>> {
  const all: ApiTemplate[] = [];
  let date: number | undefined;
  for (let offset = 0; ; offset += 50) {
    const { value: page, serverDate: answeredAt } = await listTemplatesPageDated(client, appId, { offset, limit: 50 });
    date ??= answeredAt;
    all.push(...page.templates);
    if (page.templates.length < 50 || (page.total_count !== undefined && all.length >= page.total_count)) {
      return { value: all, serverDate: date };
    }
  }
}

/** PATCH /templates/{template_id}?app_id=: the name on every update, as OneSignal requires. */
export function updateTemplate(
  client: OneSignalHttpClient,
  appId: string,
  templateId: string,
  body: ApiTemplateRequest & { name: string },
): Promise<ApiTemplate> {
  // The docs' OpenAPI and the Update template reference page require the name on every update: said here, first.
  if (typeof body.name !== "string" || body.name.trim() === "") {
    return Promise.reject(new OneSignalError("name is required on every template update: send the template's name"));
  }
  return client.request<ApiTemplate>({
    method: "PATCH",
    path: `/templates/${segment(templateId)}`,
    query: { app_id: appId },
    body,
  });
}

/** DELETE /templates/{template_id}?app_id=. */
export async function deleteTemplate(client: OneSignalHttpClient, appId: string, templateId: string): Promise<void> {
  await client.request<unknown>({
    method: "DELETE",
    path: `/templates/${segment(templateId)}`,
    query: { app_id: appId },
  });
}

/** POST /templates/{template_id}/copy_to_app?app_id= (organization key): a copy in another app. */
export function copyTemplateToApp(
  client: OneSignalHttpClient,
  appId: string,
  templateId: string,
  targetAppId: string,
): Promise<ApiTemplate> {
  // OneSignal refuses a copy onto the template's own app: said here, before any request.
  if (targetAppId === appId) {
    return Promise.reject(
      new OneSignalError("targetAppId cannot be the same as appId: a template is copied to another app"),
    );
  }
  return client.request<ApiTemplate>({
    method: "POST",
    path: `/templates/${segment(templateId)}/copy_to_app`,
    query: { app_id: appId },
    body: { target_app_id: targetAppId },
  });
}
