import { badRequest } from "../../errors";
import { pageOf } from "../../query";
import type { RequestContext, RouteResult } from "../../router";
import type { NotificationRecord, Store } from "../../store";
import { deliverDue } from "./delivery";
import { present } from "./presentation";
import { UUID } from "./validation";

/** GET /notifications: newest first by `offset`, or oldest first from a `time_offset` cursor. */
export function listNotifications({ store, query }: RequestContext): RouteResult {
  deliverDue(store);
  const appId = query.get("app_id");
  const { limit, offset } = pageOf(query, 50);
  const kind = query.get("kind");
  if (kind !== null && !["0", "1", "3"].includes(kind)) {
    throw badRequest("Invalid kind, must be 0 (dashboard), 1 (API) or 3 (automated)");
  }
  const templateId = query.get("template_id");
  // `kind` and `template_id` filter both ways of paging.
  const matching = [...store.notifications.values()].filter(
    (notification) =>
      notification.appId === appId &&
      (kind === null || notification.kind === Number(kind)) &&
      (templateId === null || notification.request.template_id === templateId),
  );
  const timeOffset = query.get("time_offset");
  if (timeOffset !== null) return timeOffsetPage(store, matching, timeOffset, query.get("offset"), limit);
  // Newest first; notifications of the same second keep their creation order, newest first.
  const all = matching.reverse().sort((a, b) => b.queuedAt - a.queuedAt);
  return {
    body: {
      total_count: all.length,
      offset,
      limit,
      notifications: all.slice(offset, offset + limit).map((notification) => present(store, notification)),
    },
  };
}

/** Where a `time_offset` page starts: after a time, or after the last notification of a page. */
interface TimeCursor {
  /** Milliseconds since the epoch. */
  at: number;
  afterId?: string;
}

/**
 * A `time_offset`: an ISO 8601 time, or a `next_time_offset` this emulator gave: Base64 of the last
 * position, `<ISO 8601 time>#<notification id>`, the shape of the reference page's example cursor.
 */
function parseTimeOffset(value: string): TimeCursor | undefined {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const time = Date.parse(value);
    return Number.isNaN(time) ? undefined : { at: time };
  }
  const [time = "", id, ...rest] = Buffer.from(value, "base64").toString("utf8").split("#");
  const at = /^\d{4}-\d{2}-\d{2}T/.test(time) ? Date.parse(time) : Number.NaN;
  return Number.isNaN(at) || id === undefined || rest.length > 0 || !UUID.test(id) ? undefined : { at, afterId: id };
}

/** When a notification goes out, in milliseconds: its `send_after`, else when it was queued. */
function timeOf(notification: NotificationRecord): number {
  if (notification.sendAfter !== null) return notification.sendAfter * 1000;
  return notification.queuedAtMs ?? notification.queuedAt * 1000;
}

/**
 * The optimized paging of the reference (View messages): with `time_offset`, oldest first by the time each
 * goes out (send_after, else queued_at); an ISO 8601 `time_offset` excludes the messages of exactly that time;
 * `next_time_offset` continues after the page, and an empty page ends the list. Messages of the same time keep
 * the order they were made in, so a cursor taken within a second never skips one made later in that second.
 * ((emulator: D23 the refusals of a malformed time_offset are worded by this emulator))
 */
function timeOffsetPage(
  store: Store,
  matching: NotificationRecord[],
  timeOffset: string,
  offset: string | null,
  limit: number,
) {
  if (offset !== null) throw badRequest("offset cannot be combined with time_offset: page with next_time_offset");
  const cursor = parseTimeOffset(timeOffset);
  if (!cursor) throw badRequest("time_offset must be an ISO 8601 time or a next_time_offset from an earlier page");
  const made = new Map([...store.notifications.keys()].map((id, index) => [id, index]));
  const madeAt = (notification: NotificationRecord) => made.get(notification.id) ?? 0;
  const ordered = [...matching].sort((a, b) => timeOf(a) - timeOf(b) || madeAt(a) - madeAt(b));
  const afterIndex = cursor.afterId === undefined ? undefined : made.get(cursor.afterId);
  const after = ordered.filter((notification) => {
    const at = timeOf(notification);
    return at > cursor.at || (at === cursor.at && afterIndex !== undefined && madeAt(notification) > afterIndex);
  });
  const page = after.slice(0, limit);
  const last = page.at(-1);
  const next = last ? Buffer.from(`${new Date(timeOf(last)).toISOString()}#${last.id}`).toString("base64") : timeOffset;
  return {
    body: {
      total_count: matching.length,
      offset: 0,
      limit,
      time_offset: timeOffset,
      next_time_offset: next,
      notifications: page.map((notification) => present(store, notification)),
    },
  };
}
