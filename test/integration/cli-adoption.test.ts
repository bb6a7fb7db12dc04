import { describe, expect, it } from "vitest";
import { importFileOf } from "../../provider/index";
import { runNode } from "../support/processes";
import { useEmulatorApp } from "../support/use-emulator";

const CLI = "dist/provider/cli/index.js";
const { emulator, app } = useEmulatorApp();

describe("pulumi-onesignal import-file", () => {
  it("prints one app's file with its segment and template, says what it skips, and reads nothing more", async () => {
    await emulator.api("POST", `/apps/${app.appId}/segments`, app.appKey, {
      name: "Big spenders",
      filters: [{ field: "session_count", relation: ">", value: "5" }],
    });
    await emulator.api("POST", `/apps/${app.appId}/segments`, app.appKey, {
      name: "Active Users",
      filters: [{ field: "session_count", relation: ">", value: "1" }],
    });
    await emulator.api("POST", "/templates", app.appKey, {
      app_id: app.appId,
      name: "Big spenders",
      contents: { en: "Hi" },
    });
    const env = { ...app.env, ONESIGNAL_ORGANIZATION_API_KEY: emulator.organizationApiKey };
    let printed = { code: null as number | null, stdout: "", stderr: "" };
    const requests = await emulator.requestsDuring(async () => {
      printed = await runNode(CLI, ["import-file", "--app-id", app.appId], env);
    });
    expect(printed.code, printed.stderr).toBe(0);
    const { resources } = JSON.parse(printed.stdout) as { resources: { type: string; name: string; id: string }[] };
    expect(resources.map(({ type, name }) => `${type} ${name}`)).toEqual([
      "onesignal:index:App app",
      "onesignal:index:Segment big-spenders",
      "onesignal:index:Template big-spenders-2",
    ]);
    expect(printed.stderr).toContain("3 to import (1 App, 1 Segment, 1 Template).");
    expect(printed.stderr).toMatch(
      /skipped Segment "Active Users" \(.*\): OneSignal makes "Active Users" for every app/,
    );
    // The app, its keys, its segments, its templates: one read each.
    expect(requests.map((request) => request.replace(/[0-9a-f-]{36}/g, "{id}"))).toEqual([
      "GET /apps/{id}",
      "GET /apps/{id}/auth/tokens",
      "GET /apps/{id}/segments",
      "GET /templates",
    ]);
  });

  it("is a function for scripts too: importFileOf lists the organization's apps and skips their keys", async () => {
    const file = await importFileOf({}, { apiUrl: emulator.url, apiKey: emulator.organizationApiKey });
    expect(file.resources).toContainEqual({ type: "onesignal:index:App", name: "app", id: app.appId });
    expect(file.resources.every((entry) => entry.type === "onesignal:index:App")).toBe(true);
    expect(file.skipped.filter((skip) => skip.id.startsWith(`${app.appId}/`)).map((skip) => skip.type)).toEqual([
      "onesignal:index:ApiKey",
    ]);
  });

  it("refuses a bad --app-id, and a missing app key, before any request, naming them", async () => {
    const env = { ...app.env, ONESIGNAL_ORGANIZATION_API_KEY: emulator.organizationApiKey };
    const requests = await emulator.requestsDuring(async () => {
      const badApp = await runNode(CLI, ["import-file", "--app-id", "shop"], env);
      expect(badApp.code).toBe(2);
      expect(badApp.stderr).toContain('--app-id must be a OneSignal app id (a UUID such as 8f1c3a2e-...), not "shop"');
      const noAppKey = await runNode(CLI, ["import-file", "--app-id", app.appId], {
        ...env,
        ONESIGNAL_APP_API_KEY: "",
      });
      expect(noAppKey.code).toBe(2);
      expect(noAppKey.stderr).toContain("No OneSignal app API key");
    });
    expect(requests).toEqual([]);
  });
});
