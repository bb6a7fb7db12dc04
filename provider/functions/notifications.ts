import { randomUUID } from "node:crypto";
import { OneSignalError, OneSignalOutcomeUnknownError, outcomeUnknown } from "../client/errors";
import * as api from "../client/notifications";
import {
  fromApiNotification,
  type Notification,
  type NotificationInput,
  notificationProblems,
  toApiNotification,
} from "../models/notification";
import { isUuid } from "../models/properties";
import type { ExportRow } from "./exports";
import { checkWaitOptions, readPreparedCsv, type WaitOptions, waitForFile } from "./files";
import { clientFor, type OneSignalOptions, refuseUnknownOptions } from "./options";

/** What `sendNotification` resolves to. `id` is empty when nobody could be reached; `errors` says why. */
export interface SendNotificationResult {
  id: string;
  /** The idempotency key of the send (given or generated): sending again with it cannot send twice. */
  idempotencyKey: string;
  /**
   * The idempotency key as OneSignal echoes it back (its field is named `external_id`).
   * @deprecated Use `idempotencyKey`; this is not the user's external id.
   */
  externalId?: string;
  /** OneSignal's partial errors (e.g. `{ invalid_aliases: ... }`) or reasons nothing was sent. */
  errors?: unknown;
}

/** Options of {@link listNotifications}. */
export interface ListNotificationsQuery {
  /** 0 dashboard, 1 API, 3 automated. */
  kind?: 0 | 1 | 3;
  /** Only the notifications made from this template. */
  templateId?: string;
  /**
   * Only the notifications that go out after this time (not one at exactly it), oldest first, paged by OneSignal's time cursor (its
   * optimized paging, for sequential pulls). Without it: every notification, newest first, paged by offset.
   */
  since?: Date;
  /** Notifications per request, at most 50 (the default). */
  pageSize?: number;
}

/** The third argument of {@link getNotificationHistory}. */
export interface NotificationHistoryRequest extends WaitOptions {
  events: "sent" | "clicked";
  /** Also email the CSV to this address. */
  email?: string;
  /** Wait for the file and resolve to its rows instead of its URL. */
  wait?: boolean;
}

/**
 * Sends (or schedules) a notification. It carries an idempotency key (`idempotencyKey`, or one made
 * for this call), the same on every retry, so a retried send never goes out twice. Invalid input is
 * refused before any request.
 */
export async function sendNotification(
  notification: NotificationInput,
  opts?: OneSignalOptions,
): Promise<SendNotificationResult> {
  if (typeof notification !== "object" || notification === null || Array.isArray(notification)) {
    throw new OneSignalError(`The notification cannot be sent: it must be an object, not ${String(notification)}.`);
  }
  const fields = notification as unknown as Record<string, unknown>;
  const problems = notificationProblems(fields);
  if (problems.length > 0) throw new OneSignalError(`The notification cannot be sent: ${problems.join("; ")}.`);
  const idempotencyKey: unknown = notification.idempotencyKey ?? randomUUID();
  if (!isUuid(idempotencyKey)) {
    const shown = typeof idempotencyKey === "string" ? JSON.stringify(idempotencyKey) : `a ${typeof idempotencyKey}`;
    throw new OneSignalError(`idempotencyKey must be a UUID, not ${shown}.`);
  }
  const body = toApiNotification({ ...fields, idempotencyKey }) as api.ApiNotificationRequest;
  const client = clientFor(opts, "app");
  const { body: answer } = await api.createNotification(client, body).catch((error: unknown) => {
    // Retries with the same key are already spent: hand the key to the caller, who may send again safely.
    throw outcomeUnknown(error) ? new OneSignalOutcomeUnknownError(idempotencyKey, error) : error;
  });
  const result: SendNotificationResult = { id: answer.id, idempotencyKey };
  if (answer.external_id) result.externalId = answer.external_id;
  if (answer.errors !== undefined && answer.errors !== null) result.errors = answer.errors;
  return result;
}

/** Cancels a scheduled notification; OneSignal refuses once it went out. */
export async function cancelNotification(appId: string, id: string, opts?: OneSignalOptions): Promise<void> {
  await api.cancelNotification(clientFor(opts, "app"), appId, id);
}

/** One notification with its counters (`successful`, `failed`, `remaining`...), `canceled`, and times as Dates. */
export async function getNotification(appId: string, id: string, opts?: OneSignalOptions): Promise<Notification> {
  return fromApiNotification(await api.getNotification(clientFor(opts, "app"), appId, id));
}

/**
 * Every notification of an app, fetched in pages of at most 50 as you iterate: newest first by offset, or with
 * `since`, oldest first after that time by OneSignal's time cursor (`time_offset`, then each page's
 * `next_time_offset`, until a page is empty).
 */
export function listNotifications(
  appId: string,
  query: ListNotificationsQuery = {},
  opts?: OneSignalOptions,
): AsyncIterable<Notification> {
  // Checked at the call, not at the first page: a bad query never makes a request.
  refuseUnknownOptions("query", query, ["kind", "templateId", "since", "pageSize"]);
  const pageSize: unknown = query.pageSize ?? 50;
  if (!(typeof pageSize === "number" && Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 50)) {
    throw new OneSignalError("query.pageSize must be a whole number from 1 to 50");
  }
  if (query.kind !== undefined && ![0, 1, 3].includes(query.kind)) {
    throw new OneSignalError("query.kind must be 0 (dashboard), 1 (API) or 3 (automated)");
  }
  if (query.templateId !== undefined && !isUuid(query.templateId)) {
    throw new OneSignalError("query.templateId must be a template's id (a UUID)");
  }
  const since: unknown = query.since;
  if (since !== undefined && !(since instanceof Date && !Number.isNaN(since.getTime()))) {
    throw new OneSignalError("query.since must be a valid Date");
  }
  const client = clientFor(opts, "app");
  const filters = { limit: pageSize, kind: query.kind, templateId: query.templateId };
  return {
    async *[Symbol.asyncIterator]() {
      if (since instanceof Date) {
        for (let cursor = since.toISOString(); ; ) {
          const page = await api.listNotificationsPage(client, appId, { ...filters, timeOffset: cursor });
          for (const notification of page.notifications) yield fromApiNotification(notification);
          if (page.notifications.length === 0 || !page.next_time_offset) return;
          cursor = page.next_time_offset;
        }
      }
      for (let offset = 0; ; ) {
        const page = await api.listNotificationsPage(client, appId, { ...filters, offset });
        for (const notification of page.notifications) yield fromApiNotification(notification);
        offset += page.notifications.length;
        if (page.notifications.length === 0 || offset >= page.total_count) return;
      }
    },
  };
}

/** Options of {@link exportNotificationEvents}. */
export interface NotificationEventsRequest extends WaitOptions {
  /** Wait for the file and resolve to its rows instead of its URL. */
  wait?: boolean;
}

/**
 * Every event of a notification (sent, clicked...) as a compressed CSV: resolves to the file's URL, or with
 * `wait` to its rows once OneSignal has prepared it (that can take minutes for large sends).
 */
export async function exportNotificationEvents(
  appId: string,
  id: string,
  request: NotificationEventsRequest & { wait: true },
  opts?: OneSignalOptions,
): Promise<ExportRow[]>;
export async function exportNotificationEvents(
  appId: string,
  id: string,
  request?: NotificationEventsRequest,
  opts?: OneSignalOptions,
): Promise<string>;
export async function exportNotificationEvents(
  appId: string,
  id: string,
  request: NotificationEventsRequest = {},
  opts?: OneSignalOptions,
): Promise<string | ExportRow[]> {
  refuseUnknownOptions("request", request, ["wait", "pollIntervalMs", "timeoutMs", "onWait"]);
  checkWaitOptions(request);
  const url = await api.requestEventsExport(clientFor(opts, "app"), appId, id);
  if (!request.wait) return url;
  return readPreparedCsv(await waitForFile(url, "notification events export", request));
}

/**
 * The sent or clicked events of a notification as a CSV: resolves to the file's URL, or with `wait`
 * to its parsed rows once OneSignal has prepared it.
 */
export async function getNotificationHistory(
  appId: string,
  id: string,
  request: NotificationHistoryRequest & { wait: true },
  opts?: OneSignalOptions,
): Promise<ExportRow[]>;
export async function getNotificationHistory(
  appId: string,
  id: string,
  request: NotificationHistoryRequest,
  opts?: OneSignalOptions,
): Promise<string>;
export async function getNotificationHistory(
  appId: string,
  id: string,
  request: NotificationHistoryRequest,
  opts?: OneSignalOptions,
): Promise<string | ExportRow[]> {
  refuseUnknownOptions("request", request, ["events", "email", "wait", "pollIntervalMs", "timeoutMs", "onWait"]);
  if (request.events !== "sent" && request.events !== "clicked") {
    throw new OneSignalError('request.events must be "sent" or "clicked"');
  }
  checkWaitOptions(request);
  const url = await api.requestNotificationHistory(clientFor(opts, "app"), appId, id, {
    events: request.events,
    ...(request.email ? { email: request.email } : {}),
  });
  if (!request.wait) return url;
  return readPreparedCsv(await waitForFile(url, "notification history", request));
}
