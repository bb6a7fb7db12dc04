import { getSegment as getSegmentDetail, listAllSegments } from "../client/segments";
import { fromApiFilters, type SegmentFilter } from "../models/segment";
import { clientFor, type OneSignalOptions } from "./options";

/** A segment as the list shows it. */
export interface SegmentSummary {
  id: string;
  name: string;
  description?: string;
  createdAt?: string;
  updatedAt?: string;
  /** False while the segment is paused. */
  isActive?: boolean;
  readOnly?: boolean;
}

/** One segment with its filters and size. */
export interface SegmentDetails {
  id: string;
  name: string;
  description?: string;
  filters: SegmentFilter[];
  /** How many subscriptions the segment holds now. */
  subscriberCount: number;
  /** `default`, `custom` or `quickstart`. */
  source?: string;
  createdAt?: string;
}

/** Every segment of an app, oldest first, fetched page by page (app API key). */
export async function listSegments(appId: string, opts?: OneSignalOptions): Promise<SegmentSummary[]> {
  const segments = await listAllSegments(clientFor(opts, "app"), appId);
  return segments.map((segment) => {
    const summary: SegmentSummary = { id: segment.id, name: segment.name };
    if (segment.description) summary.description = segment.description;
    if (segment.created_at) summary.createdAt = segment.created_at;
    if (segment.updated_at) summary.updatedAt = segment.updated_at;
    if (segment.is_active !== undefined) summary.isActive = segment.is_active;
    if (segment.read_only !== undefined) summary.readOnly = segment.read_only;
    return summary;
  });
}

/** One segment with its filters and subscriber count (app API key). */
export async function getSegment(appId: string, segmentId: string, opts?: OneSignalOptions): Promise<SegmentDetails> {
  const detail = await getSegmentDetail(clientFor(opts, "app"), appId, segmentId);
  const payload = detail.payload;
  const out: SegmentDetails = {
    id: payload?.id ?? segmentId,
    name: payload?.name ?? "",
    filters: fromApiFilters(payload?.filters ?? []),
    subscriberCount: detail.subscriber_count ?? 0,
  };
  if (payload?.description) out.description = payload.description;
  if (payload?.source) out.source = payload.source;
  // OneSignal gives this one time in Unix seconds; this package speaks ISO 8601.
  if (typeof payload?.created_at === "number") out.createdAt = new Date(payload.created_at * 1000).toISOString();
  return out;
}
