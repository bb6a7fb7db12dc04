import { describe, expect, it } from "vitest";
import { filter } from "../../provider/models/filter-builder";
import { filterProblems, fromApiFilters, normalizeFilters, toApiFilters } from "../../provider/models/segment";
import { SegmentProvider } from "../../provider/resources/segment";
import { UNKNOWN } from "../../provider/resources/values";

describe("the filter builder", () => {
  it("reads naturally and builds OneSignal's grammar", () => {
    const filters = [
      filter.tag("plan").is("pro"),
      filter.tag("beta").exists(),
      filter.tag("tier").in("gold", "silver"),
      filter.lastSession.lessThanHoursAgo(24),
      filter.or,
      filter.language.is("fr"),
      filter.near(48.85, 2.35, 1000),
      filter.sessionCount.greaterThan(3),
    ];
    expect(filterProblems(filters)).toEqual([]);
    expect(toApiFilters(filters)).toEqual([
      { field: "tag", key: "plan", relation: "=", value: "pro" },
      { field: "tag", key: "beta", relation: "exists" },
      { field: "tag", key: "tier", relation: "in_array", value: "gold,silver" },
      { field: "last_session", relation: "<", hours_ago: "24" },
      { operator: "OR" },
      { field: "language", relation: "=", value: "fr" },
      { field: "location", lat: 48.85, long: 2.35, radius: 1000 },
      { field: "session_count", relation: ">", value: "3" },
    ]);
  });
});

describe("filter mapping", () => {
  it("round-trips through the wire form to the canonical form", () => {
    const filters = [filter.tag("since").olderThanSeconds(3600), filter.and, filter.appVersion.isNot("1.0")];
    expect(fromApiFilters(toApiFilters(filters))).toEqual(normalizeFilters(filters));
  });

  it("passes user values through untouched", () => {
    const [wire] = toApiFilters([{ field: "tag", key: "Ünïcode key", relation: "=", value: "a,b;c" }]);
    expect(wire).toEqual({ field: "tag", key: "Ünïcode key", relation: "=", value: "a,b;c" });
  });
});

describe("filterProblems", () => {
  it("skips values not known yet", () => {
    expect(filterProblems(UNKNOWN, (value) => value === UNKNOWN)).toEqual([]);
    expect(
      filterProblems([{ field: "tag", key: UNKNOWN, relation: "=", value: UNKNOWN }], (value) => value === UNKNOWN),
    ).toEqual([]);
  });

  it("names two operators in a row and a non-object entry", () => {
    expect(filterProblems([filter.language.is("en"), filter.or, filter.and, filter.country.is("US")])).toEqual([
      { property: "filters[2]", reason: "two operators in a row: put a condition between them" },
    ]);
    expect(filterProblems(["tag"])[0]?.property).toBe("filters[0]");
    expect(filterProblems("nope")).toEqual([{ property: "filters", reason: "filters must be a list of filters" }]);
  });
});

describe("Segment check and diff", () => {
  const provider = new SegmentProvider();

  it("normalizes numbers so OneSignal's strings compare equal", async () => {
    const checked = await provider.check({} as never, {
      appId: "a",
      name: "n",
      filters: [filter.sessionCount.greaterThan(3), filter.lastSession.moreThanHoursAgo(1.5)],
    });
    expect(checked.failures).toEqual([]);
    const inputs = checked.inputs as NonNullable<typeof checked.inputs>;
    expect(inputs.filters).toEqual([
      { field: "sessionCount", relation: ">", value: "3" },
      { field: "lastSession", relation: ">", hoursAgo: "1.5" },
    ]);
    expect((await provider.diff("id", inputs, inputs)).changes).toBe(false);
  });

  it("updates in place for name, description, filters and a new key; replaces for a new app", async () => {
    const olds = { appId: "a", name: "n", filters: [filter.language.is("en")], apiKey: "k1" };
    expect(await provider.diff("id", olds, { ...olds, name: "m" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect((await provider.diff("id", olds, { ...olds, apiKey: "k2" })).replaces).toEqual([]);
    expect((await provider.diff("id", olds, { ...olds, appId: "b" })).replaces).toEqual(["appId"]);
  });
});
