import { expect, it } from "vitest";
import { emulatorStacks } from "../support/emulator-stacks";
import { createAppWithKey } from "../support/fixtures";
import { describeE2E, RunFailed, stepsOf } from "../support/pulumi";

const stacks = emulatorStacks();
const { emulator } = stacks;

describeE2E("Pulumi YAML's fn::invoke of the plugin's functions (real CLI and YAML language host)", () => {
  stacks.use();

  it("reads an app and its segments, feeds a resource from them, and shows OneSignal's error for an unknown app", async () => {
    const app = await createAppWithKey(emulator, "shop");
    await emulator.api("POST", `/apps/${app.appId}/segments`, app.appKey, {
      name: "VIPs",
      filters: [{ field: "session_count", relation: ">", value: "10" }],
    });
    const project = stacks.project({
      dir: "test/e2e/programs/yaml-functions",
      config: { "yaml-functions:appId": app.appId },
      secrets: { "yaml-functions:appKey": app.appKey },
    });

    const up = await project.up();
    expect(stepsOf(up)).toEqual(["create testers"]);
    expect(up.outputs.appName).toEqual({ value: "shop", secret: false });
    const segment = project.resource("Segment", "testers");
    expect(segment.inputs).toMatchObject({ appId: app.appId, name: "shop testers" });
    const names = (
      await emulator.api<{ segments: { name: string }[] }>("GET", `/apps/${app.appId}/segments`, app.appKey)
    ).body.segments.map((each) => each.name);
    expect(names.sort()).toEqual(["VIPs", "shop testers"]);
    // Read with the app's secret key, the function's answer stays secret in the stack's outputs.
    expect(up.outputs.existingSegments?.secret).toBe(true);
    expect(JSON.stringify(project.stackOutputs().existingSegments)).toContain("VIPs");

    // The functions run again on every up (a look-up is never stale); the resource is unchanged.
    const again = await emulator.requestsDuring(() => project.up());
    expect(again.sort()).toEqual([`GET /apps/${app.appId}`, `GET /apps/${app.appId}/segments`].sort());

    // An app id OneSignal does not know: the function's error, with the status and the path.
    project.setConfig({ "yaml-functions:appId": "5eb5a37e-b458-11e3-ac11-000000000000" });
    const missing = (await project.preview().catch((error: unknown) => error)) as RunFailed;
    expect(missing).toBeInstanceOf(RunFailed);
    expect(missing.output).toMatch(/onesignal:index\/getApp:getApp/);
    expect(missing.output).toMatch(/404/);
    expect(missing.output).toContain("GET /apps/5eb5a37e-b458-11e3-ac11-000000000000");
    expect(missing.output).not.toContain(app.appKey);

    project.setConfig({ "yaml-functions:appId": app.appId });
    await project.destroy();
    expect(
      (await emulator.api<{ segments: unknown[] }>("GET", `/apps/${app.appId}/segments`, app.appKey)).body.segments,
    ).toHaveLength(1);
  }, 600_000);
});
