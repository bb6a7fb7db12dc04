import type { ApiFilter } from "../client/segments";

/** A comparison of OneSignal's filter grammar. */
export type Comparison = ">" | "<" | "=" | "!=";

/** A tag filter: compares, tests presence, lists, or measures time since a tag's value (a Unix time). */
export type TagFilter =
  | { field: "tag"; key: string; relation: Comparison; value: string | number }
  | { field: "tag"; key: string; relation: "exists" | "notExists" }
  | { field: "tag"; key: string; relation: "inArray" | "notInArray"; value: string | string[] }
  | { field: "tag"; key: string; relation: "timeElapsedGt" | "timeElapsedLt"; value: string | number };

/**
 * One entry of a segment's (or a notification's) filters: a condition, or an `AND`/`OR` operator.
 * Conditions in a row are ANDed; AND binds tighter than OR.
 */
export type SegmentFilter =
  | TagFilter
  | { field: "lastSession" | "firstSession"; relation: ">" | "<"; hoursAgo: number | string }
  | { field: "sessionCount"; relation: Comparison; value: number | string }
  | { field: "sessionTime"; relation: ">" | "<"; value: number | string }
  | { field: "appVersion"; relation: Comparison; value: string }
  | { field: "language"; relation: "=" | "!="; value: string }
  | { field: "language"; relation: "inArray" | "notInArray"; value: string | string[] }
  | { field: "country"; relation: "="; value: string }
  | { field: "country"; relation: "inArray" | "notInArray"; value: string | string[] }
  | { field: "location"; radius: number; lat: number; long: number }
  | { field: "amountSpent"; relation: ">" | "<" | "="; value: number | string }
  | { field: "boughtSku"; key: string; relation: ">" | "<" | "="; value: number | string }
  | { field: "email"; value: string }
  | { operator: "AND" | "OR" };

/** A filter's field, camelCase. */
export type FilterField = Exclude<SegmentFilter, { operator: string }>["field"];

/** camelCase field → OneSignal's field. */
export const FILTER_FIELDS: Record<FilterField, string> = {
  tag: "tag",
  lastSession: "last_session",
  firstSession: "first_session",
  sessionCount: "session_count",
  sessionTime: "session_time",
  appVersion: "app_version",
  language: "language",
  country: "country",
  location: "location",
  amountSpent: "amount_spent",
  boughtSku: "bought_sku",
  email: "email",
};

/** camelCase relation → OneSignal's relation. */
export const FILTER_RELATIONS: Record<string, string> = {
  ">": ">",
  "<": "<",
  "=": "=",
  "!=": "!=",
  exists: "exists",
  notExists: "not_exists",
  timeElapsedGt: "time_elapsed_gt",
  timeElapsedLt: "time_elapsed_lt",
  inArray: "in_array",
  notInArray: "not_in_array",
};

interface FieldRule {
  relations: string[];
  key?: boolean;
  hoursAgo?: boolean;
  location?: boolean;
  value?: "text" | "number" | "code";
}

const COMPARE = [">", "<", "=", "!="];
/** A language or country code: two letters, and a region or script after a hyphen for languages. */
const CODE = /^[a-z]{2}(-[A-Za-z]{2,4})?$/i;
/** What each field takes, after OneSignal's documentation. */
export const FILTER_RULES: Record<FilterField, FieldRule> = {
  tag: { relations: Object.keys(FILTER_RELATIONS), key: true, value: "text" },
  lastSession: { relations: [">", "<"], hoursAgo: true },
  firstSession: { relations: [">", "<"], hoursAgo: true },
  sessionCount: { relations: COMPARE, value: "number" },
  sessionTime: { relations: [">", "<"], value: "number" },
  appVersion: { relations: COMPARE, value: "text" },
  // inArray and notInArray on language and country: OneSignal's release notes of May 12 2026.
  language: { relations: ["=", "!=", "inArray", "notInArray"], value: "code" },
  country: { relations: ["=", "inArray", "notInArray"], value: "code" },
  location: { relations: [], location: true },
  amountSpent: { relations: [">", "<", "="], value: "number" },
  boughtSku: { relations: [">", "<", "="], key: true, value: "number" },
  email: { relations: [], value: "text" },
};

/** At most this many entries, conditions and operators together. */
export const MAX_FILTERS = 200;
/** At most this many values in an `inArray` list. */
export const MAX_IN_ARRAY_VALUES = 20;

/** OneSignal's built-in segments, which every app has and messages name. */
export const BUILT_IN_SEGMENTS = [
  "Subscribed Users",
  "Total Subscriptions",
  "Active Users",
  "Engaged Users",
  "Inactive Users",
] as const;

/** The built-in segment a name reads as (in any case or spacing), or `undefined`. */
export function builtInSegmentNamed(name: string): (typeof BUILT_IN_SEGMENTS)[number] | undefined {
  const normal = (text: string) => text.toLowerCase().replace(/\s+/g, " ").trim();
  return BUILT_IN_SEGMENTS.find((builtIn) => normal(builtIn) === normal(name));
}

/**
 * The same filters in canonical form: numbers and lists as OneSignal's strings, so what a program
 * declares compares equal to what OneSignal returns.
 */
export function normalizeFilters(filters: readonly SegmentFilter[]): SegmentFilter[] {
  return filters.map((entry) => {
    const out: Record<string, unknown> = { ...entry };
    if (Array.isArray(out.value)) out.value = out.value.join(",");
    else if (typeof out.value === "number") out.value = String(out.value);
    if (typeof out.hoursAgo === "number") out.hoursAgo = String(out.hoursAgo);
    return out as SegmentFilter;
  });
}

/** The wire form of filters; field and relation names mapped, user values passed through. */
export function toApiFilters(filters: readonly SegmentFilter[]): ApiFilter[] {
  return normalizeFilters(filters).map((entry) => {
    if ("operator" in entry) return { operator: entry.operator };
    const source = entry as Record<string, unknown>;
    const out: ApiFilter = { field: FILTER_FIELDS[entry.field] ?? entry.field };
    if (typeof source.relation === "string") out.relation = FILTER_RELATIONS[source.relation] ?? source.relation;
    if (source.key !== undefined) out.key = source.key as string;
    if (source.value !== undefined) out.value = source.value as string;
    if (source.hoursAgo !== undefined) out.hours_ago = source.hoursAgo as string;
    for (const part of ["radius", "lat", "long"] as const)
      if (source[part] !== undefined) out[part] = source[part] as number;
    return out;
  });
}

const FIELD_BY_WIRE = Object.fromEntries(Object.entries(FILTER_FIELDS).map(([camel, wire]) => [wire, camel]));
const RELATION_BY_WIRE = Object.fromEntries(Object.entries(FILTER_RELATIONS).map(([camel, wire]) => [wire, camel]));

/** Filters as OneSignal returns them, in this package's form. */
export function fromApiFilters(filters: readonly ApiFilter[]): SegmentFilter[] {
  return filters.map((entry) => {
    if (entry.operator) return { operator: entry.operator };
    const out: Record<string, unknown> = { field: FIELD_BY_WIRE[entry.field ?? ""] ?? entry.field };
    if (entry.relation !== undefined) out.relation = RELATION_BY_WIRE[entry.relation] ?? entry.relation;
    if (entry.key !== undefined) out.key = entry.key;
    if (entry.value !== undefined && entry.value !== null) out.value = String(entry.value);
    if (entry.hours_ago !== undefined && entry.hours_ago !== null) out.hoursAgo = String(entry.hours_ago);
    for (const part of ["radius", "lat", "long"] as const)
      if (entry[part] !== undefined) out[part] = Number(entry[part]);
    return out as SegmentFilter;
  });
}

/** A problem with one filter entry. */
export interface FilterProblem {
  /** The path of the property, e.g. `filters[2].hoursAgo`. */
  property: string;
  reason: string;
}

function isNumeric(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value));
}

/**
 * Every problem with a filter list, by position, property and reason; `isUnknown` marks values not
 * known yet (preview), which are skipped.
 */
export function filterProblems(
  filters: unknown,
  isUnknown: (value: unknown) => boolean = () => false,
  base = "filters",
): FilterProblem[] {
  if (isUnknown(filters)) return [];
  if (!Array.isArray(filters)) return [{ property: base, reason: `${base} must be a list of filters` }];
  if (filters.length === 0) return [{ property: base, reason: `${base} must hold at least one filter` }];
  const problems: FilterProblem[] = [];
  if (filters.length > MAX_FILTERS) {
    problems.push({
      property: base,
      reason: `${base} has ${filters.length} entries; OneSignal allows at most ${MAX_FILTERS}`,
    });
  }
  filters.forEach((entry: unknown, index) => {
    const at = `${base}[${index}]`;
    if (isUnknown(entry)) return;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      problems.push({ property: at, reason: `${at} must be a filter object or { operator: "AND" | "OR" }` });
      return;
    }
    const filter = entry as Record<string, unknown>;
    if ("operator" in filter) {
      if (!isUnknown(filter.operator) && filter.operator !== "AND" && filter.operator !== "OR") {
        problems.push({
          property: `${at}.operator`,
          reason: `operator must be "AND" or "OR", not ${JSON.stringify(filter.operator)}`,
        });
      }
      const previous = filters[index - 1] as Record<string, unknown> | undefined;
      if (index === 0) problems.push({ property: at, reason: "filters cannot start with an operator" });
      else if (previous && typeof previous === "object" && "operator" in previous) {
        problems.push({ property: at, reason: "two operators in a row: put a condition between them" });
      }
      if (index === filters.length - 1) problems.push({ property: at, reason: "filters cannot end with an operator" });
      return;
    }
    problems.push(...conditionProblems(filter, at, isUnknown));
  });
  return problems;
}

function conditionProblems(
  filter: Record<string, unknown>,
  at: string,
  isUnknown: (value: unknown) => boolean,
): FilterProblem[] {
  const problems: FilterProblem[] = [];
  const add = (property: string, reason: string) => problems.push({ property: `${at}${property}`, reason });
  const field = filter.field;
  if (isUnknown(field)) return problems;
  const rule = typeof field === "string" ? FILTER_RULES[field as FilterField] : undefined;
  if (!rule) {
    add(
      ".field",
      `${JSON.stringify(field ?? null)} is not a filter field; use one of ${Object.keys(FILTER_RULES).join(", ")}`,
    );
    return problems;
  }
  const relation = filter.relation;
  if (rule.relations.length > 0 && !isUnknown(relation)) {
    if (typeof relation !== "string" || !rule.relations.includes(relation)) {
      add(
        ".relation",
        `${field} takes the relations ${rule.relations.join(", ")}, not ${JSON.stringify(relation ?? null)}`,
      );
      return problems;
    }
  }
  if (rule.key && !isUnknown(filter.key) && (typeof filter.key !== "string" || filter.key === "")) {
    add(".key", `${field} filters need a key${field === "tag" ? " (the tag name)" : " (the SKU)"}`);
  }
  const unary = relation === "exists" || relation === "notExists";
  const value = filter.value;
  if (rule.value && !unary && !isUnknown(value)) {
    const list = relation === "inArray" || relation === "notInArray";
    if (value === undefined || value === null || value === "") {
      add(".value", `${field} ${String(relation ?? "")} needs a value`.replace("  ", " "));
    } else if (list) {
      const values: unknown[] = Array.isArray(value) ? value : String(value).split(",");
      const notCodes = values.filter((code) => typeof code !== "string" || !CODE.test(code.trim()));
      if (values.length > MAX_IN_ARRAY_VALUES) {
        add(".value", `${relation} takes at most ${MAX_IN_ARRAY_VALUES} values (it has ${values.length})`);
      } else if (rule.value === "code" && notCodes.length > 0) {
        add(
          ".value",
          `${field} ${relation} needs 2-letter codes such as "en" or "US", not ${notCodes.map((code) => JSON.stringify(code)).join(", ")}`,
        );
      }
    } else if (typeof value !== "string" && typeof value !== "number") {
      add(".value", `value must be a string or a number`);
    } else if (
      (rule.value === "number" || relation === "timeElapsedGt" || relation === "timeElapsedLt") &&
      !isNumeric(value)
    ) {
      add(".value", `${field} ${String(relation)} needs a number, not ${JSON.stringify(value)}`);
    } else if (rule.value === "code" && !CODE.test(String(value))) {
      add(".value", `${field} needs a 2-letter code such as "en" or "US", not ${JSON.stringify(value)}`);
    }
  }
  if (unary && value !== undefined && value !== null) add(".value", `${relation} takes no value`);
  if (rule.hoursAgo && !isUnknown(filter.hoursAgo) && !isNumeric(filter.hoursAgo)) {
    add(".hoursAgo", `${field} filters need hoursAgo (hours, e.g. 24)`);
  }
  if (rule.location) {
    for (const part of ["radius", "lat", "long"] as const) {
      if (!isUnknown(filter[part]) && !isNumeric(filter[part]))
        add(`.${part}`, `location filters need ${part} as a number`);
    }
  }
  return problems;
}
