import { channelOfDevice, E164, EMAIL, isSubscribed, newDevice } from "../../devices";
import { badRequest } from "../../errors";
import { newId } from "../../ids";
import type { DeviceRecord, Store } from "../../store";
import { matchesFilters, segmentFiltersByName } from "../../targeting";
import { PLATFORM_FLAGS, WEB_DEVICE_TYPES } from "./platforms";
import { nowSeconds } from "./records";
import type { Channel } from "./validation";

function subscribed(device: DeviceRecord, input: Record<string, unknown>): boolean {
  return isSubscribed(device) || (device.deviceType === 11 && input.include_unsubscribed === true);
}

/** Whether a message's platform flags let it reach the device: every platform unless its flag is false. */
function platformWanted(device: DeviceRecord, input: Record<string, unknown>): boolean {
  const flag = PLATFORM_FLAGS[device.deviceType];
  if (flag !== undefined && input[flag] === false) return false;
  return !(WEB_DEVICE_TYPES.includes(device.deviceType) && input.isAnyWeb === false);
}

/**
 * The devices a notification reaches, and, by the ids it names, those that reach only unsubscribed subscriptions
 * (`invalid_player_ids`, `invalid_aliases`): the Create message reference page reports the unsubscribed ones ("If
 * the Subscription ID did not exist, it will not be reported"), and its OpenAPI says `invalid_aliases` "marks
 * devices that exist in the provided app_id but are no longer subscribed".
 */
export function resolveRecipients(
  store: Store,
  appId: string,
  input: Record<string, unknown>,
  channel: Channel,
): { recipients: DeviceRecord[]; invalid: Record<string, unknown> } {
  const now = nowSeconds(store);
  const devices = store.devicesOf(appId);
  const ofChannel = devices.filter(
    (device) => channelOfDevice(device) === channel && subscribed(device, input) && platformWanted(device, input),
  );
  const invalid: Record<string, unknown> = {};
  const segmentFilters = (name: string) => {
    const filters = segmentFiltersByName(store, appId, name);
    // ((emulator: D22 an unknown segment name is refused; OneSignal's exact answer is not documented))
    if (!filters) throw badRequest(`Segment not found: ${name}`);
    return filters;
  };
  let recipients: DeviceRecord[] = [];
  if (input.included_segments || input.excluded_segments) {
    const included = ((input.included_segments as string[] | undefined) ?? []).map(segmentFilters);
    const excluded = ((input.excluded_segments as string[] | undefined) ?? []).map(segmentFilters);
    recipients = ofChannel.filter(
      (device) =>
        included.some((filters) => matchesFilters(store, device, filters, now)) &&
        !excluded.some((filters) => matchesFilters(store, device, filters, now)),
    );
  } else if (input.filters) {
    recipients = ofChannel.filter((device) =>
      matchesFilters(store, device, input.filters as Record<string, unknown>[], now),
    );
  } else if (input.include_aliases) {
    const unsubscribed: Record<string, string[]> = {};
    const userIds = new Set<string>();
    for (const [label, ids] of Object.entries(input.include_aliases as Record<string, unknown>)) {
      for (const id of Array.isArray(ids) ? ids : []) {
        const user = store.findUserByAlias(appId, label, String(id));
        if (!user) continue;
        userIds.add(user.id);
        const onChannel = devices.filter(
          (device) => device.userId === user.id && channelOfDevice(device) === channel && platformWanted(device, input),
        );
        if (onChannel.length > 0 && !onChannel.some((device) => subscribed(device, input))) {
          unsubscribed[label] = [...(unsubscribed[label] ?? []), String(id)];
        }
      }
    }
    if (Object.keys(unsubscribed).length > 0) invalid.invalid_aliases = unsubscribed;
    recipients = ofChannel.filter((device) => device.userId !== null && userIds.has(device.userId));
  } else if (input.include_subscription_ids || input.include_player_ids) {
    const ids = (input.include_subscription_ids ?? input.include_player_ids) as string[];
    const found = ids.map((id) => store.devices.get(id)).filter((device) => device?.appId === appId) as DeviceRecord[];
    const unsubscribed = found.filter((device) => !subscribed(device, input)).map((device) => device.id);
    if (unsubscribed.length > 0) invalid.invalid_player_ids = unsubscribed;
    recipients = found.filter((device) => subscribed(device, input) && platformWanted(device, input));
  } else if (input.include_external_user_ids) {
    const ids = input.include_external_user_ids as string[];
    recipients = ofChannel.filter((device) => device.externalUserId !== null && ids.includes(device.externalUserId));
    const missing = ids.filter((id) => !recipients.some((device) => device.externalUserId === id));
    if (missing.length > 0) invalid.invalid_external_user_ids = missing;
  } else {
    const identifiers = (input.email_to ?? input.include_email_tokens ?? input.include_phone_numbers) as string[];
    recipients = ofChannel.filter((device) => device.identifier !== null && identifiers.includes(device.identifier));
  }
  return { recipients, invalid };
}

/**
 * Makes a subscription for each email address or phone number a message names that the app has not
 * seen, as OneSignal documents ("a new SMS Subscription will be created"; an email "automatically creates
 * a Subscription"). Phone numbers that are not E.164 are left out and returned, for `invalid_phone_numbers`;
 * a malformed email address refuses the message before anything is made.
 */
export function adoptUnseenContacts(store: Store, appId: string, input: Record<string, unknown>): string[] {
  const emails = (input.email_to ?? input.include_email_tokens ?? []) as string[];
  const phones = (input.include_phone_numbers ?? []) as string[];
  // ((emulator: D18 OneSignal documents no answer to a malformed address in email_to; the emulator refuses it))
  const badEmails = emails.filter((address) => !EMAIL.test(address));
  if (badEmails.length > 0) throw badRequest(`email_to: not valid email addresses: ${badEmails.join(", ")}`);
  const adopt = (identifier: string, deviceType: number) => {
    if (store.findDeviceByIdentifier(appId, identifier)) return;
    const device = newDevice(store, newId(), appId, deviceType);
    device.identifier = identifier;
    store.putDevice(device);
  };
  for (const address of emails) adopt(address, 11);
  for (const number of phones) if (E164.test(number)) adopt(number, 14);
  return phones.filter((number) => !E164.test(number));
}
