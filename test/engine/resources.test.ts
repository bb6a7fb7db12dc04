import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { engineFor } from "../support/engine";
import { DeploymentError } from "./engine";

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => emulator.close());
beforeEach(async () => emulator.reset());

function appsProgram(apps: Record<string, unknown>, config: Record<string, string> = {}) {
  return engineFor(emulator, "test/engine/programs/apps", { config: { "test:apps": JSON.stringify(apps), ...config } });
}

describe("App through the real host", () => {
  it("creates many apps at once from one configured provider (no configure race)", async () => {
    const names = ["a", "b", "c", "d", "e", "f"];
    const engine = appsProgram(Object.fromEntries(names.map((name) => [name, { name: `app-${name}` }])));
    const { outputs } = await engine.up();
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
    const engine = appsProgram({
      web: { name: "adopted", adoptExistingId: existing.body.id, chromeWebOrigin: "https://adopted.example" },
    });
    let outputs: Awaited<ReturnType<typeof engine.up>>["outputs"] = {};
    const requests = await emulator.requestsDuring(async () => {
      ({ outputs } = await engine.up());
    });
    expect(requests).toEqual([`GET /apps/${existing.body.id}`, `PUT /apps/${existing.body.id}`]);
    expect((outputs.ids?.value as Record<string, string> | undefined)?.web).toBe(existing.body.id);
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
    const engine = appsProgram({ web: { name: "x", adoptExistingId: "00000000-0000-4000-8000-000000000000" } });
    const error = await engine.up().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentError);
    expect((error as Error).message).toContain(
      "OneSignal answered 404 to GET /apps/00000000-0000-4000-8000-000000000000: Couldn't find app with id = 00000000-0000-4000-8000-000000000000",
    );
    expect((await emulator.api<unknown[]>("GET", "/apps", emulator.organizationApiKey)).body).toEqual([]);
  });

  it("refuses a missing name and a changed organizationId in check", async () => {
    const missing = await appsProgram({ web: { chromeWebOrigin: "https://x.example" } })
      .up()
      .catch((e: unknown) => e);
    expect((missing as DeploymentError).failures).toEqual([
      expect.objectContaining({ property: "name", reason: "name is required" }),
    ]);

    const engine = appsProgram({ web: { name: "web", organizationId: emulator.organizationId } });
    await engine.up();
    engine.setConfig({ "test:apps": JSON.stringify({ web: { name: "web", organizationId: "another-org" } }) });
    const moved = await engine.up().catch((e: unknown) => e);
    expect((moved as DeploymentError).failures[0]?.property).toBe("organizationId");
    expect((moved as DeploymentError).failures[0]?.reason).toContain("cannot change");
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
    const engine = appsProgram({ ios });
    await engine.up();
    const [app] = engine.currentState().resources;
    expect(app?.secretKeys).toContain("apnsP8");
    expect(app?.outputs.apnsP8).toBe(p8);
    // OneSignal never returns the key, yet the next up sees no change.
    const before = (await emulator.requests()).length;
    expect((await engine.up()).steps.map((step) => step.op)).toEqual(["same"]);
    engine.setConfig({ "test:apps": JSON.stringify({ ios: { ...ios, apnsP8: `${p8}\n` } }) });
    expect((await engine.up()).steps.map((step) => step.op)).toEqual(["update"]);
    expect((await emulator.requests()).slice(before).map((entry) => entry.method)).toEqual(["PUT"]);
  });

  it("says how to configure the organization key when none is set", async () => {
    const engine = engineFor(emulator, "test/engine/programs/apps", {
      config: { "test:apps": JSON.stringify({ web: { name: "web" } }), "onesignal:organizationApiKey": "" },
    });
    const error = await engine.up().catch((e: unknown) => e);
    expect((error as Error).message).toContain("pulumi config set --secret onesignal:organizationApiKey");
  });
});

describe("ApiKey through the real host", () => {
  const KEY = "urn:pulumi:dev::test-project::pulumi-nodejs:dynamic/onesignal:ApiKey::deploy";

  it("replaces the key when it moves to another app: create the new one, then delete the old one", async () => {
    const apps = { one: { name: "one" }, two: { name: "two" } };
    const engine = appsProgram(apps, { "test:keys": JSON.stringify({ deploy: { app: "one", name: "deploy" } }) });
    await engine.up();
    const before = engine.currentState().resources.find((resource) => resource.urn === KEY);
    const ids = (engine.currentState().outputs.ids?.value ?? {}) as Record<string, string>;
    const start = (await emulator.requests()).length;
    engine.setConfig({ "test:keys": JSON.stringify({ deploy: { app: "two", name: "deploy" } }) });
    const result = await engine.up();
    expect(result.steps.find((step) => step.urn === KEY)).toEqual({ op: "replace", urn: KEY, replaces: ["appId"] });
    const requests = (await emulator.requests()).slice(start).map((entry) => `${entry.method} ${entry.path}`);
    expect(requests).toEqual([
      `POST /apps/${ids.two}/auth/tokens`,
      `DELETE /apps/${ids.one}/auth/tokens/${before?.id}`,
    ]);
    const after = engine.currentState().resources.find((resource) => resource.urn === KEY);
    expect((await emulator.api("GET", `/apps/${ids.two}`, after?.outputs.token as string)).status).toBe(200);
    expect((await emulator.api("GET", `/apps/${ids.one}`, before?.outputs.token as string)).status).toBe(403);
  });

  it("updates the allowlist in place with one PATCH, and deletes an already-deleted key without error", async () => {
    const engine = appsProgram({ one: { name: "one" } }, { "test:keys": JSON.stringify({ deploy: { app: "one" } }) });
    await engine.up();
    const key = engine.currentState().resources.find((resource) => resource.urn === KEY);
    expect(key?.outputs).toMatchObject({ name: "deploy", ipAllowlistMode: "disabled", ipAllowlist: [] });
    engine.setConfig({
      "test:keys": JSON.stringify({
        deploy: { app: "one", ipAllowlistMode: "explicit", ipAllowlist: ["198.51.100.0/24"] },
      }),
    });
    const start = (await emulator.requests()).length;
    await engine.up();
    const appId = engine.currentState().resources.find((resource) => resource.type.endsWith(":App"))?.id;
    expect((await emulator.requests()).slice(start).map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      `PATCH /apps/${appId}/auth/tokens/${key?.id}`,
    ]);
    await emulator.api("DELETE", `/apps/${appId}/auth/tokens/${key?.id}`, emulator.organizationApiKey);
    await expect(engine.destroy()).resolves.toMatchObject({ steps: [{ op: "delete" }, { op: "delete" }] });
  });
});
