import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { engineFor } from "../support/engine";
import { DeploymentError, type EngineHarness } from "./engine";

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => emulator.close());

const URN = "urn:pulumi:dev::test-project::pulumi-nodejs:dynamic/onesignal:";

function program(config: { apps?: string[]; segments?: unknown; templates?: unknown }): EngineHarness {
  const entries: Record<string, string> = {};
  if (config.apps) entries["test:apps"] = JSON.stringify(config.apps);
  if (config.segments) entries["test:segments"] = JSON.stringify(config.segments);
  if (config.templates) entries["test:templates"] = JSON.stringify(config.templates);
  return engineFor(emulator, "test/engine/programs/audiences", { config: entries });
}

function reconfigure(engine: EngineHarness, config: { segments?: unknown; templates?: unknown }): void {
  if (config.segments) engine.setConfig({ "test:segments": JSON.stringify(config.segments) });
  if (config.templates) engine.setConfig({ "test:templates": JSON.stringify(config.templates) });
}

function resource(engine: EngineHarness, type: string, name: string) {
  const found = engine.currentState().resources.find((entry) => entry.urn === `${URN}${type}::${name}`);
  if (!found) throw new Error(`no ${type} ${name} in state`);
  return found;
}

function appKey(engine: EngineHarness, app = "main"): string {
  return resource(engine, "ApiKey", `${app}-key`).outputs.token as string;
}

const pro = [{ field: "tag", key: "plan", relation: "=", value: "pro" }];

describe.sequential("Segment through the real host", () => {
  let engine: EngineHarness;

  it("creates a segment with the app's own key, and a second up makes no request", async () => {
    engine = program({
      segments: {
        paying: {
          name: "Paying",
          description: "Pro plan",
          filters: [...pro, { field: "sessionCount", relation: ">", value: 3 }],
        },
      },
    });
    await engine.up();
    const segment = resource(engine, "Segment", "paying");
    const appId = resource(engine, "App", "main").id;
    const detail = await emulator.api<{ payload: Record<string, unknown> }>(
      "GET",
      `/apps/${appId}/segments/${segment.id}?include-segment-detail=true`,
      appKey(engine),
    );
    expect(detail.body.payload).toMatchObject({
      name: "Paying",
      description: "Pro plan",
      filters: [
        { field: "tag", key: "plan", relation: "=", value: "pro" },
        { field: "session_count", relation: ">", value: "3" },
      ],
    });
    expect(segment.secretKeys).toContain("apiKey");
    expect(await emulator.requestsDuring(() => engine.up())).toEqual([]);
  });

  it("a filter change is exactly one PATCH", async () => {
    const segment = resource(engine, "Segment", "paying");
    const appId = resource(engine, "App", "main").id;
    reconfigure(engine, {
      segments: {
        paying: {
          name: "Paying",
          description: "Pro plan",
          filters: [...pro, { operator: "OR" }, { field: "language", relation: "=", value: "fr" }],
        },
      },
    });
    expect(await emulator.requestsDuring(() => engine.up())).toEqual([`PATCH /apps/${appId}/segments/${segment.id}`]);
  });

  it("refresh sees filters changed in the dashboard, and the next up restores them with one PATCH", async () => {
    const segment = resource(engine, "Segment", "paying");
    const appId = resource(engine, "App", "main").id;
    await emulator.api("PATCH", `/apps/${appId}/segments/${segment.id}`, appKey(engine), {
      name: "Paying",
      filters: [{ field: "country", relation: "=", value: "DE" }],
    });
    const drifts = await engine.refresh();
    expect(drifts).toEqual([{ urn: `${URN}Segment::paying`, change: { changedKeys: ["filters"] } }]);
    expect(resource(engine, "Segment", "paying").outputs.filters).toEqual([
      { field: "country", relation: "=", value: "DE" },
    ]);
    expect(await emulator.requestsDuring(() => engine.up())).toEqual([`PATCH /apps/${appId}/segments/${segment.id}`]);
  });

  it("a rotated app key reaches the segment with no segment request, and the segment keeps working with it", async () => {
    const segment = resource(engine, "Segment", "paying");
    const appId = resource(engine, "App", "main").id;
    const oldKey = appKey(engine);
    engine.setConfig({ "test:keyRotation": "2" });
    let result: Awaited<ReturnType<EngineHarness["up"]>> | undefined;
    const requests = await emulator.requestsDuring(async () => {
      result = await engine.up();
    });
    expect(result?.steps.find((step) => step.urn === `${URN}Segment::paying`)?.op).toBe("update");
    const keyId = resource(engine, "ApiKey", "main-key").id;
    expect(requests).toEqual([`POST /apps/${appId}/auth/tokens/${keyId}/rotate`]);
    expect(resource(engine, "Segment", "paying").outputs.apiKey).toBe(appKey(engine));
    expect(appKey(engine)).not.toBe(oldKey);
    // The next refresh reads the segment with the new key.
    expect(await engine.refresh()).toEqual([]);
    expect((await emulator.api("GET", `/apps/${appId}/segments/${segment.id}`, appKey(engine))).status).toBe(200);
  });

  it("refresh drops a segment deleted in the dashboard; destroy of an already-deleted segment succeeds", async () => {
    const segment = resource(engine, "Segment", "paying");
    const appId = resource(engine, "App", "main").id;
    await emulator.api("DELETE", `/apps/${appId}/segments/${segment.id}`, appKey(engine));
    const second = program({ segments: { paying: { name: "Paying", filters: pro } } });
    await second.up();
    const other = resource(second, "Segment", "paying");
    await emulator.api("DELETE", `/apps/${resource(second, "App", "main").id}/segments/${other.id}`, appKey(second));
    await expect(second.destroy()).resolves.toBeDefined();
    expect(await engine.refresh()).toContainEqual({ urn: `${URN}Segment::paying`, change: "deleted" });
  });
});

describe("Segment", () => {
  beforeEach(async () => emulator.reset());

  it("replaces on a new appId: created in the new app, deleted from the old", async () => {
    const engine = program({ apps: ["one", "two"], segments: { vip: { app: "one", name: "VIP", filters: pro } } });
    await engine.up();
    const before = resource(engine, "Segment", "vip");
    const one = resource(engine, "App", "one").id;
    const two = resource(engine, "App", "two").id;
    reconfigure(engine, { segments: { vip: { app: "two", name: "VIP", filters: pro } } });
    const result = await engine.up();
    expect(result.steps.find((step) => step.urn === `${URN}Segment::vip`)?.op).toBe("replace");
    const after = resource(engine, "Segment", "vip");
    expect((await emulator.api("GET", `/apps/${two}/segments/${after.id}`, appKey(engine, "two"))).status).toBe(200);
    expect((await emulator.api("GET", `/apps/${one}/segments/${before.id}`, appKey(engine, "one"))).status).toBe(404);
  });

  it("adopts an existing segment with one GET and one PATCH, and no create", async () => {
    const engine = program({});
    await engine.up();
    const appId = resource(engine, "App", "main").id;
    const existing = await emulator.api<{ id: string }>("POST", `/apps/${appId}/segments`, appKey(engine), {
      name: "Old name",
      filters: [{ field: "language", relation: "=", value: "en" }],
    });
    reconfigure(engine, {
      segments: { adopted: { name: "Adopted", filters: pro, adoptExistingId: existing.body.id } },
    });
    expect(await emulator.requestsDuring(() => engine.up())).toEqual([
      `GET /apps/${appId}/segments/${existing.body.id}`,
      `PATCH /apps/${appId}/segments/${existing.body.id}`,
    ]);
    expect(resource(engine, "Segment", "adopted").id).toBe(existing.body.id);
  });

  it("check refuses every class of bad filter before any request, with position, property and reason", async () => {
    const engine = program({
      segments: {
        bad: {
          name: "Bad",
          filters: [
            { operator: "OR" },
            { field: "userId", relation: "=", value: "1" },
            { field: "tag", relation: "=", value: "x" },
            { field: "lastSession", relation: ">" },
            { field: "location", radius: 10, lat: 1 },
            { field: "tag", key: "k", relation: "inArray", value: Array.from({ length: 21 }, (_, i) => `v${i}`) },
            { field: "country", relation: "!=", value: "US" },
            { field: "sessionCount", relation: ">", value: "lots" },
            { field: "tag", key: "k", relation: "exists", value: "x" },
            { field: "language", relation: "=", value: "english" },
            { operator: "AND" },
          ],
        },
      },
    });
    const error = await engine.up().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentError);
    const failures = (error as DeploymentError).failures.map(({ property, reason }) => ({ property, reason }));
    expect(failures).toEqual([
      { property: "filters[0]", reason: "filters cannot start with an operator" },
      {
        property: "filters[1].field",
        reason:
          '"userId" is not a filter field; use one of tag, lastSession, firstSession, sessionCount, sessionTime, appVersion, language, country, location, amountSpent, boughtSku, email',
      },
      { property: "filters[2].key", reason: "tag filters need a key (the tag name)" },
      { property: "filters[3].hoursAgo", reason: "lastSession filters need hoursAgo (hours, e.g. 24)" },
      { property: "filters[4].long", reason: "location filters need long as a number" },
      { property: "filters[5].value", reason: "inArray takes at most 20 values (it has 21)" },
      { property: "filters[6].relation", reason: 'country takes the relations =, not "!="' },
      { property: "filters[7].value", reason: 'sessionCount > needs a number, not "lots"' },
      { property: "filters[8].value", reason: "exists takes no value" },
      { property: "filters[9].value", reason: 'language needs a 2-letter code such as "en" or "US", not "english"' },
      { property: "filters[10]", reason: "filters cannot end with an operator" },
    ]);
    // Nothing of the segment reached OneSignal.
    const paths = (await emulator.requests()).map((entry) => entry.path);
    expect(paths.some((path) => path.includes("/segments"))).toBe(false);
  });

  it("refuses more than 200 filter entries and an empty list", async () => {
    const many = Array.from({ length: 201 }, () => ({ field: "language", relation: "=", value: "en" }));
    const engine = program({ segments: { big: { name: "Big", filters: many }, none: { name: "None", filters: [] } } });
    const error = (await engine.up().catch((e: unknown) => e)) as DeploymentError;
    const reasons = error.failures.map((failure) => failure.reason);
    expect(reasons).toContainEqual("filters has 201 entries; OneSignal allows at most 200");
    expect(reasons).toContainEqual("filters must hold at least one filter");
  });
});

describe("Template through the real host", () => {
  beforeEach(async () => emulator.reset());

  const push = {
    name: "Welcome",
    channel: "push",
    contents: { en: "Hi {{ name }}", fr: "Salut" },
    headings: { en: "Welcome" },
    data: { screen: "home" },
  };

  it("creates push, email and SMS templates; no-op up; content update is one PATCH", async () => {
    const engine = program({
      templates: {
        welcome: push,
        digest: {
          name: "Digest",
          channel: "email",
          emailSubject: "This week",
          emailBody: "<p>News</p>",
          emailFromName: "Shop",
        },
        code: { name: "Code", channel: "sms", contents: { en: "Your code" }, smsFrom: "+15555550100" },
      },
    });
    await engine.up();
    const appId = resource(engine, "App", "main").id;
    const welcome = resource(engine, "Template", "welcome");
    const viewed = await emulator.api<{ channel: string; content: Record<string, unknown> }>(
      "GET",
      `/templates/${welcome.id}?app_id=${appId}`,
      appKey(engine),
    );
    expect(viewed.body).toMatchObject({
      channel: "push",
      content: { contents: push.contents, data: { screen: "home" } },
    });
    expect(resource(engine, "Template", "digest").outputs).toMatchObject({
      channel: "email",
      emailSubject: "This week",
    });
    expect(await emulator.requestsDuring(() => engine.up())).toEqual([]);
    reconfigure(engine, {
      templates: {
        welcome: { ...push, contents: { en: "Hello" } },
        digest: {
          name: "Digest",
          channel: "email",
          emailSubject: "This week",
          emailBody: "<p>News</p>",
          emailFromName: "Shop",
        },
        code: { name: "Code", channel: "sms", contents: { en: "Your code" }, smsFrom: "+15555550100" },
      },
    });
    expect(await emulator.requestsDuring(() => engine.up())).toEqual([`PATCH /templates/${welcome.id}`]);
  });

  it("replaces on a new channel, sees drift on refresh, and deletes (missing counts as deleted)", async () => {
    const engine = program({ templates: { note: push } });
    await engine.up();
    const appId = resource(engine, "App", "main").id;
    const first = resource(engine, "Template", "note");
    await emulator.api("PATCH", `/templates/${first.id}?app_id=${appId}`, appKey(engine), { name: "Renamed by hand" });
    expect(await engine.refresh()).toEqual([{ urn: `${URN}Template::note`, change: { changedKeys: ["name"] } }]);
    reconfigure(engine, { templates: { note: { name: "Note", channel: "email", emailSubject: "s", emailBody: "b" } } });
    const result = await engine.up();
    expect(result.steps.find((step) => step.urn === `${URN}Template::note`)).toEqual({
      op: "replace",
      urn: `${URN}Template::note`,
      replaces: ["channel"],
    });
    expect((await emulator.api("GET", `/templates/${first.id}?app_id=${appId}`, appKey(engine))).status).toBe(404);
    const second = resource(engine, "Template", "note");
    await emulator.api("DELETE", `/templates/${second.id}?app_id=${appId}`, appKey(engine));
    await expect(engine.destroy()).resolves.toBeDefined();
  });

  it("adopts an existing template with one GET and one PATCH, and no create", async () => {
    const engine = program({});
    await engine.up();
    const appId = resource(engine, "App", "main").id;
    const existing = await emulator.api<{ id: string }>("POST", "/templates", appKey(engine), {
      app_id: appId,
      name: "Made by hand",
      contents: { en: "old" },
    });
    reconfigure(engine, { templates: { adopted: { ...push, adoptExistingId: existing.body.id } } });
    expect(await emulator.requestsDuring(() => engine.up())).toEqual([
      `GET /templates/${existing.body.id}`,
      `PATCH /templates/${existing.body.id}`,
    ]);
    expect(resource(engine, "Template", "adopted").id).toBe(existing.body.id);
    const viewed = await emulator.api<{ name: string; content: { contents: unknown } }>(
      "GET",
      `/templates/${existing.body.id}?app_id=${appId}`,
      appKey(engine),
    );
    expect(viewed.body).toMatchObject({ name: "Welcome", content: { contents: push.contents } });
  });

  it("check refuses content that does not fit the channel", async () => {
    const engine = program({
      templates: {
        push: { name: "P", channel: "push", contents: { fr: "Salut" }, emailSubject: "x" },
        email: { name: "E", channel: "email", emailSubject: "s" },
        sms: { name: "S", channel: "sms", contents: { en: "x" }, smsMediaUrls: ["not-a-url"] },
        other: { name: "O", channel: "fax" },
      },
    });
    const error = (await engine.up().catch((e: unknown) => e)) as DeploymentError;
    expect(error.failures.map(({ urn, property }) => `${urn.split("::").pop()}.${property}`).sort()).toEqual(
      ["email.emailBody", "other.channel", "push.contents", "push.emailSubject", "sms.smsMediaUrls[0]"].sort(),
    );
  });
});
