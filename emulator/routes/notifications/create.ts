import { assert, requireObject } from "../../errors";
import { newId } from "../../ids";
import type { RequestContext, RouteResult } from "../../router";
import type { NotificationRecord } from "../../store";
import { deliver, deliverDue } from "./delivery";
import { adoptUnseenContacts, resolveRecipients } from "./recipients";
import { nowSeconds } from "./records";
import { channelOf, parseSendAfter, UUID, validate } from "./validation";

/** How long OneSignal answers a repeated idempotency key with the first answer: 30 days. */
const IDEMPOTENCY_SECONDS = 30 * 24 * 3600;

/** POST /notifications: checks, resolves the recipients, and delivers now or keeps the message for later. */
export function createNotification({ store, body }: RequestContext): RouteResult {
  deliverDue(store);
  const input = requireObject(body);
  const appId = input.app_id as string;
  const key = (input.idempotency_key ?? input.external_id ?? null) as string | null;
  if (key !== null) {
    assert(typeof key === "string" && UUID.test(key), "idempotency_key must be a UUID");
    const previous = store.idempotency.get(`${appId} ${key}`);
    if (previous && nowSeconds(store) - previous.createdAt < IDEMPOTENCY_SECONDS) {
      return { body: previous.body, headers: { "Idempotent-Replayed": "true" } };
    }
  }
  const channel = channelOf(input);
  validate(store, appId, input, channel);
  const sendAfter = parseSendAfter(input.send_after);
  const { app_id: _appId, ...request } = input;
  const invalidPhoneNumbers = adoptUnseenContacts(store, appId, request);
  const { recipients, invalid } = resolveRecipients(store, appId, request, channel);
  if (invalidPhoneNumbers.length > 0) invalid.invalid_phone_numbers = invalidPhoneNumbers;
  let answer: Record<string, unknown>;
  if (recipients.length === 0) {
    answer = { id: "", external_id: key, errors: ["All included players are not subscribed"] };
  } else {
    const queuedAtMs = store.clock.now();
    const now = Math.floor(queuedAtMs / 1000);
    const notification: NotificationRecord = {
      id: newId(),
      appId,
      kind: 1,
      request,
      channel,
      queuedAt: now,
      queuedAtMs,
      sendAfter: sendAfter !== null && sendAfter > now ? sendAfter : null,
      completedAt: null,
      canceled: false,
      recipients: [],
      successful: 0,
      failed: 0,
      errored: 0,
      converted: 0,
      received: 0,
      remaining: recipients.length,
      idempotencyKey: key,
    };
    store.notifications.set(notification.id, notification);
    if (notification.sendAfter === null) deliver(store, notification);
    else store.pendingNotifications.add(notification.id);
    answer = { id: notification.id, external_id: key, ...(Object.keys(invalid).length > 0 ? { errors: invalid } : {}) };
  }
  if (key !== null)
    store.idempotency.set(`${appId} ${key}`, { appId, key, createdAt: nowSeconds(store), body: answer });
  return { body: answer };
}
