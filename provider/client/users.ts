import { type OneSignalHttpClient, segment } from "./http";

/** A subscription of the user model, on the wire. */
export interface ApiSubscription {
  id?: string;
  type?: string;
  token?: string;
  enabled?: boolean;
  notification_types?: number;
  session_time?: number;
  session_count?: number;
  sdk?: string;
  device_model?: string;
  device_os?: string;
  app_version?: string;
  test_type?: number;
}

/** A user of the user model, on the wire. */
export interface ApiUser {
  identity?: Record<string, string>;
  properties?: Record<string, unknown>;
  subscriptions?: ApiSubscription[];
}

function usersPath(appId: string): string {
  return `/apps/${segment(appId)}/users`;
}

/**
 * POST /apps/{app_id}/users: creates the user, or updates the one its aliases name. Repeating it
 * lands on the same user, so it is safe to retry.
 */
export function createOrUpdateUser(client: OneSignalHttpClient, appId: string, user: ApiUser): Promise<ApiUser> {
  return client.request<ApiUser>({ method: "POST", path: usersPath(appId), body: user, idempotent: true });
}

/** GET /apps/{app_id}/users/by/{alias_label}/{alias_id}. */
export function getUser(client: OneSignalHttpClient, appId: string, label: string, id: string): Promise<ApiUser> {
  return client.request<ApiUser>({ method: "GET", path: `${usersPath(appId)}/by/${segment(label)}/${segment(id)}` });
}

/** GET /apps/{app_id}/users/by/{alias_label}/{alias_id}/identity: the user's aliases. */
export async function getUserIdentity(
  client: OneSignalHttpClient,
  appId: string,
  label: string,
  id: string,
): Promise<Record<string, string>> {
  const answer = await client.request<{ identity?: Record<string, string> }>({
    method: "GET",
    path: `${usersPath(appId)}/by/${segment(label)}/${segment(id)}/identity`,
  });
  return answer.identity ?? {};
}

/** PATCH /apps/{app_id}/users/by/{alias_label}/{alias_id}: properties and deltas. */
export async function updateUser(
  client: OneSignalHttpClient,
  appId: string,
  label: string,
  id: string,
  body: { properties?: Record<string, unknown>; deltas?: Record<string, unknown> },
): Promise<void> {
  await client.request<unknown>({
    method: "PATCH",
    path: `${usersPath(appId)}/by/${segment(label)}/${segment(id)}`,
    body,
  });
}
