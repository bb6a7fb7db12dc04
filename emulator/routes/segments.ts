import { EmulatorError, requireObject } from "../errors";
import { filterErrors } from "../filters";
import { newId, requirePathId } from "../ids";
import { pageOf } from "../query";
import type { RequestContext, Route } from "../router";
import type { SegmentRecord, Store } from "../store";
import { segmentMembers } from "../targeting";

// Modelled on onesignal-current.yaml (create_segment, get_segments, get_segment, update_segment,
// delete_segment) and the reference notes §5: app API key only; names unique per app.

const MAX_LIMIT = 300;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Routes for `/apps/{app_id}/segments`. */
export const segmentRoutes: Route[] = [
  { method: "POST", pattern: "/apps/:app_id/segments", auth: "app", handler: createSegment },
  { method: "GET", pattern: "/apps/:app_id/segments", auth: "app", handler: listSegments, query: ["offset", "limit"] },
  {
    method: "GET",
    pattern: "/apps/:app_id/segments/:segment_id",
    auth: "app",
    handler: viewSegment,
    query: ["include-segment-detail"],
  },
  { method: "PATCH", pattern: "/apps/:app_id/segments/:segment_id", auth: "app", handler: updateSegment },
  { method: "DELETE", pattern: "/apps/:app_id/segments/:segment_id", auth: "app", handler: deleteSegment },
];

function failure(status: number, ...errors: string[]): EmulatorError {
  return new EmulatorError(status, { success: false, errors });
}

function segmentsOf(store: Store, appId: string): SegmentRecord[] {
  return [...store.segments.values()]
    .filter((segment) => segment.appId === appId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
}

function nameTaken(store: Store, appId: string, name: string, except?: string): boolean {
  return segmentsOf(store, appId).some((segment) => segment.name === name && segment.id !== except);
}

function checkName(name: unknown): string {
  if (typeof name !== "string" || name.trim() === "") throw failure(400, "name is required");
  if (name.length > 128) throw failure(400, "name is too long (maximum is 128 characters)");
  return name;
}

function checkDescription(description: unknown): string | null {
  if (description === undefined || description === null || description === "") return null;
  if (typeof description !== "string") throw failure(400, "description must be a string");
  if (description.length > 255) throw failure(400, "description is too long (maximum is 255 characters)");
  return description;
}

function checkFilters(filters: unknown): Record<string, unknown>[] {
  const errors = filterErrors(filters);
  if (errors.length > 0) throw failure(400, ...errors);
  return filters as Record<string, unknown>[];
}

// ((emulator: D33 there are no plans here: the 403 of a plan without segments and the 422 of a plan's
// segment limit are never answered))
function createSegment({ store, params, body }: RequestContext) {
  const appId = params.app_id as string;
  const input = requireObject(body);
  const name = checkName(input.name);
  const description = checkDescription(input.description);
  if (input.filters === undefined) throw failure(400, "filters is required");
  const filters = checkFilters(input.filters);
  let id = newId();
  if (input.id !== undefined && input.id !== null && input.id !== "") {
    if (typeof input.id !== "string" || !UUID.test(input.id)) throw failure(400, "id must be a UUID");
    if (store.segments.has(input.id)) throw failure(409, "A segment with this id already exists.");
    id = input.id;
  }
  if (nameTaken(store, appId, name)) throw failure(409, "Segment name is already taken.");
  const now = store.clock.iso();
  store.segments.set(id, { id, appId, name, description, filters, createdAt: now, updatedAt: now });
  return { status: 201, body: { success: true, id } };
}

function listSegments({ store, params, query }: RequestContext) {
  const { limit, offset } = pageOf(query, MAX_LIMIT);
  const all = segmentsOf(store, params.app_id as string);
  // ((emulator: D10 answers 201 as onesignal-current.yaml declares; OneSignal's docs say 200))
  return {
    status: 201,
    body: {
      total_count: all.length,
      offset,
      limit,
      segments: all.slice(offset, offset + limit).map((segment) => ({
        id: segment.id,
        name: segment.name,
        description: segment.description,
        created_at: segment.createdAt,
        updated_at: segment.updatedAt,
        app_id: segment.appId,
        read_only: false,
        is_active: true,
      })),
    },
  };
}

function requireSegment(store: Store, appId: string, segmentId: string, notFound: EmulatorError): SegmentRecord {
  requirePathId("segment_id", segmentId);
  const segment = store.segments.get(segmentId);
  if (!segment || segment.appId !== appId) throw notFound;
  return segment;
}

/**
 * `include-segment-detail`, a boolean: `true` as OneSignal documents it, and in any case (`True`, as Python's SDK
 * writes booleans); anything else is refused rather than read as false.
 */
function includeDetail(value: string | null): boolean {
  if (value === null) return false;
  const flag = value.toLowerCase();
  if (flag !== "true" && flag !== "false") throw failure(400, "include-segment-detail must be true or false");
  return flag === "true";
}

function viewSegment({ store, params, query }: RequestContext) {
  const segment = requireSegment(
    store,
    params.app_id as string,
    params.segment_id as string,
    new EmulatorError(404, { errors: ["segment not found"] }),
  );
  // The subscribed devices the segment's filters match now, as a send to the segment would reach.
  const subscriberCount = segmentMembers(store, store.devicesOf(segment.appId), segment.filters).length;
  const body: Record<string, unknown> = { subscriber_count: subscriberCount };
  if (includeDetail(query.get("include-segment-detail"))) {
    body.payload = {
      id: segment.id,
      name: segment.name,
      description: segment.description,
      created_at: Math.floor(Date.parse(segment.createdAt) / 1000),
      source: "custom",
      filters: segment.filters,
    };
  }
  return { body };
}

function updateSegment({ store, params, body }: RequestContext) {
  const appId = params.app_id as string;
  const segment = requireSegment(store, appId, params.segment_id as string, failure(404, "segment not found"));
  const input = requireObject(body ?? {});
  const name = checkName(input.name);
  const description = input.description === undefined ? segment.description : checkDescription(input.description);
  const filters = input.filters === undefined ? segment.filters : checkFilters(input.filters);
  if (nameTaken(store, appId, name, segment.id)) throw failure(400, "Segment name is already taken.");
  Object.assign(segment, { name, description, filters, updatedAt: store.clock.iso() });
  return { body: { success: true, id: segment.id } };
}

function deleteSegment({ store, params }: RequestContext) {
  const segment = requireSegment(
    store,
    params.app_id as string,
    params.segment_id as string,
    new EmulatorError(404, { success: false }),
  );
  store.segments.delete(segment.id);
  return { body: { success: true } };
}
