import type { ApiKeyRequest, ApiKeyToken } from "../client/api-keys";

/** Whether an API key only works from listed addresses. */
export type IpAllowlistMode = "disabled" | "explicit";

/** The editable fields of an app API key. */
export interface ApiKeySettings {
  name: string;
  ipAllowlistMode?: IpAllowlistMode;
  ipAllowlist?: string[];
}

/** An app API key as this package shows it (no secret). */
export interface ApiKeyInfo {
  tokenId: string;
  name: string;
  ipAllowlistMode: IpAllowlistMode;
  ipAllowlist: string[];
  createdAt?: string;
  updatedAt?: string;
}

/** The wire body for these settings. */
export function toApiKeyRequest(settings: Partial<ApiKeySettings>): ApiKeyRequest {
  const body: ApiKeyRequest = {};
  if (settings.name !== undefined) body.name = settings.name;
  if (settings.ipAllowlistMode !== undefined) body.ip_allowlist_mode = settings.ipAllowlistMode;
  if (settings.ipAllowlist !== undefined) body.ip_allowlist = settings.ipAllowlist;
  return body;
}

/** The key as this package shows it, from OneSignal's answer. */
export function fromApiKeyToken(token: ApiKeyToken): ApiKeyInfo {
  const info: ApiKeyInfo = {
    tokenId: token.token_id,
    name: token.name ?? "",
    ipAllowlistMode: token.ip_allowlist_mode ?? "disabled",
    ipAllowlist: token.ip_allowlist ?? [],
  };
  if (token.created_at) info.createdAt = token.created_at;
  if (token.updated_at) info.updatedAt = token.updated_at;
  return info;
}
