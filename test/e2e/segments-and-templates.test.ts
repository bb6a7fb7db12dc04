import { beforeEach, describe, expect, it } from "vitest";
import { emulatorStacks } from "../support/emulator-stacks";
import { checkFailures, describeE2E, type PulumiProject, type RunFailed, stepsOf } from "../support/pulumi";

const stacks = emulatorStacks();
const { emulator } = stacks;

interface Audiences {
  apps?: string[];
  segments?: unknown;
  templates?: unknown;
}

function entries(config: Audiences): Record<string, string> {
  const values: Record<string, string> = {};
  if (config.apps) values["test:apps"] = JSON.stringify(config.apps);
  if (config.segments) values["test:segments"] = JSON.stringify(config.segments);
  if (config.templates) values["test:templates"] = JSON.stringify(config.templates);
  return values;
}

/** The audiences program (apps with keys, segments, templates), on a fresh stack. */
function program(config: Audiences): PulumiProject {
  return stacks.project({ dir: "test/e2e/programs/audiences", config: entries(config) });
}

function appKey(project: PulumiProject, app = "main"): string {
  return project.resource("ApiKey", `${app}-key`).outputs.token as string;
}

const pro = [{ field: "tag", key: "plan", relation: "=", value: "pro" }];
const push = {
  name: "Welcome",
  channel: "push",
  contents: { en: "Hi {{ name }}", fr: "Salut" },
  headings: { en: "Welcome" },
  data: { screen: "home" },
};

describeE2E("Segment and Template under the real Pulumi CLI", () => {
  stacks.use();

  describe.sequential("a segment's life", () => {
    let project: PulumiProject;

    it("is created with the app's own key, and a second up makes no request", async () => {
      project = program({
        segments: {
          paying: {
            name: "Paying",
            description: "Pro plan",
            filters: [...pro, { field: "sessionCount", relation: ">", value: 3 }],
          },
        },
      });
      await project.up();
      const segment = project.resource("Segment", "paying");
      const appId = project.resource("App", "main").id;
      const detail = await emulator.api<{ payload: Record<string, unknown> }>(
        "GET",
        `/apps/${appId}/segments/${segment.id}?include-segment-detail=true`,
        appKey(project),
      );
      expect(detail.body.payload).toMatchObject({
        name: "Paying",
        description: "Pro plan",
        filters: [
          { field: "tag", key: "plan", relation: "=", value: "pro" },
          { field: "session_count", relation: ">", value: "3" },
        ],
      });
      expect(project.backendFiles()).not.toContain(appKey(project));
      expect(await emulator.requestsDuring(() => project.up())).toEqual([]);
    });

    it("a filter change is exactly one PATCH", async () => {
      const segment = project.resource("Segment", "paying");
      const appId = project.resource("App", "main").id;
      project.setConfig(
        entries({
          segments: {
            paying: {
              name: "Paying",
              description: "Pro plan",
              filters: [...pro, { operator: "OR" }, { field: "language", relation: "=", value: "fr" }],
            },
          },
        }),
      );
      expect(await emulator.requestsDuring(() => project.up())).toEqual([
        `PATCH /apps/${appId}/segments/${segment.id}`,
      ]);
    });

    it("refresh sees filters changed in the dashboard, and the next up restores them with one PATCH", async () => {
      const segment = project.resource("Segment", "paying");
      const appId = project.resource("App", "main").id;
      await emulator.api("PATCH", `/apps/${appId}/segments/${segment.id}`, appKey(project), {
        name: "Paying",
        filters: [{ field: "country", relation: "=", value: "DE" }],
      });
      expect((await project.refresh()).changes.update).toBe(1);
      expect(project.resource("Segment", "paying").outputs.filters).toEqual([
        { field: "country", relation: "=", value: "DE" },
      ]);
      expect(await emulator.requestsDuring(() => project.up())).toEqual([
        `PATCH /apps/${appId}/segments/${segment.id}`,
      ]);
    });

    it("a rotated app key reaches the segment with no segment request, and keeps working", async () => {
      const segment = project.resource("Segment", "paying");
      const appId = project.resource("App", "main").id;
      const oldKey = appKey(project);
      project.setConfig({ "test:keyRotation": "2" });
      let steps: string[] = [];
      const requests = await emulator.requestsDuring(async () => {
        steps = stepsOf(await project.up());
      });
      expect(steps).toContain("update paying");
      const keyId = project.resource("ApiKey", "main-key").id;
      expect(requests).toEqual([`POST /apps/${appId}/auth/tokens/${keyId}/rotate`]);
      expect(appKey(project)).not.toBe(oldKey);
      expect(project.resource("Segment", "paying").outputs.apiKey).toBe(appKey(project));
      // The next refresh reads the segment with the new key.
      expect((await project.refresh()).changes.update ?? 0).toBe(0);
      expect((await emulator.api("GET", `/apps/${appId}/segments/${segment.id}`, appKey(project))).status).toBe(200);
    });

    it("refresh drops a segment deleted in the dashboard; destroy of an already-deleted segment succeeds", async () => {
      const segment = project.resource("Segment", "paying");
      const appId = project.resource("App", "main").id;
      await emulator.api("DELETE", `/apps/${appId}/segments/${segment.id}`, appKey(project));
      expect((await project.refresh()).changes.delete).toBe(1);
      expect(project.resources().some((resource) => resource.urn.endsWith("::paying"))).toBe(false);

      // Another stack, on an organization of its own: an app named "main" in this one is not its to make again.
      await emulator.reset();
      const second = program({ segments: { paying: { name: "Paying", filters: pro } } });
      await second.up();
      const other = second.resource("Segment", "paying");
      await emulator.api("DELETE", `/apps/${second.resource("App", "main").id}/segments/${other.id}`, appKey(second));
      expect(stepsOf(await second.destroy())).toContain("delete paying");
    });
  });

  describe("segments", () => {
    beforeEach(async () => emulator.reset());

    it("replaces on a new appId: created in the new app, deleted from the old", async () => {
      const project = program({ apps: ["one", "two"], segments: { vip: { app: "one", name: "VIP", filters: pro } } });
      await project.up();
      const before = project.resource("Segment", "vip");
      const one = project.resource("App", "one").id;
      const two = project.resource("App", "two").id;
      project.setConfig(entries({ segments: { vip: { app: "two", name: "VIP", filters: pro } } }));
      expect(stepsOf(await project.up())).toContain("replace vip");
      const after = project.resource("Segment", "vip");
      expect((await emulator.api("GET", `/apps/${two}/segments/${after.id}`, appKey(project, "two"))).status).toBe(200);
      expect((await emulator.api("GET", `/apps/${one}/segments/${before.id}`, appKey(project, "one"))).status).toBe(
        404,
      );
    });

    it("adopts an existing segment with one GET and one PATCH, and no create", async () => {
      const project = program({});
      await project.up();
      const appId = project.resource("App", "main").id;
      const existing = await emulator.api<{ id: string }>("POST", `/apps/${appId}/segments`, appKey(project), {
        name: "Old name",
        filters: [{ field: "language", relation: "=", value: "en" }],
      });
      project.setConfig(
        entries({ segments: { adopted: { name: "Adopted", filters: pro, adoptExistingId: existing.body.id } } }),
      );
      expect(await emulator.requestsDuring(() => project.up())).toEqual([
        `GET /apps/${appId}/segments/${existing.body.id}`,
        `PATCH /apps/${appId}/segments/${existing.body.id}`,
      ]);
      expect(project.resource("Segment", "adopted").id).toBe(existing.body.id);
    });

    it("check refuses every class of bad filter before any request, with position, property and reason", async () => {
      const project = program({
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
      const error = (await project.up().catch((e: unknown) => e)) as RunFailed;
      expect(checkFailures(error.result).map(({ property, reason }) => ({ property, reason }))).toEqual([
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
        { property: "filters[6].relation", reason: 'country takes the relations =, inArray, notInArray, not "!="' },
        { property: "filters[7].value", reason: 'sessionCount > needs a number, not "lots"' },
        { property: "filters[8].value", reason: "exists takes no value" },
        { property: "filters[9].value", reason: 'language needs a 2-letter code such as "en" or "US", not "english"' },
        { property: "filters[10]", reason: "filters cannot end with an operator" },
      ]);
      // Nothing of the segment reached OneSignal.
      expect((await emulator.requests()).some((entry) => entry.path.includes("/segments"))).toBe(false);
    });

    it("refuses more than 200 filter entries, and an empty list", async () => {
      const many = Array.from({ length: 201 }, () => ({ field: "language", relation: "=", value: "en" }));
      const big = (await program({ segments: { big: { name: "Big", filters: many } } })
        .up()
        .catch((e: unknown) => e)) as RunFailed;
      expect(checkFailures(big.result).map((failure) => failure.reason)).toContainEqual(
        "filters has 201 entries; OneSignal allows at most 200",
      );
      // Another stack, on an organization of its own: the first one made an app named "main".
      await emulator.reset();
      const none = (await program({ segments: { none: { name: "None", filters: [] } } })
        .up()
        .catch((e: unknown) => e)) as RunFailed;
      expect(checkFailures(none.result).map((failure) => failure.reason)).toContainEqual(
        "filters must hold at least one filter",
      );
    });
  });

  describe("templates", () => {
    beforeEach(async () => emulator.reset());

    it("creates push, email and SMS templates; a no-op up; a content change is one PATCH", async () => {
      const digest = {
        name: "Digest",
        channel: "email",
        emailSubject: "This week",
        emailBody: "<p>News</p>",
        emailFromName: "Shop",
      };
      const code = { name: "Code", channel: "sms", contents: { en: "Your code" }, smsFrom: "+15555550100" };
      const project = program({ templates: { welcome: push, digest, code } });
      await project.up();
      const appId = project.resource("App", "main").id;
      const welcome = project.resource("Template", "welcome");
      const viewed = await emulator.api<{ channel: string; content: Record<string, unknown> }>(
        "GET",
        `/templates/${welcome.id}?app_id=${appId}`,
        appKey(project),
      );
      expect(viewed.body).toMatchObject({
        channel: "push",
        content: { contents: push.contents, data: { screen: "home" } },
      });
      expect(project.resource("Template", "digest").outputs).toMatchObject({
        channel: "email",
        emailSubject: "This week",
      });
      expect(await emulator.requestsDuring(() => project.up())).toEqual([]);
      project.setConfig(entries({ templates: { welcome: { ...push, contents: { en: "Hello" } }, digest, code } }));
      expect(await emulator.requestsDuring(() => project.up())).toEqual([`PATCH /templates/${welcome.id}`]);
    });

    it("replaces on a new channel, sees drift on refresh, and deletes (missing counts as deleted)", async () => {
      const project = program({ templates: { note: push } });
      await project.up();
      const appId = project.resource("App", "main").id;
      const first = project.resource("Template", "note");
      await emulator.api("PATCH", `/templates/${first.id}?app_id=${appId}`, appKey(project), {
        name: "Renamed by hand",
      });
      expect((await project.refresh()).changes.update).toBe(1);
      expect(project.resource("Template", "note").outputs.name).toBe("Renamed by hand");
      project.setConfig(
        entries({ templates: { note: { name: "Note", channel: "email", emailSubject: "s", emailBody: "b" } } }),
      );
      expect(stepsOf(await project.up())).toContain("replace note");
      expect((await emulator.api("GET", `/templates/${first.id}?app_id=${appId}`, appKey(project))).status).toBe(404);
      const second = project.resource("Template", "note");
      await emulator.api("DELETE", `/templates/${second.id}?app_id=${appId}`, appKey(project));
      expect(stepsOf(await project.destroy())).toContain("delete note");
    });

    it("adopts an existing template with one GET and one PATCH, and no create", async () => {
      const project = program({});
      await project.up();
      const appId = project.resource("App", "main").id;
      const existing = await emulator.api<{ id: string }>("POST", "/templates", appKey(project), {
        app_id: appId,
        name: "Made by hand",
        contents: { en: "old" },
      });
      project.setConfig(entries({ templates: { adopted: { ...push, adoptExistingId: existing.body.id } } }));
      expect(await emulator.requestsDuring(() => project.up())).toEqual([
        `GET /templates/${existing.body.id}`,
        `PATCH /templates/${existing.body.id}`,
      ]);
      expect(project.resource("Template", "adopted").id).toBe(existing.body.id);
      const viewed = await emulator.api<{ name: string; content: { contents: unknown } }>(
        "GET",
        `/templates/${existing.body.id}?app_id=${appId}`,
        appKey(project),
      );
      expect(viewed.body).toMatchObject({ name: "Welcome", content: { contents: push.contents } });
    });

    it("check refuses content that does not fit the channel, naming each property", async () => {
      const refused = async (template: Record<string, unknown>) => {
        // Each a stack of its own, on an organization of its own: the one before made an app named "main".
        await emulator.reset();
        let error: RunFailed | undefined;
        const requests = await emulator.requestsDuring(async () => {
          error = (await program({ templates: { t: template } })
            .up()
            .catch((e: unknown) => e)) as RunFailed;
        });
        expect(requests.some((request) => request.includes(" /templates"))).toBe(false);
        return checkFailures((error as RunFailed).result).map((failure) => failure.property);
      };
      expect(await refused({ name: "P", channel: "push", contents: { fr: "Salut" }, emailSubject: "x" })).toEqual(
        expect.arrayContaining(["contents", "emailSubject"]),
      );
      expect(await refused({ name: "E", channel: "email", emailSubject: "s" })).toEqual(["emailBody"]);
      expect(await refused({ name: "S", channel: "sms", contents: { en: "x" }, smsMediaUrls: ["not-a-url"] })).toEqual([
        "smsMediaUrls[0]",
      ]);
      expect(await refused({ name: "O", channel: "fax" })).toEqual(["channel"]);
    });
  });
});
