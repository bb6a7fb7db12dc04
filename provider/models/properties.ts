import { closest } from "fastest-levenshtein";

/** A property that is not one of `known`, with the reason naming the nearest one that is. */
export interface UnknownProperty {
  property: string;
  reason: string;
}

/**
 * The properties of `value` that are not among `known` (undefined ones aside), each with the nearest known
 * name: TypeScript's excess-property check does not reach JavaScript users or spread objects, and a
 * misspelled property would otherwise be dropped without a word (`ipAllowList` makes a key with no allowlist).
 */
export function unknownProperties(value: object, known: readonly string[], what: string): UnknownProperty[] {
  const found: UnknownProperty[] = [];
  for (const [property, inner] of Object.entries(value)) {
    if (inner === undefined || known.includes(property)) continue;
    const nearest = known.length > 0 ? closest(property, [...known]) : undefined;
    found.push({
      property,
      reason: `"${property}" is not a property of ${what}${nearest ? `; did you mean "${nearest}"?` : ""}`,
    });
  }
  return found;
}
