import { describe, expect, it } from "vitest";
import { emulatorStacks, NO_ONESIGNAL_ENV } from "../support/emulator-stacks";
import { checkFailures, describeE2E, type PulumiProject, RunFailed, stepsOf } from "../support/pulumi";

const stacks = emulatorStacks();
const { emulator } = stacks;

/** The apps program (test/e2e/programs/apps) with the given apps and keys, on a fresh stack. */
function appsProgram(
  apps: Record<string, unknown>,
  config: Record<string, string> = {},
  secrets: Record<string, string> = {},
): PulumiProject {
  return stacks.project({
    dir: "test/e2e/programs/apps",
    config: { "test:apps": JSON.stringify(apps), ...config },
    secrets,
    env: NO_ONESIGNAL_ENV,
  });
}

describeE2E("App and ApiKey under the real Pulumi CLI", () => {
  stacks.use({ resetEach: true });
  describe("App", appTests);
  describe("ApiKey", apiKeyTests);
});

function appTests(): void {
  it("creates many apps at once from one configured provider (no configure race); functions see the stack config", async () => {
    const names = ["a", "b", "c", "d", "e", "f"];
    const project = appsProgram(Object.fromEntries(names.map((name) => [name, { name: `app-${name}` }])), {
      "test:lookup": "true",
    });
    const { outputs } = await project.up();
    // listApps ran in the program with nothing but the stack config to find the emulator and its key.
    expect(outputs.appsSeenByProgram?.value).toBe(names.length);
    const ids = outputs.ids?.value as Record<string, string>;
    expect(Object.keys(ids).sort()).toEqual(names);
    expect(new Set(Object.values(ids)).size).toBe(names.length);
    const listed = await emulator.api<{ id: string }[]>("GET", "/apps", emulator.organizationApiKey);
    expect(listed.body.map((app) => app.id).sort()).toEqual(Object.values(ids).sort());
  });

  it("adopts an existing app: no create, its settings brought to the declared state", async () => {
    const existing = await emulator.api<{ id: string }>("POST", "/apps", emulator.organizationApiKey, {
      name: "made-by-hand",
      gcm_key: "legacy",
    });
    const project = appsProgram({
      web: { name: "adopted", adoptExistingId: existing.body.id, chromeWebOrigin: "https://adopted.example" },
    });
    let ids: Record<string, string> = {};
    const requests = await emulator.requestsDuring(async () => {
      ids = (await project.up()).outputs.ids?.value as Record<string, string>;
    });
    expect(requests).toEqual([`GET /apps/${existing.body.id}`, `PUT /apps/${existing.body.id}`]);
    expect(ids.web).toBe(existing.body.id);
    const app = await emulator.api<Record<string, unknown>>(
      "GET",
      `/apps/${existing.body.id}`,
      emulator.organizationApiKey,
    );
    expect(app.body).toMatchObject({
      name: "adopted",
      chrome_web_origin: "https://adopted.example",
      gcm_key: "legacy",
    });
  });

  it("fails adoption of a missing app with OneSignal's text and creates nothing", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    const project = appsProgram({ web: { name: "x", adoptExistingId: missing } });
    const error = await project.up().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFailed);
    expect((error as RunFailed).message).toContain(
      `OneSignal answered 404 to GET /apps/${missing}: Couldn't find app with id = ${missing}`,
    );
    expect((await emulator.api<unknown[]>("GET", "/apps", emulator.organizationApiKey)).body).toEqual([]);
  });

  it("refuses a missing name, and a changed organizationId, in check", async () => {
    const missing = (await appsProgram({ web: { chromeWebOrigin: "https://x.example" } })
      .up()
      .catch((e: unknown) => e)) as RunFailed;
    expect(checkFailures(missing.result)).toEqual([{ resource: "web", property: "name", reason: "name is required" }]);

    const project = appsProgram({ web: { name: "web", organizationId: emulator.organizationId } });
    await project.up();
    project.setConfig({ "test:apps": JSON.stringify({ web: { name: "web", organizationId: "another-org" } }) });
    const moved = (await project.up().catch((e: unknown) => e)) as RunFailed;
    const [failure] = checkFailures(moved.result);
    expect(failure?.property).toBe("organizationId");
    expect(failure?.reason).toContain("cannot change");
  });

  it("keeps write-only secrets secret, compares them by input, and sends them only when they change", async () => {
    const p8 = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----";
    const ios = {
      name: "ios",
      apnsP8: p8,
      apnsKeyId: "K1",
      apnsTeamId: "T1",
      apnsBundleId: "com.example",
      apnsEnv: "sandbox",
    };
    // The engine hands a dynamic provider the whole stack config and keeps it in state: key material in
    // config must be a secret there too, as `pulumi config set --secret` makes it.
    const project = appsProgram({}, {}, { "test:apps": JSON.stringify({ ios }) });
    await project.up();
    const [app] = project.resources();
    expect(app?.additionalSecretOutputs).toContain("apnsP8");
    expect(app?.outputs?.apnsP8).toBe(p8);
    expect(project.backendFiles()).not.toContain("AAAA");
    // OneSignal never returns the key, yet the next up sees no change.
    expect(
      await emulator.requestsDuring(async () => expect(stepsOf(await project.up())).toEqual(["same ios"])),
    ).toEqual([]);
    project.setSecrets({ "test:apps": JSON.stringify({ ios: { ...ios, apnsP8: `${p8}\n` } }) });
    const requests = await emulator.requestsDuring(async () => {
      expect(stepsOf(await project.up())).toEqual(["update ios"]);
    });
    expect(requests).toEqual([`PUT /apps/${app?.id}`]);
  });

  it("says how to configure the organization key when none is set", async () => {
    const project = stacks.project({
      dir: "test/e2e/programs/apps",
      config: { "test:apps": JSON.stringify({ web: { name: "web" } }) },
      withoutOrganizationKey: true,
    });
    const error = await project.up().catch((e: unknown) => e);
    expect((error as Error).message).toContain("pulumi config set --secret onesignal:organizationApiKey");
  });
}

function apiKeyTests(): void {
  it("replaces the key when it moves to another app: create the new one, then delete the old one", async () => {
    const apps = { one: { name: "one" }, two: { name: "two" } };
    const project = appsProgram(apps, { "test:keys": JSON.stringify({ deploy: { app: "one", name: "deploy" } }) });
    const ids = (await project.up()).outputs.ids?.value as Record<string, string>;
    const before = project.resource("ApiKey", "deploy");
    project.setConfig({ "test:keys": JSON.stringify({ deploy: { app: "two", name: "deploy" } }) });
    let steps: string[] = [];
    const requests = await emulator.requestsDuring(async () => {
      steps = stepsOf(await project.up());
    });
    expect(steps.filter((step) => step.endsWith(" deploy"))).toEqual([
      "create-replacement deploy",
      "replace deploy",
      "delete-replaced deploy",
    ]);
    expect(requests).toEqual([
      `GET /apps/${ids.two}/auth/tokens`,
      `POST /apps/${ids.two}/auth/tokens`,
      `DELETE /apps/${ids.one}/auth/tokens/${before.id}`,
    ]);
    const after = project.resource("ApiKey", "deploy");
    expect((await emulator.api("GET", `/apps/${ids.two}`, after.outputs.token as string)).status).toBe(200);
    expect((await emulator.api("GET", `/apps/${ids.one}`, before.outputs.token as string)).status).toBe(403);
  });

  it("updates the allowlist in place with one PATCH, and deletes an already-deleted key without error", async () => {
    const project = appsProgram({ one: { name: "one" } }, { "test:keys": JSON.stringify({ deploy: { app: "one" } }) });
    await project.up();
    const key = project.resource("ApiKey", "deploy");
    expect(key.outputs).toMatchObject({ name: "deploy", ipAllowlistMode: "disabled", ipAllowlist: [] });
    project.setConfig({
      "test:keys": JSON.stringify({
        deploy: { app: "one", ipAllowlistMode: "explicit", ipAllowlist: ["198.51.100.0/24"] },
      }),
    });
    const appId = project.resource("App", "one").id;
    expect(await emulator.requestsDuring(() => project.up())).toEqual([`PATCH /apps/${appId}/auth/tokens/${key.id}`]);
    await emulator.api("DELETE", `/apps/${appId}/auth/tokens/${key.id}`, emulator.organizationApiKey);
    expect(stepsOf(await project.destroy())).toEqual(["delete deploy", "delete one"]);
  });
}
