import pLimit from "p-limit";
import type { ApiPlayer } from "../client/devices";
import { addPlayer, editPlayer, getPlayer } from "../client/devices";
import {
  ifFound,
  OneSignalApiError,
  OneSignalAuthError,
  OneSignalConnectionError,
  OneSignalError,
} from "../client/errors";
import type { OneSignalHttpClient } from "../client/http";
import { getUser } from "../client/users";
import {
  DEVICE_TYPES,
  type Device,
  type DeviceInput,
  type DeviceTypeName,
  deviceProblems,
  fromApiPlayer,
  resolveDeviceType,
  toApiPlayer,
} from "../models/device";
import { describeValue } from "../models/properties";
import { SUBSCRIPTION_DEVICE_TYPES, type SubscriptionType } from "../models/user";
import { clientFor, type OneSignalOptions } from "./options";

/** A device for {@link upsertDevice}: with an `id` it is edited; else it is found by identifier or external id. */
export interface DeviceUpsert extends DeviceInput {
  id?: string;
}

/** Options of {@link upsertDevices}. */
export interface UpsertDevicesOptions extends OneSignalOptions {
  /** Requests in flight at once (default 10). */
  concurrency?: number;
  /**
   * Called after each item, failed ones included, with the items done and the total: the array's length, or
   * for an iterable the `total` option when given, else the items read so far.
   */
  onProgress?: (done: number, total: number) => void;
  /** How many items an iterable holds, for `onProgress` (an array's length is known). */
  total?: number;
  /**
   * Keep the id of each device that made it in `succeeded` (default true). False keeps only their count
   * (`succeededCount`), so a stream of any length takes the same memory.
   */
  keepSucceeded?: boolean;
  /**
   * Called once per item when it is done, with its index in the input and its error if it failed: a caller that
   * streams its items can let go of each one then (and keep only the ones that failed).
   */
  onItem?: (index: number, error: Error | undefined) => void;
}

/** What {@link upsertDevices} did: the id of each device that made it, the error of each that did not. */
export interface UpsertDevicesResult {
  /** Each device that made it, by its index in the input (empty with `keepSucceeded: false`). */
  succeeded: { index: number; id: string }[];
  /** How many devices made it. */
  succeededCount: number;
  failed: { index: number; error: Error }[];
}

/** Adds a device (POST /players). A known identifier answers with that device's id. */
export async function addDevice(appId: string, device: DeviceInput, opts?: OneSignalOptions): Promise<{ id: string }> {
  refuseBadDevice("addDevice", device);
  const id = await addPlayer(clientFor(opts, "app"), { ...toApiPlayer(device), app_id: appId });
  return { id };
}

/** Edits a device (PUT /players/{id}); tags merge, and an empty value deletes a tag. */
export async function editDevice(
  appId: string,
  id: string,
  changes: Partial<DeviceInput>,
  opts?: OneSignalOptions,
): Promise<void> {
  if (typeof changes !== "object" || changes === null || Array.isArray(changes)) {
    throw new OneSignalError(`editDevice: changes must be an object of device fields, not ${describeValue(changes)}`);
  }
  refuseBadId("editDevice", id);
  refuseBadDevice("editDevice", changes);
  await editPlayer(clientFor(opts, "app"), appId, id, toApiPlayer(changes));
}

/** One device, camelCase, with its times as Dates. */
export async function getDevice(appId: string, id: string, opts?: OneSignalOptions): Promise<Device> {
  refuseBadId("getDevice", id);
  return fromApiPlayer(await getPlayer(clientFor(opts, "app"), appId, id));
}

/**
 * Adds or updates a device and never makes a duplicate: by `device.id` when given, else by
 * `identifier` (OneSignal answers a known identifier with its device), else by `externalUserId`.
 */
export async function upsertDevice(
  appId: string,
  device: DeviceUpsert,
  opts?: OneSignalOptions,
): Promise<{ id: string }> {
  refuseBadDevice("upsertDevice", device, ["id"]);
  return { id: await upsertWith(clientFor(opts, "app"), appId, device) };
}

/**
 * Upserts many devices with a bounded number of requests in flight. On a 429 the refused request waits
 * what Retry-After says and the batch narrows to just under the limit; what is safe is retried; one bad item never stops
 * the batch, but a refused key (401/403) stops it at once and is thrown: every other item would be refused too.
 * Items that share an id, an identifier or an external id go one after another, in input order, so what one call
 * leaves is what upserting its items one at a time would: the same key never makes two devices in one call.
 * (Across calls, and across processes, nothing is serialized: see docs/functions.md.)
 *
 * `devices` may be an array or any (async) iterable, such as a stream of CSV rows: items are read only as
 * requests free up, so at most `concurrency` of them are held at once, however many there are.
 */
export async function upsertDevices(
  appId: string,
  devices: Iterable<DeviceUpsert> | AsyncIterable<DeviceUpsert>,
  opts?: UpsertDevicesOptions,
): Promise<UpsertDevicesResult> {
  const source: unknown = devices;
  const iterable =
    typeof source === "object" && source !== null && (Symbol.iterator in source || Symbol.asyncIterator in source);
  if (!iterable) {
    throw new OneSignalError(
      `upsertDevices: devices must be an array or an iterable of devices, not ${describeValue(devices)}`,
    );
  }
  const concurrency = opts?.concurrency ?? 10;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new OneSignalError(
      `upsertDevices: concurrency must be a whole number of at least 1, not ${describeValue(concurrency)}`,
    );
  }
  const total = opts?.total;
  if (total !== undefined && !(Number.isInteger(total) && total >= 0)) {
    throw new OneSignalError(`upsertDevices: total must be a whole number, not ${describeValue(total)}`);
  }
  const keep: unknown = opts?.keepSucceeded;
  if (keep !== undefined && typeof keep !== "boolean") {
    throw new OneSignalError(`upsertDevices: keepSucceeded must be true or false, not ${describeValue(keep)}`);
  }
  const onItem: unknown = opts?.onItem;
  if (onItem !== undefined && typeof onItem !== "function") {
    throw new OneSignalError(`upsertDevices: onItem must be a function, not ${describeValue(onItem)}`);
  }
  const client = clientFor(opts, "app", ["concurrency", "onProgress", "total", "keepSucceeded", "onItem"]);
  const result: UpsertDevicesResult = { succeeded: [], succeededCount: 0, failed: [] };
  const keepSucceeded = keep !== false;
  let read = 0;
  let done = 0;
  const knownTotal = Array.isArray(devices) ? devices.length : total;
  // A refused key refuses every item: the first one stops the batch, and the call throws it.
  let refused: OneSignalAuthError | undefined;
  // The last item in flight for each key (id, identifier, external id): an item waits for the last one of each
  // of its keys, so items that share any key go in input order.
  const lastOf = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  const limit = pLimit(concurrency);
  // Woken when an item is done: the reader waits on this, not on a race of every item in flight.
  let slotFreed: (() => void) | undefined;

  const upsertOne = async (device: unknown, index: number, after: Promise<void>[]) => {
    // The ones before it may have failed: this one is tried all the same.
    if (after.length > 0) await Promise.allSettled(after);
    if (refused) return;
    let failure: Error | undefined;
    try {
      refuseBadItem(device);
      const id = await upsertWith(client, appId, device as DeviceUpsert);
      result.succeededCount += 1;
      if (keepSucceeded) result.succeeded.push({ index, id });
    } catch (error) {
      if (error instanceof OneSignalAuthError) {
        refused ??= error;
        return;
      }
      failure = error instanceof Error ? error : new OneSignalError(String(error));
      result.failed.push({ index, error: failure });
    }
    opts?.onItem?.(index, failure);
    done += 1;
    opts?.onProgress?.(done, knownTotal ?? read);
  };

  for await (const device of devices as AsyncIterable<unknown>) {
    if (refused) break;
    const index = read;
    read += 1;
    const keys = keysOf(device);
    const after = keys.flatMap((key) => lastOf.get(key) ?? []);
    const task = limit(() => upsertOne(device, index, after)).finally(() => {
      inFlight.delete(task);
      for (const key of keys) if (lastOf.get(key) === task) lastOf.delete(key);
      slotFreed?.();
    });
    for (const key of keys) lastOf.set(key, task);
    inFlight.add(task);
    // p-limit bounds the requests; this bounds what is read ahead of them: the next item is read only
    // once the limiter has a free slot for it.
    while (limit.activeCount + limit.pendingCount >= concurrency) {
      await new Promise<void>((resolve) => {
        slotFreed = resolve;
      });
    }
  }
  await Promise.all(inFlight);
  if (refused) throw refused;
  result.succeeded.sort((a, b) => a.index - b.index);
  result.failed.sort((a, b) => a.index - b.index);
  return result;
}

/**
 * The keys an item of a batch may find or make its device by: its id, its identifier, its external id. Items that
 * share one are not independent: an item with an identifier and an external id makes the device that a later item
 * with the external id alone must find, so both keys hold it. A bad item (null, a Symbol id...) has none and fails
 * alone.
 */
function keysOf(device: unknown): string[] {
  if (typeof device !== "object" || device === null) return [];
  const { id, identifier, externalUserId } = device as Record<string, unknown>;
  const keys: string[] = [];
  // Prefixed: an identifier that reads like an external id or a device id is another key.
  if (typeof id === "string" && id !== "") keys.push(`id:${id}`);
  if (typeof identifier === "string" && identifier !== "") keys.push(`identifier:${identifier}`);
  if (typeof externalUserId === "string" && externalUserId !== "") keys.push(`external:${externalUserId}`);
  return keys;
}

/** Refuses one item of a batch that cannot be sent; the batch records it in `failed` and goes on. */
function refuseBadItem(device: unknown): void {
  if (typeof device !== "object" || device === null || Array.isArray(device)) {
    throw new OneSignalError(`a device must be an object of device fields, not ${describeValue(device)}`);
  }
  const problems = deviceProblems(device, ["id"]);
  if (problems.length > 0) throw new OneSignalError(`The device was refused: ${problems.join("; ")}.`);
}

/** Adds or edits one device that its caller has checked. */
async function upsertWith(client: OneSignalHttpClient, appId: string, device: DeviceUpsert): Promise<string> {
  // The wire body leaves `id` out (it is no device field); device_type is resolved in it.
  const body = toApiPlayer(device);
  // A device without a type is refused as one with an unknown type.
  if (body.device_type === undefined) resolveDeviceType(device.deviceType);
  if (device.id) {
    await editPlayer(client, appId, device.id, body);
    return device.id;
  }
  if (device.identifier) {
    body.app_id = appId;
    return addPlayer(client, body as ApiPlayer & { app_id: string });
  }
  if (!device.externalUserId) {
    throw new OneSignalError(
      "upsertDevice needs an id, an identifier or an externalUserId to find the device; without them it would add a duplicate",
    );
  }
  const deviceType = body.device_type as number;
  if (!FINDABLE_BY_EXTERNAL_ID.has(deviceType)) {
    const name = Object.keys(DEVICE_TYPES).find((key) => DEVICE_TYPES[key as DeviceTypeName] === deviceType);
    throw new OneSignalError(
      `upsertDevice cannot find a "${name}" device by externalUserId: OneSignal's user model ` +
        "has no subscription type for it, so every upsert would add another device; give its id or identifier",
    );
  }
  return upsertByExternalId(client, appId, device.externalUserId, body);
}

/**
 * The device types that a user's subscriptions can show (what a lookup by external id finds). Windows Phone (3)
 * and Alexa (10) devices have no subscription type of their own, so they cannot be told apart there.
 */
const FINDABLE_BY_EXTERNAL_ID = new Set(Object.values(SUBSCRIPTION_DEVICE_TYPES));

/** The device of this type that the user with this external id has, if any. */
async function findByExternalId(
  client: OneSignalHttpClient,
  appId: string,
  externalUserId: string,
  deviceType: number,
): Promise<string | undefined> {
  const user = await ifFound(getUser(client, appId, "external_id", externalUserId));
  const match = (user?.subscriptions ?? []).find(
    (subscription) =>
      subscription.id && SUBSCRIPTION_DEVICE_TYPES[subscription.type as SubscriptionType] === deviceType,
  );
  return match?.id;
}

async function upsertByExternalId(
  client: OneSignalHttpClient,
  appId: string,
  externalUserId: string,
  body: ApiPlayer,
): Promise<string> {
  const deviceType = body.device_type as number;
  for (let attempt = 0; ; attempt++) {
    const existing = await findByExternalId(client, appId, externalUserId, deviceType);
    if (existing) {
      await editPlayer(client, appId, existing, body);
      return existing;
    }
    try {
      return await addPlayer(client, { ...body, app_id: appId });
    } catch (error) {
      // An add without an identifier cannot be repeated blindly: look again, then add only if still missing.
      const mayHaveLanded =
        error instanceof OneSignalConnectionError || (error instanceof OneSignalApiError && error.status >= 500);
      if (!mayHaveLanded || attempt >= 2) throw error;
    }
  }
}

/** Refuses a device (or changes) that cannot be sent, naming the function and every problem, before any request. */
function refuseBadDevice(what: string, device: unknown, extra: readonly string[] = []): void {
  if (typeof device !== "object" || device === null || Array.isArray(device)) {
    throw new OneSignalError(`${what}: the device must be an object of device fields, not ${describeValue(device)}`);
  }
  const problems = deviceProblems(device, extra);
  if (problems.length > 0) throw new OneSignalError(`${what}: ${problems.join("; ")}.`);
}

/** Refuses a device id that is not text, before any request. */
function refuseBadId(what: string, id: unknown): void {
  if (typeof id !== "string" || id === "") {
    throw new OneSignalError(`${what}: id must be the device's id (text), not ${describeValue(id)}`);
  }
}
