import { beforeAll, expect, it } from "vitest";
import { emulatorStacks, NO_ONESIGNAL_ENV } from "../support/emulator-stacks";
import { describeE2E, type PulumiProject } from "../support/pulumi";

const stacks = emulatorStacks();
const { emulator } = stacks;
let project: PulumiProject;

interface AdminNotification {
  id: string;
  recipients: string[];
}

async function notifications(): Promise<AdminNotification[]> {
  return (await (await fetch(`${emulator.url}/_emulator/notifications`)).json()) as AdminNotification[];
}

describeE2E("examples/deploy-notification under the real Pulumi CLI", () => {
  stacks.use();
  beforeAll(() => {
    // No ONESIGNAL_* variables: the hook must reach the emulator through the stack config alone.
    project = stacks.project({ dir: "examples/deploy-notification", env: NO_ONESIGNAL_ENV });
  });

  let appId: string;
  let appKey: string;

  it("the first up creates everything, and the hook sends to the configured API after the template's create", async () => {
    const { outputs } = await project.up();
    appId = outputs.appId?.value as string;
    appKey = project.resource("ApiKey", "release-notifier").outputs.token as string;
    const sends = (await emulator.requests()).filter(
      (entry) => entry.method === "POST" && entry.path === "/notifications",
    );
    expect(sends).toHaveLength(1);
    // Nobody is a tester yet: OneSignal accepts the send and reaches no one.
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
    project.setConfig({ "deploy:welcomeText": "Welcome to v2!" });
    await project.up();
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
    expect(await emulator.requestsDuring(() => project.up())).toEqual([]);
    expect(await notifications()).toHaveLength(1);
  });

  it("destroy removes what OneSignal can delete and keeps the app", async () => {
    await project.destroy();
    expect(project.resources()).toEqual([]);
    expect((await emulator.api("GET", `/apps/${appId}`, emulator.organizationApiKey)).status).toBe(200);
  });
});
