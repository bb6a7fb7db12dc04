import { gzipSync } from "node:zlib";
import { stringify } from "csv-stringify/sync";
import { EmulatorError, requireObject } from "../../errors";
import { newId } from "../../ids";
import type { RequestContext, RouteResult } from "../../router";
import type { NotificationRecord } from "../../store";
import { type ExportShelf, shelveExport } from "../exports";
import { deliverDue } from "./delivery";
import { requireNotification } from "./records";

/** One event of a notification: who it reached or who clicked it, and when (Unix seconds). */
interface NotificationEvent {
  subscriptionId: string;
  at: number;
}

/** A "sent" event per recipient, stamped with the delivery time; none before delivery. */
function sentEvents(notification: NotificationRecord): NotificationEvent[] {
  const completedAt = notification.completedAt;
  return completedAt === null ? [] : notification.recipients.map((id) => ({ subscriptionId: id, at: completedAt }));
}

// ((emulator: D35 history is served for a message of any age and any audience: OneSignal's 7-day window, its
// 1,000-recipient minimum for sent events and its dashboard switch are not modelled, so that tests get rows))
/** POST /notifications/{id}/history: the sent or clicked events, as a CSV served later. */
export function notificationHistory({ store, params, body, baseUrl }: RequestContext, shelf: ExportShelf): RouteResult {
  deliverDue(store);
  const input = requireObject(body);
  const notification = requireNotification(store, input.app_id as string, params.id as string);
  if (input.events !== "sent" && input.events !== "clicked") {
    throw new EmulatorError(400, { errors: ["param `events` must be sent or clicked"], success: false });
  }
  if (
    input.email !== undefined &&
    !(typeof input.email === "string" && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email))
  ) {
    throw new EmulatorError(400, { errors: ["param `email` must be a valid email"], success: false });
  }
  const rows: (string | number)[][] = [
    ["subscription_id", "external_id", "device_type", "identifier", "event", "event_at"],
  ];
  // ((emulator: D24 nobody clicks on their own: clicks are recorded with POST /_emulator/notifications/{id}/clicks))
  const events = input.events === "sent" ? sentEvents(notification) : (notification.clicks ?? []);
  for (const { subscriptionId, at } of events) {
    const device = store.devices.get(subscriptionId);
    if (!device) continue;
    const when = new Date(at * 1000).toISOString();
    rows.push([
      subscriptionId,
      device.externalUserId ?? "",
      device.deviceType,
      device.identifier ?? "",
      input.events,
      when,
    ]);
  }
  const url = shelveExport(shelf, baseUrl, `history_${notification.id}_${input.events}_${newId()}.csv`, {
    appId: notification.appId,
    file: Buffer.from(stringify(rows)),
    contentType: "text/csv",
  });
  return { body: { success: true, destination_url: url } };
}

/** POST /notifications/{id}/export_events?app_id=: every event of the notification, as a gzip CSV served later. */
export function exportEvents({ store, params, query, baseUrl }: RequestContext, shelf: ExportShelf): RouteResult {
  deliverDue(store);
  const notification = requireNotification(store, query.get("app_id") ?? undefined, params.id as string);
  // ((emulator: D25 OneSignal documents no columns for this export; these are the emulator's own))
  const rows: (string | number)[][] = [
    ["notification_id", "subscription_id", "external_id", "device_type", "event", "event_at"],
  ];
  const sent = sentEvents(notification).map((event) => ({ ...event, event: "sent" }));
  const clicked = (notification.clicks ?? []).map((click) => ({ ...click, event: "clicked" }));
  for (const { subscriptionId, at, event } of [...sent, ...clicked]) {
    const device = store.devices.get(subscriptionId);
    if (!device) continue;
    rows.push([
      notification.id,
      subscriptionId,
      device.externalUserId ?? "",
      device.deviceType,
      event,
      new Date(at * 1000).toISOString(),
    ]);
  }
  const url = shelveExport(shelf, baseUrl, `events_${notification.id}_${newId()}.csv.gz`, {
    appId: notification.appId,
    file: gzipSync(stringify(rows)),
    contentType: "application/gzip",
  });
  return { body: { csv_file_url: url } };
}
