import * as apps from "../client/apps";
import { type App, fromApiApp } from "../models/app";
import { clientFor, type OneSignalOptions } from "./options";

/**
 * One app with its readable settings and subscriber counts. Takes the organization key, or that
 * app's own API key.
 */
export async function getApp(appId: string, opts?: OneSignalOptions): Promise<App> {
  return fromApiApp(await apps.getApp(clientFor(opts, "either"), appId));
}

/** Every app of the organization (organization API key). */
export async function listApps(opts?: OneSignalOptions): Promise<App[]> {
  return (await apps.listApps(clientFor(opts, "organization"))).map(fromApiApp);
}
