import { badRequest } from "./errors";

// Checks of the query parameters OneSignal documents for its lists. The wording is OneSignal's for the
// template list ("Invalid limit, must be within 1 to 50"); ((emulator: D05 the other lists take the same
// wording for their own bounds: OneSignal does not document its answer to an out-of-range limit or offset)).

/** A list request's `limit` and `offset`, checked. */
export interface Page {
  limit: number;
  offset: number;
}

/**
 * The `limit` (1 to `max`, which is also the default, as for every list OneSignal documents) and `offset`
 * (0 or more) of a list request, or a 400 that says which bound was broken.
 */
export function pageOf(query: URLSearchParams, max: number): Page {
  const limit = integerParam(query, "limit", max);
  if (limit === undefined || limit < 1 || limit > max) throw badRequest(`Invalid limit, must be within 1 to ${max}`);
  const offset = integerParam(query, "offset", 0);
  if (offset === undefined || offset < 0) throw badRequest("Invalid offset, must be a whole number of 0 or more");
  return { limit, offset };
}

/** An integer query parameter, its default when absent, or `undefined` when it is not a whole number. */
function integerParam(query: URLSearchParams, name: string, fallback: number): number | undefined {
  const text = query.get(name);
  if (text === null || text === "") return fallback;
  return /^-?\d+$/.test(text.trim()) ? Number(text) : undefined;
}

/**
 * Refuses a documented query parameter the emulator does not model, so that nothing documented is
 * silently ignored: a client that relies on it learns at once that the emulator cannot answer it.
 */
export function refuseNotEmulated(query: URLSearchParams, names: readonly string[] | undefined): void {
  for (const name of names ?? []) {
    const used = [...query.keys()].some((key) => key === name || key === `${name}[]`);
    if (used)
      throw badRequest(`The query parameter ${name} is documented by OneSignal but not emulated by onesignal-emulator`);
  }
}
