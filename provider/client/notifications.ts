import { OneSignalError } from "./errors";
import { type OneSignalHttpClient, segment } from "./http";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The path of a message: its id must be a UUID, as the reference pages give it ("in UUID v4 format") and as
 * OneSignal refuses any other with a 400; said here, before the request.
 */
function messagePath(id: string, suffix = ""): string {
  if (typeof id !== "string" || !UUID.test(id)) {
    throw new OneSignalError(`id must be a message id (a UUID), not ${JSON.stringify(id)}`);
  }
  return `/notifications/${segment(id)}${suffix}`;
}

/** The body of POST /notifications: OneSignal's snake_case fields. */
export type ApiNotificationRequest = Record<string, unknown> & { app_id: string; idempotency_key: string };

/** What POST /notifications answers (HTTP 200 even when nothing was sent). */
export interface ApiCreateNotificationResponse {
  id: string;
  external_id?: string | null;
  errors?: unknown;
}

/** A notification as GET /notifications/{id} returns it. */
export type ApiNotification = Record<string, unknown> & { id: string };

/** One page of GET /notifications. */
export interface ApiNotificationPage {
  total_count: number;
  offset: number;
  limit: number;
  /** The `time_offset` asked for, when paging by time. */
  time_offset?: string;
  /** The cursor of the next page, when paging by time. */
  next_time_offset?: string;
  notifications: ApiNotification[];
}

/**
 * POST /notifications. The body always carries an idempotency key, so a retry after a 5xx or a
 * dropped connection is answered with the first result instead of sending twice.
 */
export async function createNotification(
  client: OneSignalHttpClient,
  body: ApiNotificationRequest,
): Promise<{ body: ApiCreateNotificationResponse; replayed: boolean }> {
  const response = await client.requestWithResponse<ApiCreateNotificationResponse>({
    method: "POST",
    path: "/notifications",
    body,
    idempotent: true,
  });
  return { body: response.body, replayed: response.headers["idempotent-replayed"] === "true" };
}

/** GET /notifications/{id}?app_id=. */
export async function getNotification(
  client: OneSignalHttpClient,
  appId: string,
  id: string,
): Promise<ApiNotification> {
  return client.request<ApiNotification>({ method: "GET", path: messagePath(id), query: { app_id: appId } });
}

/** DELETE /notifications/{id}?app_id=: cancels a scheduled notification. */
export async function cancelNotification(client: OneSignalHttpClient, appId: string, id: string): Promise<void> {
  await client.request<unknown>({ method: "DELETE", path: messagePath(id), query: { app_id: appId } });
}

/** GET /notifications?app_id=: one page, newest first, at most 50. */
export function listNotificationsPage(
  client: OneSignalHttpClient,
  appId: string,
  query: {
    limit: number;
    /** Standard paging, newest first. */
    offset?: number | undefined;
    /** Paging by time, oldest first: an ISO 8601 time, or the `next_time_offset` of the page before. */
    timeOffset?: string | undefined;
    kind?: number | undefined;
    templateId?: string | undefined;
  },
): Promise<ApiNotificationPage> {
  return client.request<ApiNotificationPage>({
    method: "GET",
    path: "/notifications",
    query: {
      app_id: appId,
      limit: query.limit,
      offset: query.offset,
      time_offset: query.timeOffset,
      kind: query.kind,
      template_id: query.templateId,
    },
  });
}

/** POST /notifications/{id}/export_events?app_id=: resolves to the gzip CSV's URL, ready a little later. */
export async function requestEventsExport(client: OneSignalHttpClient, appId: string, id: string): Promise<string> {
  const answer = await client.request<{ csv_file_url: string }>({
    method: "POST",
    path: messagePath(id, "/export_events"),
    query: { app_id: appId },
    // Asking again for the same export is harmless.
    idempotent: true,
  });
  return answer.csv_file_url;
}

/** POST /notifications/{id}/history: resolves to the CSV's URL, ready a little later. */
export async function requestNotificationHistory(
  client: OneSignalHttpClient,
  appId: string,
  id: string,
  body: { events: "sent" | "clicked"; email?: string },
): Promise<string> {
  const answer = await client.request<{ destination_url: string }>({
    method: "POST",
    path: messagePath(id, "/history"),
    body: { ...body, app_id: appId },
    // Asking again for the same history is harmless.
    idempotent: true,
  });
  return answer.destination_url;
}
