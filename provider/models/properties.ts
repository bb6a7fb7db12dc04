import { closest } from "fastest-levenshtein";

/**
 * What is wrong with one property (an input, an argument, a setting): the one vocabulary of refusals, which `check`
 * answers as its failures and the functions throw as their messages.
 */
export interface PropertyProblem {
  property: string;
  reason: string;
}

/**
 * The properties of `value` that are not among `known` (undefined ones aside), each with the nearest known
 * name: TypeScript's excess-property check does not reach JavaScript users or spread objects, and a
 * misspelled property would otherwise be dropped without a word (`ipAllowList` makes a key with no allowlist).
 */
export function unknownProperties(value: object, known: readonly string[], what: string): PropertyProblem[] {
  const found: PropertyProblem[] = [];
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

/** A lone UTF-16 surrogate: text that no JSON encoder can send faithfully. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether text is whole Unicode text (no lone surrogate): Node's own check where it has one (Node 20+), else a pattern. */
function isWellFormed(text: string): boolean {
  const own = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return own ? own.call(text) : !LONE_SURROGATE.test(text);
}

/**
 * The strings anywhere in `value` (keys included) that OneSignal cannot store as they are: a NUL character
 * (cut off or refused by its databases) or a lone surrogate (not Unicode text at all).
 */
export function textProblems(value: unknown, property: string): PropertyProblem[] {
  const found: PropertyProblem[] = [];
  const visit = (inner: unknown, at: string) => {
    if (typeof inner === "string") {
      if (inner.includes("\u0000")) found.push({ property: at, reason: `${at} must not contain NUL characters` });
      else if (!isWellFormed(inner))
        found.push({ property: at, reason: `${at} contains a lone surrogate, which is not valid Unicode text` });
    } else if (Array.isArray(inner)) {
      for (const [index, item] of inner.entries()) visit(item, `${at}[${index}]`);
    } else if (typeof inner === "object" && inner !== null) {
      for (const [key, item] of Object.entries(inner)) {
        visit(key, `${at} key`);
        visit(item, `${at}.${key}`);
      }
    }
  };
  visit(value, property);
  return found;
}

/** {@link textProblems} of each field of an object, named by the field (the fields in `skip` aside). */
export function fieldTextProblems(fields: object, skip: readonly string[] = []): PropertyProblem[] {
  return Object.entries(fields).flatMap(([key, value]) => (skip.includes(key) ? [] : textProblems(value, key)));
}

/** An E.164 phone number (`+15555550100`) or a Twilio Messaging Service SID, as OneSignal takes for `sms_from`. */
export function isSmsSender(value: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(value) || /^MG[0-9a-fA-F]{32}$/.test(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value is a UUID, the form of OneSignal's ids and idempotency keys. */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** Whether text is an absolute http or https URL (an API URL, a link a browser opens). */
export function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * A value as a refusal shows it, whatever it is, and never by calling a `toString` of its own: text quoted,
 * numbers and booleans as they are, `null`, and the kind of anything else ("a list", "an object").
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
