/**
 * Secret settings (the organization key, the app key) given as plain stack config are refused before any request,
 * on both paths a program takes: TypeScript's dynamic resources (refused at registration, in the program) and the
 * provider plugin a YAML program uses (refused in Configure, the first call whose configuration keeps its secret
 * marks: the engine takes them off for CheckConfig). Given as secrets, no file of the backend holds them,
 * or a key made from them, in clear, history and backups included. The runner's result file masks secret outputs
 * and is its owner's alone.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { expect, it } from "vitest";
import { emulatorStacks, NO_ONESIGNAL_ENV } from "../support/emulator-stacks";
import { ROOT } from "../support/processes";
import { describeE2E, type PulumiProject, RunFailed, runProcess } from "../support/pulumi";

const stacks = emulatorStacks();
const { emulator } = stacks;

/** A value for the app key setting: never sent (these programs use the organization key), only kept. */
const APP_KEY = "app-key-7c1d0e5a94b34f06a1c2d3e4f5a6b7c8";

/** Runs `run`, which must fail; returns the failure and the requests the emulator saw meanwhile. */
async function refused(run: () => Promise<unknown>): Promise<{ failed: RunFailed; requests: string[] }> {
  let failed: unknown;
  const requests = await emulator.requestsDuring(async () => {
    failed = await run().then(
      () => undefined,
      (error: unknown) => error,
    );
  });
  expect(failed).toBeInstanceOf(RunFailed);
  return { failed: failed as RunFailed, requests };
}

/** The refusal of a plain `key`: named with the command that sets it as a secret and the variable that can give it. */
function expectRefusal(failed: RunFailed, key: string, variable: string): void {
  expect(failed.message).toContain(`${key} is set as plain stack config`);
  expect(failed.message).toContain(`pulumi config set --secret ${key} <key>`);
  expect(failed.message).toContain(variable);
}

/** The paths, in the project's backend, of the files that hold `secret` in clear. */
function filesHolding(project: PulumiProject, secret: string): string[] {
  return project
    .backendFileTexts()
    .filter((file) => file.text.includes(secret))
    .map((file) => file.path);
}

/** A project of `dir` whose stack config gives the organization key in plain, and nothing in the environment. */
function withPlainOrganizationKey(dir: string): PulumiProject {
  return stacks.project({
    dir,
    withoutOrganizationKey: true,
    config: { "onesignal:organizationApiKey": emulator.organizationApiKey },
    env: NO_ONESIGNAL_ENV,
  });
}

/** Asserts no file of the project's backend holds any of `secrets` in clear; returns the paths of its files. */
function expectBackendClean(project: PulumiProject, secrets: string[]): string[] {
  for (const secret of secrets) expect(filesHolding(project, secret)).toEqual([]);
  return project.backendFileTexts().map((file) => file.path);
}

describeE2E("secret settings given as plain stack config", () => {
  stacks.use();

  // An update without a preview (the Automation API's) would write the stack config, plain values and all, into its
  // history record before the program runs: the runner refuses it first. A preview writes nothing: there the program
  // refuses the key as its first resource registers. Either way no request, no step, no file of the backend holds it.
  for (const [operation, by] of [
    ["up", "the runner, before the update records anything"],
    ["preview", "the TypeScript program, at registration"],
  ] as const) {
    it(`a plain organization key is refused by ${by} (${operation}): no request, no step, no key in the backend`, async () => {
      const project = withPlainOrganizationKey("examples/quickstart");
      const { failed, requests } = await refused(() => project.run(operation));
      expectRefusal(failed, "onesignal:organizationApiKey", "ONESIGNAL_ORGANIZATION_API_KEY");
      expect(requests).toEqual([]);
      expect(failed.result.steps).toEqual([]);
      expect(failed.output).not.toContain(emulator.organizationApiKey);
      expect(filesHolding(project, emulator.organizationApiKey)).toEqual([]);
    });
  }

  it("a TypeScript program refuses a plain app key too, in a preview, naming it", async () => {
    const project = stacks.project({
      dir: "examples/quickstart",
      config: { "onesignal:appApiKey": APP_KEY },
      env: NO_ONESIGNAL_ENV,
    });
    const { failed, requests } = await refused(() => project.preview());
    expectRefusal(failed, "onesignal:appApiKey", "ONESIGNAL_APP_API_KEY");
    expect(failed.message).not.toContain("onesignal:organizationApiKey");
    expect(requests).toEqual([]);
    expect(failed.output).not.toContain(APP_KEY);
  });

  it("a YAML program refuses a plain organization key in the plugin's Configure, in a preview and in the CLI's up", async () => {
    const project = withPlainOrganizationKey("examples/yaml");
    const { failed, requests } = await refused(() => project.preview());
    expectRefusal(failed, "onesignal:organizationApiKey", "ONESIGNAL_ORGANIZATION_API_KEY");
    expect(requests).toEqual([]);
    // The refusal is an error that names the key alone (a check failure would have the engine print the value).
    expect(failed.output).not.toContain(emulator.organizationApiKey);
    expect(filesHolding(project, emulator.organizationApiKey)).toEqual([]);

    // `pulumi up` as a user runs it previews first: refused there, before the update records anything.
    let up: ReturnType<PulumiProject["cli"]> | undefined;
    const upRequests = await emulator.requestsDuring(async () => {
      up = project.cli(["up", "--yes", "--stack", project.stack]);
    });
    expect(up?.status).not.toBe(0);
    const upOutput = `${up?.stdout}${up?.stderr}`;
    expect(upOutput).toContain("pulumi config set --secret onesignal:organizationApiKey <key>");
    expect(upOutput).not.toContain(emulator.organizationApiKey);
    expect(upRequests).toEqual([]);
    expect(filesHolding(project, emulator.organizationApiKey)).toEqual([]);
    expect(project.backendFileTexts().some((file) => file.path.endsWith(`${project.stack}.json`))).toBe(true);
  });

  it("given as secrets, no file of a TypeScript program's backend holds a key in clear, history and backups included", async () => {
    const project = stacks.project({
      dir: "examples/quickstart",
      secrets: { "onesignal:appApiKey": APP_KEY },
      env: NO_ONESIGNAL_ENV,
    });
    await project.up();
    const first = project.resource("ApiKey", "server-key").outputs.token as string;
    project.setConfig({ "quickstart:keyRotation": "2" });
    await project.up();
    const second = project.resource("ApiKey", "server-key").outputs.token as string;
    expect(second).not.toBe(first);
    const paths = expectBackendClean(project, [emulator.organizationApiKey, APP_KEY, first, second]);
    expect(paths.some((file) => file.includes(`${path.sep}history${path.sep}`))).toBe(true);
    expect(paths.some((file) => file.includes(`${path.sep}backups${path.sep}`))).toBe(true);
    expect(project.backendFiles()).toContain("ciphertext");
  });

  it("given as secrets, no file of a YAML program's backend holds a key in clear, history and backups included", async () => {
    const project = stacks.project({
      dir: "examples/yaml",
      secrets: { "onesignal:appApiKey": APP_KEY },
      env: NO_ONESIGNAL_ENV,
    });
    await project.up();
    const token = project.resource("ApiKey", "serverKey").outputs.token as string;
    expect(token).toMatch(/^os_v2_app_/);
    const paths = expectBackendClean(project, [emulator.organizationApiKey, APP_KEY, token]);
    expect(paths.some((file) => file.includes(`${path.sep}history${path.sep}`))).toBe(true);
    expect(paths.some((file) => file.includes(`${path.sep}backups${path.sep}`))).toBe(true);
  });

  it("the runner's --result file is created with mode 0600 and masks secret outputs", async () => {
    const project = stacks.project({
      dir: "examples/quickstart",
      config: { "quickstart:appName": "result-file" },
      env: NO_ONESIGNAL_ENV,
    });
    await project.up();
    const token = String(project.stackOutputs().apiKey);
    expect(token).toMatch(/^os_v2_app_/);
    // A file already there, readable by all, is replaced by one of the owner's alone, not written into.
    const file = path.join(project.stateDir, "result.json");
    writeFileSync(file, "{}");
    chmodSync(file, 0o644);
    const { code, output } = await runProcess(
      process.execPath,
      [
        "--require",
        path.join(ROOT, "scripts/ts-register.cjs"),
        path.join(ROOT, "scripts/pulumi-run.ts"),
        "outputs",
        project.dir,
        "--stack",
        project.stack,
        "--state",
        project.stateDir,
        "--result",
        file,
      ],
      { ...process.env, ...NO_ONESIGNAL_ENV },
      project.dir,
    );
    expect(code, output).toBe(0);
    expect(output).toContain("apiKey: [secret]");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain(token);
    const result = JSON.parse(text) as { outputs: Record<string, { value: unknown; secret: boolean }> };
    expect(result.outputs.apiKey).toEqual({ value: "[secret]", secret: true });
    expect(result.outputs.appId).toEqual({ value: project.resource("App", "app").id, secret: false });
  });
});
