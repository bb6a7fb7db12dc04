import { EmulatorError, notFound, requireObject } from "../errors";
import { newId, requirePathId } from "../ids";
import { pageOf } from "../query";
import { appIdFromBody, appIdFromQuery, type RequestContext, type Route } from "../router";
import type { Store, TemplateRecord } from "../store";

// Modelled on onesignal-current.yaml (view_templates, create_template, view_template,
// update_template, delete_template, copy_template_to_app) and the reference notes §7.

type Channel = TemplateRecord["channel"];

const LANGUAGE_MAPS = ["contents", "headings", "subtitle"];
/** A push template's platforms: each on unless the template turns it off, as in OneSignal's editor. */
const PUSH_PLATFORMS = [
  "isAndroid",
  "isIos",
  "isMacOSX",
  "isAdm",
  "isAlexa",
  "isWP",
  "isWP_WNS",
  "isChrome",
  "isChromeWeb",
  "isSafari",
  "isFirefox",
  "isEdge",
  "isHuawei",
];
/** The content fields each channel keeps; the others are answered as null. */
const CHANNEL_FIELDS: Record<Channel, string[]> = {
  push: [
    "contents",
    "headings",
    "subtitle",
    "data",
    "url",
    "big_picture",
    "chrome_web_image",
    "ios_attachments",
    "buttons",
    "global_image",
    "huawei_badge_add_num",
    "huawei_badge_class",
    "huawei_badge_set_num",
    ...PUSH_PLATFORMS,
  ],
  email: [
    "email_subject",
    "email_body",
    "email_preheader",
    "email_from_name",
    "email_from_address",
    "email_reply_to_address",
    "email_bcc",
    "disable_email_click_tracking",
  ],
  sms: ["contents", "sms_from", "sms_media_urls"],
};
const ALL_FIELDS = [...new Set(Object.values(CHANNEL_FIELDS).flat())];

/** Routes for `/templates`. */
export const templateRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/templates",
    auth: "app",
    appId: appIdFromQuery,
    handler: listTemplates,
    query: ["app_id", "limit", "offset", "channel"],
  },
  { method: "POST", pattern: "/templates", auth: "app", appId: appIdFromBody, handler: createTemplate },
  byId("GET", "", viewTemplate),
  byId("PATCH", "", updateTemplate),
  byId("DELETE", "", deleteTemplate),
  { ...byId("POST", "/copy_to_app", copyTemplate), auth: "organization" },
];

/** A route of one template, named by `?app_id=`. */
function byId(method: string, suffix: string, handler: Route["handler"]): Route {
  const pattern = `/templates/:template_id${suffix}`;
  return { method, pattern, auth: "app", appId: appIdFromQuery, handler, query: ["app_id"] };
}

function failure(...errors: string[]): EmulatorError {
  return new EmulatorError(400, { success: false, errors });
}

function requireTemplate(store: Store, appId: string | undefined, templateId: string): TemplateRecord {
  requirePathId("template_id", templateId);
  const template = store.templates.get(templateId);
  if (!template || template.appId !== appId) throw notFound("template not found");
  return template;
}

// ((emulator: D29 channels are lowercase, "sms" too, as onesignal-current.yaml gives them; OneSignal's docs show
// "SMS" in uppercase, and the client reads both))
function channelOf(input: Record<string, unknown>, current: Channel): Channel {
  if (input.isEmail === true) return "email";
  if (input.isSMS === true) return "sms";
  if (input.isEmail === false && current === "email") return "push";
  if (input.isSMS === false && current === "sms") return "push";
  return current;
}

/** Checks the content of a template for its channel; OneSignal's texts where known. */
function checkContent(channel: Channel, content: Record<string, unknown>): void {
  const errors: string[] = [];
  for (const field of LANGUAGE_MAPS) {
    const map = content[field];
    if (map === undefined || map === null) continue;
    if (typeof map !== "object" || Array.isArray(map) || Object.values(map).some((text) => typeof text !== "string")) {
      errors.push(`'${field}' must map language codes to text`);
    }
  }
  for (const flag of [...PUSH_PLATFORMS, "disable_email_click_tracking"]) {
    if (content[flag] !== undefined && content[flag] !== null && typeof content[flag] !== "boolean") {
      errors.push(`'${flag}' must be true or false`);
    }
  }
  if (channel !== "email") {
    const contents = content.contents as Record<string, unknown> | null | undefined;
    // ((emulator: D11 wording of the missing-English error for templates is the emulator's))
    if (!contents || typeof contents.en !== "string" || contents.en === "") {
      errors.push("'contents' Message must have English language content");
    }
  }
  if (channel === "email") {
    if (typeof content.email_subject !== "string" || content.email_subject === "") {
      errors.push("'subject' Email subject can not be blank");
    }
    if (typeof content.email_body !== "string" || content.email_body === "") {
      errors.push("'message' Email body can not be blank");
    }
    if (Array.isArray(content.email_bcc) && content.email_bcc.length > 5)
      errors.push("'email_bcc' At most 5 addresses");
  }
  if (Array.isArray(content.buttons) && content.buttons.length > 3) errors.push("'buttons' At most 3 buttons");
  if (Array.isArray(content.sms_media_urls) && content.sms_media_urls.length > 10) {
    errors.push("'sms_media_urls' At most 10 media URLs");
  }
  if (errors.length > 0) throw failure(...errors);
}

// ((emulator: D28 templates are never rendered here, so dynamic content, which only rendering uses, is
// refused as not emulated rather than kept unused))
/** The documented template fields the emulator does not model: a body with one is refused. */
const NOT_EMULATED_FIELDS = ["dynamic_content"];

function pickContent(input: Record<string, unknown>): Record<string, unknown> {
  for (const field of NOT_EMULATED_FIELDS) {
    if (input[field] !== undefined && input[field] !== null) {
      throw failure(`'${field}' is documented by OneSignal but not emulated by onesignal-emulator`);
    }
  }
  const content: Record<string, unknown> = {};
  for (const field of ALL_FIELDS) if (field in input) content[field] = input[field];
  return content;
}

function present(template: TemplateRecord, withContent = true): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: template.id,
    name: template.name,
    channel: template.channel,
    created_at: template.createdAt,
    updated_at: template.updatedAt,
  };
  if (withContent) {
    const content: Record<string, unknown> = {
      isEmail: template.channel === "email",
      isSMS: template.channel === "sms",
    };
    const kept = CHANNEL_FIELDS[template.channel];
    for (const field of ALL_FIELDS) content[field] = kept.includes(field) ? (template.content[field] ?? null) : null;
    if (template.channel === "push") for (const flag of PUSH_PLATFORMS) content[flag] = template.content[flag] ?? true;
    view.content = content;
  }
  return view;
}

function checkName(name: unknown): string {
  if (typeof name !== "string" || name.trim() === "") throw failure("'name' Name can not be blank");
  if (name.length > 128) throw failure("'name' Name is too long (maximum is 128 characters)");
  return name;
}

function listTemplates({ store, query }: RequestContext) {
  const { limit, offset } = pageOf(query, 50);
  const channel = query.get("channel");
  if (channel !== null && !["push", "email", "sms"].includes(channel)) {
    throw new EmulatorError(400, { errors: ["Invalid channel, must be one of push, email, sms"] });
  }
  const all = [...store.templates.values()]
    .filter((template) => template.appId === query.get("app_id") && (!channel || template.channel === channel))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return {
    body: {
      limit,
      offset,
      total_count: all.length,
      templates: all.slice(offset, offset + limit).map((template) => present(template, false)),
    },
  };
}

function createTemplate({ store, body }: RequestContext) {
  const input = requireObject(body);
  const name = checkName(input.name);
  const channel = channelOf(input, "push");
  const content = pickContent(input);
  checkContent(channel, content);
  const now = store.clock.iso();
  const template: TemplateRecord = {
    id: newId(),
    appId: input.app_id as string,
    name,
    channel,
    content,
    createdAt: now,
    updatedAt: now,
  };
  store.templates.set(template.id, template);
  return { body: present(template) };
}

function viewTemplate({ store, params, query }: RequestContext) {
  return { body: present(requireTemplate(store, query.get("app_id") ?? undefined, params.template_id as string)) };
}

function updateTemplate({ store, params, query, body }: RequestContext) {
  const template = requireTemplate(store, query.get("app_id") ?? undefined, params.template_id as string);
  const input = requireObject(body ?? {});
  const changes = pickContent(input);
  const savable = "name" in input || "isEmail" in input || "isSMS" in input || Object.keys(changes).length > 0;
  if (!savable) {
    // OneSignal answers a PATCH with nothing it can save with Rails' HTML 422 page.
    return {
      status: 422,
      body: "<html><body><h1>The change you wanted was rejected (422)</h1></body></html>",
      headers: { "Content-Type": "text/html; charset=utf-8" },
    };
  }
  // The name is required on every update, as the docs' OpenAPI and the Update template reference page ("the same
  // structure as when creating templates") have it; the SDKs' OpenAPI requires nothing (docs/api-fidelity.md).
  const name = checkName(input.name);
  const channel = channelOf(input, template.channel);
  const content = { ...template.content, ...changes };
  for (const [field, value] of Object.entries(content)) if (value === null) delete content[field];
  checkContent(channel, content);
  Object.assign(template, { name, channel, content, updatedAt: store.clock.iso() });
  return { body: present(template) };
}

function deleteTemplate({ store, params, query }: RequestContext) {
  const template = requireTemplate(store, query.get("app_id") ?? undefined, params.template_id as string);
  store.templates.delete(template.id);
  return { body: { success: true } };
}

function copyTemplate({ store, params, query, body }: RequestContext) {
  const template = requireTemplate(store, query.get("app_id") ?? undefined, params.template_id as string);
  const input = requireObject(body);
  const target = input.target_app_id;
  if (typeof target !== "string" || target === "") throw failure("target_app_id is required");
  // The reference page: the destination app "Cannot be the same as the app_id".
  if (target === template.appId) throw failure("target_app_id cannot be the same as the app_id");
  const app = store.apps.get(target);
  if (!app || app.organizationId !== store.organization.id) throw notFound("App not found");
  const now = store.clock.iso();
  const copy: TemplateRecord = {
    ...structuredClone(template),
    id: newId(),
    appId: target,
    createdAt: now,
    updatedAt: now,
  };
  store.templates.set(copy.id, copy);
  return { body: present(copy) };
}
