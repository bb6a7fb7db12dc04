/**
 * How deep a request body may nest: far past any OneSignal payload, well short of what breaks JSON.stringify
 * (which recurses, and fails a few thousand levels down). Every stored object comes from a body, so this bound is
 * also what keeps the data file writable.
 */
export const MAX_BODY_DEPTH = 64;

/**
 * The top-level field of `value` (a key, or `[index]` in an array) under which arrays and objects nest more than
 * `limit` levels deep (`value` itself is level 1), or undefined when nothing does. Counted without recursion, so a
 * value nested far too deep for a recursive walk is measured all the same, and no further than `limit + 1`.
 */
export function fieldNestedTooDeep(value: unknown, limit: number): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const pending: [unknown, number, string][] = Object.entries(value).map(([key, child]) => [
    child,
    2,
    Array.isArray(value) ? `[${key}]` : key,
  ]);
  while (pending.length > 0) {
    const [current, depth, field] = pending.pop() as [unknown, number, string];
    if (typeof current !== "object" || current === null) continue;
    if (depth > limit) return field;
    for (const child of Object.values(current)) pending.push([child, depth + 1, field]);
  }
  return undefined;
}
