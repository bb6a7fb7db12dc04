import { beforeAll, expect, it } from "vitest";
import { emulatorStacks } from "../support/emulator-stacks";
import { appOrigins } from "../support/fixtures";
import { describeE2E, type PulumiProject } from "../support/pulumi";

const STACKS = ["dev", "staging", "production"] as const;

const environments = emulatorStacks();
const { emulator } = environments;
const stacks = new Map<string, PulumiProject>();

function stack(name: string): PulumiProject {
  return stacks.get(name) as PulumiProject;
}

describeE2E("examples/multi-environment under the real Pulumi CLI", () => {
  environments.use();
  beforeAll(() => {
    for (const name of STACKS) {
      // Each stack's own settings come from its Pulumi.<stack>.yaml; only where OneSignal is differs here.
      stacks.set(name, environments.project({ dir: "examples/multi-environment", stack: name }));
    }
  });

  it("previews every stack with no request, then deploys each with its own app, key, segments and templates", async () => {
    expect(
      await emulator.requestsDuring(async () => {
        for (const name of STACKS) expect((await stack(name).preview()).steps).toHaveLength(8);
      }),
    ).toEqual([]);
    for (const name of STACKS) await stack(name).up();
    expect(await appOrigins(emulator)).toEqual([
      ["shop-dev", "https://dev.shop.example"],
      ["shop-staging", "https://staging.shop.example"],
      ["shop", "https://shop.example"],
    ]);
    for (const name of STACKS) {
      const types = stack(name)
        .resources()
        .map((resource) => resource.type.split(":").pop());
      expect(types.sort()).toEqual([
        "ApiKey",
        "ApiKey",
        "App",
        "Segment",
        "Segment",
        "Segment",
        "Template",
        "Template",
      ]);
      const outputs = (await stack(name).run("outputs")).outputs;
      expect(outputs.backendApiKey?.secret).toBe(true);
      const deployKey = stack(name).resource("ApiKey", "deploy-key").outputs.token as string;
      const segmentsWith = (key: string) =>
        emulator.api<{ segments: { name: string }[] }>("GET", `/apps/${outputs.appId?.value}/segments`, key);
      const segments = await segmentsWith(deployKey);
      expect(segments.body.segments.map((segment) => segment.name).sort()).toEqual([
        "Active users",
        "Dormant users",
        "Testers",
      ]);
      // The backend's key works here, except in production, where only the backend's addresses may use it.
      const backendApiKey = stack(name).stackOutputs().backendApiKey as string;
      expect(backendApiKey).toMatch(/^os_v2_app_/);
      const fromHere = await segmentsWith(backendApiKey);
      expect(fromHere.status).toBe(name === "production" ? 403 : 201);
      expect(stack(name).backendFiles()).not.toContain(backendApiKey);
      expect(stack(name).backendFiles()).not.toContain(deployKey);
    }
  });

  it("the stacks differ only by their config", async () => {
    const active = (name: string) => stack(name).resource("Segment", "active").outputs.filters;
    expect(active("dev")).toEqual([{ field: "lastSession", relation: "<", hoursAgo: "24" }]);
    expect(active("staging")).toEqual([{ field: "lastSession", relation: "<", hoursAgo: "72" }]);
    expect(active("production")).toEqual([{ field: "lastSession", relation: "<", hoursAgo: "168" }]);
    expect(stack("production").resource("ApiKey", "backend-key").outputs).toMatchObject({
      ipAllowlistMode: "explicit",
      ipAllowlist: ["203.0.113.0/24", "198.51.100.10/32"],
    });
  });

  it("a second up of every stack makes no request", async () => {
    expect(
      await emulator.requestsDuring(async () => {
        for (const name of STACKS) await stack(name).up();
      }),
    ).toEqual([]);
  });

  it("destroys every stack, keeping the apps as OneSignal requires", async () => {
    for (const name of STACKS) await stack(name).destroy();
    for (const name of STACKS) expect(stack(name).resources()).toEqual([]);
    expect((await emulator.api<unknown[]>("GET", "/apps", emulator.organizationApiKey)).body).toHaveLength(3);
  });
});
