import { expect, it } from "vitest";
import { emulatorStacks } from "../support/emulator-stacks";
import { describeE2E, type PulumiProject, stepsOf } from "../support/pulumi";

const stacks = emulatorStacks();
const { emulator } = stacks;

function project(dir: string, config: Record<string, string>): PulumiProject {
  return stacks.project({ dir, config });
}

const posts = (requests: string[], path: string) => requests.filter((request) => request === `POST ${path}`);

/** The two ways a create's answer is lost after OneSignal made the object. */
const LOST = [
  { how: "the connection drops after the write", fault: { afterCommit: true } },
  { how: "OneSignal answers 503 after the write", fault: { afterCommit: true, status: 503 } },
] as const;

// A create whose answer is lost leaves the object in OneSignal: the engine must end with that one object
// in state, never a second one, and the next up must find nothing to do.
describeE2E("exactly one object per declared resource, when a create's answer is lost (real Pulumi CLI)", () => {
  stacks.use({ resetEach: true });

  for (const { how, fault } of LOST) {
    it(`App: ${how}`, async () => {
      const apps = project("test/e2e/programs/apps", { "test:apps": JSON.stringify({ web: { name: "web" } }) });
      await emulator.fault({ method: "POST", path: "/apps", times: 1, ...fault });
      const requests = await emulator.requestsDuring(() => apps.up());
      expect(posts(requests, "/apps")).toHaveLength(1);
      const listed = await emulator.api<{ id: string }[]>("GET", "/apps", emulator.organizationApiKey);
      expect(listed.body.map((app) => app.id)).toEqual([apps.resource("App", "web").id]);
      expect(stepsOf(await apps.up())).toEqual(["same web"]);
    });

    it(`ApiKey: ${how}; the adopted key's secret works`, async () => {
      const apps = project("test/e2e/programs/apps", { "test:apps": JSON.stringify({ one: { name: "one" } }) });
      await apps.up();
      const appId = apps.resource("App", "one").id;
      const tokens = `/apps/${appId}/auth/tokens`;
      await emulator.fault({ method: "POST", path: tokens, times: 1, ...fault });
      apps.setConfig({ "test:keys": JSON.stringify({ deploy: { app: "one" } }) });
      const requests = await emulator.requestsDuring(() => apps.up());
      expect(posts(requests, tokens)).toHaveLength(1);
      const listed = await emulator.api<{ tokens: { token_id: string }[] }>("GET", tokens, emulator.organizationApiKey);
      const key = apps.resource("ApiKey", "deploy");
      expect(listed.body.tokens.map((token) => token.token_id)).toEqual([key.id]);
      expect((await emulator.api("GET", `/apps/${appId}`, key.outputs.token as string)).status).toBe(200);
      expect(await emulator.requestsDuring(() => apps.up())).toEqual([]);
    });

    it(`Template: ${how}`, async () => {
      const audiences = project("test/e2e/programs/audiences", {});
      await audiences.up();
      await emulator.fault({ method: "POST", path: "/templates", times: 1, ...fault });
      audiences.setConfig({
        "test:templates": JSON.stringify({ welcome: { name: "Welcome", channel: "push", contents: { en: "Hi" } } }),
      });
      const requests = await emulator.requestsDuring(() => audiences.up());
      expect(posts(requests, "/templates")).toHaveLength(1);
      const appId = audiences.resource("App", "main").id;
      const key = audiences.resource("ApiKey", "main-key").outputs.token as string;
      const listed = await emulator.api<{ templates: { id: string }[] }>("GET", `/templates?app_id=${appId}`, key);
      expect(listed.body.templates.map((template) => template.id)).toEqual([
        audiences.resource("Template", "welcome").id,
      ]);
      expect(await emulator.requestsDuring(() => audiences.up())).toEqual([]);
    });

    it(`Segment: ${how}; its id is chosen before the request, so it is found by id`, async () => {
      const audiences = project("test/e2e/programs/audiences", {});
      await audiences.up();
      const appId = audiences.resource("App", "main").id;
      await emulator.fault({ method: "POST", path: `/apps/${appId}/segments`, times: 1, ...fault });
      audiences.setConfig({
        "test:segments": JSON.stringify({
          fr: { name: "French", filters: [{ field: "language", relation: "=", value: "fr" }] },
        }),
      });
      const requests = await emulator.requestsDuring(() => audiences.up());
      expect(posts(requests, `/apps/${appId}/segments`)).toHaveLength(1);
      const key = audiences.resource("ApiKey", "main-key").outputs.token as string;
      const listed = await emulator.api<{ segments: { id: string }[] }>("GET", `/apps/${appId}/segments`, key);
      expect(listed.body.segments.map((segment) => segment.id)).toEqual([audiences.resource("Segment", "fr").id]);
    });
  }
});
