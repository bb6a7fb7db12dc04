import { badRequest } from "../errors";
import type { Route } from "../router";

// Routes OneSignal documents that the emulator does not model: each answers a 400 that says so, naming OneSignal's
// page, rather than a 404 "No route" a client would read as "not found", or a 405 from a path taken for another
// route's. The list is onesignal-current.yaml's and onesignal-legacy.yaml's paths the emulator does not serve, and
// the legacy device routes of OneSignal's older reference pages, and the email analytics routes that only the reference
// pages give a path (the official Node SDK 5.18.0 calls the first as getEmailReputation).

/** A documented route the emulator does not model: method, path pattern, and OneSignal's title for it. */
type Unmodelled = readonly [method: string, pattern: string, title: string];

const UNMODELLED: readonly Unmodelled[] = [
  ["GET", "/apps/:app_id/outcomes", "View Outcomes"],
  ["POST", "/apps/:app_id/activities/activity/:activity_type", "Start Live Activity"],
  ["POST", "/apps/:app_id/live_activities/:activity_id/notifications", "Update a Live Activity via Push"],
  ["POST", "/apps/:app_id/live_activities/:activity_id/token", "Start Live Activity"],
  ["DELETE", "/apps/:app_id/live_activities/:activity_id/token/:subscription_id", "Stop Live Activity"],
  ["POST", "/apps/:app_id/custom_events", "Create custom events"],
  ["GET", "/apps/:app_id/journeys", "View journeys"],
  ["POST", "/apps/:app_id/journeys", "Create journey"],
  ["GET", "/apps/:app_id/journeys/:journey_id", "View journey"],
  ["PATCH", "/apps/:app_id/journeys/:journey_id", "Update journey"],
  ["DELETE", "/apps/:app_id/journeys/:journey_id", "Delete journey"],
  ["POST", "/apps/:app_id/journeys/:journey_id/duplicate", "Duplicate journey"],
  ["GET", "/apps/:app_id/journeys/:journey_id/stats", "View journey stats"],
  ["PATCH", "/apps/:app_id/journeys/:journey_id/nodes/:node_id", "Update journey node"],
  ["GET", "/organizations/:organization_id/audit_logs", "List audit logs"],
  ["PATCH", "/apps/:app_id/subscriptions_by_token/:token_type/:token", "Update subscription by token"],
  ["POST", "/apps/:app_id/notifications/:notification_id/unsubscribe", "Unsubscribe with token"],
  ["GET", "/apps/:app_id/subscriptions/:subscription_id/iams", "Get eligible in-app messages"],
  ["GET", "/apps/:app_id/email_analytics/delivery_metrics", "Get email reputation statistics"],
  ["GET", "/apps/:app_id/email_analytics/provider_metrics", "Get email inbox provider metrics"],
  // Its page's title is not in the sources at hand: the page's address names it.
  ["GET", "/apps/:app_id/email_analytics/provider_metrics_timeseries", "reference/provider-metrics-timeseries"],
  ["POST", "/players/:player_id/on_session", "New session"],
  ["POST", "/players/:player_id/on_purchase", "New purchase"],
  ["POST", "/players/:player_id/on_focus", "Increment session length"],
];

/**
 * The documented routes the emulator does not model, each refused with a 400 that names it and OneSignal's page,
 * whatever the key: nothing is looked up, so there is nothing to keep from a wrong key.
 */
export const notEmulatedRoutes: Route[] = UNMODELLED.map(([method, pattern, title]) => ({
  method,
  pattern,
  auth: "none",
  handler: () => {
    throw badRequest(
      `${method} ${pattern.replace(/:(\w+)/g, "{$1}")} (${title}) is documented by OneSignal but not emulated by onesignal-emulator`,
    );
  },
}));
