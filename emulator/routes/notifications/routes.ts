import { badRequest, EmulatorError } from "../../errors";
import { appIdFromBody, appIdFromQuery, type RequestContext, type Route, type RouteResult } from "../../router";
import type { ExportShelf } from "../exports";
import { createNotification } from "./create";
import { deliverDue } from "./delivery";
import { estimateRecipients } from "./estimate";
import { exportEvents, notificationHistory } from "./history";
import { listNotifications } from "./list";
import { present } from "./presentation";
import { requireNotification } from "./records";

// Modelled on onesignal-current.yaml (create_notification, get_notification, get_notifications,
// cancel_notification, get_notification_history, export_events) and the reference notes §6 and §13.

/** The answer OneSignal's reference page for exporting events gives to a missing or wrong key (a 401). */
const EXPORT_EVENTS_DENIED = "Missing or invalid REST API key for the app.";

/** Routes for `/notifications`. */
export function notificationRoutes(shelf: ExportShelf): Route[] {
  return [
    { method: "POST", pattern: "/notifications", auth: "app", appId: appIdFromBody, handler: createNotification },
    {
      method: "POST",
      pattern: "/notifications/count-unsaved",
      auth: "app",
      appId: appIdFromBody,
      handler: estimateRecipients,
    },
    {
      method: "GET",
      pattern: "/notifications",
      auth: "app",
      appId: appIdFromQuery,
      handler: listNotifications,
      query: ["app_id", "limit", "offset", "kind", "template_id", "time_offset"],
    },
    {
      method: "GET",
      pattern: "/notifications/:id",
      auth: "app",
      appId: appIdFromQuery,
      handler: viewNotification,
      query: ["app_id"],
      // ((emulator: D14 outcomes are not modelled: asking for them is refused, not answered without them))
      notEmulated: ["outcome_names", "outcome_time_range", "outcome_platforms", "outcome_attribution"],
    },
    {
      method: "DELETE",
      pattern: "/notifications/:id",
      auth: "app",
      appId: appIdFromQuery,
      handler: cancelNotification,
      query: ["app_id"],
    },
    {
      method: "POST",
      pattern: "/notifications/:id/export_events",
      auth: "app",
      appId: appIdFromQuery,
      handler: (context) => exportEvents(context, shelf),
      query: ["app_id"],
      denied: () => new EmulatorError(401, { errors: [EXPORT_EVENTS_DENIED] }),
    },
    {
      method: "POST",
      pattern: "/notifications/:id/history",
      auth: "app",
      appId: appIdFromBody,
      handler: (context) => notificationHistory(context, shelf),
    },
  ];
}

/** GET /notifications/{id}: one notification of the app. */
function viewNotification({ store, params, query }: RequestContext): RouteResult {
  deliverDue(store);
  return { body: present(store, requireNotification(store, query.get("app_id") ?? undefined, params.id as string)) };
}

/** DELETE /notifications/{id}: stops a scheduled notification; one already sent cannot be. */
function cancelNotification({ store, params, query }: RequestContext): RouteResult {
  deliverDue(store);
  const notification = requireNotification(store, query.get("app_id") ?? undefined, params.id as string);
  if (notification.completedAt !== null || notification.canceled) {
    throw badRequest(
      `Notification ${notification.id} cannot be canceled. Usually due to the message already being sent to all recipients.`,
    );
  }
  notification.canceled = true;
  notification.remaining = 0;
  store.pendingNotifications.delete(notification.id);
  return { body: { success: true } };
}
