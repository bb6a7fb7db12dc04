import type { NotificationRecord, Store } from "../../store";

/** The platform each device type counts under in `platform_delivery_stats`. */
const PLATFORMS: Record<number, string> = {
  0: "ios",
  1: "android",
  2: "android",
  5: "chrome_web_push",
  7: "safari_web_push",
  8: "firefox_web_push",
  11: "email",
  13: "android",
  14: "sms",
};

/** A notification as OneSignal answers it: the request as sent, its counters, times and delivery stats. */
export function present(store: Store, notification: NotificationRecord): Record<string, unknown> {
  const stats: Record<string, Record<string, number>> = {};
  for (const id of notification.recipients) {
    const device = store.devices.get(id);
    const platform = PLATFORMS[device?.deviceType ?? -1] ?? "chrome_web_push";
    const entry = stats[platform] ?? { successful: 0, failed: 0, errored: 0, converted: 0, received: 0 };
    entry.successful = (entry.successful ?? 0) + 1;
    // Push deliveries are confirmed by the device, as the notification's own `received` counts them.
    if (notification.channel === "push") entry.received = (entry.received ?? 0) + 1;
    if (notification.clicks?.some((click) => click.subscriptionId === id)) entry.converted = (entry.converted ?? 0) + 1;
    stats[platform] = entry;
  }
  const { send_after: _sendAfter, idempotency_key: _key, ...request } = notification.request;
  return {
    ...request,
    id: notification.id,
    app_id: notification.appId,
    successful: notification.successful,
    failed: notification.failed,
    errored: notification.errored,
    converted: notification.converted,
    received: notification.received,
    remaining: notification.remaining,
    queued_at: notification.queuedAt,
    send_after: notification.sendAfter,
    completed_at: notification.completedAt,
    canceled: notification.canceled,
    platform_delivery_stats: stats,
    // Null when not throttled, as OneSignal answers.
    throttle_rate_per_minute: request.throttle_rate_per_minute ?? null,
    // Each email delivered goes to every BCC address too.
    ...(notification.channel === "email"
      ? { bcc_sent: Array.isArray(request.email_bcc) ? notification.successful * request.email_bcc.length : null }
      : {}),
  };
}
