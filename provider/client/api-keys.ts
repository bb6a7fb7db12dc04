import { type Dated, type OneSignalHttpClient, segment, serverDate } from "./http";

/** The body of POST and PATCH `/apps/{app_id}/auth/tokens`. */
export interface ApiKeyRequest {
  name?: string;
  ip_allowlist_mode?: "disabled" | "explicit";
  ip_allowlist?: string[];
}

/** An app API key as OneSignal lists it (no secret). */
export interface ApiKeyToken {
  readonly token_id: string;
  readonly name?: string;
  readonly ip_allowlist_mode?: "disabled" | "explicit";
  readonly ip_allowlist?: string[];
  readonly created_at?: string;
  readonly updated_at?: string;
}

/** What create and rotate return: the key with its secret, shown only this once. */
export interface ApiKeyWithSecret extends ApiKeyToken {
  readonly formatted_token: string;
}

function tokensPath(appId: string): string {
  return `/apps/${segment(appId)}/auth/tokens`;
}

/** GET /apps/{app_id}/auth/tokens (organization key). */
export async function listApiKeys(client: OneSignalHttpClient, appId: string): Promise<ApiKeyToken[]> {
  return (await listApiKeysDated(client, appId)).value;
}

/** GET /apps/{app_id}/auth/tokens, with OneSignal's clock at the answer. */
export async function listApiKeysDated(client: OneSignalHttpClient, appId: string): Promise<Dated<ApiKeyToken[]>> {
  const response = await client.requestWithResponse<{ tokens?: ApiKeyToken[] }>({
    method: "GET",
    path: tokensPath(appId),
  });
  return { value: response.body.tokens ?? [], serverDate: serverDate(response.headers) };
}

/** POST /apps/{app_id}/auth/tokens (organization key). */
export function createApiKey(
  client: OneSignalHttpClient,
  appId: string,
  request: ApiKeyRequest,
): Promise<ApiKeyWithSecret> {
  return client.request<ApiKeyWithSecret>({ method: "POST", path: tokensPath(appId), body: request });
}

/** PATCH /apps/{app_id}/auth/tokens/{token_id} (organization key). */
export async function updateApiKey(
  client: OneSignalHttpClient,
  appId: string,
  tokenId: string,
  request: ApiKeyRequest,
): Promise<void> {
  await client.request<unknown>({ method: "PATCH", path: `${tokensPath(appId)}/${segment(tokenId)}`, body: request });
}

/** POST /apps/{app_id}/auth/tokens/{token_id}/rotate: a new secret; the old one stops working at once. */
export function rotateApiKey(client: OneSignalHttpClient, appId: string, tokenId: string): Promise<ApiKeyWithSecret> {
  return client.request<ApiKeyWithSecret>({ method: "POST", path: `${tokensPath(appId)}/${segment(tokenId)}/rotate` });
}

/** DELETE /apps/{app_id}/auth/tokens/{token_id} (organization key). */
export async function deleteApiKey(client: OneSignalHttpClient, appId: string, tokenId: string): Promise<void> {
  await client.request<unknown>({ method: "DELETE", path: `${tokensPath(appId)}/${segment(tokenId)}` });
}
