import { isIP } from "node:net";
import { assert, notFound, requireObject } from "../errors";
import { hashKey, newAppApiKey, newId } from "../ids";
import type { RequestContext, Route } from "../router";
import type { ApiKeyRecord, Store } from "../store";

// Modelled on onesignal-current.yaml (view_api_keys, create_api_key, update_api_key,
// rotate_api_key, delete_api_key): organization key only; the secret is shown on create and
// rotate and never again. ((emulator: D39 the organization key has every permission: the 403 "Current
// organization permissions do not allow this action." is never answered))

/** OneSignal allows at most 16 API keys per app. */
const MAX_KEYS_PER_APP = 16;

/** Routes for `/apps/{app_id}/auth/tokens`. */
export const apiKeyRoutes: Route[] = [
  { method: "GET", pattern: "/apps/:app_id/auth/tokens", auth: "organization", handler: listKeys },
  { method: "POST", pattern: "/apps/:app_id/auth/tokens", auth: "organization", handler: createKey },
  { method: "PATCH", pattern: "/apps/:app_id/auth/tokens/:token_id", auth: "organization", handler: updateKey },
  { method: "DELETE", pattern: "/apps/:app_id/auth/tokens/:token_id", auth: "organization", handler: deleteKey },
  { method: "POST", pattern: "/apps/:app_id/auth/tokens/:token_id/rotate", auth: "organization", handler: rotateKey },
];

function requireAppOf(store: Store, appId: string): void {
  const app = store.apps.get(appId);
  if (!app || app.organizationId !== store.organization.id) throw notFound("App not found");
}

function requireKey(store: Store, appId: string, tokenId: string): ApiKeyRecord {
  requireAppOf(store, appId);
  const key = store.apiKeys.get(tokenId);
  if (!key || key.appId !== appId) throw notFound("Token not found");
  return key;
}

function listKeys({ store, params }: RequestContext) {
  const appId = params.app_id as string;
  requireAppOf(store, appId);
  const tokens = [...store.apiKeys.values()]
    .filter((key) => key.appId === appId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map(presentKey);
  return { body: { tokens } };
}

function createKey({ store, params, body }: RequestContext) {
  const appId = params.app_id as string;
  requireAppOf(store, appId);
  const input = requireObject(body);
  assert(typeof input.name === "string" && input.name.trim().length > 0, "name is required");
  const existing = [...store.apiKeys.values()].filter((key) => key.appId === appId).length;
  assert(existing < MAX_KEYS_PER_APP, `An app can have at most ${MAX_KEYS_PER_APP} API keys`);
  const allowlist = readAllowlist(input, "disabled", []);
  const secret = newAppApiKey();
  const now = store.clock.iso();
  const record: ApiKeyRecord = {
    tokenId: newId(),
    appId,
    name: checkName(input.name),
    ipAllowlistMode: allowlist.mode,
    ipAllowlist: allowlist.list,
    createdAt: now,
    updatedAt: now,
    tokenHash: hashKey(secret),
  };
  store.putApiKey(record);
  return { body: { ...presentKey(record), formatted_token: secret } };
}

function updateKey({ store, params, body }: RequestContext) {
  const key = requireKey(store, params.app_id as string, params.token_id as string);
  const input = requireObject(body);
  if (input.name !== undefined) key.name = checkName(input.name);
  const allowlist = readAllowlist(input, key.ipAllowlistMode, key.ipAllowlist);
  key.ipAllowlistMode = allowlist.mode;
  key.ipAllowlist = allowlist.list;
  key.updatedAt = store.clock.iso();
  return { body: {} };
}

function rotateKey({ store, params }: RequestContext) {
  const key = requireKey(store, params.app_id as string, params.token_id as string);
  const previousHash = key.tokenHash;
  const secret = newAppApiKey();
  key.tokenHash = hashKey(secret);
  key.updatedAt = store.clock.iso();
  store.putApiKey(key, previousHash);
  return { body: { ...presentKey(key), formatted_token: secret } };
}

function deleteKey({ store, params }: RequestContext) {
  const key = requireKey(store, params.app_id as string, params.token_id as string);
  store.deleteApiKey(key.tokenId);
  return { body: {} };
}

function checkName(name: unknown): string {
  assert(typeof name === "string" && name.trim().length > 0, "name is required");
  assert(name.length <= 128, "name is too long (maximum is 128 characters)");
  return name;
}

// ((emulator: D12 OneSignal's texts for a malformed allowlist are not documented; these are the emulator's))
function readAllowlist(
  input: Record<string, unknown>,
  currentMode: "disabled" | "explicit",
  currentList: string[],
): { mode: "disabled" | "explicit"; list: string[] } {
  const mode = input.ip_allowlist_mode ?? currentMode;
  assert(mode === "disabled" || mode === "explicit", "ip_allowlist_mode must be one of disabled, explicit");
  const list = input.ip_allowlist ?? currentList;
  assert(Array.isArray(list), "ip_allowlist must be an array of CIDR blocks");
  for (const entry of list)
    assert(isCidr(entry), `ip_allowlist entry ${JSON.stringify(entry)} is not a valid CIDR block`);
  if (mode === "explicit") assert(list.length > 0, "ip_allowlist must not be empty when ip_allowlist_mode is explicit");
  return { mode, list: list as string[] };
}

function isCidr(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const [address, prefix, ...rest] = value.split("/");
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

function presentKey(key: ApiKeyRecord): Record<string, unknown> {
  return {
    token_id: key.tokenId,
    name: key.name,
    ip_allowlist_mode: key.ipAllowlistMode,
    ip_allowlist: key.ipAllowlist,
    created_at: key.createdAt,
    updated_at: key.updatedAt,
  };
}
