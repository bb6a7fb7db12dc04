import { badRequest, EmulatorError } from "../../errors";
import type { Route } from "../../router";
import type { Store } from "../../store";
import { deliverDue } from "./delivery";

/** The emulator's own endpoints about notifications (no auth, never part of OneSignal's API). */
export const notificationAdminRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/_emulator/notifications",
    auth: "none",
    handler: ({ store }) => ({ body: adminNotifications(store) }),
  },
  {
    method: "POST",
    pattern: "/_emulator/notifications/:id/clicks",
    auth: "none",
    handler: ({ store, params, body }) => ({ body: recordClicks(store, params.id as string, body) }),
  },
];

/**
 * Records clicks on a delivered notification (the emulator's stand-in for people): by the given
 * recipients, or by every recipient; each counts once. Sets `converted` and the "clicked" history.
 */
function recordClicks(store: Store, id: string, body: unknown): { converted: number } {
  deliverDue(store);
  const notification = store.notifications.get(id);
  if (!notification) throw new EmulatorError(404, { errors: [`No notification ${id}`] });
  if (notification.completedAt === null) {
    throw badRequest(`Notification ${id} has not been delivered yet: nobody can click it`);
  }
  const given = body === undefined || body === null ? {} : body;
  if (typeof given !== "object" || Array.isArray(given)) throw badRequest("the body must be an object");
  const ids = (given as { subscriptionIds?: unknown }).subscriptionIds ?? notification.recipients;
  if (!Array.isArray(ids) || ids.some((item) => typeof item !== "string")) {
    throw badRequest("subscriptionIds must be a list of the notification's recipients' ids");
  }
  const strangers = (ids as string[]).filter((item) => !notification.recipients.includes(item));
  if (strangers.length > 0) throw badRequest(`not recipients of notification ${id}: ${strangers.join(", ")}`);
  const clicks = notification.clicks ?? [];
  const now = Math.floor(store.clock.now() / 1000);
  for (const subscriptionId of ids as string[]) {
    if (!clicks.some((click) => click.subscriptionId === subscriptionId)) clicks.push({ subscriptionId, at: now });
  }
  notification.clicks = clicks;
  notification.converted = clicks.length;
  return { converted: notification.converted };
}

/** The admin view of every notification, for tests: who each reached. */
function adminNotifications(store: Store): Record<string, unknown>[] {
  deliverDue(store);
  return [...store.notifications.values()].map((notification) => ({
    id: notification.id,
    appId: notification.appId,
    channel: notification.channel,
    recipients: notification.recipients,
    sendAfter: notification.sendAfter,
    completedAt: notification.completedAt,
    canceled: notification.canceled,
  }));
}
