/**
 * The string the engine puts in place of any input whose value is not known yet (preview),
 * whatever that input's type.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value is the preview placeholder (at any depth). */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * A copy that the engine's Struct conversion accepts: no `undefined` at any depth, `Date` as ISO
 * text, no functions.
 */
export function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Structural equality of JSON values; `undefined` and `null` count as the same (both mean unset). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null) return b === undefined || b === null;
  if (b === undefined || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  if (typeof a === "object") {
    if (typeof b !== "object" || Array.isArray(b)) return false;
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of keys) if (!sameValue(left[key], right[key])) return false;
    return true;
  }
  return a === b;
}

/** The keys among `keys` whose values differ between `olds` and `news`. */
export function changedKeys<K extends string>(
  olds: Partial<Record<K, unknown>>,
  news: Partial<Record<K, unknown>>,
  keys: readonly K[],
): K[] {
  return keys.filter((key) => !sameValue(olds[key], news[key]));
}

/** What differs between a resource's deployed outputs and its new inputs. */
export interface PropertyChanges {
  /** The top-level properties whose values differ. */
  changed: string[];
  /** Those among them that OneSignal cannot change in place: the resource is replaced. */
  replaces: string[];
}

/** The changes among `keys`, of which those in `replaceKeys` replace the resource. */
export function propertyChanges<K extends string>(
  olds: Partial<Record<K, unknown>>,
  news: Partial<Record<K, unknown>>,
  keys: readonly K[],
  replaceKeys: readonly K[] = [],
): PropertyChanges {
  const changed = changedKeys(olds, news, keys);
  return { changed, replaces: changed.filter((key) => replaceKeys.includes(key)) };
}

/** A dynamic provider's answer for {@link PropertyChanges}. */
export function dynamicDiff(changes: PropertyChanges): {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: false;
} {
  return { changes: changes.changed.length > 0, replaces: changes.replaces, deleteBeforeReplace: false };
}

/** A copy of `value` with only `keys`, leaving out undefined ones. */
export function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
