import { type Dated, type OneSignalHttpClient, segment, serverDate } from "./http";

/** The settings of an app on the wire (snake_case), as POST and PUT `/apps` take them. */
export interface ApiAppSettings {
  name?: string;
  organization_id?: string;
  apns_env?: "sandbox" | "production" | null;
  apns_p8?: string | null;
  apns_key_id?: string | null;
  apns_team_id?: string | null;
  apns_bundle_id?: string | null;
  apns_p12?: string | null;
  apns_p12_password?: string | null;
  fcm_v1_service_account_json?: string | null;
  gcm_key?: string | null;
  android_gcm_sender_id?: string | null;
  chrome_key?: string | null;
  chrome_web_origin?: string | null;
  chrome_web_default_notification_icon?: string | null;
  chrome_web_sub_domain?: string | null;
  safari_site_origin?: string | null;
  safari_icon_256_256?: string | null;
  safari_apns_p12?: string | null;
  safari_apns_p12_password?: string | null;
  site_name?: string | null;
  additional_data_is_root_payload?: boolean | null;
}

/** An app as OneSignal returns it (the readable fields of the spec's `App`). */
export interface ApiApp {
  readonly id: string;
  readonly name: string;
  readonly players?: number;
  readonly messageable_players?: number;
  readonly apns_env?: "sandbox" | "production" | null;
  readonly apns_key_id?: string | null;
  readonly apns_team_id?: string | null;
  readonly apns_bundle_id?: string | null;
  readonly apns_certificates?: string | null;
  readonly gcm_key?: string | null;
  readonly chrome_key?: string | null;
  readonly chrome_web_origin?: string | null;
  readonly chrome_web_default_notification_icon?: string | null;
  readonly chrome_web_sub_domain?: string | null;
  readonly safari_site_origin?: string | null;
  readonly safari_icon_256_256?: string | null;
  readonly safari_push_id?: string | null;
  readonly site_name?: string | null;
  readonly basic_auth_key?: string | null;
  readonly created_at?: string;
  readonly updated_at?: string;
}

/** GET /apps: every app of the organization (organization key). */
export async function listApps(client: OneSignalHttpClient): Promise<ApiApp[]> {
  return (await listAppsDated(client)).value;
}

/** GET /apps, with OneSignal's clock at the answer. */
export async function listAppsDated(client: OneSignalHttpClient): Promise<Dated<ApiApp[]>> {
  const response = await client.requestWithResponse<ApiApp[]>({ method: "GET", path: "/apps" });
  return { value: response.body, serverDate: serverDate(response.headers) };
}

/** GET /apps/{app_id}. */
export function getApp(client: OneSignalHttpClient, appId: string): Promise<ApiApp> {
  return client.request<ApiApp>({ method: "GET", path: `/apps/${segment(appId)}` });
}

/** POST /apps (organization key); never retried after it may have reached OneSignal. */
export function createApp(client: OneSignalHttpClient, settings: ApiAppSettings): Promise<ApiApp> {
  return client.request<ApiApp>({ method: "POST", path: "/apps", body: settings });
}

/** PUT /apps/{app_id} (organization key). */
export function updateApp(client: OneSignalHttpClient, appId: string, settings: ApiAppSettings): Promise<ApiApp> {
  return client.request<ApiApp>({ method: "PUT", path: `/apps/${segment(appId)}`, body: settings });
}
