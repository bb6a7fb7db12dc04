import { type OneSignalHttpClient, segment } from "./http";

/** A device ("player") on the wire, as the v1 API takes and returns it. */
export interface ApiPlayer {
  id?: string;
  app_id?: string;
  device_type?: number;
  identifier?: string | null;
  external_user_id?: string | null;
  language?: string;
  timezone?: number;
  game_version?: string | null;
  device_model?: string | null;
  device_os?: string | null;
  ad_id?: string | null;
  sdk?: string;
  session_count?: number;
  playtime?: number;
  amount_spent?: number;
  tags?: Record<string, string | number | null>;
  last_active?: number;
  created_at?: number;
  lat?: number;
  long?: number;
  country?: string;
  notification_types?: number;
  test_type?: number | null;
  badge_count?: number;
  invalid_identifier?: boolean;
}

/** One page of GET /players. */
export interface ApiPlayerPage {
  total_count: number;
  offset: number;
  limit: number;
  players: ApiPlayer[];
}

/**
 * POST /players. OneSignal answers a known identifier with that device's id, so with an identifier
 * the call is safe to repeat and may be retried after a dropped connection.
 */
export async function addPlayer(client: OneSignalHttpClient, player: ApiPlayer & { app_id: string }): Promise<string> {
  const answer = await client.request<{ id: string }>({
    method: "POST",
    path: "/players",
    body: player,
    idempotent: typeof player.identifier === "string" && player.identifier !== "",
  });
  return answer.id;
}

/** GET /players/{id}?app_id=. */
export function getPlayer(client: OneSignalHttpClient, appId: string, id: string): Promise<ApiPlayer> {
  return client.request<ApiPlayer>({ method: "GET", path: `/players/${segment(id)}`, query: { app_id: appId } });
}

/** PUT /players/{id}: the changed fields (tags merge; an empty value deletes a tag). */
export async function editPlayer(
  client: OneSignalHttpClient,
  appId: string,
  id: string,
  changes: ApiPlayer,
): Promise<void> {
  await client.request<unknown>({
    method: "PUT",
    path: `/players/${segment(id)}`,
    body: { ...changes, app_id: appId },
  });
}

/** DELETE /players/{id}?app_id=. */
export async function deletePlayer(client: OneSignalHttpClient, appId: string, id: string): Promise<void> {
  await client.request<unknown>({ method: "DELETE", path: `/players/${segment(id)}`, query: { app_id: appId } });
}

/** GET /players?app_id=: one page of at most 300. */
export function listPlayersPage(
  client: OneSignalHttpClient,
  appId: string,
  offset = 0,
  limit = 300,
): Promise<ApiPlayerPage> {
  return client.request<ApiPlayerPage>({ method: "GET", path: "/players", query: { app_id: appId, offset, limit } });
}

/** PUT /apps/{app_id}/users/{external_user_id}: tags on every device of that external user id. */
export async function editTagsByExternalUserId(
  client: OneSignalHttpClient,
  appId: string,
  externalUserId: string,
  tags: Record<string, string | number | null>,
): Promise<void> {
  await client.request<unknown>({
    method: "PUT",
    path: `/apps/${segment(appId)}/users/${segment(externalUserId)}`,
    body: { tags },
  });
}
