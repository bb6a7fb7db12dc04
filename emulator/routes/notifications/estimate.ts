import { channelOfDevice, isSubscribed } from "../../devices";
import { assert, badRequest, requireObject } from "../../errors";
import { filterErrors } from "../../filters";
import type { RequestContext, RouteResult } from "../../router";
import { matchesFilters, segmentFiltersByName } from "../../targeting";
import { nowSeconds } from "./records";

// POST /notifications/count-unsaved, after the Estimated recipients reference page: "included_segments is required.
// excluded_segments, filters, include_aliases, and target_channel narrow that segment-based audience further when
// present"; raw subscription ids and the platform flags "are not read", every other field is "accepted, but ignored".

type Filter = Record<string, unknown>;

function segmentNames(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  assert(
    Array.isArray(value) && value.every((name) => typeof name === "string" && name !== ""),
    `${field} must be a list of segment names`,
  );
  return value as string[];
}

/**
 * The subscribed subscriptions a message with this targeting would reach, counted without making anything. No plan
 * caps anything here, so `uncapped_count` is null and nothing is suppressed.
 */
export function estimateRecipients({ store, body }: RequestContext): RouteResult {
  const input = requireObject(body);
  const appId = input.app_id as string;
  const included = segmentNames(input.included_segments, "included_segments");
  assert(included.length > 0, "included_segments is required: the segment names of the audience to count");
  const excluded = segmentNames(input.excluded_segments, "excluded_segments");
  const channel = input.target_channel ?? "push";
  assert(channel === "push" || channel === "email" || channel === "sms", "target_channel must be push, email or sms");
  // "All" is every subscribed user, unless the app has a segment of that name.
  const filtersOf = (name: string): Filter[] => {
    const filters = segmentFiltersByName(store, appId, name) ?? (name === "All" ? [] : undefined);
    // ((emulator: D22 an unknown segment name is refused; OneSignal's exact answer is not documented))
    if (!filters) throw badRequest(`Segment not found: ${name}`);
    return filters;
  };
  const includedFilters = included.map(filtersOf);
  const excludedFilters = excluded.map(filtersOf);
  const filters = input.filters === undefined || input.filters === null ? undefined : (input.filters as Filter[]);
  if (filters !== undefined) {
    const errors = filterErrors(filters);
    if (errors.length > 0) throw badRequest(...errors);
  }
  const userIds = aliasedUsers(store, appId, input.include_aliases);
  const now = nowSeconds(store);
  const count = store
    .devicesOf(appId)
    .filter(
      (device) =>
        channelOfDevice(device) === channel &&
        isSubscribed(device) &&
        includedFilters.some((segment) => matchesFilters(store, device, segment, now)) &&
        !excludedFilters.some((segment) => matchesFilters(store, device, segment, now)) &&
        (filters === undefined || matchesFilters(store, device, filters, now)) &&
        (userIds === undefined || (device.userId !== null && userIds.has(device.userId))),
    ).length;
  return {
    body: { count, uncapped_count: null, cap_applied: false, mobile_suppressed: false, mobile_excluded_count: 0 },
  };
}

/** The users `include_aliases` names, or `undefined` when it is absent (no narrowing). */
function aliasedUsers(store: RequestContext["store"], appId: string, aliases: unknown): Set<string> | undefined {
  if (aliases === undefined || aliases === null) return undefined;
  assert(
    typeof aliases === "object" && !Array.isArray(aliases),
    "include_aliases must map alias labels to lists of ids",
  );
  const users = new Set<string>();
  for (const [label, ids] of Object.entries(aliases as Record<string, unknown>)) {
    assert(Array.isArray(ids), `include_aliases.${label} must be a list of ids`);
    for (const id of ids as unknown[]) {
      const user = store.findUserByAlias(appId, label, String(id));
      if (user) users.add(user.id);
    }
  }
  return users;
}
