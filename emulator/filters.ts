import { badRequest } from "./errors";

// OneSignal's filter grammar for segments and notification `filters` (reference §5.1, the `Filter`
// schema of onesignal-current.yaml, and the release notes of May 12 2026, which add `in_array` and
// `not_in_array` to the country and language fields). Only "<field> is not a valid filter field" is a known
// OneSignal text; ((emulator: D04 the other messages are the emulator's, in the same style)).

/** A filter entry or an operator, as the wire carries it. */
export type WireFilter = Record<string, unknown>;

const COMPARE = [">", "<", "=", "!="];
const LIST_RELATIONS = ["in_array", "not_in_array"];
const ALL_RELATIONS = [...COMPARE, "exists", "not_exists", "time_elapsed_gt", "time_elapsed_lt", ...LIST_RELATIONS];
const CODE = /^[a-z]{2}(-[A-Za-z]{2,4})?$/i;

interface FieldRule {
  relations: string[];
  needs: ("key" | "value" | "hours_ago" | "location")[];
  numericValue?: boolean;
  twoLetterValue?: boolean;
}

const FIELDS: Record<string, FieldRule> = {
  tag: { relations: ALL_RELATIONS, needs: ["key", "value"] },
  last_session: { relations: [">", "<"], needs: ["hours_ago"] },
  first_session: { relations: [">", "<"], needs: ["hours_ago"] },
  session_count: { relations: COMPARE, needs: ["value"], numericValue: true },
  session_time: { relations: [">", "<"], needs: ["value"], numericValue: true },
  app_version: { relations: COMPARE, needs: ["value"] },
  language: { relations: ["=", "!=", ...LIST_RELATIONS], needs: ["value"], twoLetterValue: true },
  country: { relations: ["=", ...LIST_RELATIONS], needs: ["value"], twoLetterValue: true },
  location: { relations: [], needs: ["location"] },
  amount_spent: { relations: [">", "<", "="], needs: ["value"], numericValue: true },
  bought_sku: { relations: [">", "<", "="], needs: ["key", "value"], numericValue: true },
  email: { relations: [], needs: ["value"] },
};

/** At most this many entries, fields and operators together. */
export const MAX_FILTER_ENTRIES = 200;
/** At most this many values in an `in_array` list. */
export const MAX_IN_ARRAY_VALUES = 20;

/** The reasons a filter list is invalid; empty when it is valid. */
export function filterErrors(filters: unknown): string[] {
  if (!Array.isArray(filters)) return ["filters must be an array"];
  if (filters.length === 0) return ["filters must contain at least one filter"];
  if (filters.length > MAX_FILTER_ENTRIES) {
    return [`Segments can have at most ${MAX_FILTER_ENTRIES} filter entries, including fields and OR operators`];
  }
  const errors: string[] = [];
  filters.forEach((entry: unknown, index) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      errors.push(`Filter ${index} must be an object`);
      return;
    }
    const filter = entry as WireFilter;
    if ("operator" in filter) {
      if (filter.operator !== "AND" && filter.operator !== "OR")
        errors.push(`Filter ${index}: operator must be AND or OR`);
      const previous = filters[index - 1] as WireFilter | undefined;
      if (index === 0) errors.push("Filters cannot start with an operator");
      else if (previous && typeof previous === "object" && "operator" in previous) {
        errors.push(`Filter ${index}: two operators in a row`);
      }
      if (index === filters.length - 1) errors.push("Filters cannot end with an operator");
      return;
    }
    errors.push(...fieldErrors(filter, index));
  });
  return errors;
}

/** Throws OneSignal's 400 when the filters are invalid. */
export function assertValidFilters(filters: unknown): void {
  const errors = filterErrors(filters);
  if (errors.length > 0) throw badRequest(...errors);
}

function fieldErrors(filter: WireFilter, index: number): string[] {
  const field = filter.field;
  if (typeof field !== "string" || !field) return [`Filter ${index}: field is required`];
  const rule = FIELDS[field];
  if (!rule) return [`Segment ${field} is not a valid filter field.`];
  const errors: string[] = [];
  const relation = filter.relation;
  if (rule.relations.length > 0) {
    if (typeof relation !== "string" || !rule.relations.includes(relation)) {
      errors.push(
        `Filter ${index}: relation ${JSON.stringify(relation ?? null)} is not valid for ${field}; use one of ${rule.relations.join(" ")}`,
      );
      return errors;
    }
  }
  if (rule.needs.includes("key") && (typeof filter.key !== "string" || filter.key === "")) {
    errors.push(`Filter ${index}: ${field} filters require a key`);
  }
  const unary = relation === "exists" || relation === "not_exists";
  if (rule.needs.includes("value") && !unary) {
    const value = filter.value;
    if (value === undefined || value === null || value === "") {
      errors.push(`Filter ${index}: ${field} ${String(relation ?? "")} requires a value`.replace("  ", " "));
    } else if (typeof value !== "string" && typeof value !== "number") {
      errors.push(`Filter ${index}: value must be a string`);
    } else {
      const text = String(value);
      if (relation === "in_array" || relation === "not_in_array") {
        const values = listValues(text);
        if (values.length > MAX_IN_ARRAY_VALUES) {
          errors.push(`Filter ${index}: ${relation} takes at most ${MAX_IN_ARRAY_VALUES} comma-separated values`);
        } else if (rule.twoLetterValue && !values.every((code) => CODE.test(code))) {
          errors.push(`Filter ${index}: ${field} ${relation} requires a comma-separated list of 2-letter codes`);
        }
      } else if (
        (rule.numericValue || relation === "time_elapsed_gt" || relation === "time_elapsed_lt") &&
        !isNumeric(text)
      ) {
        errors.push(`Filter ${index}: ${field} ${String(relation)} requires a numeric value`);
      } else if (rule.twoLetterValue && !CODE.test(text)) {
        errors.push(`Filter ${index}: ${field} requires a 2-letter code`);
      }
    }
  }
  // A value given with exists or not_exists is ignored: OneSignal's docs say only that none is required.
  // Session filters take hours_ago (OneSignal's OpenAPI and reference page); the OpenAPI of its docs
  // shows `value` in their place, which is taken when hours_ago is absent.
  if (rule.needs.includes("hours_ago") && !isNumeric(filter.hours_ago ?? filter.value)) {
    errors.push(`Filter ${index}: ${field} filters require hours_ago`);
  }
  if (rule.needs.includes("location")) {
    for (const part of ["radius", "lat", "long"] as const) {
      if (!isNumeric(filter[part])) errors.push(`Filter ${index}: location filters require ${part}`);
    }
  }
  return errors;
}

/** The values of an `in_array` or `not_in_array` filter: its comma-separated list, each trimmed. */
export function listValues(value: unknown): string[] {
  return String(value)
    .split(",")
    .map((entry) => entry.trim());
}

function isNumeric(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value));
}
