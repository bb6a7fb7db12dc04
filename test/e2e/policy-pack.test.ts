import * as path from "node:path";
import { expect, it } from "vitest";
import { emulatorStacks } from "../support/emulator-stacks";
import { ROOT } from "../support/processes";
import { describeE2E, type PulumiProject, RunFailed, stepsOf } from "../support/pulumi";

const stacks = emulatorStacks();
const { emulator } = stacks;
/** The pack as the package ships it. */
const POLICY = path.join(ROOT, "policy");
const OPEN_KEY = "onesignal-production-api-key-allowlist";

/** A preview enforcing the pack; makes no request to OneSignal either way. */
async function previewWithPack(project: PulumiProject): Promise<{ passed: boolean; output: string; steps: string[] }> {
  let outcome: { passed: boolean; output: string; steps: string[] } | undefined;
  const requests = await emulator.requestsDuring(async () => {
    try {
      const preview = await project.run("preview", ["--policy-pack", POLICY]);
      outcome = { passed: true, output: project.lastOutput, steps: stepsOf(preview).sort() };
    } catch (error) {
      if (!(error instanceof RunFailed)) throw error;
      outcome = { passed: false, output: error.output, steps: [] };
    }
  });
  expect(requests).toEqual([]);
  return outcome as { passed: boolean; output: string; steps: string[] };
}

describeE2E("the OneSignal policy pack (preview --policy-pack policy/, real CLI)", () => {
  stacks.use();

  it("a TypeScript program: an open API key is refused in production, passes with an allowlist and in dev", async () => {
    const apps = JSON.stringify({ shop: { name: "shop" } });
    const openKey = JSON.stringify({ server: { app: "shop", name: "server" } });
    const config = { "test:apps": apps, "test:keys": openKey };
    const production = stacks.project({ dir: "test/e2e/programs/apps", stack: "production", config });

    const refused = await previewWithPack(production);
    expect(refused.passed, refused.output).toBe(false);
    expect(refused.output).toContain(OPEN_KEY);
    expect(refused.output).toContain('API key "server" of production stack "production" works from every address');

    production.setConfig({
      "test:keys": JSON.stringify({
        server: { app: "shop", name: "server", ipAllowlistMode: "explicit", ipAllowlist: ["203.0.113.7/32"] },
      }),
    });
    const allowed = await previewWithPack(production);
    expect(allowed.passed, allowed.output).toBe(true);
    expect(allowed.steps).toEqual(["create server", "create shop"]);

    const dev = stacks.project({ dir: "test/e2e/programs/apps", stack: "dev", config });
    const passed = await previewWithPack(dev);
    expect(passed.passed, passed.output).toBe(true);
    expect(passed.output).not.toContain(OPEN_KEY);
  });

  it("a YAML program (the plugin's types): the same key refused in production, and a segment named like a built-in one", async () => {
    const production = stacks.project({ dir: "examples/yaml", stack: "production" });
    const refused = await previewWithPack(production);
    expect(refused.passed, refused.output).toBe(false);
    expect(refused.output).toContain(OPEN_KEY);
    expect(refused.output).toContain('API key "server" of production stack "production" works from every address');

    const dev = stacks.project({ dir: "examples/yaml", stack: "dev" });
    expect((await previewWithPack(dev)).passed).toBe(true);
    dev.setConfig({ "onesignal-yaml:segmentName": "Active Users" });
    const shadowed = await previewWithPack(dev);
    expect(shadowed.passed).toBe(false);
    expect(shadowed.output).toContain("onesignal-segment-not-built-in");
    expect(shadowed.output).toContain(`segment "Active Users" shadows OneSignal's built-in segment "Active Users"`);
  });
});
