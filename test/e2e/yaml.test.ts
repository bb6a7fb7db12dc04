import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { emulatorStacks } from "../support/emulator-stacks";
import { ROOT } from "../support/processes";
import { describeE2E, type PulumiProject, RunFailed, stepsOf } from "../support/pulumi";

const stacks = emulatorStacks();
const { emulator } = stacks;
let project: PulumiProject;

const APP = "onesignal:index:App";
/** The step of one resource with one operation. */
const stepOf = (
  result: { steps: { urn: string; op: string; detailedDiff?: Record<string, string> }[] },
  name: string,
  op: string,
) => result.steps.find((step) => step.urn.endsWith(`::${name}`) && step.op === op);
const appKey = () => project.resource("ApiKey", "serverKey").outputs.token as string;

// The steps build on each other, like a stack's history.
describeE2E("examples/yaml: Pulumi YAML with the provider plugin, under the real CLI and YAML language host", () => {
  stacks.use();
  beforeAll(() => {
    project = stacks.project({ dir: "examples/yaml" });
  });

  it("preview plans four creates and makes no request", async () => {
    const requests = await emulator.requestsDuring(async () => {
      const preview = await project.preview();
      expect(preview.mode).toBe("language-host");
      // The segment and the template wait for the key alone: the engine runs them in either order.
      expect(stepsOf(preview).sort()).toEqual(["create app", "create serverKey", "create vips", "create welcome"]);
    });
    expect(requests).toEqual([]);
  });

  it("up creates them, one request each, with the key a secret output that works", async () => {
    let outputs: Record<string, { value: unknown; secret: boolean }> = {};
    const requests = await emulator.requestsDuring(async () => {
      outputs = (await project.up()).outputs;
    });
    const appId = project.resource("App", "app").id;
    // Each create (but a segment's, which OneSignal refuses by name) first looks for one of its name.
    expect(requests.slice(0, 4)).toEqual([
      "GET /apps",
      "POST /apps",
      `GET /apps/${appId}/auth/tokens`,
      `POST /apps/${appId}/auth/tokens`,
    ]);
    expect(requests.slice(4).sort()).toEqual(["GET /templates", `POST /apps/${appId}/segments`, "POST /templates"]);
    expect(outputs.appId).toEqual({ value: appId, secret: false });
    expect(outputs.apiKey).toEqual({ value: "[secret]", secret: true });
    const apiKey = String(project.stackOutputs().apiKey);
    expect(apiKey).toMatch(/^os_v2_app_/);
    const segment = await emulator.api<{ payload: { name: string } }>(
      "GET",
      `/apps/${appId}/segments/${outputs.segmentId?.value}?include-segment-detail=true`,
      apiKey,
    );
    expect(segment.status).toBe(200);
    expect(segment.body.payload).toMatchObject({ name: "VIPs" });
  });

  it("keeps nothing but data in state, and every key encrypted", async () => {
    const token = appKey();
    const files = project.backendFiles();
    expect(files).not.toContain(token);
    expect(files).not.toContain(emulator.organizationApiKey);
    expect(files).toContain("ciphertext");
    for (const resource of project.resources()) {
      expect(Object.keys(resource.inputs ?? {})).not.toContain("__provider");
    }
    const segment = project.resource("Segment", "vips");
    expect(segment.inputs).toMatchObject({ name: "VIPs", appId: project.resource("App", "app").id });
    expect(segment.additionalSecretOutputs ?? []).not.toContain("name");
    expect(JSON.stringify(segment.outputs.filters)).toContain("amountSpent");
  });

  it("a second up changes nothing and makes no request", async () => {
    const requests = await emulator.requestsDuring(async () => {
      expect(stepsOf(await project.up()).sort()).toEqual(["same app", "same serverKey", "same vips", "same welcome"]);
    });
    expect(requests).toEqual([]);
  });

  it("a rename previews with a detailed diff naming the property, and applies as one PATCH", async () => {
    project.setConfig({ "onesignal-yaml:segmentName": "Whales" });
    const preview = await project.preview();
    expect(stepOf(preview, "vips", "update")?.detailedDiff).toEqual({ name: "update" });
    const appId = project.resource("App", "app").id;
    const segmentId = project.resource("Segment", "vips").id;
    expect(await emulator.requestsDuring(() => project.up())).toEqual([`PATCH /apps/${appId}/segments/${segmentId}`]);
    expect(project.resource("Segment", "vips").outputs.name).toBe("Whales");
  });

  it("a new channel previews as a replacement of the template alone, and replaces it", async () => {
    const before = project.resource("Template", "welcome").id;
    project.setConfig({ "onesignal-yaml:welcomeChannel": "sms" });
    const preview = await project.preview();
    expect(stepOf(preview, "welcome", "replace")?.detailedDiff).toEqual({ channel: "update-replace" });
    expect(stepsOf(preview).filter((step) => !step.endsWith("welcome"))).toEqual([
      "same app",
      "same serverKey",
      "same vips",
    ]);
    const requests = await emulator.requestsDuring(() => project.up());
    const after = project.resource("Template", "welcome").id;
    expect(after).not.toBe(before);
    expect(requests).toEqual(["GET /templates", "POST /templates", `DELETE /templates/${before}`]);
  });

  it("refresh sees a rename made in the dashboard; the next up restores it with one PATCH", async () => {
    const appId = project.resource("App", "app").id;
    const segmentId = project.resource("Segment", "vips").id;
    await emulator.api("PATCH", `/apps/${appId}/segments/${segmentId}`, appKey(), { name: "Renamed by hand" });
    expect((await project.refresh()).changes.update).toBe(1);
    expect(project.resource("Segment", "vips").outputs.name).toBe("Renamed by hand");
    expect(await emulator.requestsDuring(() => project.up())).toEqual([`PATCH /apps/${appId}/segments/${segmentId}`]);
    expect(project.resource("Segment", "vips").outputs.name).toBe("Whales");
  });

  it("refuses bad input in check, naming the property, before any request", async () => {
    project.setConfig({ "onesignal-yaml:segmentName": "x".repeat(200) });
    const requests = await emulator.requestsDuring(async () => {
      const failed = await project.preview().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failed).toBeInstanceOf(RunFailed);
      expect(String((failed as RunFailed).output)).toMatch(/name.*128/);
    });
    expect(requests).toEqual([]);
    project.setConfig({ "onesignal-yaml:segmentName": "Whales" });
  });

  it("destroy deletes the key, segment and template, and keeps the app with a warning", async () => {
    const appId = project.resource("App", "app").id;
    const result = await project.destroy();
    expect(stepsOf(result).sort()).toEqual(["delete app", "delete serverKey", "delete vips", "delete welcome"]);
    expect(project.lastOutput).toContain("was kept: OneSignal's API cannot delete apps");
    const kept = await emulator.api("GET", `/apps/${appId}`, emulator.organizationApiKey);
    expect(kept.status).toBe(200);
    const tokens = await emulator.api<{ tokens: unknown[] }>(
      "GET",
      `/apps/${appId}/auth/tokens`,
      emulator.organizationApiKey,
    );
    expect(tokens.body.tokens).toEqual([]);
  });
});

describeE2E("pulumi import with the provider plugin", () => {
  let dir: string;
  let imported: PulumiProject;

  stacks.use();
  beforeAll(async () => {
    // A project of its own, outside the repository's examples, as a user's would be.
    mkdirSync(path.join(ROOT, ".pulumi-state"), { recursive: true });
    dir = mkdtempSync(path.join(ROOT, ".pulumi-state", "yaml-import-"));
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: imported\nruntime: yaml\n");
    imported = stacks.project({ dir });
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("imports an app, a key, a segment and a template made outside, and the code it prints deploys with no change", async () => {
    const org = emulator.organizationApiKey;
    const app = (await emulator.api<{ id: string }>("POST", "/apps", org, { name: "made-by-hand" })).body;
    const key = (
      await emulator.api<{ token_id: string; formatted_token: string }>("POST", `/apps/${app.id}/auth/tokens`, org, {
        name: "by-hand",
      })
    ).body;
    const segment = (
      await emulator.api<{ id: string }>("POST", `/apps/${app.id}/segments`, key.formatted_token, {
        name: "Everyone in DE",
        filters: [{ field: "country", relation: "=", value: "DE" }],
      })
    ).body;
    const template = (
      await emulator.api<{ id: string }>("POST", "/templates", key.formatted_token, {
        app_id: app.id,
        name: "hello",
        contents: { en: "Hello" },
      })
    ).body;

    // Reading the segment and the template takes an app key: the configured one.
    imported.setSecrets({ "onesignal:appApiKey": key.formatted_token });
    const requests = await emulator.requestsDuring(async () => {
      const result = await imported.importResources([
        { type: APP, name: "app", id: app.id },
        { type: "onesignal:index:ApiKey", name: "key", id: `${app.id}/${key.token_id}` },
        { type: "onesignal:index:Segment", name: "germany", id: `${app.id}/${segment.id}` },
        { type: "onesignal:index:Template", name: "hello", id: `${app.id}/${template.id}` },
      ]);
      expect(result.changes.import).toBe(4);
      // The code to paste: each resource with the inputs OneSignal holds.
      expect(result.generatedCode).toContain("type: onesignal:App");
      expect(result.generatedCode).toContain("name: made-by-hand");
      expect(result.generatedCode).toContain("Everyone in DE");
      writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        `name: imported\nruntime: yaml\n${String(result.generatedCode).replaceAll(/\n\s*options:\n\s*protect: \w+/g, "")}`,
      );
    });
    // Reads only: the import changed nothing in OneSignal.
    expect(requests.every((request) => request.startsWith("GET "))).toBe(true);
    expect(imported.resource("Segment", "germany").outputs).toMatchObject({
      appId: app.id,
      name: "Everyone in DE",
      filters: [{ field: "country", relation: "=", value: "DE" }],
    });
    // OneSignal never shows a key's secret again: an imported key has none, and the import says so.
    expect(imported.resource("ApiKey", "key").outputs.token).toBeUndefined();
    expect(imported.lastOutput).toContain("an imported key has no `token` until `rotation` changes");

    const upRequests = await emulator.requestsDuring(async () => {
      expect(stepsOf(await imported.up()).sort()).toEqual(["same app", "same germany", "same hello", "same key"]);
    });
    expect(upRequests).toEqual([]);
    expect(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")).toContain("onesignal:Segment");
  });

  it("refuses an import id without its app, saying which form it takes", async () => {
    const failed = await imported
      .importResources([{ type: "onesignal:index:Segment", name: "lost", id: "not-scoped" }])
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failed).toBeInstanceOf(RunFailed);
    expect((failed as RunFailed).output).toContain('import a Segment by "<appId>/<segmentId>", not "not-scoped"');
  });
});
