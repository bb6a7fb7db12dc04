import { type OneSignalHttpClient, segment } from "./http";

/** A filter or operator on the wire (OneSignal's `FilterExpression`). */
export interface ApiFilter {
  field?: string;
  relation?: string;
  key?: string;
  value?: string;
  hours_ago?: string;
  radius?: number;
  lat?: number;
  long?: number;
  operator?: "AND" | "OR";
}

/** The body of POST `/apps/{app_id}/segments`. */
export interface ApiCreateSegment {
  id?: string;
  name: string;
  description?: string;
  filters: ApiFilter[];
}

/** The body of PATCH `/apps/{app_id}/segments/{segment_id}`: `name` is always required. */
export interface ApiUpdateSegment {
  name: string;
  description?: string;
  filters?: ApiFilter[];
}

/** A segment as the list shows it (no filters). */
export interface ApiSegmentSummary {
  readonly id: string;
  readonly name: string;
  readonly description?: string | null;
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly app_id?: string;
  readonly read_only?: boolean;
  readonly is_active?: boolean;
}

/** One page of GET `/apps/{app_id}/segments`. */
export interface ApiSegmentPage {
  readonly total_count: number;
  readonly offset: number;
  readonly limit: number;
  readonly segments: ApiSegmentSummary[];
}

/** GET `/apps/{app_id}/segments/{segment_id}?include-segment-detail=true`. */
export interface ApiSegmentDetail {
  readonly subscriber_count?: number;
  readonly payload?: {
    readonly id: string;
    readonly name: string;
    readonly description?: string | null;
    readonly created_at?: number;
    readonly source?: string;
    readonly filters?: ApiFilter[];
  };
}

/** The most segments one list request returns. */
export const SEGMENT_PAGE_SIZE = 300;

function segmentsPath(appId: string): string {
  return `/apps/${segment(appId)}/segments`;
}

/** POST /apps/{app_id}/segments; resolves to the new segment's id. */
export async function createSegment(
  client: OneSignalHttpClient,
  appId: string,
  body: ApiCreateSegment,
): Promise<string> {
  const answer = await client.request<{ id: string }>({ method: "POST", path: segmentsPath(appId), body });
  return answer.id;
}

/** GET /apps/{app_id}/segments: one page (OneSignal answers 201 or 200). */
export function listSegmentsPage(
  client: OneSignalHttpClient,
  appId: string,
  offset = 0,
  limit = SEGMENT_PAGE_SIZE,
): Promise<ApiSegmentPage> {
  return client.request<ApiSegmentPage>({ method: "GET", path: segmentsPath(appId), query: { offset, limit } });
}

/** Every segment of an app, oldest first, page by page. */
export async function listAllSegments(client: OneSignalHttpClient, appId: string): Promise<ApiSegmentSummary[]> {
  const all: ApiSegmentSummary[] = [];
  for (let offset = 0; ; offset += SEGMENT_PAGE_SIZE) {
    const page = await listSegmentsPage(client, appId, offset, SEGMENT_PAGE_SIZE);
    all.push(...page.segments);
    if (page.segments.length < SEGMENT_PAGE_SIZE || all.length >= page.total_count) return all;
  }
}

/** GET /apps/{app_id}/segments/{segment_id} with its filters. */
export function getSegment(client: OneSignalHttpClient, appId: string, segmentId: string): Promise<ApiSegmentDetail> {
  return client.request<ApiSegmentDetail>({
    method: "GET",
    path: `${segmentsPath(appId)}/${segment(segmentId)}`,
    query: { "include-segment-detail": true },
  });
}

/** PATCH /apps/{app_id}/segments/{segment_id}: `filters`, when given, replace all filters. */
export async function updateSegment(
  client: OneSignalHttpClient,
  appId: string,
  segmentId: string,
  body: ApiUpdateSegment,
): Promise<void> {
  await client.request<unknown>({ method: "PATCH", path: `${segmentsPath(appId)}/${segment(segmentId)}`, body });
}

/** DELETE /apps/{app_id}/segments/{segment_id}. */
export async function deleteSegment(client: OneSignalHttpClient, appId: string, segmentId: string): Promise<void> {
  await client.request<unknown>({ method: "DELETE", path: `${segmentsPath(appId)}/${segment(segmentId)}` });
}
