import { describe, expect, it } from "vitest";
import { addAndroidDevice, createAppWithKey } from "../support/fixtures";
import { useEmulatorApp } from "../support/use-emulator";

const { emulator, app } = useEmulatorApp({ resetEach: true });

const pro = [{ field: "tag", key: "plan", relation: "=", value: "pro" }];

async function create(body: Record<string, unknown>) {
  return emulator.api<{ success: boolean; id?: string; errors?: string[] }>(
    "POST",
    `/apps/${app.appId}/segments`,
    app.appKey,
    body,
  );
}

describe("segments", () => {
  it("creates with 201 {success, id}, and views filters only with include-segment-detail", async () => {
    const created = await create({ name: "Pro", description: "Paying users", filters: pro });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ success: true, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const plain = await emulator.api(`GET`, `/apps/${app.appId}/segments/${created.body.id}`, app.appKey);
    expect(plain.body).toEqual({ subscriber_count: 0 });
    const detail = await emulator.api<{ payload: Record<string, unknown> }>(
      "GET",
      `/apps/${app.appId}/segments/${created.body.id}?include-segment-detail=true`,
      app.appKey,
    );
    expect(detail.body.payload).toMatchObject({
      id: created.body.id,
      name: "Pro",
      description: "Paying users",
      filters: pro,
    });
    expect(typeof detail.body.payload.created_at).toBe("number");
  });

  it("takes a caller-chosen id, and refuses a duplicate name with 409", async () => {
    const id = "6f1c7c9a-3b0e-4c55-9d7f-2a1b3c4d5e6f";
    expect((await create({ id, name: "Pro", filters: pro })).body.id).toBe(id);
    expect(await create({ name: "Pro", filters: pro })).toEqual({
      status: 409,
      body: { success: false, errors: ["Segment name is already taken."] },
    });
  });

  it("lists oldest first in pages of at most 300, with total_count", async () => {
    for (let index = 0; index < 5; index++) await create({ name: `s${index}`, filters: pro });
    const page = await emulator.api<{
      total_count: number;
      offset: number;
      limit: number;
      segments: { name: string }[];
    }>("GET", `/apps/${app.appId}/segments?offset=1&limit=2`, app.appKey);
    expect(page.status).toBe(201);
    expect(page.body).toMatchObject({ total_count: 5, offset: 1, limit: 2 });
    expect(page.body.segments.map((segment) => segment.name)).toEqual(["s1", "s2"]);
    expect(await emulator.api("GET", `/apps/${app.appId}/segments?limit=1000`, app.appKey)).toEqual({
      status: 400,
      body: { errors: ["Invalid limit, must be within 1 to 300"] },
    });
    expect((await emulator.api("GET", `/apps/${app.appId}/segments?offset=-1`, app.appKey)).status).toBe(400);
    expect((await emulator.api<{ limit: number }>("GET", `/apps/${app.appId}/segments`, app.appKey)).body.limit).toBe(
      300,
    );
  });

  it("PATCH needs a name, replaces all filters when given, and keeps them otherwise", async () => {
    const { body } = await create({ name: "Pro", description: "d", filters: pro });
    const path = `/apps/${app.appId}/segments/${body.id}`;
    expect(await emulator.api("PATCH", path, app.appKey, { filters: pro })).toEqual({
      status: 400,
      body: { success: false, errors: ["name is required"] },
    });
    const english = [{ field: "language", relation: "=", value: "en" }];
    expect(await emulator.api("PATCH", path, app.appKey, { name: "English", filters: english })).toEqual({
      status: 200,
      body: { success: true, id: body.id },
    });
    await emulator.api("PATCH", path, app.appKey, { name: "English 2", description: "" });
    const detail = await emulator.api<{ payload: Record<string, unknown> }>(
      "GET",
      `${path}?include-segment-detail=true`,
      app.appKey,
    );
    expect(detail.body.payload).toMatchObject({ name: "English 2", description: null, filters: english });
    expect(
      await emulator.api("PATCH", `/apps/${app.appId}/segments/6f1c7c9a-3b0e-4c55-9d7f-2a1b3c4d5e6f`, app.appKey, {
        name: "x",
      }),
    ).toEqual({
      status: 404,
      body: { success: false, errors: ["segment not found"] },
    });
  });

  it("deletes, and answers a missing segment with 404 {success:false}", async () => {
    const { body } = await create({ name: "Pro", filters: pro });
    const path = `/apps/${app.appId}/segments/${body.id}`;
    expect(await emulator.api("DELETE", path, app.appKey)).toEqual({ status: 200, body: { success: true } });
    expect(await emulator.api("DELETE", path, app.appKey)).toEqual({ status: 404, body: { success: false } });
    expect(await emulator.api("GET", path, app.appKey)).toEqual({
      status: 404,
      body: { errors: ["segment not found"] },
    });
  });

  it("takes only that app's API keys", async () => {
    const other = await createAppWithKey(emulator, "other");
    expect((await emulator.api("GET", `/apps/${app.appId}/segments`, other.appKey)).status).toBe(403);
    expect((await emulator.api("GET", `/apps/${app.appId}/segments`, emulator.organizationApiKey)).status).toBe(403);
  });
});

describe("the filter grammar", () => {
  const cases: [string, unknown, string][] = [
    [
      "an unknown field",
      [{ field: "user_id", relation: "=", value: "1" }],
      "Segment user_id is not a valid filter field.",
    ],
    ["a tag without a key", [{ field: "tag", relation: "=", value: "x" }], "Filter 0: tag filters require a key"],
    [
      "a binary relation without a value",
      [{ field: "tag", key: "k", relation: ">" }],
      "Filter 0: tag > requires a value",
    ],
    [
      "last_session without hours_ago",
      [{ field: "last_session", relation: ">" }],
      "Filter 0: last_session filters require hours_ago",
    ],
    [
      "a relation the field does not take",
      [{ field: "country", relation: "!=", value: "US" }],
      'Filter 0: relation "!=" is not valid for country; use one of = in_array not_in_array',
    ],
    ["location without lat", [{ field: "location", radius: 100, long: 2 }], "Filter 0: location filters require lat"],
    [
      "in_array with more than 20 values",
      [{ field: "tag", key: "k", relation: "in_array", value: Array.from({ length: 21 }, (_, i) => i).join(",") }],
      "Filter 0: in_array takes at most 20 comma-separated values",
    ],
    [
      "a non-numeric session count",
      [{ field: "session_count", relation: ">", value: "many" }],
      "Filter 0: session_count > requires a numeric value",
    ],
    [
      "ending with an operator",
      [{ field: "language", relation: "=", value: "en" }, { operator: "OR" }],
      "Filters cannot end with an operator",
    ],
    [
      "starting with an operator",
      [{ operator: "AND" }, { field: "language", relation: "=", value: "en" }],
      "Filters cannot start with an operator",
    ],
    [
      "an unknown operator",
      [
        { field: "language", relation: "=", value: "en" },
        { operator: "XOR" },
        { field: "country", relation: "=", value: "US" },
      ],
      "Filter 1: operator must be AND or OR",
    ],
    [
      "more than 200 entries",
      Array.from({ length: 201 }, () => ({ field: "language", relation: "=", value: "en" })),
      "Segments can have at most 200 filter entries, including fields and OR operators",
    ],
    ["no filters", [], "filters must contain at least one filter"],
  ];

  for (const [what, filters, error] of cases) {
    it(`refuses ${what}`, async () => {
      const answer = await create({ name: "bad", filters });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toContain(error);
    });
  }

  it("accepts every documented field", async () => {
    const filters = [
      { field: "tag", key: "plan", relation: "in_array", value: "pro,team" },
      { field: "tag", key: "beta", relation: "exists" },
      { field: "tag", key: "signup", relation: "time_elapsed_gt", value: "86400" },
      { field: "last_session", relation: ">", hours_ago: "1.5" },
      { field: "first_session", relation: "<", hours_ago: "720" },
      { operator: "OR" },
      { field: "session_count", relation: ">", value: "3" },
      { field: "session_time", relation: "<", value: "600" },
      { field: "app_version", relation: "!=", value: "1.2.3" },
      { field: "language", relation: "=", value: "fr" },
      { field: "country", relation: "=", value: "FR" },
      { field: "location", radius: 1000, lat: 48.85, long: 2.35 },
      { operator: "AND" },
      { field: "amount_spent", relation: ">", value: "9.99" },
      { field: "bought_sku", key: "com.example.pro", relation: "=", value: "1" },
      { field: "email", value: "qa@example.com" },
    ];
    expect((await create({ name: "everything", filters })).status).toBe(201);
  });

  it("takes the forms other OneSignal sources show: a value with exists, and value for hours_ago", async () => {
    await addDevice({ tags: { beta: "1" } });
    const filters = [
      { field: "tag", key: "beta", relation: "exists", value: "" },
      { field: "first_session", relation: "<", value: "1" },
    ];
    const created = await create({ name: "new beta", filters });
    expect(created.status).toBe(201);
    const view = await emulator.api(`GET`, `/apps/${app.appId}/segments/${created.body.id}`, app.appKey);
    expect(view.body).toEqual({ subscriber_count: 1 });
  });
});

function addDevice(fields: Record<string, unknown>): Promise<string> {
  return addAndroidDevice(emulator, app, fields);
}

describe("subscriber counts", () => {
  it("counts a segment's subscribed members, and an app's subscriptions and messageable ones", async () => {
    await addDevice({ tags: { plan: "pro" } });
    await addDevice({ tags: { plan: "pro" } });
    await addDevice({ tags: { plan: "pro" }, notification_types: -2 });
    await addDevice({ tags: { plan: "free" } });
    const created = await create({ name: "Pro", filters: pro });
    const segment = await emulator.api(`GET`, `/apps/${app.appId}/segments/${created.body.id}`, app.appKey);
    expect(segment.body).toEqual({ subscriber_count: 2 });
    const appAnswer = await emulator.api<Record<string, unknown>>(
      "GET",
      `/apps/${app.appId}`,
      emulator.organizationApiKey,
    );
    expect(appAnswer.body).toMatchObject({ players: 4, messageable_players: 3 });
    const config = await emulator.api<Record<string, unknown>>(
      "GET",
      `/apps/${app.appId}?view=config`,
      emulator.organizationApiKey,
    );
    expect(config.body).not.toHaveProperty("players");
    expect((await emulator.api("GET", `/apps/${app.appId}?view=full`, emulator.organizationApiKey)).status).toBe(400);
  });
});

describe("country and language lists (release notes, May 12 2026)", () => {
  async function countOf(filters: Record<string, unknown>[]): Promise<number> {
    const created = await create({ name: `s-${Math.random()}`, filters });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const view = await emulator.api<{ subscriber_count: number }>(
      "GET",
      `/apps/${app.appId}/segments/${created.body.id}`,
      app.appKey,
    );
    return view.body.subscriber_count;
  }

  it("in_array and not_in_array on country and language, for segments", async () => {
    await addDevice({ country: "US", language: "en" });
    await addDevice({ country: "GB", language: "en" });
    await addDevice({ country: "FR", language: "fr" });
    await addDevice({ country: "ES", language: "es" });
    expect(await countOf([{ field: "country", relation: "in_array", value: "US,GB,CA" }])).toBe(2);
    expect(await countOf([{ field: "country", relation: "not_in_array", value: "us, gb" }])).toBe(2);
    expect(await countOf([{ field: "language", relation: "in_array", value: "fr,es" }])).toBe(2);
    expect(await countOf([{ field: "language", relation: "not_in_array", value: "es,fr" }])).toBe(2);
    expect(
      await countOf([
        { field: "country", relation: "in_array", value: "US,GB,CA" },
        { operator: "AND" },
        { field: "language", relation: "not_in_array", value: "es,fr" },
      ]),
    ).toBe(2);
  });

  it("in_array on country and language picks a message's recipients", async () => {
    await addDevice({ country: "FR", language: "fr" });
    await addDevice({ country: "US", language: "en" });
    const sent = await emulator.api<{ id: string }>("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      contents: { en: "Bonjour" },
      filters: [
        { field: "country", relation: "in_array", value: "FR,BE" },
        { field: "language", relation: "in_array", value: "fr" },
      ],
    });
    expect(sent.status).toBe(200);
    const view = await emulator.api<{ successful: number }>(
      "GET",
      `/notifications/${sent.body.id}?app_id=${app.appId}`,
      app.appKey,
    );
    expect(view.body.successful).toBe(1);
  });

  it("refuses a list holding something other than 2-letter codes, for segments and messages", async () => {
    const filters = [{ field: "country", relation: "in_array", value: "US,United Kingdom" }];
    const error = "Filter 0: country in_array requires a comma-separated list of 2-letter codes";
    expect((await create({ name: "bad", filters })).body.errors).toContain(error);
    const sent = await emulator.api<{ errors: string[] }>("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      contents: { en: "Hi" },
      filters,
    });
    expect(sent.status).toBe(400);
    expect(sent.body.errors).toContain(error);
  });
});
