import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { ROOT } from "../support/processes";
import { EngineHarness } from "./engine";

const APP = "urn:pulumi:dev::consumer::pulumi-nodejs:dynamic/onesignal:App::app";

let emulator: TestEmulator;
let project: string;
let engine: EngineHarness;

/** Runs npm with the same Node that runs the tests. */
function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

beforeAll(async () => {
  emulator = await startTestEmulator();
  project = mkdtempSync(path.join(tmpdir(), "pulumi-onesignal-consumer-"));
  // The package exactly as npm would publish it (dist was built by `npm test`'s pretest).
  npm(["pack", "--ignore-scripts", "--pack-destination", project], ROOT);
  const tarball = readdirSync(project).find((file) => file.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack made no tarball");
  const pulumiVersion = (
    JSON.parse(readFileSync(path.join(ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  npm(
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      `./${tarball}`,
      `@pulumi/pulumi@${pulumiVersion}`,
    ],
    project,
  );
  copyFileSync(path.join(ROOT, "examples/quickstart/index.ts"), path.join(project, "index.ts"));
  engine = new EngineHarness({
    programDir: project,
    stateFile: path.join(project, "state.json"),
    project: "consumer",
    config: { "onesignal:apiUrl": emulator.url, "onesignal:organizationApiKey": emulator.organizationApiKey },
    secretConfigKeys: ["onesignal:organizationApiKey"],
  });
}, 180_000);

afterAll(async () => {
  await emulator.close();
  rmSync(project, { recursive: true, force: true });
});

describe.sequential("the quickstart from an npm pack tarball installed in a fresh project", () => {
  it("previews with no request, then serializes providers by package path, which the exports map allows", async () => {
    const previewed = await emulator.requestsDuring(async () => {
      expect((await engine.preview()).steps.map((step) => step.op)).toEqual(["create", "create"]);
    });
    expect(previewed).toEqual([]);
    await engine.up();
    const app = engine.currentState().resources.find((resource) => resource.urn === APP);
    const serialized = String(app?.inputs.__provider);
    // The provider object is captured by value; the modules it calls are required by package path.
    expect(serialized).toContain('require("pulumi-onesignal/dist/provider/client/apps.js")');
    expect(serialized).toContain('require("pulumi-onesignal/dist/provider/resources/clients.js")');
    expect(serialized).not.toContain(emulator.organizationApiKey);
  });

  it("a second up makes no request; a rename makes one PUT; refresh sees drift; destroy deletes the key", async () => {
    expect(await emulator.requestsDuring(() => engine.up())).toEqual([]);
    engine.setConfig({ "quickstart:appName": "from-tarball" });
    const appId = engine.currentState().resources.find((resource) => resource.urn === APP)?.id as string;
    expect(await emulator.requestsDuring(() => engine.up())).toEqual([`PUT /apps/${appId}`]);
    await emulator.api("PUT", `/apps/${appId}`, emulator.organizationApiKey, { name: "drifted" });
    const drifts = await engine.refresh();
    expect(drifts).toEqual([{ urn: APP, change: { changedKeys: ["name", "updatedAt"] } }]);
    const destroyed = await emulator.requestsDuring(() => engine.destroy());
    expect(destroyed).toHaveLength(1);
    expect(destroyed[0]).toMatch(new RegExp(`^DELETE /apps/${appId}/auth/tokens/`));
  });
});
