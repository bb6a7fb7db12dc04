import { OneSignalError } from "../client/errors";
import { getTemplate as getApiTemplate, listAllTemplatesDated } from "../client/templates";
import { isUuid } from "../models/properties";
import { fromApiTemplate, type Template } from "../models/template";
import { clientFor, type OneSignalOptions } from "./options";

/** One template with its channel and the content that channel uses (app API key). */
export async function getTemplate(appId: string, templateId: string, opts?: OneSignalOptions): Promise<Template> {
  // Checked before the request, as OneSignal refuses an id that is no UUID.
  if (!isUuid(templateId)) throw new OneSignalError("getTemplate: templateId must be a template's id (a UUID)");
  return fromApiTemplate(await getApiTemplate(clientFor(opts, "app"), appId, templateId));
}

/** Every template of an app, page after page of 50 (app API key). */
export async function listTemplates(appId: string, opts?: OneSignalOptions): Promise<Template[]> {
  return (await listAllTemplatesDated(clientFor(opts, "app"), appId)).value.map(fromApiTemplate);
}
