import type { Comparison, SegmentFilter } from "./segment";

type Scalar = string | number;

function comparisons<F extends "sessionCount" | "appVersion" | "amountSpent">(field: F) {
  const make = (relation: Comparison) => (value: Scalar) => ({ field, relation, value }) as SegmentFilter;
  return { is: make("="), isNot: make("!="), greaterThan: make(">"), lessThan: make("<") };
}

function sessions(field: "lastSession" | "firstSession") {
  return {
    /** More than `hours` hours ago. */
    moreThanHoursAgo: (hours: Scalar): SegmentFilter => ({ field, relation: ">", hoursAgo: hours }),
    /** Less than `hours` hours ago. */
    lessThanHoursAgo: (hours: Scalar): SegmentFilter => ({ field, relation: "<", hoursAgo: hours }),
  };
}

/**
 * A small builder for the common filters, so a program reads naturally:
 *
 * ```ts
 * filters: [filter.tag("plan").is("pro"), filter.lastSession.lessThanHoursAgo(24), filter.or, filter.language.is("fr")]
 * ```
 */
export const filter = {
  /** Conditions on one tag. */
  tag: (key: string) => ({
    is: (value: Scalar): SegmentFilter => ({ field: "tag", key, relation: "=", value }),
    isNot: (value: Scalar): SegmentFilter => ({ field: "tag", key, relation: "!=", value }),
    greaterThan: (value: Scalar): SegmentFilter => ({ field: "tag", key, relation: ">", value }),
    lessThan: (value: Scalar): SegmentFilter => ({ field: "tag", key, relation: "<", value }),
    exists: (): SegmentFilter => ({ field: "tag", key, relation: "exists" }),
    notExists: (): SegmentFilter => ({ field: "tag", key, relation: "notExists" }),
    /** The tag's value is one of these (at most 20). */
    in: (...values: string[]): SegmentFilter => ({ field: "tag", key, relation: "inArray", value: values }),
    notIn: (...values: string[]): SegmentFilter => ({ field: "tag", key, relation: "notInArray", value: values }),
    /** The tag holds a Unix time more than `seconds` ago. */
    olderThanSeconds: (seconds: Scalar): SegmentFilter => ({
      field: "tag",
      key,
      relation: "timeElapsedGt",
      value: seconds,
    }),
    /** The tag holds a Unix time less than `seconds` ago. */
    newerThanSeconds: (seconds: Scalar): SegmentFilter => ({
      field: "tag",
      key,
      relation: "timeElapsedLt",
      value: seconds,
    }),
  }),
  lastSession: sessions("lastSession"),
  firstSession: sessions("firstSession"),
  sessionCount: comparisons("sessionCount"),
  appVersion: comparisons("appVersion"),
  amountSpent: comparisons("amountSpent"),
  sessionTime: {
    moreThanSeconds: (seconds: Scalar): SegmentFilter => ({ field: "sessionTime", relation: ">", value: seconds }),
    lessThanSeconds: (seconds: Scalar): SegmentFilter => ({ field: "sessionTime", relation: "<", value: seconds }),
  },
  language: {
    is: (code: string): SegmentFilter => ({ field: "language", relation: "=", value: code }),
    isNot: (code: string): SegmentFilter => ({ field: "language", relation: "!=", value: code }),
    /** The language is one of these codes (at most 20). */
    in: (...codes: string[]): SegmentFilter => ({ field: "language", relation: "inArray", value: codes }),
    /** The language is none of these codes (at most 20); subscriptions without a language too. */
    notIn: (...codes: string[]): SegmentFilter => ({ field: "language", relation: "notInArray", value: codes }),
  },
  country: {
    is: (code: string): SegmentFilter => ({ field: "country", relation: "=", value: code }),
    /** The country is one of these codes (at most 20). */
    in: (...codes: string[]): SegmentFilter => ({ field: "country", relation: "inArray", value: codes }),
    /** The country is none of these codes (at most 20); subscriptions without a country too. */
    notIn: (...codes: string[]): SegmentFilter => ({ field: "country", relation: "notInArray", value: codes }),
  },
  /** Within `radiusMeters` of a point. */
  near: (lat: number, long: number, radiusMeters: number): SegmentFilter => ({
    field: "location",
    lat,
    long,
    radius: radiusMeters,
  }),
  or: { operator: "OR" } as SegmentFilter,
  and: { operator: "AND" } as SegmentFilter,
};
