import { badRequest } from "../../errors";
import { pageOf } from "../../query";
import type { RequestContext, RouteResult } from "../../router";
import type { NotificationRecord, Store } from "../../store";
import { deliverDue } from "./delivery";
import { present } from "./presentation";

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

/** Where a `time_offset` page starts: at a time (inclusive), or after the last notification of a page. */
interface TimeCursor {
  at: number;
  afterId?: string;
}

/** A `time_offset`: an ISO 8601 time, or a `next_time_offset` this emulator gave (Base64 of its position). */
function parseTimeOffset(value: string): TimeCursor | undefined {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const time = Date.parse(value);
    return Number.isNaN(time) ? undefined : { at: Math.floor(time / 1000) };
  }
  try {
    const cursor = JSON.parse(Buffer.from(value, "base64").toString("utf8")) as Partial<{ at: number; id: string }>;
    return typeof cursor.at === "number" && typeof cursor.id === "string"
      ? { at: cursor.at, afterId: cursor.id }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The optimized paging of the reference: with `time_offset`, oldest first by the time each goes out
 * (send_after, else queued_at); `next_time_offset` continues after the page, and an empty page ends the list.
 * ((emulator: D23 OneSignal's cursor is opaque; this one is Base64 JSON of the last position, and the wording of the
 * refusals is this emulator's))
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
  const timeOf = (notification: NotificationRecord) => notification.sendAfter ?? notification.queuedAt;
  const ordered = [...matching].sort((a, b) => timeOf(a) - timeOf(b) || a.id.localeCompare(b.id));
  const after = ordered.filter((notification) => {
    const at = timeOf(notification);
    if (cursor.afterId === undefined) return at >= cursor.at;
    return at > cursor.at || (at === cursor.at && notification.id.localeCompare(cursor.afterId) > 0);
  });
  const page = after.slice(0, limit);
  const last = page.at(-1);
  const next = last ? Buffer.from(JSON.stringify({ at: timeOf(last), id: last.id })).toString("base64") : timeOffset;
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
