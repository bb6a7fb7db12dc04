import { applyPlayerFields, checkDeviceType, checkIdentifier, mergeTags, newDevice, presentPlayer } from "../devices";
import { assert, EmulatorError, requireObject } from "../errors";
import { newId } from "../ids";
import { pageOf } from "../query";
import { appIdFromBody, appIdFromQuery, type RequestContext, type Route } from "../router";
import type { DeviceRecord, Store } from "../store";
import { enforceSubscriptionLimit, linkExternalUser } from "./users";

// Modelled on onesignal-legacy.yaml (get_players, create_player, get_player, update_player,
// delete_player, update_player_tags) and the reference notes §9. Statuses are the reference pages' where the spec
// declares fewer: an unknown device is a 404 (View player, Edit player), which the legacy spec does not declare.

const MAX_LIMIT = 300;
/** OneSignal stops listing devices past this many and points to the CSV export. */
const LIST_LIMIT = 80_000;

/** Routes for `/players` and tags by external user id. */
export const playerRoutes: Route[] = [
  { method: "POST", pattern: "/players", auth: "app", appId: appIdFromBody, handler: addPlayer },
  {
    method: "GET",
    pattern: "/players",
    auth: "app",
    appId: appIdFromQuery,
    handler: listPlayers,
    query: ["app_id", "limit", "offset"],
  },
  {
    method: "GET",
    pattern: "/players/:player_id",
    auth: "app",
    appId: appIdFromQuery,
    handler: viewPlayer,
    query: ["app_id"],
    // ((emulator: D15 identity verification is not modelled: a request with email_auth_hash is refused))
    notEmulated: ["email_auth_hash"],
  },
  { method: "PUT", pattern: "/players/:player_id", auth: "app", appId: appIdFromBody, handler: editPlayer },
  {
    method: "DELETE",
    pattern: "/players/:player_id",
    auth: "app",
    appId: appIdFromQuery,
    handler: deletePlayer,
    query: ["app_id"],
  },
  { method: "PUT", pattern: "/apps/:app_id/users/:external_user_id", auth: "app", handler: editTagsByExternalId },
];

/** The 404 of View player and Edit player, with the text of the legacy API's refusal. */
function notFound(): EmulatorError {
  return new EmulatorError(404, { errors: ["No user with this id found"] });
}

function requireDevice(store: Store, appId: string, id: string): DeviceRecord {
  const device = store.devices.get(id);
  if (!device || device.appId !== appId) throw notFound();
  return device;
}

function addPlayer({ store, body }: RequestContext) {
  const input = requireObject(body);
  const appId = input.app_id as string;
  const deviceType = checkDeviceType(input.device_type);
  checkIdentifier(deviceType, input.identifier);
  const identifier = (input.identifier as string | undefined) ?? null;
  // A known identifier is the same device: OneSignal answers with its id and updates it.
  const existing = identifier ? store.findDeviceByIdentifier(appId, identifier) : undefined;
  const device = existing ?? newDevice(store, newId(), appId, deviceType);
  device.identifier = identifier;
  applyPlayerFields(device, input);
  linkExternalUser(store, device);
  store.putDevice(device);
  keepUserWithinLimit(store, device);
  return { body: { success: true, id: device.id } };
}

function listPlayers({ store, query }: RequestContext) {
  const appId = query.get("app_id") as string;
  const devices = store.devicesOf(appId);
  assert(
    devices.length <= LIST_LIMIT,
    "Unable to list devices for apps with over 80,000 devices. Please use the CSV export.",
  );
  const { limit, offset } = pageOf(query, MAX_LIMIT);
  const sorted = devices.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    body: {
      total_count: sorted.length,
      offset,
      limit,
      players: sorted.slice(offset, offset + limit).map(presentPlayer),
    },
  };
}

function viewPlayer({ store, params, query }: RequestContext) {
  return { body: presentPlayer(requireDevice(store, query.get("app_id") as string, params.player_id as string)) };
}

function editPlayer({ store, params, body }: RequestContext) {
  const input = requireObject(body);
  const device = requireDevice(store, input.app_id as string, params.player_id as string);
  if (input.device_type !== undefined) device.deviceType = checkDeviceType(input.device_type);
  if (input.identifier !== undefined) {
    checkIdentifier(device.deviceType, input.identifier);
    const owner = input.identifier ? store.findDeviceByIdentifier(device.appId, input.identifier as string) : undefined;
    if (owner && owner.id !== device.id) {
      throw new EmulatorError(409, { errors: ["Another device already has this identifier"] });
    }
    device.identifier = (input.identifier as string | null) ?? null;
  }
  const externalBefore = device.externalUserId;
  applyPlayerFields(device, input);
  if (device.externalUserId !== externalBefore) linkExternalUser(store, device);
  store.putDevice(device);
  keepUserWithinLimit(store, device);
  return { body: { success: true } };
}

function deletePlayer({ store, params, query }: RequestContext) {
  const device = store.devices.get(params.player_id as string);
  if (!device || device.appId !== query.get("app_id")) throw new EmulatorError(404, { success: false });
  store.deleteDevice(device.id);
  return { body: { success: true } };
}

function editTagsByExternalId({ store, params, body }: RequestContext) {
  const appId = params.app_id as string;
  const externalUserId = params.external_user_id as string;
  const input = requireObject(body);
  const devices = store.devicesOf(appId).filter((device) => device.externalUserId === externalUserId);
  // The reference page (Edit tags with external user id): "404 Not Found - No players found for given external_user_id".
  if (devices.length === 0) throw new EmulatorError(404, { errors: ["No players found for given external_user_id"] });
  for (const device of devices) {
    device.tags = mergeTags(device.tags, input.tags);
    store.putDevice(device);
  }
  return { body: { success: true } };
}

/** A device linked to a user by its external id counts toward the user's 20 subscriptions. */
function keepUserWithinLimit(store: Store, device: DeviceRecord): void {
  const user = device.userId ? store.users.get(device.userId) : undefined;
  if (user) enforceSubscriptionLimit(store, user);
}
