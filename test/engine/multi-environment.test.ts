import { readFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { engineFor } from "../support/engine";
import { ROOT } from "../support/processes";
import type { EngineHarness } from "./engine";

const DIR = "examples/multi-environment";
const STACKS = ["dev", "staging", "production"] as const;

/** A stack's config file, as the Pulumi CLI hands it to the program (objects as JSON text). */
function stackConfig(stack: string): Record<string, string> {
  const file = parse(readFileSync(path.join(ROOT, DIR, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  return Object.fromEntries(
    Object.entries(file.config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
}

let emulator: TestEmulator;
const engines = new Map<string, EngineHarness>();

beforeAll(async () => {
  emulator = await startTestEmulator();
  for (const stack of STACKS) {
    engines.set(
      stack,
      engineFor(emulator, DIR, { stack, project: "onesignal-multi-environment", config: stackConfig(stack) }),
    );
  }
});
afterAll(async () => emulator.close());

function stateOf(stack: string) {
  const engine = engines.get(stack) as EngineHarness;
  return engine.currentState();
}

describe.sequential("examples/multi-environment", () => {
  it("deploys dev, staging and production, each with its own app, key, segments and templates", async () => {
    for (const stack of STACKS) await (engines.get(stack) as EngineHarness).up();
    const apps = await emulator.api<{ id: string; name: string; chrome_web_origin: string }[]>(
      "GET",
      "/apps",
      emulator.organizationApiKey,
    );
    expect(apps.body.map((app) => [app.name, app.chrome_web_origin])).toEqual([
      ["shop-dev", "https://dev.shop.example"],
      ["shop-staging", "https://staging.shop.example"],
      ["shop", "https://shop.example"],
    ]);
    for (const stack of STACKS) {
      const types = stateOf(stack).resources.map((resource) => resource.type.split(":").pop());
      expect(types.sort()).toEqual(["ApiKey", "App", "Segment", "Segment", "Segment", "Template", "Template"]);
      const appId = stateOf(stack).outputs.appId?.value as string;
      const key = stateOf(stack).outputs.backendApiKey;
      expect(key?.secret).toBe(true);
      const segments = await emulator.api<{ segments: { name: string }[] }>(
        "GET",
        `/apps/${appId}/segments`,
        key?.value as string,
      );
      expect(segments.body.segments.map((segment) => segment.name).sort()).toEqual([
        "Active users",
        "Dormant users",
        "Testers",
      ]);
    }
  });

  it("the stacks differ only by their config", async () => {
    const active = (stack: string) =>
      stateOf(stack).resources.find((resource) => resource.name === "active")?.outputs.filters as unknown[];
    expect(active("dev")).toEqual([{ field: "lastSession", relation: "<", hoursAgo: "24" }]);
    expect(active("staging")).toEqual([{ field: "lastSession", relation: "<", hoursAgo: "72" }]);
    expect(active("production")).toEqual([{ field: "lastSession", relation: "<", hoursAgo: "168" }]);
    const key = stateOf("production").resources.find((resource) => resource.name === "backend-key");
    expect(key?.outputs).toMatchObject({
      ipAllowlistMode: "explicit",
      ipAllowlist: ["203.0.113.0/24", "198.51.100.10/32"],
    });
  });

  it("a second up of every stack makes no request", async () => {
    const requests = await emulator.requestsDuring(async () => {
      for (const stack of STACKS) await (engines.get(stack) as EngineHarness).up();
    });
    expect(requests).toEqual([]);
  });

  it("destroys every stack, keeping the apps as OneSignal requires", async () => {
    for (const stack of STACKS) await (engines.get(stack) as EngineHarness).destroy();
    for (const stack of STACKS) expect(stateOf(stack).resources).toEqual([]);
    expect((await emulator.api<unknown[]>("GET", "/apps", emulator.organizationApiKey)).body).toHaveLength(3);
  });
});
