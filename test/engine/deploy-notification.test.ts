import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { engineFor } from "../support/engine";
import type { EngineHarness } from "./engine";

let emulator: TestEmulator;
let engine: EngineHarness;

beforeAll(async () => {
  emulator = await startTestEmulator();
  engine = engineFor(emulator, "examples/deploy-notification", { project: "onesignal-deploy-notification" });
});
afterAll(async () => emulator.close());

interface AdminNotification {
  id: string;
  recipients: string[];
}

async function notifications(): Promise<AdminNotification[]> {
  return (await (await fetch(`${emulator.url}/_emulator/notifications`)).json()) as AdminNotification[];
}

describe.sequential("examples/deploy-notification", () => {
  let appId: string;
  let appKey: string;

  it("the first up creates everything; the hook runs after the template's create (nobody to tell yet)", async () => {
    await engine.up();
    const state = engine.currentState();
    appId = state.outputs.appId?.value as string;
    appKey = state.resources.find((resource) => resource.name === "release-notifier")?.outputs.token as string;
    const sends = (await emulator.requests()).filter(
      (entry) => entry.method === "POST" && entry.path === "/notifications",
    );
    expect(sends).toHaveLength(1);
    expect(await notifications()).toEqual([]);
  });

  it("after a tester subscribes, a template change notifies exactly that tester, once", async () => {
    const tester = await emulator.api<{ id: string }>("POST", "/players", appKey, {
      app_id: appId,
      device_type: 1,
      identifier: "tester-token",
      tags: { tester: "true" },
    });
    await emulator.api("POST", "/players", appKey, { app_id: appId, device_type: 1, identifier: "customer-token" });
    engine.setConfig({ "deploy:welcomeText": "Welcome to v2!" });
    await engine.up();
    const sent = await notifications();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.recipients).toEqual([tester.body.id]);
    const detail = await emulator.api<{
      headings: Record<string, string>;
      contents: Record<string, string>;
      data: Record<string, string>;
    }>("GET", `/notifications/${sent[0]?.id}?app_id=${appId}`, appKey);
    expect(detail.body.headings).toEqual({ en: "dev: welcome updated" });
    expect(detail.body.contents).toEqual({ en: 'Template "welcome" was deployed to dev.' });
    expect(detail.body.data.urn).toBe(
      "urn:pulumi:dev::onesignal-deploy-notification::pulumi-nodejs:dynamic/onesignal:Template::welcome",
    );
  });

  it("an up with no change runs no hook and sends nothing", async () => {
    await engine.up();
    expect(await notifications()).toHaveLength(1);
  });
});
