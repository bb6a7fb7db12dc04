import type { ApiNotification } from "../../client/notifications";
import { fromApiFilters, type SegmentFilter, toApiFilters } from "../segment";
import { NOTIFICATION_FIELDS } from "./fields";

/** The wire body: fields mapped one by one, user dictionaries passed through, filters mapped, times as text. */
export function toApiNotification(notification: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [camel, value] of Object.entries(notification)) {
    if (value === undefined) continue;
    const wire = Object.hasOwn(NOTIFICATION_FIELDS, camel) ? NOTIFICATION_FIELDS[camel] : undefined;
    if (!wire) continue;
    if (camel === "filters") body.filters = toApiFilters(value as SegmentFilter[]);
    else if (camel === "sendAfter") body.send_after = value instanceof Date ? value.toISOString() : value;
    else body[wire] = value;
  }
  return body;
}

/** A notification as this package shows it: camelCase, counters, times as Dates. */
export interface Notification extends Record<string, unknown> {
  id: string;
  appId: string;
  successful: number | null;
  failed: number | null;
  errored: number | null;
  converted: number | null;
  received: number | null;
  remaining: number | null;
  canceled: boolean;
  queuedAt?: Date;
  sendAfter?: Date;
  completedAt?: Date;
  platformDeliveryStats?: Record<string, Record<string, number | null>>;
}

const CAMEL_BY_WIRE = Object.fromEntries(Object.entries(NOTIFICATION_FIELDS).map(([camel, wire]) => [wire, camel]));

/** A notification from OneSignal's answer; user dictionaries are left as they are. */
export function fromApiNotification(notification: ApiNotification): Notification {
  const counter = (key: string) => (typeof notification[key] === "number" ? (notification[key] as number) : null);
  const time = (key: string) =>
    typeof notification[key] === "number" ? new Date((notification[key] as number) * 1000) : undefined;
  const out: Notification = {
    id: notification.id,
    appId: String(notification.app_id ?? ""),
    successful: counter("successful"),
    failed: counter("failed"),
    errored: counter("errored"),
    converted: counter("converted"),
    received: counter("received"),
    remaining: counter("remaining"),
    canceled: notification.canceled === true,
  };
  for (const [key, date] of [
    ["queuedAt", time("queued_at")],
    ["sendAfter", time("send_after")],
    ["completedAt", time("completed_at")],
  ] as const) {
    if (date) out[key] = date;
  }
  if (notification.platform_delivery_stats) {
    out.platformDeliveryStats = notification.platform_delivery_stats as Record<string, Record<string, number | null>>;
  }
  for (const [wire, value] of Object.entries(notification)) {
    const camel = CAMEL_BY_WIRE[wire];
    if (!camel || camel in out || camel === "appId" || value === null || value === undefined) continue;
    out[camel] = camel === "filters" && Array.isArray(value) ? fromApiFilters(value) : value;
  }
  return out;
}
