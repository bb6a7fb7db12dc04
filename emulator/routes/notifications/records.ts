import { EmulatorError } from "../../errors";
import { requirePathId } from "../../ids";
import type { NotificationRecord, Store } from "../../store";

const NOT_FOUND = "Notification not found";

/** The emulator's clock in whole seconds, the unit notifications are stamped in. */
export function nowSeconds(store: Store): number {
  return Math.floor(store.clock.now() / 1000);
}

// ((emulator: D38 notifications are kept for good: none ages past OneSignal's retention, so views and event
// exports never answer the 404 of a purged message))
/** The notification `id` of the app `appId`: a 400 for an id that is no UUID, OneSignal's 404 for one it does not know. */
export function requireNotification(store: Store, appId: string | undefined, id: string): NotificationRecord {
  requirePathId("message_id", id);
  const notification = store.notifications.get(id);
  if (!notification || notification.appId !== appId) throw new EmulatorError(404, { errors: [NOT_FOUND] });
  return notification;
}
