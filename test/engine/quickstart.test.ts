import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { engineFor } from "../support/engine";
import { DeploymentError, type EngineHarness } from "./engine";

const APP = "urn:pulumi:dev::test-project::pulumi-nodejs:dynamic/onesignal:App::app";
const KEY = "urn:pulumi:dev::test-project::pulumi-nodejs:dynamic/onesignal:ApiKey::server-key";

let emulator: TestEmulator;
let engine: EngineHarness;

beforeAll(async () => {
  emulator = await startTestEmulator();
  engine = engineFor(emulator, "examples/quickstart", { config: { "quickstart:appName": "shop" } });
});
afterAll(async () => emulator.close());

/** The requests made while `run` ran, with their statuses. */
const requestsDuring = (run: () => Promise<unknown>) => emulator.requestsDuring(run, { withStatus: true });

function stateApp() {
  const app = engine.currentState().resources.find((resource) => resource.urn === APP);
  if (!app) throw new Error("no App in state");
  return app;
}

function stateKey() {
  const key = engine.currentState().resources.find((resource) => resource.urn === KEY);
  if (!key) throw new Error("no ApiKey in state");
  return key;
}

// The steps build on each other, like a stack's history.
describe.sequential("the quickstart through the real dynamic-provider host", () => {
  it("preview plans two creates and makes no request", async () => {
    const requests = await requestsDuring(async () => {
      const preview = await engine.preview();
      expect(preview.steps).toEqual([
        { op: "create", urn: APP },
        { op: "create", urn: KEY },
      ]);
    });
    expect(requests).toEqual([]);
  });

  it("up creates the app and its key, with the key as a secret output", async () => {
    let result: Awaited<ReturnType<EngineHarness["up"]>> | undefined;
    const requests = await requestsDuring(async () => {
      result = await engine.up();
    });
    const appId = stateApp().id;
    expect(requests).toEqual(["POST /apps 200", `POST /apps/${appId}/auth/tokens 200`]);
    expect(result?.outputs.appId).toEqual({ value: appId, secret: false });
    expect(result?.outputs.apiKey?.secret).toBe(true);
    const token = result?.outputs.apiKey?.value as string;
    expect(token).toMatch(/^os_v2_app_/);
    // The key really works for its app.
    expect((await emulator.api("GET", `/apps/${appId}`, token)).status).toBe(200);
    const app = await emulator.api<Record<string, unknown>>("GET", `/apps/${appId}`, emulator.organizationApiKey);
    expect(app.body).toMatchObject({ name: "shop", chrome_web_origin: "https://example.com", site_name: "Quickstart" });
    expect(stateApp().outputs).toMatchObject({ name: "shop", chromeWebOrigin: "https://example.com" });
  });

  it("keeps every key out of the state file in plain text and out of the serialized provider", async () => {
    const token = stateKey().outputs.token as string;
    const file = readFileSync(engine.options.stateFile, "utf8");
    expect(file).not.toContain(token);
    expect(file).not.toContain(emulator.organizationApiKey);
    expect(stateKey().secretKeys).toContain("token");
    const serialized = String(stateApp().inputs.__provider);
    expect(serialized.length).toBeGreaterThan(100);
    expect(serialized).not.toContain(emulator.organizationApiKey);
    expect(serialized).not.toContain(emulator.url);
  });

  it("a second up changes nothing and makes no API request at all", async () => {
    const requests = await requestsDuring(async () => {
      const result = await engine.up();
      expect(result.steps.map((step) => step.op)).toEqual(["same", "same"]);
    });
    expect(requests).toEqual([]);
  });

  it("a rename previews as an update and applies as exactly one PUT", async () => {
    engine.setConfig({ "quickstart:appName": "shop-renamed" });
    const previewRequests = await requestsDuring(async () => {
      expect((await engine.preview()).steps).toEqual([
        { op: "update", urn: APP },
        { op: "same", urn: KEY },
      ]);
    });
    expect(previewRequests).toEqual([]);
    const requests = await requestsDuring(() => engine.up());
    expect(requests).toEqual([`PUT /apps/${stateApp().id} 200`]);
    expect(stateApp().outputs.name).toBe("shop-renamed");
  });

  it("refresh sees a rename made in the dashboard, and the next up puts the declared name back", async () => {
    const appId = stateApp().id;
    await emulator.api("PUT", `/apps/${appId}`, emulator.organizationApiKey, { name: "clicked-in-dashboard" });
    const drifts = await engine.refresh();
    expect(drifts).toEqual([{ urn: APP, change: { changedKeys: ["name", "updatedAt"] } }]);
    expect(stateApp().outputs.name).toBe("clicked-in-dashboard");
    const requests = await requestsDuring(() => engine.up());
    expect(requests).toEqual([`PUT /apps/${appId} 200`]);
    expect((await emulator.api<{ name: string }>("GET", `/apps/${appId}`, emulator.organizationApiKey)).body.name).toBe(
      "shop-renamed",
    );
  });

  it("a new rotation value rotates the key: one request, the old secret dies", async () => {
    const oldToken = stateKey().outputs.token as string;
    engine.setConfig({ "quickstart:keyRotation": "2" });
    const requests = await requestsDuring(() => engine.up());
    expect(requests).toEqual([`POST /apps/${stateApp().id}/auth/tokens/${stateKey().id}/rotate 200`]);
    const newToken = stateKey().outputs.token as string;
    expect(newToken).not.toBe(oldToken);
    expect((await emulator.api("GET", `/apps/${stateApp().id}`, oldToken)).status).toBe(403);
    expect((await emulator.api("GET", `/apps/${stateApp().id}`, newToken)).status).toBe(200);
  });

  it("check refuses a bad input before any request, naming the property", async () => {
    engine.setConfig({ "quickstart:siteUrl": "not a url" });
    const requests = await requestsDuring(async () => {
      const error = await engine.up().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeploymentError);
      expect((error as DeploymentError).failures).toEqual([
        {
          urn: APP,
          property: "chromeWebOrigin",
          reason: 'chromeWebOrigin must be an absolute URL such as https://example.com, not "not a url"',
        },
      ]);
    });
    expect(requests).toEqual([]);
    engine.setConfig({ "quickstart:siteUrl": "https://example.com" });
  });

  it("refresh drops a key deleted out of band, and the next up creates it again", async () => {
    const appId = stateApp().id;
    await emulator.api("DELETE", `/apps/${appId}/auth/tokens/${stateKey().id}`, emulator.organizationApiKey);
    expect(await engine.refresh()).toEqual([{ urn: KEY, change: "deleted" }]);
    const requests = await requestsDuring(() => engine.up());
    expect(requests).toEqual([`POST /apps/${appId}/auth/tokens 200`]);
  });

  it("destroy deletes the key and keeps the app with a warning, since OneSignal cannot delete apps", async () => {
    const appId = stateApp().id;
    const keyId = stateKey().id;
    let hostOutput = "";
    const requests = await requestsDuring(async () => {
      hostOutput = (await engine.destroy()).hostOutput;
    });
    expect(requests).toEqual([`DELETE /apps/${appId}/auth/tokens/${keyId} 200`]);
    expect(hostOutput).toContain(`OneSignal app "shop-renamed" (${appId}) was kept`);
    expect(hostOutput).not.toContain(emulator.organizationApiKey);
    expect(engine.currentState().resources).toEqual([]);
    expect((await emulator.api("GET", `/apps/${appId}`, emulator.organizationApiKey)).status).toBe(200);
  });
});
