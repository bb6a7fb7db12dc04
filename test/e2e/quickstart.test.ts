import { beforeAll, expect, it } from "vitest";
import { emulatorStacks } from "../support/emulator-stacks";
import { describeE2E, type PulumiProject, RunFailed, stepsOf } from "../support/pulumi";

const stacks = emulatorStacks();
const { emulator } = stacks;
let project: PulumiProject;

/** The requests made while `run` ran, with their statuses. */
const requestsDuring = (run: () => Promise<unknown>) => emulator.requestsDuring(run, { withStatus: true });

// The steps build on each other, like a stack's history.
describeE2E("examples/quickstart under the real Pulumi CLI", () => {
  stacks.use();
  beforeAll(() => {
    project = stacks.project({ dir: "examples/quickstart", config: { "quickstart:appName": "shop" } });
  });

  it("preview plans two creates and makes no request", async () => {
    const requests = await requestsDuring(async () => {
      expect(stepsOf(await project.preview())).toEqual(["create app", "create server-key"]);
    });
    expect(requests).toEqual([]);
  });

  it("up creates the app and its key, with the key a secret output that really works", async () => {
    let outputs: Record<string, { value: unknown; secret: boolean }> = {};
    const requests = await requestsDuring(async () => {
      const result = await project.up();
      expect(result.mode).toBe("inline");
      expect(stepsOf(result)).toEqual(["create app", "create server-key"]);
      outputs = result.outputs;
    });
    const appId = project.resource("App", "app").id;
    // Each create first looks for one of its name that an interrupted deployment may have made.
    expect(requests).toEqual([
      "GET /apps 200",
      "POST /apps 200",
      `GET /apps/${appId}/auth/tokens 200`,
      `POST /apps/${appId}/auth/tokens 200`,
    ]);
    expect(outputs.appId).toEqual({ value: appId, secret: false });
    // A run's result masks the secret output; the stack gives its value to whoever asks with --show-secrets.
    expect(outputs.apiKey).toEqual({ value: "[secret]", secret: true });
    const token = project.stackOutputs().apiKey as string;
    expect(token).toMatch(/^os_v2_app_/);
    expect((await emulator.api("GET", `/apps/${appId}`, token)).status).toBe(200);
    const app = await emulator.api<Record<string, unknown>>("GET", `/apps/${appId}`, emulator.organizationApiKey);
    expect(app.body).toMatchObject({ name: "shop", chrome_web_origin: "https://example.com", site_name: "Quickstart" });
  });

  it("keeps every key encrypted in the backend's files, and out of the serialized provider", async () => {
    const token = project.resource("ApiKey", "server-key").outputs.token as string;
    expect(token).toMatch(/^os_v2_app_/);
    const files = project.backendFiles();
    expect(files).toContain("ciphertext");
    expect(files).not.toContain(token);
    expect(files).not.toContain(emulator.organizationApiKey);
    const provider = String(project.resource("App", "app").inputs?.__provider);
    // The thin provider: where the implementation lives, not its code (which was 40-65 KB per resource).
    expect(provider).toContain("require(file)[exportName]");
    expect(provider).toContain('"pulumi-onesignal/dist/provider/resources/app.js"');
    expect(provider.length).toBeLessThanOrEqual(4096);
    expect(provider).not.toContain(emulator.organizationApiKey);
    expect(provider).not.toContain(emulator.url);
  });

  it("a second up changes nothing and makes no API request at all", async () => {
    const requests = await requestsDuring(async () => {
      expect(stepsOf(await project.up())).toEqual(["same app", "same server-key"]);
    });
    expect(requests).toEqual([]);
  });

  it("a rename previews as an update with no request, and applies as exactly one PUT", async () => {
    project.setConfig({ "quickstart:appName": "shop-renamed" });
    const previewed = await requestsDuring(async () => {
      expect(stepsOf(await project.preview())).toEqual(["update app", "same server-key"]);
    });
    expect(previewed).toEqual([]);
    const appId = project.resource("App", "app").id;
    expect(await requestsDuring(() => project.up())).toEqual([`PUT /apps/${appId} 200`]);
    expect(project.resource("App", "app").outputs.name).toBe("shop-renamed");
  });

  it("refresh sees a rename made in the dashboard, and the next up puts the declared name back", async () => {
    const appId = project.resource("App", "app").id;
    await emulator.api("PUT", `/apps/${appId}`, emulator.organizationApiKey, { name: "clicked-in-dashboard" });
    const refreshed = await project.refresh();
    expect(refreshed.changes.update).toBe(1);
    expect(project.resource("App", "app").outputs.name).toBe("clicked-in-dashboard");
    expect(await requestsDuring(() => project.up())).toEqual([`PUT /apps/${appId} 200`]);
    const app = await emulator.api<{ name: string }>("GET", `/apps/${appId}`, emulator.organizationApiKey);
    expect(app.body.name).toBe("shop-renamed");
  });

  it("a new rotation value rotates the key: one request, the old secret stops working", async () => {
    const appId = project.resource("App", "app").id;
    const before = project.resource("ApiKey", "server-key");
    project.setConfig({ "quickstart:keyRotation": "2" });
    expect(await requestsDuring(() => project.up())).toEqual([
      `POST /apps/${appId}/auth/tokens/${before.id}/rotate 200`,
    ]);
    const after = project.resource("ApiKey", "server-key");
    expect(project.stackOutputs().apiKey).toBe(after.outputs.token);
    expect(after.outputs.token).not.toBe(before.outputs.token);
    expect((await emulator.api("GET", `/apps/${appId}`, before.outputs.token as string)).status).toBe(403);
    expect((await emulator.api("GET", `/apps/${appId}`, after.outputs.token as string)).status).toBe(200);
  });

  it("check refuses a bad input before any request, naming the property and the reason", async () => {
    project.setConfig({ "quickstart:siteUrl": "not a url" });
    const requests = await requestsDuring(async () => {
      const error = await project.up().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunFailed);
      const failure = error as RunFailed;
      expect(failure.result.diagnostics.map((d) => d.message).join("\n")).toContain(
        'property chromeWebOrigin value {not a url} has a problem: chromeWebOrigin must be an absolute URL such as https://example.com, not "not a url"',
      );
    });
    expect(requests).toEqual([]);
    project.setConfig({ "quickstart:siteUrl": "https://example.com" });
  });

  it("refresh drops a key deleted out of band, and the next up creates it again", async () => {
    const appId = project.resource("App", "app").id;
    const key = project.resource("ApiKey", "server-key");
    await emulator.api("DELETE", `/apps/${appId}/auth/tokens/${key.id}`, emulator.organizationApiKey);
    const refreshed = await project.refresh();
    expect(refreshed.changes.delete).toBe(1);
    expect(project.resources().map((resource) => resource.urn.split("::").pop())).toEqual(["app"]);
    expect(await requestsDuring(() => project.up())).toEqual([
      `GET /apps/${appId}/auth/tokens 200`,
      `POST /apps/${appId}/auth/tokens 200`,
    ]);
  });

  it("destroy deletes the key and keeps the app with a warning, since OneSignal cannot delete apps", async () => {
    const appId = project.resource("App", "app").id;
    const keyId = project.resource("ApiKey", "server-key").id;
    let output = "";
    const requests = await requestsDuring(async () => {
      const result = await project.destroy();
      output = project.lastOutput;
      expect(stepsOf(result)).toEqual(["delete server-key", "delete app"]);
    });
    expect(requests).toEqual([`DELETE /apps/${appId}/auth/tokens/${keyId} 200`]);
    expect(output).toContain(`OneSignal app "shop-renamed" (${appId}) was kept`);
    expect(output).not.toContain(emulator.organizationApiKey);
    expect(project.resources()).toEqual([]);
    expect((await emulator.api("GET", `/apps/${appId}`, emulator.organizationApiKey)).status).toBe(200);
  });
});
