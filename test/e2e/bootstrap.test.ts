import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { emulatorStacks } from "../support/emulator-stacks";
import { ROOT } from "../support/processes";
import { describeE2E, pulumiCli, runProcess } from "../support/pulumi";

const stacks = emulatorStacks();
const { emulator } = stacks;
let copy: string;
let state: string;

/**
 * Runs the example's script as a user would (`npm run bootstrap -- ...`), from a copy of the example; with
 * `dropIn`, the pipeline `pulumi` of scripts/bin comes first on PATH, as in a pipeline that uses it.
 */
async function bootstrap(
  args: string[],
  { dropIn = false } = {},
): Promise<{ code: number | null; stdout: string; output: string }> {
  const cli = pulumiCli();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [...(dropIn ? [path.join(ROOT, "scripts/bin")] : []), ...cli.pathDirs, process.env.PATH ?? ""].join(
      path.delimiter,
    ),
    PULUMI_BACKEND_URL: `file://${path.join(state, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: "bootstrap-test",
    PULUMI_HOME: path.join(state, "home"),
    PULUMI_SKIP_UPDATE_CHECKS: "true",
    ONESIGNAL_API_URL: emulator.url,
    ONESIGNAL_ORGANIZATION_API_KEY: emulator.organizationApiKey,
  };
  const stdoutFile = path.join(state, "stdout");
  const script = [
    `"${process.execPath}" --require "${path.join(ROOT, "scripts/ts-register.cjs")}" index.ts`,
    ...args.map((arg) => `'${arg}'`),
    `> "${stdoutFile}"`,
  ].join(" ");
  const { code, output } = await runProcess("sh", ["-c", script], env, copy);
  return { code, stdout: existsSync(stdoutFile) ? readFileSync(stdoutFile, "utf8") : "", output };
}

describeE2E("examples/bootstrap under the real Pulumi CLI", () => {
  stacks.use();
  beforeAll(async () => {
    // A copy inside the repository resolves the package like the example does, and leaves the example untouched.
    mkdirSync(path.join(ROOT, ".cache", "e2e"), { recursive: true });
    copy = mkdtempSync(path.join(ROOT, ".cache", "e2e", "bootstrap-"));
    cpSync(path.join(ROOT, "examples/bootstrap"), copy, { recursive: true });
    state = mkdtempSync(path.join(tmpdir(), "bootstrap-state-"));
    mkdirSync(path.join(state, "backend"), { recursive: true });
  });
  afterAll(() => {
    rmSync(copy, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  });

  let appId = "";

  it("stands up an environment: app, key, segments and templates; prints the app id; the key only to a 0600 file", async () => {
    const keyFile = path.join(state, "review-42.key");
    // A link planted where the key goes is replaced, never followed.
    const victim = path.join(state, "victim");
    writeFileSync(victim, "precious\n");
    symlinkSync(victim, keyFile);
    const result = await bootstrap(["review-42", "--key-file", keyFile]);
    expect(result.code, result.output).toBe(0);
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(lstatSync(keyFile).isSymbolicLink()).toBe(false);
    appId = /^ONESIGNAL_APP_ID=(\S+)$/m.exec(result.stdout)?.[1] ?? "";
    expect(appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, "utf8").trim();
    expect(result.stdout).not.toContain(key);
    expect(result.output).not.toContain(key);
    const segments = await emulator.api<{ segments: { name: string }[] }>("GET", `/apps/${appId}/segments`, key);
    expect(segments.body.segments.map((segment) => segment.name).sort()).toEqual(["Active users", "Testers"]);
    const templates = await emulator.api<{ templates: { name: string }[] }>("GET", `/templates?app_id=${appId}`, key);
    expect(templates.body.templates.map((template) => template.name).sort()).toEqual(["Order shipped", "Welcome"]);
    const app = await emulator.api<{ name: string }>("GET", `/apps/${appId}`, emulator.organizationApiKey);
    expect(app.body.name).toBe("shop-review-42");
  });

  it("is idempotent: a re-run (with the pipeline `pulumi` first on PATH) makes no request and prints the same app id; --print-key prints the key", async () => {
    let result: Awaited<ReturnType<typeof bootstrap>> | undefined;
    expect(
      await emulator.requestsDuring(async () => {
        // The drop-in hands the Automation API's own calls (`--client`) to the real CLI.
        result = await bootstrap(["review-42", "--print-key"], { dropIn: true });
      }),
    ).toEqual([]);
    expect(result?.code, result?.output).toBe(0);
    expect(result?.output).toContain('Environment "review-42": already up to date.');
    expect(result?.stdout).toContain(`ONESIGNAL_APP_ID=${appId}\n`);
    const key = /^ONESIGNAL_APP_API_KEY=(\S+)$/m.exec(result?.stdout ?? "")?.[1] ?? "";
    expect((await emulator.api("GET", `/apps/${appId}`, key)).status).toBe(200);
  });

  it("refuses bad usage before doing anything", async () => {
    const result = await bootstrap(["no spaces allowed"]);
    expect(result.code).toBe(2);
    expect(result.output).toContain('"no spaces allowed" is not a valid environment name');
  });

  it("--destroy tears it down and says the app was kept", async () => {
    const key = readFileSync(path.join(state, "review-42.key"), "utf8").trim();
    const result = await bootstrap(["review-42", "--destroy"]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`Its app ${appId} was kept: OneSignal's API cannot delete apps`);
    expect((await emulator.api("GET", `/apps/${appId}`, key)).status).toBe(403);
    expect((await emulator.api("GET", `/apps/${appId}`, emulator.organizationApiKey)).status).toBe(200);
  });
});
