import { gzipSync } from "node:zlib";
import { stringify } from "csv-stringify/sync";
import { channelOfDevice, subscriptionTypeOf } from "../../devices";
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
  // The columns of the Notification history page's sample report; "the timestamp column is included only for
  // clicked events".
  const clicked = input.events === "clicked";
  const header = ["player_id", "onesignal_id", "external_id", "target_channel", ...(clicked ? ["timestamp"] : [])];
  const rows: string[][] = [];
  // ((emulator: D24 nobody clicks on their own: clicks are recorded with POST /_emulator/notifications/{id}/clicks))
  const events = clicked ? (notification.clicks ?? []) : sentEvents(notification);
  for (const { subscriptionId, at } of events) {
    const device = store.devices.get(subscriptionId);
    if (!device) continue;
    const row = [subscriptionId, device.userId ?? "", device.externalUserId ?? "", channelOfDevice(device)];
    rows.push(clicked ? [...row, String(at)] : row);
  }
  // Quoted values under a plain header, as the sample shows them.
  const csv = stringify([header]) + stringify(rows, { quoted: true, quoted_empty: true });
  const url = shelveExport(shelf, baseUrl, `history_${notification.id}_${input.events}_${newId()}.csv`, {
    appId: notification.appId,
    file: Buffer.from(csv),
    contentType: "text/csv",
  });
  return { body: { success: true, destination_url: url } };
}

/** POST /notifications/{id}/export_events?app_id=: every event of the notification, as a gzip CSV served later. */
export function exportEvents({ store, params, query, baseUrl }: RequestContext, shelf: ExportShelf): RouteResult {
  deliverDue(store);
  const notification = requireNotification(store, query.get("app_id") ?? undefined, params.id as string);
  // One row per recipient, with the columns the Export audience activity CSV page lists. ((emulator: D25 `delivered`,
  // `failed`, `unsubscribed` and `failure_message` stay empty: no device confirms or refuses a message here))
  const rows: string[][] = [
    [
      "external_user_id",
      "subscription_id",
      "device_type",
      "sent",
      "delivered",
      "clicked",
      "onesignal_id",
      "failed",
      "unsubscribed",
      "failure_message",
    ],
  ];
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  for (const { subscriptionId, at } of sentEvents(notification)) {
    const device = store.devices.get(subscriptionId);
    if (!device) continue;
    const click = (notification.clicks ?? []).find((each) => each.subscriptionId === subscriptionId);
    rows.push([
      device.externalUserId ?? "",
      subscriptionId,
      subscriptionTypeOf(device),
      iso(at),
      "",
      click ? iso(click.at) : "",
      device.userId ?? "",
      "",
      "",
      "",
    ]);
  }
  // The page's file name, `events_audience-activity-{message_id}-{channel}-{timestamp}.csv.gz`, with a random UUID.
  const stamp = new Date(store.clock.now()).toISOString().replace(/[:.]/g, "-");
  const file = `events_audience-activity-${notification.id}-${notification.channel}-${stamp}-${newId()}.csv.gz`;
  const url = shelveExport(shelf, baseUrl, file, {
    appId: notification.appId,
    file: gzipSync(stringify(rows)),
    contentType: "application/gzip",
  });
  return { body: { csv_file_url: url } };
}
