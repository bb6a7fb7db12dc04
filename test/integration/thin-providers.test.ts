import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { createAppWithKey } from "../support/fixtures";
import { runNode, runNodeWith } from "../support/processes";
import { useEmulator } from "../support/use-emulator";

/** Runs CommonJS code in a Node process of its own, from the repository root, and parses its last line. */
async function runScript<T>(code: string, env: NodeJS.ProcessEnv = {}): Promise<T> {
  const result = await runNodeWith(["-e", code], env);
  if (result.code !== 0) throw new Error(`the script exited with ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1) as string) as T;
}

/** How many modules of the Pulumi SDK the script's process has loaded. */
const SDK_MODULES = 'Object.keys(require.cache).filter((file) => file.includes("@pulumi")).length';

describe("thin providers: what Pulumi stores per resource", () => {
  const { emulator } = useEmulator();

  it.each([
    ["app", "appProvider"],
    ["api-key", "apiKeyProvider"],
    ["segment", "segmentProvider"],
    ["template", "templateProvider"],
  ])(
    "%s: serializes (from the repository) to a few lines that name the implementation, not its code",
    async (module, exportName) => {
      const serialized = await runScript<{ text: string }>(`
      const pulumi = require("@pulumi/pulumi");
      const provider = require("pulumi-onesignal/dist/provider/resources/thin/${module}.js");
      pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })
        .then(({ text }) => console.log(JSON.stringify({ text })));
    `);
      expect(serialized.text).toContain(`"pulumi-onesignal/dist/provider/resources/${module}.js"`);
      expect(serialized.text).toContain(`"${exportName}"`);
      // Nothing of the implementation: no client, no HTTP library, no check rules.
      for (const word of ["axios", "client", "Failures", "OneSignalError"]) expect(serialized.text).not.toContain(word);
      expect(serialized.text.length).toBeLessThanOrEqual(4096);
    },
  );

  it("the deserialized provider, run as the provider process runs it, loads the implementation and works", async () => {
    const { appId, appKey } = await createAppWithKey(emulator);
    const result = await runScript<{ id: string; failures: unknown[]; loadedBefore: boolean }>(`
      const pulumi = require("@pulumi/pulumi");
      const requireFromString = require(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] }));
      const provider = require("pulumi-onesignal/dist/provider/resources/thin/segment.js");
      const loaded = () => Object.keys(require.cache).some((file) => file.endsWith("dist/provider/resources/segment.js"));
      (async () => {
        const { text } = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
        for (const file of Object.keys(require.cache)) if (file.includes("/dist/provider/")) delete require.cache[file];
        const loadedBefore = loaded();
        const host = requireFromString(text).handler();
        const config = { "onesignal:apiUrl": ${JSON.stringify(emulator.url)}, "onesignal:appApiKey": ${JSON.stringify(appKey)} };
        await host.configure({ config: { get: (key) => config[key] } });
        const inputs = { appId: ${JSON.stringify(appId)}, name: "VIP", filters: [{ field: "sessionCount", relation: ">", value: 5 }] };
        const { failures } = await host.check({}, inputs);
        const { id } = await host.create(inputs);
        console.log(JSON.stringify({ id, failures, loadedBefore }));
      })();
    `);
    expect(result.loadedBefore).toBe(false);
    expect(result.failures).toEqual([]);
    const segment = await emulator.api<{ payload: { name: string } }>(
      "GET",
      `/apps/${appId}/segments/${result.id}?include-segment-detail=true`,
      appKey,
    );
    expect(segment.status).toBe(200);
    expect(segment.body.payload).toMatchObject({ name: "VIP" });
  });
});

describe("functions and the CLI load no Pulumi SDK", () => {
  const { emulator } = useEmulator();

  it("a script that calls a function through the package root", async () => {
    const result = await runScript<{ apps: number; sdkModules: number; resourcesAfter: number }>(`
      const onesignal = require("pulumi-onesignal");
      onesignal.listApps({ apiUrl: ${JSON.stringify(emulator.url)}, apiKey: ${JSON.stringify(emulator.organizationApiKey)} })
        .then((apps) => {
          const sdkModules = ${SDK_MODULES};
          // A resource class is there when asked for, and brings the SDK with it.
          if (typeof onesignal.App !== "function") throw new Error("App is not a class");
          console.log(JSON.stringify({ apps: apps.length, sdkModules, resourcesAfter: ${SDK_MODULES} }));
        });
    `);
    expect(result.apps).toBeGreaterThanOrEqual(0);
    expect(result.sdkModules).toBe(0);
    expect(result.resourcesAfter).toBeGreaterThan(0);
  });

  it("the CLI, from start to exit", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "cli-modules-"));
    try {
      const preload = path.join(dir, "count-sdk-modules.js");
      await fs.writeFile(
        preload,
        `process.on("exit", () => console.log(JSON.stringify({ sdkModules: ${SDK_MODULES} })));`,
      );
      const result = await runNode("dist/provider/cli/index.js", ["apps", "list", "--json"], {
        NODE_OPTIONS: `--require ${preload}`,
        ONESIGNAL_API_URL: emulator.url,
        ONESIGNAL_ORGANIZATION_API_KEY: emulator.organizationApiKey,
      });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout.trim().split("\n").at(-1) as string)).toEqual({ sdkModules: 0 });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("an ES module imports the resource classes and the functions by name", async () => {
    const result = await runNodeWith([
      "--input-type=module",
      "-e",
      'import { App, Segment, sendNotification } from "pulumi-onesignal"; console.log(JSON.stringify([typeof App, typeof Segment, typeof sendNotification]));',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const output = result.stdout;
    expect(JSON.parse(output)).toEqual(["function", "function", "function"]);
  });
});
