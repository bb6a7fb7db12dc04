import type { NotificationRecord, Store } from "../../store";
import { resolveRecipients } from "./recipients";
import { nowSeconds } from "./records";

// Immediate sends are delivered before the answer; scheduled ones when the emulator's clock reaches them
// (every request of this area, and every move of the clock, delivers those that are due first).

/** Delivers every scheduled notification whose time has come (the emulator's clock). */
export function deliverDue(store: Store): void {
  const now = nowSeconds(store);
  for (const id of store.pendingNotifications) {
    const notification = store.notifications.get(id);
    if (notification && (notification.sendAfter ?? 0) <= now) deliver(store, notification);
  }
}

// ((emulator: D30 a notification reaches every recipient at once when it is due: delayed_option,
// delivery_time_of_day, throttle_rate_per_minute, enable_frequency_cap and ttl are checked and kept, not
// simulated))
/** Delivers a notification now, to the recipients it reaches at this moment. */
export function deliver(store: Store, notification: NotificationRecord): void {
  const { recipients } = resolveRecipients(store, notification.appId, notification.request, notification.channel);
  notification.recipients = recipients.map((device) => device.id);
  notification.successful = recipients.length;
  notification.received = notification.channel === "push" ? recipients.length : 0;
  notification.remaining = 0;
  notification.completedAt = nowSeconds(store);
  store.pendingNotifications.delete(notification.id);
}
